"""The kotacerdas survey package: a zip with ``manifest.json`` and one file per stream.

``manifest.json``::

    {
      "format": "kotacerdas-survey",
      "version": 1,
      "vehicle_id": "B 1234 XY",          (optional)
      "device": "Pixel 7 / capture 0.3",  (optional)
      "metadata": {"key": "value"},       (optional, strings)
      "streams": [
        {"name": "location", "file": "location.csv", "format": "csv",
         "columns": ["t", "lat", "lon", "speed", "accuracy"], "sha256": "<hex>"},
        {"name": "accelerometer", "file": "accelerometer.csv", "format": "csv",
         "columns": ["t", "x", "y", "z"], "sha256": "<hex>"}
      ]
    }

Stream names: ``location`` and ``accelerometer`` (required), ``gravity`` and
``gyroscope`` (optional). Columns: ``t`` (s since the epoch, UTC) always; ``lat``,
``lon`` and optional ``speed`` (m/s), ``accuracy`` (m) for location; ``x``, ``y``, ``z``
(m/s², rad/s for the gyroscope; the accelerometer includes gravity) for the others.
Formats: ``csv`` (header row equal to ``columns``, empty cell = unknown) or
``parquet`` (float64 columns named as in ``columns``, null = unknown). The SHA-256 of
every stream file must match, so a truncated or altered package is refused.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from kotacerdas.core.i18n import N_
from kotacerdas.core.limits import load_json
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.reading import (
    DEFAULT_LIMITS,
    ImportReport,
    Source,
    SurveyImport,
    SurveyLimits,
    Table,
    check_times,
    file_sha256,
    finish,
    read_table,
    text_of,
    vector_from_table,
)
from kotacerdas.roads.streams import SurveyStreams, Track

PACKAGE_FORMAT = "kotacerdas-survey"
PACKAGE_VERSION = 1
_REQUIRED = {
    "location": ("t", "lat", "lon"),
    "accelerometer": ("t", "x", "y", "z"),
    "gravity": ("t", "x", "y", "z"),
    "gyroscope": ("t", "x", "y", "z"),
}
_OPTIONAL = {"location": ("speed", "accuracy")}
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def is_package(source: Source) -> bool:
    """Whether ``source`` holds a ``manifest.json``."""
    return source.find("manifest.json") is not None


# -- writer ----------------------------------------------------------------------------------
def _csv_bytes(columns: list[str], arrays: list[np.ndarray]) -> bytes:
    out = io.StringIO()
    out.write(",".join(columns) + "\n")
    lists = [a.astype(float).tolist() for a in arrays]
    for row in zip(*lists, strict=True):
        out.write(",".join("" if v != v else repr(v) for v in row))
        out.write("\n")
    return out.getvalue().encode("utf-8")


def _parquet_bytes(columns: list[str], arrays: list[np.ndarray]) -> bytes:
    table = pa.table({c: pa.array(a.astype(float), from_pandas=True) for c, a in zip(columns, arrays, strict=True)})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def write_survey_package(
    streams: SurveyStreams,
    path: str | Path,
    *,
    fmt: str = "csv",
    device: str | None = None,
) -> Path:
    """Write ``streams`` as a survey package zip at ``path`` (byte-identical for equal input).

    Parameters
    ----------
    streams:
        The drive; ``vehicle_id`` and ``metadata`` go into the manifest.
    fmt:
        ``"csv"`` or ``"parquet"`` for the stream files.
    device:
        Free text naming the phone and capture app.
    """
    if fmt not in ("csv", "parquet"):
        raise RoadsError(N_("unknown stream format {format}"), field="format", format=fmt)
    tr = streams.track
    entries: list[tuple[str, list[str], list[np.ndarray]]] = [
        ("location", ["t", "lat", "lon", "speed", "accuracy"], [tr.t, tr.lat, tr.lon, tr.speed, tr.accuracy]),
    ]
    for name, vec in (("accelerometer", streams.accel), ("gravity", streams.gravity), ("gyroscope", streams.gyro)):
        if vec is not None:
            entries.append((name, ["t", "x", "y", "z"], [vec.t, vec.x, vec.y, vec.z]))
    files: list[tuple[str, bytes]] = []
    manifest_streams = []
    for name, cols, arrays in entries:
        data = _csv_bytes(cols, arrays) if fmt == "csv" else _parquet_bytes(cols, arrays)
        file = f"{name}.{fmt}"
        files.append((file, data))
        manifest_streams.append(
            {"name": name, "file": file, "format": fmt, "columns": cols, "sha256": file_sha256(data)}
        )
    manifest: dict = {"format": PACKAGE_FORMAT, "version": PACKAGE_VERSION}
    if streams.vehicle_id is not None:
        manifest["vehicle_id"] = streams.vehicle_id
    if device is not None:
        manifest["device"] = device
    meta = {k: v for k, v in streams.metadata.items() if not k.startswith("excluded.")}
    if meta:
        manifest["metadata"] = dict(sorted(meta.items()))
    manifest["streams"] = manifest_streams
    path = Path(path)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for file, data in [("manifest.json", (json.dumps(manifest, indent=2) + "\n").encode())] + files:
            info = zipfile.ZipInfo(file, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


# -- reader ----------------------------------------------------------------------------------
def _manifest(source: Source) -> dict:
    name = source.find("manifest.json")
    assert name is not None
    manifest = load_json(source.read_bytes(name), "manifest.json")
    if not isinstance(manifest, dict) or manifest.get("format") != PACKAGE_FORMAT:
        raise RoadsError(
            N_("manifest.json does not declare format {format}"),
            field="format",
            record="manifest.json",
            format=PACKAGE_FORMAT,
        )
    if manifest.get("version") != PACKAGE_VERSION:
        raise RoadsError(
            N_("survey package version {version} is not supported (expected {expected})"),
            field="version",
            record="manifest.json",
            version=manifest.get("version"),
            expected=PACKAGE_VERSION,
        )
    streams = manifest.get("streams")
    if not isinstance(streams, list) or not streams:
        raise RoadsError(N_("manifest.json lists no streams"), field="streams", record="manifest.json")
    seen: set[str] = set()
    for k, st in enumerate(streams):
        where = f"manifest.json:streams[{k}]"
        if not isinstance(st, dict) or not all(key in st for key in ("name", "file", "format", "columns", "sha256")):
            raise RoadsError(
                N_("stream entry needs name, file, format, columns and sha256"), field="streams", record=where
            )
        if not isinstance(st["name"], str) or st["name"] not in _REQUIRED:
            raise RoadsError(N_("unknown stream {name}"), field="name", record=where, name=st["name"])
        if st["name"] in seen:
            raise RoadsError(N_("stream {name} is listed twice"), field="name", record=where, name=st["name"])
        seen.add(st["name"])
        if not isinstance(st["format"], str) or st["format"] not in ("csv", "parquet"):
            raise RoadsError(N_("unknown stream format {format}"), field="format", record=where, format=st["format"])
        cols = st["columns"]
        lacking = [c for c in _REQUIRED[st["name"]] if not isinstance(cols, list) or c not in cols]
        if lacking:
            raise RoadsError(
                N_("stream {name} lacks the column(s) {columns}"),
                field="columns",
                record=where,
                name=st["name"],
                columns=", ".join(lacking),
            )
    for required in ("location", "accelerometer"):
        if required not in seen:
            raise RoadsError(
                N_("the survey package has no {stream} stream"),
                field="streams",
                record="manifest.json",
                stream=required,
            )
    return manifest


def _parquet_table(data: bytes, file: str, entry: dict, required: tuple[str, ...], optional: tuple[str, ...]) -> Table:
    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError) as exc:
        raise RoadsError(
            N_("{file} is not a readable Parquet file: {reason}"),
            field="file",
            record=file,
            file=file,
            reason=str(exc)[:200],
        ) from None
    if table.column_names != list(entry["columns"]):
        raise RoadsError(
            N_("{file} has columns {found}, the manifest says {expected}"),
            field="columns",
            record=file,
            file=file,
            found=", ".join(table.column_names),
            expected=", ".join(entry["columns"]),
        )
    n = table.num_rows
    cols: dict[str, np.ndarray] = {}
    for c in (*required, *optional):
        if c not in table.column_names:
            cols[c] = np.full(n, np.nan)
            continue
        col = table.column(c)
        try:
            arr = col.cast(pa.float64()).to_numpy(zero_copy_only=False).astype(float)
        except (pa.ArrowException, ValueError):
            raise RoadsError(
                N_("column {column} of {file} is not numeric"), field=c, record=file, column=c, file=file
            ) from None
        if c in required:
            bad = np.flatnonzero(~np.isfinite(arr))
            if bad.size:
                raise RoadsError(N_("column {column} is empty"), field=c, record=f"{file}:{int(bad[0]) + 1}", column=c)
        cols[c] = arr
    return Table(file, cols, np.arange(1, n + 1, dtype=np.int64))


def read_package(source: Source, limits: SurveyLimits = DEFAULT_LIMITS) -> SurveyImport:
    """Read a kotacerdas survey package (zip or unpacked folder) into a :class:`SurveyImport`."""
    manifest = _manifest(source)
    report = ImportReport(source=source.label, format=PACKAGE_FORMAT)
    tables: dict[str, Table] = {}
    for entry in manifest["streams"]:
        name, file = entry["name"], entry["file"]
        found = source.find(Path(file).name)
        if found is None:
            raise RoadsError(
                N_("the survey package lacks the file {file} named in its manifest"),
                field="file",
                record="manifest.json",
                file=file,
            )
        data = source.read_bytes(found)
        if file_sha256(data) != str(entry["sha256"]).lower():
            raise RoadsError(
                N_("{file} does not match its SHA-256 in the manifest (altered or truncated)"),
                field="sha256",
                record=file,
                file=file,
            )
        required, optional = _REQUIRED[name], _OPTIONAL.get(name, ())
        if entry["format"] == "csv":
            text = text_of(data, file)
            header = [h.strip() for h in text.split("\n", 1)[0].split(",")]
            if header != list(entry["columns"]):
                raise RoadsError(
                    N_("{file} has columns {found}, the manifest says {expected}"),
                    field="columns",
                    record=f"{file}:1",
                    file=file,
                    found=", ".join(header),
                    expected=", ".join(entry["columns"]),
                )
            table = read_table(text, file, required, optional, report)
        else:
            table = _parquet_table(data, file, entry, required, optional)
        report.rows[name] = len(table)
        tables[name] = table
    loc = tables["location"]
    keep = check_times(loc, loc.columns["t"], report)
    loc = loc.take(keep)
    track = Track(*(loc.columns[c] for c in ("t", "lat", "lon", "speed", "accuracy")))
    vec = {
        name: vector_from_table(tables[name], ("t", "x", "y", "z"), report)
        for name in ("accelerometer", "gravity", "gyroscope")
        if name in tables
    }
    meta = manifest.get("metadata") or {}
    if not isinstance(meta, dict):
        raise RoadsError(N_("metadata in manifest.json must be an object"), field="metadata", record="manifest.json")
    metadata = {str(k): str(v) for k, v in meta.items()}
    if manifest.get("device") is not None:
        metadata["device"] = str(manifest["device"])
    vehicle = manifest.get("vehicle_id")
    streams = SurveyStreams(
        track=track,
        accel=vec["accelerometer"],
        gravity=vec.get("gravity"),
        gyro=vec.get("gyroscope"),
        vehicle_id=None if vehicle is None else str(vehicle),
        source_format=PACKAGE_FORMAT,
        metadata=metadata,
    )
    return finish(streams, report, loc.where, source.label, limits)
