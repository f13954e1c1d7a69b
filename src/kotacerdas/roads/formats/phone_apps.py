"""Readers for the CSV exports of phone sensor-logging apps: Sensor Logger and phyphox.

Sensor Logger (a folder or zip of CSV files, one per sensor)
    ``Location.csv``: ``time`` (ns since the epoch), ``latitude``, ``longitude``;
    optional ``speed`` (m/s), ``horizontalAccuracy`` (m) (negative values mean unknown
    and read as NaN); other columns (``seconds_elapsed``, ``bearing``, ``altitude``,
    ``bearingAccuracy``, ``speedAccuracy``, ``verticalAccuracy``) are ignored.
    ``Accelerometer.csv``, ``Gravity.csv``, ``Gyroscope.csv``, ``TotalAcceleration.csv``:
    ``time`` (ns), ``x``, ``y``, ``z`` (m/s², rad/s; ``seconds_elapsed`` ignored).
    Sensor Logger's accelerometer is linear acceleration without gravity, so the total
    specific force is ``TotalAcceleration.csv`` when present, else ``Accelerometer`` +
    ``Gravity`` (gravity interpolated linearly onto the accelerometer times;
    accelerometer samples outside the gravity stream's time span are counted as
    ``outside_gravity_span``). ``Metadata.csv``, when present, goes into the metadata.

phyphox (an export folder or zip, "CSV" with comma/tab, or semicolon with decimal comma)
    ``Accelerometer.csv``: ``Time (s)``, ``Acceleration x (m/s^2)``, ``Acceleration y
    (m/s^2)``, ``Acceleration z (m/s^2)`` (the "Acceleration with g" sensor; a "Linear
    Acceleration" export has no gravity and is refused).
    ``Location.csv``: ``Time (s)``, ``Latitude (°)``, ``Longitude (°)``; optional
    ``Velocity (m/s)``, ``Horizontal Accuracy (m)``.
    ``Gyroscope.csv`` (optional): ``Time (s)``, ``Gyroscope x (rad/s)`` ... ``z``.
    ``meta/time.csv``: ``event``, ``experiment time``, ``system time`` (s since the
    epoch): each ``START`` row anchors the experiment clock to the system clock until
    the next ``START``, which gives absolute times across pauses.
"""

from __future__ import annotations

import csv
import re

import numpy as np

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.reading import (
    DEFAULT_LIMITS,
    ImportReport,
    Source,
    SurveyImport,
    SurveyLimits,
    Table,
    check_times,
    finish,
    read_table,
    vector_from_table,
)
from kotacerdas.roads.streams import SurveyStreams, Track, Vector3


def _ns(cell: str) -> float:
    try:
        return int(cell) / 10**9  # exact integer division, correctly rounded
    except ValueError:
        return float(cell) / 1e9


def _require(source: Source, name: str) -> str:
    found = source.find(name)
    if found is None:
        raise RoadsError(
            N_("{source} has no {file}; a survey needs the GPS location and the accelerometer"),
            field="file",
            source=source.label,
            file=name,
        )
    return found


def _track_from(table: Table, cols: tuple[str, str, str, str, str], report: ImportReport) -> tuple[Track, Table]:
    keep = check_times(table, table.columns[cols[0]], report)
    kept = table.take(keep)
    speed = kept.columns[cols[3]].copy()
    acc = kept.columns[cols[4]].copy()
    speed[speed < 0] = np.nan
    acc[acc < 0] = np.nan
    track = Track(kept.columns[cols[0]], kept.columns[cols[1]], kept.columns[cols[2]], speed, acc)
    return track, kept


# -- Sensor Logger -------------------------------------------------------------------------
def is_sensor_logger(source: Source) -> bool:
    """Whether ``source`` looks like a Sensor Logger export."""
    name = source.find("Location.csv") or source.find("Accelerometer.csv")
    if name is None:
        return False
    head = source.read_text(name).split("\n", 1)[0]
    return "seconds_elapsed" in head


