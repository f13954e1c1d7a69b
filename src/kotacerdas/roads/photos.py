"""Geotagged photos: their position, time and heading from EXIF (read with Pillow).

A patrol officer's phone writes, in each JPEG, the GPS IFD (``GPSLatitude``/``GPSLatitudeRef``,
``GPSLongitude``/``GPSLongitudeRef``, optional ``GPSImgDirection`` and ``GPSSpeed``, ``GPSDateStamp`` +
``GPSTimeStamp`` in UTC) and the camera's clock (``DateTimeOriginal`` with ``OffsetTimeOriginal``, or local time
without an offset). The time is the GPS time when present, else the camera's with its offset, else the camera's
local time shifted by the city's UTC offset given by the caller.

A photo without a GPS position is refused with its file name; :func:`read_photos` reads a folder or zip of photos,
keeps the readable ones in time order, gives those without a direction the bearing to the next photo, and lists
the refused ones with their reason.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from kotacerdas.core.geometry import WGS84
from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError

PHOTO_SUFFIXES = (".jpg", ".jpeg")
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
_KNOT = 0.514444
_KMH = 1 / 3.6
_MPH = 0.44704


@dataclass(frozen=True)
class PhotoFix:
    """Where and when a photo was taken, its heading (° from north; NaN when unknown) and speed (m/s, NaN)."""

    file: str
    t: float
    lon: float
    lat: float
    heading_deg: float
    speed_mps: float


def _ratio(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError, ZeroDivisionError):
        num, den = v
        return float(num) / float(den)


def _dms(values, ref: str) -> float:
    d, m, s = (_ratio(v) for v in values)
    value = d + m / 60.0 + s / 3600.0
    return -value if ref.upper() in ("S", "W") else value


def _gps_time(gps: dict) -> float | None:
    date, stamp = gps.get(29), gps.get(7)  # GPSDateStamp "YYYY:MM:DD", GPSTimeStamp (h, m, s)
    if not date or not stamp:
        return None
    try:
        day = datetime.strptime(str(date).strip("\0 "), "%Y:%m:%d").replace(tzinfo=UTC)
        h, m, s = (_ratio(v) for v in stamp)
    except (ValueError, TypeError):
        return None
    return (day + timedelta(hours=h, minutes=m, seconds=s)).timestamp()


def _camera_time(exif: dict, utc_offset_hours: float | None) -> float | None:
    text = exif.get(36867) or exif.get(306)  # DateTimeOriginal, DateTime
    if not text:
        return None
    try:
        local = datetime.strptime(str(text).strip("\0 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = exif.get(36881) or exif.get(36880)  # OffsetTimeOriginal, OffsetTime: "+07:00"
    if offset:
        try:
            sign = -1 if str(offset).startswith("-") else 1
            hh, mm = str(offset).strip("+- \0").split(":")
            tz = timezone(sign * timedelta(hours=int(hh), minutes=int(mm)))
            return local.replace(tzinfo=tz).timestamp()
        except ValueError:
            pass
    if utc_offset_hours is None:
        return None
    return local.replace(tzinfo=timezone(timedelta(hours=utc_offset_hours))).timestamp()


def _no_gps(file: str) -> RoadsError:
    return RoadsError(N_("photo {file} has no GPS position in its EXIF"), field="exif", record=file, file=file)


def read_photo(data: bytes, file: str, *, utc_offset_hours: float | None = 7.0) -> PhotoFix:
    """The position, time, heading and speed of one JPEG (``utc_offset_hours``: the camera clock's zone when the
    photo does not say; 7 = WIB).

    Raises
    ------
    RoadsError
        Not a readable image, no EXIF GPS position, or no time.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            exif = im.getexif()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise RoadsError(
            N_("{file} is not a readable image: {reason}"), field="image", record=file, file=file, reason=str(exc)[:120]
        ) from None
    gps = dict(exif.get_ifd(GPS_IFD))
    if 2 not in gps or 4 not in gps:
        raise _no_gps(file)
    try:
        lat = _dms(gps[2], str(gps.get(1, "N")))
        lon = _dms(gps[4], str(gps.get(3, "E")))
    except (TypeError, ValueError, ZeroDivisionError):
        raise _no_gps(file) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        raise _no_gps(file)
    sub = {**dict(exif), **dict(exif.get_ifd(EXIF_IFD))}
    t = _gps_time(gps) or _camera_time(sub, utc_offset_hours)
    if t is None:
        raise RoadsError(N_("photo {file} does not say when it was taken"), field="exif", record=file, file=file)
    heading = _ratio(gps[17]) % 360.0 if 17 in gps else float("nan")  # GPSImgDirection
    speed = float("nan")
    if 13 in gps:  # GPSSpeed with GPSSpeedRef K (km/h), M (mph), N (knots)
        unit = {"K": _KMH, "M": _MPH, "N": _KNOT}.get(str(gps.get(12, "K")).upper(), _KMH)
        speed = _ratio(gps[13]) * unit
    return PhotoFix(file, t, lon, lat, heading, speed)


def with_headings(fixes: list[PhotoFix]) -> list[PhotoFix]:
    """The fixes in time order; a photo without a direction faces the next photo (the last, the one before)."""
    out = sorted(fixes, key=lambda f: (f.t, f.file))
    for k, f in enumerate(out):
        if math.isfinite(f.heading_deg) or len(out) < 2:
            continue
        a, b = (f, out[k + 1]) if k + 1 < len(out) else (out[k - 1], f)
        az, _back, dist = WGS84.inv(a.lon, a.lat, b.lon, b.lat)
        if dist > 0.5:
            out[k] = replace(f, heading_deg=float(az % 360.0))
    return out


def read_photos(
    path: str | Path, *, utc_offset_hours: float | None = 7.0
) -> tuple[list[PhotoFix], list[tuple[str, RoadsError]]]:
    """The photos of a folder or zip (or one JPEG): ``(fixes in time order, [(file, why refused)])``."""
    from kotacerdas.roads.formats.reading import Source

    source = Source(path)
    fixes: list[PhotoFix] = []
    refused: list[tuple[str, RoadsError]] = []
    try:
        for name in sorted(source.find_suffix(*PHOTO_SUFFIXES)):
            try:
                fixes.append(read_photo(source.read_bytes(name), name, utc_offset_hours=utc_offset_hours))
            except RoadsError as exc:
                refused.append((name, exc))
    finally:
        source.close()
    return with_headings(fixes), refused


def photo_bytes(path: str | Path, name: str) -> bytes:
    """The bytes of photo ``name`` in a folder or zip (or the one JPEG ``path``)."""
    from kotacerdas.roads.formats.reading import Source

    source = Source(path)
    try:
        return source.read_bytes(name)
    finally:
        source.close()
