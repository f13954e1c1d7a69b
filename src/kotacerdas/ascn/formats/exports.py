"""Open exports of the registry: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read ASEAN scripts
right) and JSON, of public fields only (the records of :mod:`kotacerdas.ascn.store.records`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

DATASETS = ("cities", "projects", "partners", "programmes", "partnerships", "indicators", "practices")


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> bytes:
    """Rows as CSV; lists are joined with ``;``."""
    columns = list(columns or (rows[0].keys() if rows else []))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: _cell(r.get(k)) for k in columns})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(rows: Sequence[dict[str, Any]], dataset: str, licence: str = "CC BY 4.0") -> bytes:
    """Rows as a JSON document that says what it holds."""
    body = {"dataset": dataset, "licence": licence, "count": len(rows), "items": list(rows)}
    return json.dumps(body, ensure_ascii=False, indent=1, default=str).encode("utf-8")
