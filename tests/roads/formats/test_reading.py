"""The checks every reader shares: GPS jumps excluded then refused, a slow accelerometer refused, a track that
must overlap the accelerometer."""

from __future__ import annotations

import pytest

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.survey import import_survey, write_survey_package

from .drives import make_drive


def test_gps_jump_excluded_then_refused(tmp_path):
    drive = make_drive(seconds=60)
    drive.track.lat[10] += 0.01  # ~1.1 km away for one second
    got = import_survey(write_survey_package(drive, tmp_path / "jump.zip"))
    assert got.report.excluded == {"gps_jump": 1}
    assert len(got.streams.track) == len(drive.track) - 1
    assert got.report.examples == [("gps_jump", "location.csv:12")]
    many = make_drive(seconds=60)
    many.track.lat[10:20] += 0.01
    with pytest.raises(RoadsError, match="jump faster than 60.0 m/s") as err:
        import_survey(write_survey_package(many, tmp_path / "jumps.zip"))
    assert err.value.record == "location.csv:12"


def test_low_accelerometer_rate_refused(tmp_path):
    drive = make_drive(hz=20.0)
    with pytest.raises(RoadsError, match="20.0 Hz"):
        import_survey(write_survey_package(drive, tmp_path / "slow.zip"))


def test_track_and_accelerometer_must_overlap(tmp_path):
    drive = make_drive()
    drive.accel.t = drive.accel.t + 7 * 3600.0  # local time written as UTC
    with pytest.raises(RoadsError, match="do not overlap"):
        import_survey(write_survey_package(drive, tmp_path / "shift.zip"))
