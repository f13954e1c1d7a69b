"""CSV and XLSX sheets with a header row: reading them into numbered rows, and writing them.

Rows are numbered as a spreadsheet shows them (the header is row 1, the first data row is 2),
so an error message's row is the row an official sees in Excel. CSV is read as UTF-8 (with or
without a byte-order mark) with a comma or semicolon separator; XLSX is read from its first sheet.
Empty rows are skipped.

Cells are read as officials type them in Indonesia (:func:`cell_number`, :func:`cell_rupiah`,
:func:`cell_bool`, :func:`cell_day`): a decimal comma (``3,5``), dots grouping thousands in rupiah
(``Rp15.000``), ``ya``/``tidak``, and the date or datetime an XLSX cell holds. A cell they cannot read
is refused with its value, never stored changed.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook

from kotacerdas.core import limits
from kotacerdas.core.i18n import N_
from kotacerdas.lorong.errors import LorongError

XLSX_MAGIC = b"PK\x03\x04"
TRUE = frozenset({"1", "true", "yes", "y", "ya", "benar"})
FALSE = frozenset({"0", "false", "no", "n", "tidak", "salah"})
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")  # 15.000 or 1.250.000 (or 15,000 written the English way)
_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")


def cell_bool(value: Any, *, field: str, default: bool) -> bool:
    """``1``/``0``, ``ya``/``tidak``, ``true``/``false`` (an empty cell: ``default``); anything else is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise LorongError(N_("{value} is neither yes (1, ya) nor no (0, tidak)"), field=field, value=value)


def cell_number(value: Any, *, field: str) -> float:
    """A number from a cell: ``3.5`` or ``3,5`` (a decimal comma), ``1.234,5``; a number cell as it is."""
    if isinstance(value, bool):
        raise LorongError(N_("{value} is not a number"), field=field, value=value)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value if value is not None else "").strip().replace(" ", "").replace("\u00a0", "")
        if "," in text and "." in text:  # the later sign is the decimal one: 1.234,5 or 1,234.5
            comma_last = text.rfind(",") > text.rfind(".")
            text = text.replace(".", "").replace(",", ".") if comma_last else text.replace(",", "")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        elif text.count(".") > 1 and _GROUPED.match(text):  # 1.234.567: dots grouping thousands
            text = text.replace(".", "")
        try:
            number = float(text)
        except ValueError as exc:
            raise LorongError(N_("{value} is not a number"), field=field, value=value) from exc
    if not math.isfinite(number):
        raise LorongError(N_("{value} is not a number"), field=field, value=value)
    return number


def cell_rupiah(value: Any, *, field: str) -> int | None:
    """Whole rupiah from a cell: ``15000``, ``15.000``, ``Rp15.000``, ``Rp 5.000,-``, ``5000,00`` (empty: None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise LorongError(N_("{value} is not an amount of rupiah"), field=field, value=value)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = re.sub(r"(?i)^rp\.?", "", str(value).strip().replace(" ", "").replace("\u00a0", ""))
        text = re.sub(r"[,.]-$", "", text)  # Rp5.000,-
        text = re.sub(r",0{1,2}$", "", text)  # 5.000,00
        if _GROUPED.match(text):
            text = text.replace(".", "").replace(",", "")
        elif not text.isdigit():
            raise LorongError(N_("{value} is not an amount of rupiah"), field=field, value=value)
        number = float(text)
    if not math.isfinite(number) or number < 0 or number != int(number):
        raise LorongError(N_("{value} is not an amount of rupiah"), field=field, value=value)
    return int(number)


def cell_day(value: Any) -> date | None:
    """The day of a date cell: an XLSX date or datetime, or text ``2026-09-01`` (``2026-09-01 00:00:00``)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _ISO_DAY.match(str(value or "").strip())
    if m is None:
        return None
    try:
        return date.fromisoformat(m[1])
    except ValueError:
        return None


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
