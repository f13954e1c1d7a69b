"""Shared machinery of the survey readers: sources, strict CSV tables, checks, report.

Every reader (:mod:`~kotacerdas.roads.formats.phone_apps`, :mod:`~kotacerdas.roads.formats.gpx`,
:mod:`~kotacerdas.roads.formats.nmea`, :mod:`~kotacerdas.roads.formats.package`) is strict:
an input it cannot read exactly raises :class:`~kotacerdas.roads.errors.RoadsError`
naming the file, the row (``record="Location.csv:17"``, the line number in the file)
and the reason. A few well-defined faults are instead dropped and *counted* in the
:class:`ImportReport`, never guessed over:

``truncated_last_row``
    the last row of a file is cut short (the phone stopped while writing); a short row
    anywhere else is an error.
``duplicate_timestamp``
    a sample with exactly the time of the sample before it (the later one is dropped).
``gps_jump``
    a fix that would need a speed above ``max_speed_mps`` from the last kept fix; more
    than ``max_excluded_fraction`` of the fixes excluded this way is an error.
``bad_speed``
    a GPS speed that is not finite, negative or faster than ``max_speed_mps``: the fix is
    kept, its speed unknown.
``no_fix``
    a fix at exactly 0,0 (what a receiver without a fix writes); in NMEA also a fix the
    receiver marks invalid.
``bad_checksum``, ``no_date`` (NMEA only)
    a sentence whose checksum is wrong, a GGA fix before any RMC sentence gave the date.

Before anything is processed, a survey longer than ``max_span_s`` (a clock jump, a gap
of days), a stream of more than ``max_samples`` samples and a sensor value beyond
``max_vector`` are refused, so no input can make processing allocate without bound.

Timestamps going backwards, values that are not numbers, a missing stream, an
accelerometer slower than ``min_accel_hz`` and a track that does not overlap the
accelerometer in time are always errors.
"""

from __future__ import annotations

import csv
import hashlib
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import numpy as np
from pyproj import Geod

from kotacerdas.core import limits as input_limits
from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.streams import SurveyStreams, Track, Vector3

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class SurveyLimits:
    """Thresholds of the import checks.

    Attributes
    ----------
    max_speed_mps:
        A fix implying a faster move from the last kept fix is a GPS jump (60 m/s).
    min_accel_hz:
        Lowest accelerometer rate accepted; roughness (IRI) needs 50 Hz or more.
    max_excluded_fraction:
        Largest share of GPS fixes that may be excluded as jumps before the survey is
        refused as a whole.
    max_span_s:
        Longest time a survey's streams may span, first sample to last (12 hours): a clock
        that jumps by years, or a recording with a gap of days, is refused before anything
        is resampled over it.
    max_samples:
        Most samples one stream may hold (12 hours at 500 Hz).
    max_vector:
        Largest magnitude of an accelerometer, gravity or gyroscope component (m/s², rad/s);
        a phone's sensors saturate far below it.
    """

    max_speed_mps: float = 60.0
    min_accel_hz: float = 50.0
    max_excluded_fraction: float = 0.05
    max_span_s: float = 12 * 3600.0
    max_samples: int = 12 * 3600 * 500
    max_vector: float = 1000.0


DEFAULT_LIMITS = SurveyLimits()


@dataclass
class ImportReport:
    """What an import read and what it left out, counted per reason.

    ``rows`` counts data rows read per stream; ``excluded`` counts dropped rows per
    reason (see the module docstring); ``examples`` keeps the first few dropped rows as
    ``(reason, "file:row")`` so a user can find them.
    """

    source: str
    format: str = ""
    rows: dict[str, int] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)
    examples: list[tuple[str, str]] = field(default_factory=list)

    def exclude(self, reason: str, where: str, count: int = 1) -> None:
        """Count ``count`` rows dropped for ``reason``; remember the first few places."""
        self.excluded[reason] = self.excluded.get(reason, 0) + count
        if len(self.examples) < 20:
            self.examples.append((reason, where))

    @property
    def total_excluded(self) -> int:
        """All rows left out, whatever the reason."""
        return sum(self.excluded.values())


@dataclass
class SurveyImport:
    """A read survey: the streams, the report and the content hash (see :func:`streams_hash`)."""

    streams: SurveyStreams
    report: ImportReport
    content_hash: str


