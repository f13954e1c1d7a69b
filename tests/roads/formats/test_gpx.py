"""A GPX track with an accelerometer CSV: read back exactly; faults counted or refused."""

from __future__ import annotations

import numpy as np
import pytest

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.gpx import import_track_with_accel
from kotacerdas.roads.formats.survey import import_survey

from .drives import assert_track_close, iso, make_drive, write_accel_csv, write_gpx


def test_gpx_with_accel_csv(tmp_path):
    drive = make_drive()
    folder = tmp_path / "gpx"
    folder.mkdir()
    write_gpx(folder / "track.gpx", drive)
    write_accel_csv(folder / "accel.csv", drive)
    got = import_survey(folder)
    assert got.streams.source_format == "gpx+csv"
    assert_track_close(got.streams.track, drive.track, t_tol=1e-3)
    np.testing.assert_allclose(got.streams.track.speed, drive.track.speed)
    np.testing.assert_array_equal(got.streams.accel.as_array(), drive.accel.as_array())
    np.testing.assert_array_equal(got.streams.gyro.as_array(), drive.gyro.as_array())
    # the two-file entry point and ISO times in the CSV
    write_accel_csv(tmp_path / "accel-iso.csv", drive, iso_time=True)
    two = import_track_with_accel(folder / "track.gpx", tmp_path / "accel-iso.csv")
    np.testing.assert_allclose(two.streams.accel.t, drive.accel.t, atol=1e-5)


def test_gpx_faults(tmp_path):
    drive = make_drive()
    folder = tmp_path / "gpx"
    folder.mkdir()
    gpx = write_gpx(folder / "track.gpx", drive)
    with pytest.raises(RoadsError, match="no accelerometer CSV"):
        import_survey(folder)
    write_accel_csv(folder / "accel.csv", drive)
    text = gpx.read_text()
    gpx.write_text(text.replace(f"<time>{iso(drive.track.t[4])}</time>", "", 1))
    with pytest.raises(RoadsError, match="no time") as err:
        import_survey(folder)
    assert err.value.record == "track.gpx:5"
    gpx.write_text(text[: len(text) // 2])
    with pytest.raises(RoadsError, match="not well-formed XML"):
        import_survey(folder)
