"""Sensor Logger and phyphox exports: round trips (folder and zip, paused recordings), and every refusal."""

from __future__ import annotations

import numpy as np
import pytest

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.survey import detect_format, import_survey, read_survey

from .drives import T0, assert_track_close, lines_of, make_drive, write_phyphox, write_sensor_logger, zip_folder


@pytest.mark.parametrize("as_zip", [False, True])
def test_sensor_logger_round_trip(tmp_path, as_zip):
    drive = make_drive()
    folder = write_sensor_logger(tmp_path / "sl", drive)
    path = zip_folder(folder, tmp_path / "sl.zip") if as_zip else folder
    assert detect_format(path) == "sensor-logger"
    s = read_survey(path)
    assert s.source_format == "sensor-logger"
    assert_track_close(s.track, drive.track)
    np.testing.assert_allclose(s.accel.as_array(), drive.accel.as_array(), atol=1e-12)
    np.testing.assert_allclose(s.gravity.as_array(), drive.gravity.as_array())
    np.testing.assert_allclose(s.gyro.t, drive.gyro.t, atol=1e-6)


def test_sensor_logger_total_acceleration_preferred(tmp_path):
    drive = make_drive()
    folder = write_sensor_logger(tmp_path / "sl", drive, total=True)
    (folder / "Gravity.csv").unlink()
    s = read_survey(folder)
    np.testing.assert_allclose(s.accel.as_array(), drive.accel.as_array(), atol=1e-12)
    assert s.gravity is None


def test_sensor_logger_missing_gravity_refused(tmp_path):
    folder = write_sensor_logger(tmp_path / "sl", make_drive())
    (folder / "Gravity.csv").unlink()
    with pytest.raises(RoadsError, match="neither Gravity.csv nor TotalAcceleration.csv"):
        read_survey(folder)
    (folder / "Location.csv").rename(folder / "gps.csv")
    with pytest.raises(RoadsError):
        read_survey(folder)


def test_sensor_logger_truncated_rows(tmp_path):
    folder = write_sensor_logger(tmp_path / "sl", make_drive())
    acc = folder / "Accelerometer.csv"
    rows = lines_of(acc)
    acc.write_text("\n".join(rows[:-1] + [rows[-1][:25]]) + "\n")  # cut while writing
    got = import_survey(folder)
    assert got.report.excluded == {"truncated_last_row": 1}
    assert got.report.examples[0] == ("truncated_last_row", f"Accelerometer.csv:{len(rows)}")
    rows[100] = rows[100][:25]
    acc.write_text("\n".join(rows) + "\n")
    with pytest.raises(RoadsError, match="values but the header has 5") as err:
        import_survey(folder)
    assert err.value.record == "Accelerometer.csv:101"


def test_sensor_logger_bad_number_named(tmp_path):
    folder = write_sensor_logger(tmp_path / "sl", make_drive())
    loc = folder / "Location.csv"
    rows = lines_of(loc)
    rows[3] = rows[3].rsplit(",", 1)[0] + ",-7,3"
    loc.write_text("\n".join(rows) + "\n")
    with pytest.raises(RoadsError) as err:
        import_survey(folder)
    assert err.value.record == "Location.csv:4"


# -- phyphox -------------------------------------------------------------------------------------
@pytest.mark.parametrize("pause", [False, True])
def test_phyphox_round_trip_with_pause(tmp_path, pause):
    drive = make_drive()
    pause_at = T0 + 14.5 if pause else None
    if pause:
        for v in (drive.track, drive.accel):
            v.t = np.where(v.t >= pause_at, v.t + 100.0, v.t)
    folder = write_phyphox(tmp_path / "px", drive, pause_at=pause_at)
    path = zip_folder(folder, tmp_path / "px.zip")
    assert detect_format(path) == "phyphox"
    s = read_survey(path)
    assert_track_close(s.track, drive.track)
    np.testing.assert_allclose(s.accel.t, drive.accel.t, atol=1e-6)
    np.testing.assert_allclose(s.accel.as_array(), drive.accel.as_array())


def test_phyphox_needs_clock_and_gravity(tmp_path):
    folder = write_phyphox(tmp_path / "px", make_drive())
    acc = folder / "Accelerometer.csv"
    acc.write_text(
        acc.read_text()
        .replace("Acceleration x", "Linear Acceleration x")
        .replace("Acceleration y", "Linear Acceleration y")
        .replace("Acceleration z", "Linear Acceleration z")
    )
    with pytest.raises(RoadsError, match="without gravity"):
        read_survey(folder)
    (folder / "meta" / "time.csv").unlink()
    with pytest.raises(RoadsError, match="meta/time.csv"):
        read_survey(folder)