# -- sources: a folder, a zip or a single file ------------------------------------------
class Source:
    """The files of a survey, in a folder, a zip archive or a single file.

    Names are matched on their base name, case-insensitively, so an archive with a
    top-level folder (``drive-2024/Location.csv``) reads like a flat one.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.label = self.path.name
        self._zip: zipfile.ZipFile | None = None
        if not self.path.exists():
            raise RoadsError(N_("survey file {file} does not exist"), field="file", file=self.label)
        if self.path.is_dir():
            self._files = {p.relative_to(self.path).as_posix(): p for p in sorted(self.path.rglob("*")) if p.is_file()}
        elif zipfile.is_zipfile(self.path):
            self._zip = input_limits.open_zip(self.path, self.label)
            self._files = {n: n for n in self._zip.namelist() if not n.endswith("/")}
        else:
            self._files = {self.path.name: self.path}

    @property
    def names(self) -> list[str]:
        """All file names (relative paths) in the source."""
        return list(self._files)

    def find(self, *basenames: str, under: str | None = None) -> str | None:
        """The first file whose base name is one of ``basenames`` (any case)."""
        wanted = [b.lower() for b in basenames]
        for b in wanted:
            for name in self._files:
                p = PurePosixPath(name)
                if p.name.lower() == b and (under is None or (p.parent.name.lower() == under)):
                    return name
        return None

    def find_suffix(self, *suffixes: str) -> list[str]:
        """Files whose names end with one of ``suffixes`` (any case)."""
        return [n for n in self._files if n.lower().endswith(tuple(s.lower() for s in suffixes))]

    def read_bytes(self, name: str) -> bytes:
        """The bytes of file ``name``."""
        if self._zip is not None:
            try:
                return self._zip.read(self._files[name])
            except (zipfile.BadZipFile, OSError, KeyError) as exc:
                raise RoadsError(
                    N_("cannot read {file} from the archive: {reason}"),
                    field="file",
                    file=name,
                    reason=str(exc),
                ) from exc
        return Path(self._files[name]).read_bytes()

    def read_text(self, name: str) -> str:
        """File ``name`` decoded as UTF-8 (a byte-order mark is dropped)."""
        return input_limits.utf8(self.read_bytes(name), name)

    def close(self) -> None:
        """Close the archive, if any."""
        if self._zip is not None:
            self._zip.close()


# -- strict CSV tables -------------------------------------------------------------------
def parse_time(text: str) -> float:
    """Seconds since the epoch from a number (epoch seconds) or an ISO 8601 time.

    An ISO time without a zone is refused: it would be a guess whether it is UTC.
    """
    try:
        return float(text)
    except ValueError:
        pass
    s = text.strip()
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    dt = datetime.fromisoformat(s)
    if dt.tzinfo is None:
        raise ValueError("ISO time without a time zone")
    return dt.astimezone(UTC).timestamp()


def _clean(name: str) -> str:
    return name.strip().strip('"').strip()


@dataclass
class Table:
    """Columns of a CSV file as float arrays, with the line number of every row."""

    file: str
    columns: dict[str, np.ndarray]
    lines: np.ndarray

    def __len__(self) -> int:
        return int(self.lines.size)

    def where(self, i: int) -> str:
        """``"file:line"`` of row ``i``."""
        return f"{self.file}:{int(self.lines[i])}"

    def take(self, keep: np.ndarray) -> Table:
        """The rows selected by a boolean mask or index array."""
        return Table(self.file, {k: v[keep] for k, v in self.columns.items()}, self.lines[keep])


def read_table(  # noqa: C901 (complexity baseline: split when next changed)
    text: str,
    file: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    report: ImportReport | None = None,
    converters: dict[str, Callable[[str], float]] | None = None,
    aliases: dict[str, Sequence[str]] | None = None,
) -> Table:
    """Parse a CSV text strictly into the ``required`` and ``optional`` columns.

    The delimiter (comma, semicolon or tab) is taken from the header line. Column
    names are matched exactly after stripping quotes and spaces; ``aliases`` gives
    other accepted spellings per column. Optional columns absent from the header, or
    empty in a row, read as NaN. A cut-short last row is counted in ``report`` as
    ``truncated_last_row``; any other fault raises :class:`RoadsError`.
    """
    converters = converters or {}
    aliases = aliases or {}
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_at is None:
        raise RoadsError(N_("{file} is empty"), field="file", record=file, file=file)
    header_line = lines[header_at]
    delim = max((",", ";", "\t"), key=header_line.count)
    header = [_clean(h) for h in next(input_limits.csv_rows(csv.reader([header_line], delimiter=delim), file))]
    pos: dict[str, int] = {}
    for col in list(required) + list(optional):
        for name in (col, *aliases.get(col, ())):
            if name in header:
                pos[col] = header.index(name)
                break
    missing = [c for c in required if c not in pos]
    if missing:
        raise RoadsError(
            N_("{file} lacks the column(s) {columns}; its header is {header}"),
            field="columns",
            record=f"{file}:{header_at + 1}",
            file=file,
            columns=", ".join(missing),
            header=", ".join(header),
        )
    number: Callable[[str], float] = float
    if delim == ";":  # the decimal-comma variant of spreadsheet-style exports

        def number(cell: str) -> float:
            return float(cell.replace(",", "."))

    body = [(i + 1, line) for i, line in enumerate(lines) if i > header_at and line.strip()]
    n = len(body)
    values = {c: np.full(n, np.nan) for c in pos}
    line_no = np.empty(n, dtype=np.int64)
    keep = np.ones(n, dtype=bool)
    reader = input_limits.csv_rows(csv.reader([line for _, line in body], delimiter=delim), file)
    for k, ((ln, _), row) in enumerate(zip(body, reader, strict=True)):
        line_no[k] = ln
        where = f"{file}:{ln}"
        if len(row) != len(header):
            if len(row) < len(header) and k == n - 1 and report is not None:
                report.exclude("truncated_last_row", where)
                keep[k] = False
                continue
            raise RoadsError(
                N_("row has {n} values but the header has {m}"),
                field="row",
                record=where,
                n=len(row),
                m=len(header),
            )
        for col, j in pos.items():
            cell = row[j].strip()
            if cell == "":
                if col in required:
                    if k == n - 1 and report is not None:
                        report.exclude("truncated_last_row", where)
                        keep[k] = False
                        break
                    raise RoadsError(N_("column {column} is empty"), field=col, record=where, column=col)
                continue
            try:
                values[col][k] = converters.get(col, number)(cell)
            except (ValueError, OverflowError):
                raise RoadsError(
                    N_("value {value} in column {column} is not a number or a time"),
                    field=col,
                    record=where,
                    value=cell[:40],
                    column=col,
                ) from None
            if col in required and not np.isfinite(values[col][k]):
                raise RoadsError(
                    N_("value {value} in column {column} is not finite"),
                    field=col,
                    record=where,
                    value=cell[:40],
                    column=col,
                )
    table = Table(file, {c: v[keep] for c, v in values.items()}, line_no[keep])
    for col in optional:
        if col not in table.columns:
            table.columns[col] = np.full(len(table), np.nan)
    return table


# -- checks ------------------------------------------------------------------------------
def check_times(table: Table, t: np.ndarray, report: ImportReport) -> np.ndarray:
    """Index of the rows kept: strictly increasing times, exact duplicates dropped.

    Raises :class:`RoadsError` at the first time before the previous one.
    """
    if t.size == 0:
        return np.arange(0)
    d = np.diff(t)
    back = np.flatnonzero(d < 0)
    if back.size:
        i = int(back[0]) + 1
        raise RoadsError(
            N_("timestamp {ts} is before the previous one ({prev})"),
            field="time",
            record=table.where(i),
            ts=repr(float(t[i])),
            prev=repr(float(t[i - 1])),
        )
    dup = np.flatnonzero(d == 0) + 1
    for i in dup:
        report.exclude("duplicate_timestamp", table.where(int(i)))
    keep = np.ones(t.size, dtype=bool)
    keep[dup] = False
    return np.flatnonzero(keep)


def check_track(
    track: Track, where: Callable[[int], str], report: ImportReport, limits: SurveyLimits = DEFAULT_LIMITS
) -> Track:
    """Validate coordinates and drop GPS jumps faster than ``limits.max_speed_mps``.

    ``where(i)`` names fix ``i`` (``"file:row"``). Returns the track without the jumps.
    """
    n = len(track)
    if n < 2:
        raise RoadsError(N_("the GPS track has {n} fix(es); a survey needs at least two"), field="location", n=n)
    bad = np.flatnonzero(~((np.abs(track.lat) <= 90) & (np.abs(track.lon) <= 180)))
    if bad.size:
        i = int(bad[0])
        raise RoadsError(
            N_("position ({lat}, {lon}) is not a latitude and longitude"),
            field="latitude",
            record=where(i),
            lat=float(track.lat[i]),
            lon=float(track.lon[i]),
        )
    null = (track.lat == 0) & (track.lon == 0)
    if null.any():  # 0,0 is what a receiver without a fix writes
        for k in np.flatnonzero(null):
            report.exclude("no_fix", where(int(k)))
        keep_fix = np.flatnonzero(~null)
        track = Track(*(a[keep_fix] for a in (track.t, track.lat, track.lon, track.speed, track.accuracy)))
        where = _shifted(where, keep_fix)
        n = len(track)
        if n < 2:
            raise RoadsError(N_("the GPS track has {n} fix(es); a survey needs at least two"), field="location", n=n)
    keep = np.zeros(n, dtype=bool)
    keep[0] = True
    last = 0
    # distances to the previous fix; only recomputed against the last kept one after a jump
    _, _, step = _GEOD.inv(track.lon[:-1], track.lat[:-1], track.lon[1:], track.lat[1:])
    for i in range(1, n):
        if last == i - 1:
            dist = step[i - 1]
        else:
            dist = _GEOD.inv(track.lon[last], track.lat[last], track.lon[i], track.lat[i])[2]
        dt = track.t[i] - track.t[last]
        if dist > limits.max_speed_mps * dt:
            report.exclude("gps_jump", where(i))
            continue
        keep[i] = True
        last = i
    jumps = n - int(keep.sum())
    if jumps > limits.max_excluded_fraction * n:
        first = int(np.flatnonzero(~keep)[0])
        raise RoadsError(
            N_("{count} of {n} GPS fixes jump faster than {speed} m/s; first at this row"),
            field="location",
            record=where(first),
            count=jumps,
            n=n,
            speed=limits.max_speed_mps,
        )
    return Track(*(a[keep] for a in (track.t, track.lat, track.lon, track.speed, track.accuracy)))


def _shifted(where: Callable[[int], str], index: np.ndarray) -> Callable[[int], str]:
    return lambda i: where(int(index[i]))


def check_rate(vec: Vector3, name: str, file: str, limits: SurveyLimits = DEFAULT_LIMITS) -> None:
    """Refuse an accelerometer stream too short or sampled below ``limits.min_accel_hz``."""
    if len(vec) < 2:
        raise RoadsError(
            N_("the {stream} stream in {file} has fewer than two samples"), field=name, stream=name, file=file
        )
    hz = 1.0 / float(np.median(np.diff(vec.t)))
    if hz < limits.min_accel_hz:
        raise RoadsError(
            N_("the accelerometer in {file} samples at {hz} Hz; roughness needs at least {min_hz} Hz"),
            field=name,
            file=file,
            hz=round(hz, 1),
            min_hz=limits.min_accel_hz,
        )


def check_overlap(track: Track, accel: Vector3, file: str) -> None:
    """Refuse a track and an accelerometer that do not overlap in time."""
    lo = max(track.t[0], accel.t[0])
    hi = min(track.t[-1], accel.t[-1])
    if hi <= lo:
        raise RoadsError(
            N_("the GPS track ({t0} to {t1}) and the accelerometer ({a0} to {a1}) in {file} do not overlap in time"),
            field="time",
            file=file,
            t0=_iso(track.t[0]),
            t1=_iso(track.t[-1]),
            a0=_iso(accel.t[0]),
            a1=_iso(accel.t[-1]),
        )


def _iso(t: float) -> str:
    return datetime.fromtimestamp(float(t), tz=UTC).isoformat(timespec="seconds")


def vector_from_table(table: Table, cols: tuple[str, str, str, str], report: ImportReport) -> Vector3:
    """A :class:`Vector3` from a table's time and x, y, z columns, times checked."""
    t = table.columns[cols[0]]
    keep = check_times(table, t, report)
    return Vector3(*(table.columns[c][keep] for c in cols))


