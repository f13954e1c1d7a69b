"""The one record of imported files: a file's SHA-256 per city and kind makes every importer idempotent.

Every importer (admin areas, the road network, surveys, stations, trips, and the importers of
later domains) asks :func:`find_import` before it reads a file and calls :func:`record_import`
in the same transaction as the rows it writes: the same file twice changes nothing the second
time, and a failed import leaves no record (the transaction rolls back with its rows).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.models import ImportBatch

CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def keyed(digest: str, options: tuple[Any, ...] | list[Any] | None) -> str:
    """The import key of a file read with options (a bounding box ...): the same file with other options is
    another import; without options the key is the file's own checksum."""
    if options is None:
        return digest
    return hashlib.sha256((digest + repr(tuple(options))).encode()).hexdigest()


def find_import(session: Session, city_id: int, kind: str, sha256: str) -> ImportBatch | None:
    """The earlier import of this file (by checksum) of this kind in this city, or ``None``."""
    return session.scalar(
        select(ImportBatch).where(
            ImportBatch.city_id == city_id, ImportBatch.kind == kind, ImportBatch.sha256 == sha256
        )
    )


def record_import(
    session: Session,
    city_id: int,
    kind: str,
    sha256: str,
    *,
    filename: str = "",
    summary: dict[str, Any] | None = None,
    user_id: int | None = None,
    note: str = "",
) -> ImportBatch:
    """Record that the file was imported (in the caller's transaction)."""
    batch = ImportBatch(
        city_id=city_id,
        user_id=user_id,
        kind=kind,
        filename=(filename or "")[:300],
        sha256=sha256,
        summary=summary or {},
        note=note,
    )
    session.add(batch)
    session.flush()
    return batch
