"""The one CSV writer of the platform's downloads: RFC 4180 (CRLF line ends, a header row, quoted as needed).

Values are written for programs, not people: booleans as ``true``/``false`` (not Python's
``True``), ``None`` as an empty field, numbers with a dot, dates and times in ISO 8601. UTF-8
with a byte-order mark when ``excel=True`` (spreadsheet programs then read the accents right).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

BOM = "\ufeff"


def cell(value: Any) -> Any:
    """A value as a CSV field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(str(cell(v)) for v in value)
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, excel: bool = False) -> str:
    """The rows under their header as CSV text (CRLF line ends)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return (BOM if excel else "") + buf.getvalue()