def finish(
    streams: SurveyStreams,
    report: ImportReport,
    where: Callable[[int], str],
    file: str,
    limits: SurveyLimits = DEFAULT_LIMITS,
) -> SurveyImport:
    """Run the survey-wide checks, count rows, hash: the last step of every reader."""
    check_bounds(streams, file, limits)
    streams.track = check_speeds(streams.track, where, report, limits)
    streams.track = check_track(streams.track, where, report, limits)
    check_rate(streams.accel, "accelerometer", file, limits)
    check_overlap(streams.track, streams.accel, file)
    report.format = streams.source_format
    for key, value in report.excluded.items():
        streams.metadata[f"excluded.{key}"] = str(value)
    return SurveyImport(streams, report, streams_hash(streams))


def _vectors(streams: SurveyStreams) -> list[tuple[str, Vector3]]:
    named = (("accelerometer", streams.accel), ("gravity", streams.gravity), ("gyroscope", streams.gyro))
    return [(name, vec) for name, vec in named if vec is not None]


def check_bounds(streams: SurveyStreams, file: str, limits: SurveyLimits = DEFAULT_LIMITS) -> None:
    """Refuse streams longer, longer-lasting or with larger values than ``limits`` allow, before any processing.

    Processing resamples every stream onto an even time grid, so a clock jump of years (or a gap of days)
    would ask for more memory than any server has; it is refused here, naming the sample after the jump.
    """
    times = [("location", streams.track.t)] + [(name, vec.t) for name, vec in _vectors(streams)]
    starts = [float(t[0]) for _, t in times if t.size]
    ends = [float(t[-1]) for _, t in times if t.size]
    for name, t in times:
        input_limits.check_count(max(int(t.size), 1), limits.max_samples, "samples", file, record=f"{file}: {name}")
    if starts and max(ends) - min(starts) > limits.max_span_s:
        name, t = max(times, key=lambda nt: float(np.max(np.diff(nt[1]))) if nt[1].size > 1 else 0.0)
        i = int(np.argmax(np.diff(t))) + 1 if t.size > 1 else 0
        raise RoadsError(
            N_("the survey spans {hours} hours (longest gap {gap} s, {stream} at {at}); at most {max} hours are read"),
            field="time",
            record=f"{file}: {name}",
            hours=round((max(ends) - min(starts)) / 3600, 1),
            gap=round(float(t[i] - t[i - 1]), 1) if i else 0,
            stream=name,
            at=_iso(t[i]) if abs(float(t[i])) < 1e11 else repr(float(t[i])),
            max=round(limits.max_span_s / 3600, 1),
        )
    for name, vec in _vectors(streams):
        values = vec.as_array()
        bad = np.flatnonzero(~(np.abs(values) <= limits.max_vector).all(axis=1))
        if bad.size:
            i = int(bad[0])
            raise RoadsError(
                N_("the {stream} sample at {at} holds {value}; a phone sensor reads at most {max}"),
                field=name,
                record=f"{file}: {name}",
                stream=name,
                at=_iso(vec.t[i]),
                value=repr(tuple(float(v) for v in values[i])),
                max=limits.max_vector,
            )


