"""A GPS track (GPX 1.1/1.0 or NMEA 0183) with an accelerometer CSV.

GPX track
    Every ``trkpt`` of every ``trk``/``trkseg``, in file order: ``lat``, ``lon``
    attributes and ``<time>`` (ISO 8601 with zone) are required; ``<speed>`` (m/s,
    GPX 1.0 child or any ``speed`` element inside ``<extensions>``, as Garmin's
    TrackPointExtension writes it) is optional. ``<ele>`` is read by nothing yet.
    A fault names the file and the track point number (``track.gpx:12``, 1-based).

NMEA track
    See :mod:`kotacerdas.roads.formats.nmea`.

Accelerometer CSV
    Columns ``time`` (epoch seconds, or ISO 8601 with a zone), ``ax``, ``ay``, ``az``
    (m/s², gravity included), optional ``gx``, ``gy``, ``gz`` (gyroscope, rad/s).

In a folder or zip the track is the one ``*.gpx`` file, or the one ``*.nmea``/``*.nma``
file, and the accelerometer is the CSV file whose header has ``ax``, ``ay``, ``az``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.nmea import parse_nmea
from kotacerdas.roads.formats.reading import (
    DEFAULT_LIMITS,
    ImportReport,
    Source,
    SurveyImport,
    SurveyLimits,
    Table,
    check_times,
    finish,
    parse_time,
    read_table,
    vector_from_table,
)
from kotacerdas.roads.streams import SurveyStreams, Track, Vector3

ACCEL_COLUMNS = ("time", "ax", "ay", "az")
GYRO_COLUMNS = ("gx", "gy", "gz")
NMEA_SUFFIXES = (".nmea", ".nma", ".nmea.txt")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_gpx(data: bytes, file: str, report: ImportReport) -> tuple[Track, Table]:
    """Parse the track points of a GPX document; the table gives each point's ``file:n``."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = exc.position
        raise RoadsError(
            N_("{file} is not well-formed XML (line {line}, column {col})"),
            field="file",
            record=f"{file}:{line}",
            file=file,
            line=line,
            col=col,
        ) from None
    if _local(root.tag) != "gpx":
        raise RoadsError(
            N_("{file} is not a GPX document (root element {root})"), field="file", file=file, root=_local(root.tag)
        )
    t: list[float] = []
    lat: list[float] = []
    lon: list[float] = []
    speed: list[float] = []
    n = 0
    for el in root.iter():
        if _local(el.tag) != "trkpt":
            continue
        n += 1
        where = f"{file}:{n}"
        try:
            la, lo = float(el.attrib["lat"]), float(el.attrib["lon"])
        except (KeyError, ValueError):
            raise RoadsError(N_("track point has no valid lat/lon"), field="trkpt", record=where) from None
        when = None
        sp = np.nan
        for child in el:
            name = _local(child.tag)
            if name == "time":
                when = (child.text or "").strip()
            elif name == "speed":
                sp = _speed(child.text, where)
            elif name == "extensions":
                for sub in child.iter():
                    if _local(sub.tag) == "speed":
                        sp = _speed(sub.text, where)
        if not when:
            raise RoadsError(N_("track point has no time"), field="time", record=where)
        try:
            ts = parse_time(when)
        except ValueError:
            raise RoadsError(
                N_("value {value} in column {column} is not a number or a time"),
                field="time",
                record=where,
                value=when[:40],
                column="time",
            ) from None
        t.append(ts)
        lat.append(la)
        lon.append(lo)
        speed.append(sp)
    table = Table(file, {}, np.arange(1, n + 1, dtype=np.int64))
    t_arr = np.array(t, dtype=float)
    keep = check_times(table, t_arr, report)
    track = Track(
        t_arr[keep],
        np.array(lat, dtype=float)[keep],
        np.array(lon, dtype=float)[keep],
        np.array(speed, dtype=float)[keep],
        np.full(keep.size, np.nan),
    )
    return track, table.take(keep)