def read_sensor_logger(source: Source, limits: SurveyLimits = DEFAULT_LIMITS) -> SurveyImport:
    """Read a Sensor Logger export (folder or zip) into a :class:`SurveyImport`."""
    report = ImportReport(source=source.label, format="sensor-logger")
    loc_name = _require(source, "Location.csv")
    loc = read_table(
        source.read_text(loc_name),
        loc_name,
        ["time", "latitude", "longitude"],
        ["speed", "horizontalAccuracy"],
        report,
        converters={"time": _ns},
    )
    track, kept = _track_from(loc, ("time", "latitude", "longitude", "speed", "horizontalAccuracy"), report)
    report.rows["location"] = len(loc)

    def vec(name: str) -> Vector3 | None:
        found = source.find(name)
        if found is None:
            return None
        table = read_table(
            source.read_text(found), found, ["time", "x", "y", "z"], [], report, converters={"time": _ns}
        )
        report.rows[name.removesuffix(".csv")] = len(table)
        return vector_from_table(table, ("time", "x", "y", "z"), report)

    total = vec("TotalAcceleration.csv")
    gravity = vec("Gravity.csv")
    gyro = vec("Gyroscope.csv")
    if total is not None:
        accel = total
    else:
        linear = vec("Accelerometer.csv")
        if linear is None:
            _require(source, "Accelerometer.csv")
        if gravity is None:
            raise RoadsError(
                N_(
                    "{source} has Accelerometer.csv (without gravity) but neither Gravity.csv nor "
                    "TotalAcceleration.csv, so the total acceleration is unknown"
                ),
                field="file",
                source=source.label,
            )
        inside = (linear.t >= gravity.t[0]) & (linear.t <= gravity.t[-1])
        if (~inside).any():
            report.exclude("outside_gravity_span", source.label, int((~inside).sum()))
        t = linear.t[inside]
        accel = Vector3(
            t,
            linear.x[inside] + np.interp(t, gravity.t, gravity.x),
            linear.y[inside] + np.interp(t, gravity.t, gravity.y),
            linear.z[inside] + np.interp(t, gravity.t, gravity.z),
        )
    metadata: dict[str, str] = {}
    meta_name = source.find("Metadata.csv")
    if meta_name is not None:
        rows = list(csv.reader(source.read_text(meta_name).splitlines()))
        if len(rows) >= 2:
            metadata = {f"device.{k.strip()}": v.strip() for k, v in zip(rows[0], rows[1], strict=False) if k}
    streams = SurveyStreams(
        track=track, accel=accel, gravity=gravity, gyro=gyro, source_format="sensor-logger", metadata=metadata
    )
    return finish(streams, report, kept.where, source.label, limits)


# -- phyphox ---------------------------------------------------------------------------------
_PX_ACC = ("Time (s)", "Acceleration x (m/s^2)", "Acceleration y (m/s^2)", "Acceleration z (m/s^2)")
_PX_GYR = ("Time (s)", "Gyroscope x (rad/s)", "Gyroscope y (rad/s)", "Gyroscope z (rad/s)")
_PX_LOC = ("Time (s)", "Latitude (°)", "Longitude (°)", "Velocity (m/s)", "Horizontal Accuracy (m)")
_PX_ALIASES = {
    "Latitude (°)": ("Latitude (deg)",),
    "Longitude (°)": ("Longitude (deg)",),
    "Acceleration x (m/s^2)": ("Acceleration x (m/s²)",),
    "Acceleration y (m/s^2)": ("Acceleration y (m/s²)",),
    "Acceleration z (m/s^2)": ("Acceleration z (m/s²)",),
}


def is_phyphox(source: Source) -> bool:
    """Whether ``source`` looks like a phyphox export."""
    if source.find("time.csv", under="meta") is not None:
        return True
    name = source.find("Accelerometer.csv") or source.find("Location.csv")
    return name is not None and "Time (s)" in source.read_text(name).split("\n", 1)[0]


