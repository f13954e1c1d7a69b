"""Spreadsheets in: an Excel workbook (``.xlsx``, one sheet per kind of record) or a CSV file (one kind), read
into rows that remember where they came from (sheet, row number) so every error can name its cell.

Column names are matched without regard to case, spaces or dashes (``Focus areas`` is
``focus_areas``). Row numbers are the spreadsheet's own: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kotacerdas.ascn.errors import AscnError
from kotacerdas.core import limits
from kotacerdas.core.i18n import N_

#: The sheets an import reads, in the order they are applied, with their columns (required ones first).
SHEETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "partners": (
        ("name",),
        ("kind", "country", "website", "offers", "focus_areas", "description", "aliases", "source"),
    ),
    "projects": (
        ("city", "title"),
        (
            "summary", "local_lang", "local_title", "local_summary", "focus_areas", "status", "start_date", "end_date",
            "budget", "currency", "funding_sources", "lead_agency", "sdg_targets", "lon", "lat", "source", "source_url",
        ),
    ),
    "partnerships": (
        ("partner", "city", "type"),
        ("project", "programme", "status", "agreement", "start_date", "end_date", "source"),
    ),
}  # fmt: skip
MAX_ROWS = 20000


def column_key(name: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name or "").strip().lower()).strip("_")


@dataclass
class Sheet:
    """One sheet: its kind, the columns found, and each data row with its spreadsheet row number."""

    kind: str
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _sheet(kind: str, header: list[Any], rows, problems: list[dict]) -> Sheet:
    columns = [column_key(h) for h in header]
    required, optional = SHEETS[kind]
    for name in required:
        if name not in columns:
            problems.append(
                {
                    "sheet": kind,
                    "row": 1,
                    "column": name,
                    "error": AscnError(N_("Missing required column {column}"), column=name),
                }
            )
    sheet = Sheet(kind, columns)
    known = set(required) | set(optional)
    for number, values in rows:
        record = {c: _cell(v) for c, v in zip(columns, values, strict=False) if c in known}
        if any(v not in (None, "") for v in record.values()):
            sheet.rows.append((number, record))
        if len(sheet.rows) > MAX_ROWS:
            raise AscnError(N_("A sheet may have at most {n} rows"), field=kind, n=MAX_ROWS)
    return sheet


def read(data: bytes, filename: str, kind: str | None = None) -> tuple[list[Sheet], list[dict]]:
    """The sheets of a workbook or a CSV file, and the problems of their headers (missing columns).

    A CSV file holds one kind of record: ``kind``, or the file's name (``partners.csv``).
    """
    problems: list[dict] = []
    name = filename.lower()
    if name.endswith(".csv"):
        kind = kind or next((k for k in SHEETS if k in name), None)
        if kind not in SHEETS:
            raise AscnError(
                N_("Say which records this CSV file holds: one of {kinds}"), field="kind", kinds=", ".join(SHEETS)
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise AscnError(N_("The CSV file is not UTF-8 text"), field="file") from exc
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:  # one column, or nothing to tell by: commas
            dialect = csv.excel
        table = list(limits.csv_rows(csv.reader(io.StringIO(text), dialect), filename or "CSV"))
        if not table:
            raise AscnError(N_("The file is empty"), field="file")
        return [_sheet(kind, table[0], ((i, r) for i, r in enumerate(table[1:], start=2)), problems)], problems
    if name.endswith((".xlsx", ".xlsm")):
        import openpyxl

        limits.check_zip_bytes(data, filename or "XLSX")  # a zip bomb is refused before openpyxl
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
            raise AscnError(
                N_("The file is not an Excel workbook (.xlsx): {reason}"), field="file", reason=str(exc)
            ) from exc
        sheets = []
        for ws in book.worksheets:
            sheet_kind = column_key(ws.title)
            if sheet_kind not in SHEETS:
                continue
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            sheets.append(
                _sheet(sheet_kind, list(header), ((i, list(r)) for i, r in enumerate(rows, start=2)), problems)
            )
        book.close()
        if not sheets:
            raise AscnError(N_("The workbook has none of the sheets {kinds}"), field="file", kinds=", ".join(SHEETS))
        sheets.sort(key=lambda s: list(SHEETS).index(s.kind))
        return sheets, problems
    raise AscnError(N_("Import a .xlsx workbook or a .csv file"), field="file")


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
