"""Limits on what an uploaded file may make the server allocate: zip archives, JSON documents, text, CSV fields.

Every reader of the platform opens what it is sent through these, so a small file cannot claim a large amount
of memory or time: a zip archive's members are counted and their declared sizes and compression ratios
checked before anything is unpacked (a zip bomb is refused from its directory alone; Python's ``zipfile`` then
never unpacks more than a member declares); JSON is parsed with its nesting bounded (a document of 100,000
nested arrays is refused, not a crash); text must be UTF-8; a CSV field may not be longer than
:data:`MAX_CSV_FIELD`. Each refusal is a :class:`~kotacerdas.core.errors.KotacerdasError` (400) naming the
file or member and the reason.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_

#: Members an archive may hold.
MAX_MEMBERS = 2000
#: What all members of an archive may unpack to, together.
MAX_UNPACKED = 512 << 20
#: What an archive on disk may unpack to, as a multiple of its own size, when that is more than MAX_UNPACKED.
STORED_RATIO = 4
#: Largest compression ratio of a member bigger than :data:`RATIO_FROM` (text compresses 5-20 times; bombs 1000).
MAX_RATIO = 150
RATIO_FROM = 1 << 20
#: Longest CSV field (the csv module's own default is 128 KiB and fails with an error of its own).
MAX_CSV_FIELD = 1 << 20
#: Deepest JSON nesting (GeoJSON needs 5 or 6 levels).
MAX_JSON_DEPTH = 64


class LimitError(KotacerdasError):
    """A file that would take more memory or time to read than the platform allows."""


def check_zip(archive: zipfile.ZipFile, label: str, *, max_unpacked: int = MAX_UNPACKED) -> None:
    """Refuse an archive with too many members, too much unpacked data or a member compressed like a bomb."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise LimitError(
            N_("{file} holds {n} files; an archive may hold at most {max}"),
            field="file",
            record=label,
            file=label,
            n=len(infos),
            max=MAX_MEMBERS,
        )
    total = 0
    for info in infos:
        total += info.file_size
        if total > max_unpacked:
            raise LimitError(
                N_("{file} unpacks to more than {mb} MB; that is more than the platform reads"),
                field="file",
                record=f"{label}:{info.filename}",
                file=label,
                mb=max_unpacked >> 20,
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise LimitError(
                N_("{member} in {file} is compressed {ratio} times; a real file is not (a zip bomb?)"),
                field="file",
                record=f"{label}:{info.filename}",
                member=info.filename,
                file=label,
                ratio=int(ratio),
            )


def open_zip(source: str | Path | IO[bytes], label: str, *, max_unpacked: int = MAX_UNPACKED) -> zipfile.ZipFile:
    """A checked zip archive (:func:`check_zip`), or a 400 naming the file when it is not one.

    An archive on disk may unpack to :data:`MAX_UNPACKED` or to :data:`STORED_RATIO` times its own size, whichever
    is more (a survey package carrying a long video compresses hardly at all and is not a bomb).
    """
    if isinstance(source, str | Path) and Path(source).is_file():
        max_unpacked = max(max_unpacked, STORED_RATIO * Path(source).stat().st_size)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise LimitError(
            N_("{file} is not a readable zip archive: {reason}"), field="file", file=label, reason=str(exc)[:200]
        ) from None
    try:
        check_zip(archive, label, max_unpacked=max_unpacked)
    except LimitError:
        archive.close()
        raise
    return archive


def check_zip_bytes(data: bytes, label: str) -> None:
    """:func:`check_zip` for an archive in memory that a library will open next (openpyxl); bytes that are no
    zip archive are left for that library to refuse in its own words."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    with archive:
        check_zip(archive, label)


def utf8(data: bytes, label: str) -> str:
    """``data`` as UTF-8 text (a byte-order mark dropped), or a 400 naming the file and the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LimitError(
            N_("{file} is not UTF-8 text (byte {pos})"), field="file", record=label, file=label, pos=exc.start
        ) from None


def load_json(data: bytes | str, label: str) -> Any:
    """Parse JSON text with its nesting bounded; a 400 naming the file and line for anything else."""
    text = utf8(data, label) if isinstance(data, bytes) else data
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LimitError(
            N_("{file} is not valid JSON (line {line}): {reason}"),
            field="file",
            record=f"{label}:{exc.lineno}",
            file=label,
            line=exc.lineno,
            reason=exc.msg,
        ) from None
    except RecursionError:
        value = None
        deep = True
    else:
        deep = _deeper_than(value, MAX_JSON_DEPTH)
    if deep:
        raise LimitError(
            N_("{file} nests deeper than {max} levels"), field="file", record=label, file=label, max=MAX_JSON_DEPTH
        )
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def csv_field_limit() -> None:
    """Let the csv module read fields up to :data:`MAX_CSV_FIELD` (a longer one is its ``csv.Error``)."""
    if csv.field_size_limit() != MAX_CSV_FIELD:
        csv.field_size_limit(MAX_CSV_FIELD)


def csv_rows(reader: Iterable[Any], label: str, *, first_line: int = 1) -> Iterator[Any]:
    """The rows of a ``csv.reader`` or ``csv.DictReader``; a field too long or a broken row is a 400 naming the line.

    ``first_line`` is the file line of the reader's first line (when it reads from the middle of a file).
    """
    csv_field_limit()
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            line = int(getattr(reader, "line_num", 0)) + first_line - 1
            raise LimitError(
                N_("{file} line {line} cannot be read as CSV: {reason}"),
                field="file",
                record=f"{label}:{line}",
                file=label,
                line=line,
                reason=str(exc)[:200],
            ) from None
        yield row


def csv_header(reader: csv.DictReader, label: str) -> list[str]:
    """The field names of a ``csv.DictReader`` (reading its header line under the same limits as :func:`csv_rows`)."""
    csv_field_limit()
    try:
        return list(reader.fieldnames or [])
    except csv.Error as exc:
        raise LimitError(
            N_("{file} line {line} cannot be read as CSV: {reason}"),
            field="file",
            record=f"{label}:1",
            file=label,
            line=1,
            reason=str(exc)[:200],
        ) from None


def check_count(n: int, most: int, what: str, label: str, *, record: Any = None) -> None:
    """Refuse a declared or counted number of ``what`` (channels, samples, rows) outside ``1 .. most``."""
    if not 1 <= n <= most:
        raise LimitError(
            N_("{file} declares {n} {what}; between 1 and {max} can be read"),
            field=what,
            record=record if record is not None else label,
            file=label,
            n=n,
            what=what,
            max=most,
        )


def finite(
    value: float, what: str, label: str, *, record: Any = None, low: float = -math.inf, high: float = math.inf
) -> float:
    """``value`` when it is a finite number within ``low .. high``; a 400 naming ``what`` and the record otherwise."""
    if not (math.isfinite(value) and low <= value <= high):
        raise LimitError(
            N_("{what} {value} is not a finite number between {low} and {high}"),
            field=what,
            record=record if record is not None else label,
            what=what,
            value=f"{value:g}",
            low=low,
            high=high,
        )
    return value
