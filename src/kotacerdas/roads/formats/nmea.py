"""NMEA 0183 GPS logs: ``$--RMC`` and ``$--GGA`` sentences into a :class:`Track`.

Accepted sentences: RMC and GGA from any talker (``GP``, ``GN``, ``GL``, ``GA``,
``BD`` ...); every other sentence is skipped. Each sentence's checksum (``*hh``, the
XOR of the characters between ``$`` and ``*``) is verified; a sentence without a
checksum or with a wrong one is dropped and counted as ``bad_checksum``. An RMC with
status ``V`` or a GGA with fix quality ``0`` is counted as ``no_fix``.

RMC carries the date (``ddmmyy``) and speed (knots); GGA carries only the time of
day, so its date is the date of the nearest RMC before it (or, failing that, after
it), with midnight rollover handled. A GGA before any RMC in a log without RMC is
counted as ``no_date``. An RMC and a GGA of the same second make one fix. Accuracy
is left unknown (NaN): HDOP is not a distance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.reading import ImportReport, Table, check_times
from kotacerdas.roads.streams import Track

_KNOT = 1852.0 / 3600.0
_DAY = 86400.0


@dataclass
class _Fix:
    kind: str
    line: int
    tod: float
    date: float | None  # epoch seconds of 00:00 UTC of the date, RMC only
    lat: float
    lon: float
    speed: float


def nmea_checksum(body: str) -> str:
    """The two-hex-digit NMEA checksum of the text between ``$`` and ``*``."""
    x = 0
    for ch in body.encode("ascii", "replace"):
        x ^= ch
    return f"{x:02X}"


def _coord(value: str, hemi: str, degree_digits: int) -> float:
    deg = float(value[:degree_digits])
    minutes = float(value[degree_digits:])
    if minutes >= 60:
        raise ValueError(value)
    out = deg + minutes / 60.0
    if hemi in ("S", "W"):
        return -out
    if hemi not in ("N", "E"):
        raise ValueError(hemi)
    return out


def _tod(value: str) -> float:
    h, m, s = int(value[0:2]), int(value[2:4]), float(value[4:])
    if h > 23 or m > 59 or s >= 61:
        raise ValueError(value)
    return h * 3600 + m * 60 + s


def _date(value: str) -> float:
    d = datetime.strptime(value, "%d%m%y").replace(tzinfo=UTC)
    return d.timestamp()


def parse_nmea(text: str, file: str, report: ImportReport) -> tuple[Track, Table]:  # noqa: C901 (complexity baseline: split when next changed)
    """Parse an NMEA log into a track; the table gives each fix's ``file:line``.

    Raises
    ------
    RoadsError
        A line that is not an NMEA sentence, a field that does not parse in a sentence
        whose checksum is right, or a time before the previous fix.
    """
    fixes: list[_Fix] = []
    for ln, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        where = f"{file}:{ln}"
        if not line.startswith(("$", "!")):
            raise RoadsError(N_("line is not an NMEA sentence"), field="sentence", record=where)
        body, star, check = line[1:].partition("*")
        if not star or len(check) < 2 or nmea_checksum(body) != check[:2].upper():
            report.exclude("bad_checksum", where)
            continue
        f = body.split(",")
        kind = f[0][2:] if len(f[0]) == 5 else f[0][-3:]
        if kind not in ("RMC", "GGA"):
            continue
        try:
            if kind == "RMC":
                if len(f) < 10:
                    raise ValueError("fields")
                if f[2] != "A":
                    report.exclude("no_fix", where)
                    continue
                speed = float(f[7]) * _KNOT if f[7] else np.nan
                fix = _Fix("RMC", ln, _tod(f[1]), _date(f[9]), _coord(f[3], f[4], 2), _coord(f[5], f[6], 3), speed)
            else:
                if len(f) < 7:
                    raise ValueError("fields")
                if f[6] in ("", "0"):
                    report.exclude("no_fix", where)
                    continue
                fix = _Fix("GGA", ln, _tod(f[1]), None, _coord(f[2], f[3], 2), _coord(f[4], f[5], 3), np.nan)
        except (ValueError, IndexError):
            raise RoadsError(
                N_("the {kind} sentence has a field that does not parse"), field="sentence", record=where, kind=kind
            ) from None
        fixes.append(fix)

    # dates for GGA fixes from the nearest RMC, with midnight rollover
    rmc = [i for i, fx in enumerate(fixes) if fx.date is not None]
    t_abs: list[float] = []
    kept: list[_Fix] = []
    ri = 0
    for i, fx in enumerate(fixes):
        if fx.date is not None:
            t_abs.append(fx.date + fx.tod)
            kept.append(fx)
            continue
        while ri + 1 < len(rmc) and rmc[ri + 1] < i:
            ri += 1
        if not rmc:
            report.exclude("no_date", f"{file}:{fx.line}")
            continue
        ref = fixes[rmc[ri]]
        day = ref.date
        if fx.tod - ref.tod > _DAY / 2:
            day -= _DAY
        elif ref.tod - fx.tod > _DAY / 2:
            day += _DAY
        t_abs.append(day + fx.tod)
        kept.append(fx)

    # one fix per time: merge an RMC and a GGA of the same second
    t_out: list[float] = []
    lines: list[int] = []
    lat: list[float] = []
    lon: list[float] = []
    speed: list[float] = []
    kinds: list[set[str]] = []
    for t, fx in zip(t_abs, kept, strict=True):
        if t_out and t == t_out[-1]:
            if fx.kind in kinds[-1]:
                report.exclude("duplicate_timestamp", f"{file}:{fx.line}")
            else:
                kinds[-1].add(fx.kind)
                if fx.kind == "RMC":
                    lat[-1], lon[-1], speed[-1] = fx.lat, fx.lon, fx.speed
            continue
        t_out.append(t)
        lines.append(fx.line)
        lat.append(fx.lat)
        lon.append(fx.lon)
        speed.append(fx.speed)
        kinds.append({fx.kind})
    table = Table(file, {}, np.array(lines, dtype=np.int64))
    t_arr = np.array(t_out, dtype=float)
    keep = check_times(table, t_arr, report)
    track = Track(
        t_arr[keep], np.array(lat)[keep], np.array(lon)[keep], np.array(speed)[keep], np.full(keep.size, np.nan)
    )
    return track, table.take(keep)
