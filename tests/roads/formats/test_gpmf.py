"""GoPro GPMF telemetry: KLV records (nested, padded), GPS5 scaled by SCAL and timed from GPSU, GPS9 with its own
times; a record that runs past its payload is refused."""

from __future__ import annotations

import struct
from datetime import UTC, datetime

import numpy as np
import pytest

from kotacerdas.roads.camera_sim import gpmf_payload
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.gpmf import gps_samples, iter_klv


def test_gps5_payload():
    t0 = datetime(2025, 4, 1, 1, 2, 3, tzinfo=UTC).timestamp()
    data = gpmf_payload(t0, np.array([-8.2, -8.2001]), np.array([114.36, 114.3601]), np.array([5.0, 5.5]))
    assert [r.key for r in iter_klv(data)] == ["DEVC"]
    rows = gps_samples(data, 1.0)
    assert rows[0] == pytest.approx((t0, -8.2, 114.36, 5.0)) and rows[1][0] == pytest.approx(t0 + 0.5)


def test_gps9_payload():
    # GPS9: lat, lon, alt, 2D speed, 3D speed, days since 2000, seconds of the day, DOP, fix
    scal = (10_000_000, 10_000_000, 1000, 1000, 100, 1, 1000, 100, 1)
    row = struct.pack(">9i", -82000000, 1143600000, 10000, 7000, 700, 9222, 3723500, 150, 3)

    def klv(key, typ, size, repeat, body):
        return key.encode() + typ.encode() + bytes([size]) + struct.pack(">H", repeat) + body + b"\0" * (-len(body) % 4)

    strm = klv("SCAL", "l", 4, 9, struct.pack(">9i", *scal)) + klv("GPS9", "l", 36, 1, row)
    data = klv("DEVC", "\0", 1, len(strm) + 8, klv("STRM", "\0", 1, len(strm), strm))
    ((t, lat, lon, speed),) = gps_samples(data)
    assert (lat, lon, speed) == pytest.approx((-8.2, 114.36, 7.0))
    assert datetime.fromtimestamp(t, UTC) == datetime(2025, 4, 1, 1, 2, 3, 500000, tzinfo=UTC)


def test_truncated_payload_is_refused():
    data = gpmf_payload(1.75e9, np.array([-8.2]), np.array([114.36]), np.array([5.0]))
    with pytest.raises(RoadsError, match="runs past the end"):
        list(iter_klv(data[:-12]))
