"""NMEA 0183 (RMC/GGA) with an accelerometer CSV: read back exactly; bad checksums, invalid fixes and
sentences out of order counted or refused."""

from __future__ import annotations

import numpy as np
import pytest

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.survey import import_survey

from .drives import assert_track_close, lines_of, make_drive, nmea, write_accel_csv, write_nmea


def test_nmea_with_accel_csv(tmp_path):
    drive = make_drive()
    folder = tmp_path / "nmea"
    folder.mkdir()
    write_nmea(folder / "gps.nmea", drive)
    write_accel_csv(folder / "accel.csv", drive)
    got = import_survey(folder)
    s = got.streams
    assert s.source_format == "nmea+csv"
    assert got.report.total_excluded == 0
    # NMEA keeps 1e-4 minute (~0.2 m) resolution
    assert_track_close(s.track, drive.track, pos_tol=2e-6, t_tol=1e-6)
    np.testing.assert_allclose(s.track.speed, drive.track.speed, atol=1e-3)


def test_nmea_checksum_fix_and_order_faults(tmp_path):
    drive = make_drive()
    folder = tmp_path / "nmea"
    folder.mkdir()
    path = write_nmea(folder / "gps.nmea", drive)
    write_accel_csv(folder / "accel.csv", drive)
    lines = lines_of(path)
    lines[0] = lines[0][:-2] + ("00" if lines[0][-2:] != "00" else "11")  # GGA of second 0 corrupted
    lines[4] = lines[4].replace(",A,", ",V,")  # RMC of second 1 without a fix, checksum fixed below
    body = lines[4][1:].split("*")[0]
    lines[4] = nmea(body)
    path.write_text("\n".join(lines) + "\n")
    got = import_survey(folder)
    assert got.report.excluded == {"bad_checksum": 1, "no_fix": 1}
    assert len(got.streams.track) == len(drive.track)  # the other sentence of each second remains
    lines = lines_of(write_nmea(folder / "gps.nmea", drive))
    lines[3:6], lines[6:9] = lines[6:9], lines[3:6]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RoadsError, match="before the previous one") as err:
        import_survey(folder)
    assert err.value.record == "gps.nmea:7"
    path.write_text("hello\n" + "\n".join(lines))
    with pytest.raises(RoadsError, match="not an NMEA sentence"):
        import_survey(folder)