def check_speeds(track: Track, where: Callable[[int], str], report: ImportReport, limits: SurveyLimits) -> Track:
    """Speeds not finite, negative or above ``limits.max_speed_mps`` become unknown, counted as ``bad_speed``."""
    speed = np.asarray(track.speed, dtype=float)
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(~np.isnan(speed) & ~((speed >= 0) & (speed <= limits.max_speed_mps)))
    if not bad.size:
        return track
    for k in bad:
        report.exclude("bad_speed", where(int(k)))
    speed = speed.copy()
    speed[bad] = np.nan
    return Track(track.t, track.lat, track.lon, speed, track.accuracy)


def streams_hash(streams: SurveyStreams) -> str:
    """SHA-256 of the normalised streams, for idempotent import.

    The hash covers the float64 values of every stream (track, accelerometer, gravity,
    gyroscope) in a fixed order, and nothing else, so the same drive read from the
    same data gives the same hash whatever the container format.
    """
    h = hashlib.sha256(b"kotacerdas-survey-streams-v1")
    tr = streams.track
    parts: list[tuple[str, list[np.ndarray]]] = [("track", [tr.t, tr.lat, tr.lon, tr.speed, tr.accuracy])]
    for name in ("accel", "gravity", "gyro"):
        vec = getattr(streams, name)
        if vec is not None:
            parts.append((name, [vec.t, vec.x, vec.y, vec.z]))
    for name, arrays in parts:
        h.update(name.encode())
        for a in arrays:
            arr = np.ascontiguousarray(a, dtype="<f8")
            h.update(np.int64(arr.size).tobytes())
            h.update(arr.tobytes())
    return h.hexdigest()


def file_sha256(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def text_of(data: bytes, name: str) -> str:
    """Bytes decoded as UTF-8 text (BOM dropped), or a :class:`RoadsError` naming the file."""
    return input_limits.utf8(data, name)
