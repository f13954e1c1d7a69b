"""File downloads: CSV and GeoJSON answered as attachments with a file name the browser keeps."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.responses import Response

from kotacerdas.http.schemas import GEOJSON

CSV = "text/csv; charset=utf-8"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def filename(*parts: str, ext: str) -> str:
    """A safe file name from its parts (``segments-35.10.csv``)."""
    stem = "-".join(_UNSAFE.sub("-", p).strip("-") for p in parts if p)
    return f"{stem or 'download'}.{ext.lstrip('.')}"


def attachment(name: str) -> dict[str, str]:
    """The ``Content-Disposition`` header of a download named ``name``."""
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def csv_response(text: str, name: str) -> Response:
    """CSV text as a download."""
    return Response(text.encode("utf-8"), media_type=CSV, headers=attachment(name))


def geojson_response(collection: dict[str, Any], name: str) -> Response:
    """A GeoJSON FeatureCollection as a download (``application/geo+json``)."""
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, media_type=GEOJSON, headers=attachment(name))