def _speed(text: str | None, where: str) -> float:
    try:
        v = float((text or "").strip())
    except ValueError:
        raise RoadsError(
            N_("value {value} in column {column} is not a number or a time"),
            field="speed",
            record=where,
            value=(text or "")[:40],
            column="speed",
        ) from None
    return v if v >= 0 else np.nan


def read_accel_csv(text: str, file: str, report: ImportReport) -> tuple[Vector3, Vector3 | None]:
    """The accelerometer (and gyroscope when ``gx, gy, gz`` are present) of an accel CSV."""
    table = read_table(text, file, ACCEL_COLUMNS, GYRO_COLUMNS, report, converters={"time": parse_time})
    report.rows["accelerometer"] = len(table)
    accel = vector_from_table(table, ACCEL_COLUMNS, report)
    gyro = None
    g = table.columns
    if not all(np.isnan(g[c]).all() for c in GYRO_COLUMNS):
        keep = check_times(Table(file, {}, table.lines), g["time"], ImportReport(file))
        present = np.isfinite(g["gx"][keep]) & np.isfinite(g["gy"][keep]) & np.isfinite(g["gz"][keep])
        idx = keep[present]
        if (~present).any():
            report.exclude("gyroscope_missing", table.where(int(keep[~present][0])), int((~present).sum()))
        gyro = Vector3(g["time"][idx], g["gx"][idx], g["gy"][idx], g["gz"][idx])
    return accel, gyro


def is_track_with_accel(source: Source) -> bool:
    """Whether ``source`` holds a GPX or NMEA file (the accelerometer is checked on reading)."""
    return bool(source.find_suffix(".gpx", *NMEA_SUFFIXES))


def _accel_name(source: Source) -> str:
    for name in source.find_suffix(".csv"):
        head = source.read_text(name).split("\n", 1)[0]
        cells = {c.strip().strip('"') for c in head.replace(";", ",").replace("\t", ",").split(",")}
        if {"ax", "ay", "az"} <= cells:
            return name
    raise RoadsError(
        N_("{source} has no accelerometer CSV (columns time, ax, ay, az); a survey needs one"),
        field="accelerometer",
        source=source.label,
    )


def _one(names: list[str], source: Source) -> str:
    if len(names) != 1:
        raise RoadsError(
            N_("{source} holds {n} track files; put exactly one in a survey"),
            field="file",
            source=source.label,
            n=len(names),
        )
    return names[0]


def read_track_with_accel(
    source: Source, limits: SurveyLimits = DEFAULT_LIMITS, accel_source: Source | None = None
) -> SurveyImport:
    """Read a GPX or NMEA track and an accelerometer CSV.

    ``source`` holds the track (and the CSV, unless ``accel_source`` is given).
    """
    report = ImportReport(source=source.label)
    gpx = source.find_suffix(".gpx")
    if gpx:
        name = _one(gpx, source)
        track, table = parse_gpx(source.read_bytes(name), name, report)
        fmt = "gpx+csv"
    else:
        name = _one(source.find_suffix(*NMEA_SUFFIXES), source)
        track, table = parse_nmea(source.read_text(name), name, report)
        fmt = "nmea+csv"
    report.rows["location"] = int(table.lines.size)
    acc_src = accel_source or source
    acc_name = _accel_name(acc_src)
    accel, gyro = read_accel_csv(acc_src.read_text(acc_name), acc_name, report)
    streams = SurveyStreams(track=track, accel=accel, gyro=gyro, source_format=fmt)
    return finish(streams, report, table.where, source.label, limits)


def import_track_with_accel(
    track_path: str | Path, accel_path: str | Path, limits: SurveyLimits = DEFAULT_LIMITS
) -> SurveyImport:
    """Read a GPX or NMEA file and a separate accelerometer CSV file."""
    track_src, accel_src = Source(track_path), Source(accel_path)
    if not is_track_with_accel(track_src):
        raise RoadsError(N_("{file} is neither a .gpx nor an .nmea file"), field="file", file=track_src.label)
    return read_track_with_accel(track_src, limits, accel_source=accel_src)
