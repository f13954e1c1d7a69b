"""CSV and XLSX sheets with a header row: reading them into numbered rows, and writing them.

Rows are numbered as a spreadsheet shows them (the header is row 1, the first data row is 2),
so an error message's row is the row an official sees in Excel. CSV is read as UTF-8 (with or
without a byte-order mark) with a comma or semicolon separator; XLSX is read from its first sheet.
Empty rows are skipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

from kotacerdas.core import limits
from kotacerdas.core.i18n import N_
from kotacerdas.lorong.errors import LorongError

XLSX_MAGIC = b"PK\x03\x04"


def read_sheet(data: bytes, filename: str = "") -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """The header (lower-cased, trimmed) and the ``(row number, {column: value})`` rows of a CSV or XLSX file."""
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LorongError(N_("The file is neither UTF-8 CSV nor XLSX"), field="file") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = list(limits.csv_rows(reader, "CSV"))
    if not rows:
        raise LorongError(N_("The file is empty"), field="file")
    header = [h.strip().lower() for h in rows[0]]
    out = []
    for n, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        out.append((n, {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header) if h}))
    return header, out


def _read_xlsx(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    limits.check_zip_bytes(data, "XLSX")  # a zip bomb is refused before openpyxl unpacks it
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a broken file
        raise LorongError(N_("The file is not a readable XLSX workbook"), field="file") from exc
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    try:
        header = [str(h or "").strip().lower() for h in next(it)]
    except StopIteration as exc:
        raise LorongError(N_("The file is empty"), field="file") from exc
    out = []
    for n, values in enumerate(it, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        row = {}
        for i, h in enumerate(header):
            if not h:
                continue
            v = values[i] if i < len(values) else None
            row[h] = "" if v is None else (v.strip() if isinstance(v, str) else v)
        out.append((n, row))
    wb.close()
    return header, out


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue().encode("utf-8")


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "data") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(header))
    for r in rows:
        ws.append(["" if v is None else v for v in r])
    ws.freeze_panes = "A2"
    for i, h in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(10, min(40, len(h) + 4))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
