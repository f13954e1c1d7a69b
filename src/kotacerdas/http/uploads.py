"""The one upload helper: a size limit checked before and while reading, a temporary file, a checksum.

:func:`received` streams an upload into a temporary file in 1 MiB blocks, computing its
SHA-256 on the way, and stops (413) as soon as the configured limit
(``KOTACERDAS_MAX_UPLOAD_MB``) is passed, so a large body is never held in memory. The file is
removed when the ``with`` block ends, or kept for a background job with :meth:`Received.keep`.
:func:`read_upload` gives the bytes of a small upload (the same limit applies).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request, UploadFile

from kotacerdas.core.config import get_settings
from kotacerdas.core.errors import PayloadTooLarge
from kotacerdas.core.i18n import N_

CHUNK = 1 << 20


def _limit(request: Request | None) -> tuple[int, float]:
    settings = request.app.state.settings if request is not None else get_settings()
    return settings.max_upload_bytes, settings.max_upload_mb


def _too_large(mb: float) -> PayloadTooLarge:
    return PayloadTooLarge(N_("The file is larger than the limit of {mb} MB"), field="file", mb=mb)


def safe_name(filename: str | None, default: str = "upload") -> str:
    """The last part of an uploaded file's name, without any folder (``../../x.zip`` -> ``x.zip``)."""
    name = Path((filename or "").replace("\\", "/")).name.strip()
    if name in (".", "..") or "\x00" in name:
        name = ""
    return name[:200] or default


@dataclass
class Received:
    """An upload stored in a temporary file: where, its original name, size and SHA-256."""

    path: Path
    filename: str
    size: int
    sha256: str
    _kept: bool = False

    def keep(self, folder: Path) -> Path:
        """Move the file into ``folder`` (for a background job) and keep it after the ``with`` block."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{self.sha256[:16]}-{self.filename}"
        shutil.move(str(self.path), target)
        self.path, self._kept = target, True
        return target

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


@asynccontextmanager
async def received(upload: UploadFile, request: Request | None = None) -> AsyncIterator[Received]:
    """Stream ``upload`` into a temporary file (limit, checksum); the file goes when the block ends."""
    limit, mb = _limit(request)
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise _too_large(mb)
    name = safe_name(upload.filename)
    # the file keeps the user's own name inside a private folder of its own, so that an error which names
    # the file (an importer says "empty.osm has no roads") names the one the user sent
    folder = Path(tempfile.mkdtemp(prefix="kc-upload-"))
    path = folder / name
    digest = hashlib.sha256()
    size = 0
    got: Received | None = None
    try:
        with open(path, "xb") as out:
            while block := await upload.read(CHUNK):
                size += len(block)
                if size > limit:
                    raise _too_large(mb)
                digest.update(block)
                out.write(block)
        got = Received(path=path, filename=name, size=size, sha256=digest.hexdigest())
        yield got
    finally:
        if got is None or not got._kept:
            path.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)


async def read_upload(upload: UploadFile, request: Request | None = None) -> bytes:
    """The bytes of a small upload, refused past the configured size without reading it all."""
    limit, mb = _limit(request)
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(mb)
    return data
