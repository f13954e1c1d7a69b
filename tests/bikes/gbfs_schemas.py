"""The official MobilityData GBFS JSON Schemas (v3.0 and v2.3, from ``../shared/standards/gbfs``) as validators,
with RFC 3339 date-time and URI format checks."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

checker = FormatChecker()


@checker.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        raise ValueError(value)
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@checker.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and " " not in value and (parts.scheme not in ("http", "https") or bool(parts.netloc))


def validators(folder: Path) -> dict[str, dict[str, Draft7Validator]]:
    """``{"v3.0": {"station_status": validator, ...}, "v2.3": {...}}`` from the schema files in ``folder``."""
    out: dict[str, dict[str, Draft7Validator]] = {}
    for version in ("v3.0", "v2.3"):
        raw = {p.stem: json.loads(p.read_text()) for p in sorted((folder / version).glob("*.json"))}
        registry = Registry().with_resources(
            [(f"{name}.json", Resource.from_contents(s)) for name, s in raw.items()]
            + [(s["$id"], Resource.from_contents(s)) for s in raw.values() if "$id" in s]
        )
        out[version] = {name: Draft7Validator(s, registry=registry, format_checker=checker) for name, s in raw.items()}
    return out


def schema_errors(validator: Draft7Validator, doc: dict) -> list[str]:
    """Every place where ``doc`` breaks the schema, as ``path: message``."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
