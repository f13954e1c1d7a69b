"""Geotagged photos: EXIF GPS and time (written by piexif, read by Pillow), headings from the next photo, the camera
clock with its offset, photos without GPS listed with the reason."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import numpy as np
import pytest

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.photos import read_photo, read_photos
from tests.roads.camera import geotagged_jpeg

IMG = np.full((60, 80, 3), 100, np.uint8)
WHEN = datetime(2025, 4, 1, 1, 2, 3, tzinfo=UTC)


def test_read_one_photo():
    fix = read_photo(geotagged_jpeg(IMG, 114.3691, -8.2193, WHEN, heading=270.0), "a.jpg")
    assert (fix.lon, fix.lat, fix.t, fix.heading_deg) == (
        pytest.approx(114.3691),
        pytest.approx(-8.2193),
        WHEN.timestamp(),
        270.0,
    )


def test_camera_clock_when_gps_gives_no_time():
    import piexif
    from PIL import Image

    exif = piexif.dump(
        {
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"S",
                piexif.GPSIFD.GPSLatitude: ((8, 1), (13, 1), (0, 1)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((114, 1), (22, 1), (0, 1)),
            },
            "Exif": {
                piexif.ExifIFD.DateTimeOriginal: b"2025:04:01 08:02:03",
                piexif.ExifIFD.OffsetTimeOriginal: b"+07:00",
            },
        }
    )
    buf = io.BytesIO()
    Image.fromarray(IMG).save(buf, "jpeg", exif=exif)
    assert read_photo(buf.getvalue(), "b.jpg").t == WHEN.timestamp()


def test_a_zip_of_photos(tmp_path):
    z = tmp_path / "photos.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for k in range(3):
            when = WHEN.replace(second=k * 10)
            zf.writestr(f"drive/p{k}.jpg", geotagged_jpeg(IMG, 114.36 + k * 0.0001, -8.22, when))
        buf = io.BytesIO()
        from PIL import Image

        Image.fromarray(IMG).save(buf, "jpeg")
        zf.writestr("drive/no-gps.jpg", buf.getvalue())
    fixes, refused = read_photos(z)
    assert [f.file for f in fixes] == ["drive/p0.jpg", "drive/p1.jpg", "drive/p2.jpg"]
    assert all(f.heading_deg == pytest.approx(90.0, abs=0.5) for f in fixes)  # each faces the next (east)
    assert [name for name, _e in refused] == ["drive/no-gps.jpg"]
    assert "no GPS position" in str(refused[0][1])


def test_not_an_image():
    with pytest.raises(RoadsError, match="x.jpg is not a readable image"):
        read_photo(b"not a jpeg", "x.jpg")
