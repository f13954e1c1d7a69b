"""Camera test data: the real RDD2022 sample images, the two real models of ``../shared/models`` installed in a
data dir, simulated dashcam videos along simulated drives on the test grid, geotagged photos (EXIF written with
piexif, a writer independent of the reader under test)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from kotacerdas.roads.streams import Track

SAMPLES = Path("data/roads/rdd2022-samples")
POTHOLE = Path("models/pothole-yolov5n-int8")
DARKNET = Path("models/road-damage-yolo-fastest-320")


def road_images(shared: Path) -> list[np.ndarray]:
    import cv2

    return [cv2.imread(str(p)) for p in sorted((shared / SAMPLES / "images").glob("*.jpg"))]


def astronaut() -> np.ndarray:
    """A real photograph of a face (NASA, public domain) as shipped inside scikit-image's wheel."""
    import importlib.util

    import cv2

    spec = importlib.util.find_spec("skimage")
    assert spec is not None and spec.submodule_search_locations
    return cv2.imread(str(Path(spec.submodule_search_locations[0]) / "data" / "astronaut.png"))


def straight_track(seconds: int = 40, speed: float = 8.0, start=datetime(2025, 4, 1, 1, 0, tzinfo=UTC)) -> Track:
    """A drive east along 8.2 S at ``speed`` m/s, fixes at 1 Hz."""
    t = start.timestamp() + np.arange(seconds, dtype=float)
    lon = 114.36 + speed * np.arange(seconds) / (111_320.0 * np.cos(np.radians(8.2)))
    return Track(t, np.full(seconds, -8.2), lon, np.full(seconds, speed), np.full(seconds, 4.0))


def _dms(v: float):
    v = abs(v)
    d = int(v)
    m = int((v - d) * 60)
    s = (v - d - m / 60) * 3600
    return ((d, 1), (m, 1), (int(round(s * 10000)), 10000))


def geotagged_jpeg(image: np.ndarray, lon: float, lat: float, when: datetime, heading: float | None = None) -> bytes:
    """A JPEG of ``image`` with EXIF GPS (position, UTC date and time, direction) written by piexif."""
    import piexif
    from PIL import Image

    gps = {
        piexif.GPSIFD.GPSLatitudeRef: b"S" if lat < 0 else b"N",
        piexif.GPSIFD.GPSLatitude: _dms(lat),
        piexif.GPSIFD.GPSLongitudeRef: b"W" if lon < 0 else b"E",
        piexif.GPSIFD.GPSLongitude: _dms(lon),
        piexif.GPSIFD.GPSDateStamp: when.strftime("%Y:%m:%d").encode(),
        piexif.GPSIFD.GPSTimeStamp: ((when.hour, 1), (when.minute, 1), (when.second, 1)),
    }
    if heading is not None:
        gps[piexif.GPSIFD.GPSImgDirection] = (int(heading * 100), 100)
    exif = piexif.dump(
        {"GPS": gps, "Exif": {piexif.ExifIFD.DateTimeOriginal: when.strftime("%Y:%m:%d %H:%M:%S").encode()}}
    )
    buf = io.BytesIO()
    Image.fromarray(image[:, :, ::-1]).save(buf, "jpeg", exif=exif, quality=90)
    return buf.getvalue()