def _phyphox_clock(source: Source) -> tuple[np.ndarray, np.ndarray]:
    name = source.find("time.csv", under="meta")
    if name is None:
        raise RoadsError(
            N_("{source} has no meta/time.csv, so the phyphox times cannot be placed in real time"),
            field="file",
            source=source.label,
        )
    text = source.read_text(name)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    delim = max((",", ";", "\t"), key=lines[0].count) if lines else ","
    rows = list(csv.reader(lines, delimiter=delim))
    if not rows:
        raise RoadsError(N_("{file} is empty"), field="file", record=name, file=name)
    header = [h.strip().strip('"') for h in rows[0]]
    try:
        ie, ix, isys = header.index("event"), header.index("experiment time"), header.index("system time")
    except ValueError:
        raise RoadsError(
            N_("{file} lacks the column(s) {columns}; its header is {header}"),
            field="columns",
            record=f"{name}:1",
            file=name,
            columns="event, experiment time, system time",
            header=", ".join(header),
        ) from None
    exp: list[float] = []
    sys: list[float] = []
    for ln, row in enumerate(rows[1:], start=2):
        if len(row) <= max(ie, ix, isys):
            raise RoadsError(
                N_("row has {n} values but the header has {m}"),
                field="row",
                record=f"{name}:{ln}",
                n=len(row),
                m=len(header),
            )
        if row[ie].strip().upper() != "START":
            continue
        try:
            exp.append(float(row[ix].replace(",", ".")) if delim == ";" else float(row[ix]))
            sys.append(float(row[isys].replace(",", ".")) if delim == ";" else float(row[isys]))
        except ValueError:
            raise RoadsError(
                N_("value {value} in column {column} is not a number or a time"),
                field="system time",
                record=f"{name}:{ln}",
                value=row[isys][:40],
                column="system time",
            ) from None
    if not exp:
        raise RoadsError(N_("{file} has no START event"), field="event", record=name, file=name)
    return np.array(exp), np.array(sys)


def _absolute(t: np.ndarray, exp: np.ndarray, sys: np.ndarray) -> np.ndarray:
    k = np.clip(np.searchsorted(exp, t + 1e-9, side="right") - 1, 0, exp.size - 1)
    return sys[k] + (t - exp[k])


def read_phyphox(source: Source, limits: SurveyLimits = DEFAULT_LIMITS) -> SurveyImport:
    """Read a phyphox CSV export (folder or zip) into a :class:`SurveyImport`."""
    report = ImportReport(source=source.label, format="phyphox")
    exp, sys = _phyphox_clock(source)
    loc_name = _require(source, "Location.csv")
    loc = read_table(source.read_text(loc_name), loc_name, _PX_LOC[:3], _PX_LOC[3:], report, aliases=_PX_ALIASES)
    loc.columns["Time (s)"] = _absolute(loc.columns["Time (s)"], exp, sys)
    track, kept = _track_from(loc, _PX_LOC, report)
    report.rows["location"] = len(loc)

    acc_name = _require(source, "Accelerometer.csv")
    acc_text = source.read_text(acc_name)
    cells = [c.strip().strip('"') for c in re.split("[,;\t]", acc_text.split("\n", 1)[0])]
    if _PX_ACC[1] not in cells and any(c.startswith("Linear Acceleration") for c in cells):
        raise RoadsError(
            N_("{file} holds linear acceleration without gravity; record with phyphox's 'Acceleration with g' sensor"),
            field="file",
            record=f"{acc_name}:1",
            file=acc_name,
        )
    acc = read_table(acc_text, acc_name, _PX_ACC, [], report, aliases=_PX_ALIASES)
    acc.columns["Time (s)"] = _absolute(acc.columns["Time (s)"], exp, sys)
    report.rows["accelerometer"] = len(acc)
    accel = vector_from_table(acc, _PX_ACC, report)
    gyro = None
    gyr_name = source.find("Gyroscope.csv")
    if gyr_name is not None:
        gyr = read_table(source.read_text(gyr_name), gyr_name, _PX_GYR, [], report)
        gyr.columns["Time (s)"] = _absolute(gyr.columns["Time (s)"], exp, sys)
        report.rows["gyroscope"] = len(gyr)
        gyro = vector_from_table(gyr, _PX_GYR, report)
    streams = SurveyStreams(track=track, accel=accel, gyro=gyro, source_format="phyphox")
    return finish(streams, report, kept.where, source.label, limits)
