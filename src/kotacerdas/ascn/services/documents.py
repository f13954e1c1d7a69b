"""Documents and images attached to projects and practices: checked (size, real type), stored under the data
directory by checksum, recorded, and served back."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.ascn.formats.documents import check_size, sniff
from kotacerdas.ascn.store.tables import AscnDocument
from kotacerdas.core.errors import NotFound
from kotacerdas.core.i18n import N_
from kotacerdas.core.orphans import KeptUploads


def folder(data_dir: Path) -> Path:
    return Path(data_dir) / "ascn" / "documents"


def kept_uploads(session: Session, data_dir: Path) -> KeptUploads:
    """The stored documents and those a row references (a copy whose record never committed is an orphan)."""
    referenced = frozenset(Path(data_dir) / p for p in session.scalars(select(AscnDocument.path)))
    return KeptUploads(folder(data_dir), referenced)


def store(
    session: Session,
    data_dir: Path,
    source: Path,
    *,
    filename: str,
    size: int,
    sha256: str,
    title: str,
    user_id: int | None,
    project_id: int | None = None,
    practice_id: int | None = None,
) -> AscnDocument:
    """Check the file at ``source`` and keep a copy; the record is written in the caller's transaction."""
    check_size(size)
    media = sniff(source)
    target = folder(data_dir) / sha256[:2] / f"{sha256}-{filename}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        shutil.copyfile(source, target)
    row = AscnDocument(
        project_id=project_id,
        practice_id=practice_id,
        title=(title or filename).strip()[:300],
        filename=filename,
        media_type=media,
        size=size,
        sha256=sha256,
        path=str(target.relative_to(Path(data_dir))),
        user_id=user_id,
    )
    session.add(row)
    session.flush()
    return row


def get(session: Session, document_id: int) -> AscnDocument:
    row = session.get(AscnDocument, document_id)
    if row is None:
        raise NotFound(N_("No document with id {id}"), id=document_id)
    return row
