"""GPS embedded in a video: GoPro's GPMF telemetry (``GPS5``/``GPS9``) and NMEA sentences in a data track.

GPMF (GoPro Metadata Format, published by GoPro) is a tree of KLV records: a four-character key, a one-byte type,
a one-byte structure size, a two-byte big-endian repeat count, then ``size × repeat`` bytes padded to 32 bits.
Type ``0`` nests records. A ``STRM`` holding ``GPS5`` has five signed 32-bit values per sample (latitude,
longitude, altitude, 2D speed, 3D speed), each divided by the matching ``SCAL`` value, and ``GPSU`` (the UTC time
of the payload, ``yymmddhhmmss.sss``). ``GPS9`` (newer cameras) adds days since 2000 and seconds of the day per
sample. The samples of one payload are spread evenly over the payload's duration.

Some dashcams write NMEA 0183 sentences into a data track instead; payloads starting with ``$`` are read with the
platform's NMEA reader (:mod:`kotacerdas.roads.formats.nmea`).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError

_TYPES = {"b": ">b", "B": ">B", "s": ">h", "S": ">H", "l": ">i", "L": ">I", "f": ">f", "d": ">d", "j": ">q", "J": ">Q"}
_GPS2000 = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Klv:
    """One GPMF record."""

    key: str
    type: str
    size: int
    repeat: int
    data: bytes

    def values(self) -> np.ndarray:
        """The record's numbers as an ``(repeat, size / item size)`` array."""
        fmt = _TYPES.get(self.type)
        if fmt is None:
            raise RoadsError(
                N_("GPMF record {key} has type {type}, not numbers"), field="gpmf", key=self.key, type=self.type
            )
        item = struct.calcsize(fmt)
        per = max(1, self.size // item)
        arr = np.frombuffer(self.data[: self.size * self.repeat], dtype=np.dtype(fmt))
        return arr.reshape(self.repeat, per).astype(float)

    def text(self) -> str:
        return self.data[: self.size * self.repeat].split(b"\0", 1)[0].decode("latin-1")


def iter_klv(data: bytes) -> Iterator[Klv]:
    """The records of one level of a GPMF payload.

    Raises
    ------
    RoadsError
        A record that runs past the end of the payload (a truncated or corrupt payload).
    """
    pos, n = 0, len(data)
    while pos + 8 <= n:
        key = data[pos : pos + 4].decode("latin-1")
        typ = chr(data[pos + 4])
        size = data[pos + 5]
        repeat = struct.unpack(">H", data[pos + 6 : pos + 8])[0]
        length = size * repeat
        end = pos + 8 + length
        if end > n:
            raise RoadsError(
                N_("GPMF record {key} at byte {pos} runs past the end of its payload"), field="gpmf", key=key, pos=pos
            )
        yield Klv(key, "\0" if data[pos + 4] == 0 else typ, size, repeat, data[pos + 8 : end])
        pos = end + (-length % 4)


def _walk(data: bytes) -> Iterator[list[Klv]]:
    """Every ``STRM`` of a payload, as its list of records."""
    for rec in iter_klv(data):
        if rec.type == "\0" and rec.key == "STRM":
            yield list(iter_klv(rec.data))
        elif rec.type == "\0":
            yield from _walk(rec.data)


def _gpsu(text: str) -> datetime:
    return datetime.strptime(text[:12], "%y%m%d%H%M%S").replace(tzinfo=UTC) + timedelta(
        seconds=float("0" + text[12:16]) if len(text) > 12 else 0.0
    )


def gps_samples(payload: bytes, duration_s: float = 1.0) -> list[tuple[float, float, float, float]]:
    """``(epoch, lat, lon, speed m/s)`` of the GPS samples of one GPMF payload lasting ``duration_s`` (its UTC
    time, ``GPSU``, gives the epoch of the first sample; ``GPS9`` carries a time per sample)."""
    out: list[tuple[float, float, float, float]] = []
    for strm in _walk(payload):
        keys = {r.key: r for r in strm}
        scal = keys["SCAL"].values().ravel() if "SCAL" in keys else None
        if "GPS9" in keys:
            vals = keys["GPS9"].values()
            s = scal if scal is not None and scal.size == vals.shape[1] else np.ones(vals.shape[1])
            v = vals / s
            for row in v:
                epoch = (_GPS2000 + timedelta(days=float(row[5]), seconds=float(row[6]))).timestamp()
                out.append((epoch, float(row[0]), float(row[1]), float(row[3])))
        elif "GPS5" in keys and "GPSU" in keys:
            vals = keys["GPS5"].values()
            s = scal if scal is not None and scal.size in (1, vals.shape[1]) else np.ones(vals.shape[1])
            v = vals / s
            t0 = _gpsu(keys["GPSU"].text()).timestamp()
            step = duration_s / max(1, len(v))
            for k, row in enumerate(v):
                out.append((t0 + k * step, float(row[0]), float(row[1]), float(row[3])))
    return out
