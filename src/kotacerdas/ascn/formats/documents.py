"""What an uploaded file really is: a document or an image the knowledge base keeps, recognised by its bytes.

The file's own first bytes decide, not its name or the type the browser claims: PDF, the Office
Open XML and OpenDocument formats (ZIP archives with their marker entries), PNG, JPEG and WebP.
Anything else (an executable, a script, an archive that is not a document) is refused with the
reason.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from kotacerdas.ascn.errors import AscnError
from kotacerdas.core.i18n import N_

#: The largest document accepted (the platform's upload limit applies too, whichever is smaller).
MAX_DOCUMENT_MB = 20
ACCEPTED = "PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG, WebP"

OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}


def _zip_type(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if "mimetype" in names:
                with z.open("mimetype") as fh:  # 100 bytes at most: the member may claim gigabytes
                    declared = fh.read(100).decode("ascii", "replace").strip()
                return declared if declared in ODF else None
            if "[Content_Types].xml" in names:
                for prefix, media in OOXML.items():
                    if any(n.startswith(prefix) for n in names):
                        return media
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, NotImplementedError, RuntimeError):
        return None
    return None


def sniff(path: Path) -> str:
    """The media type of the document at ``path``, or an error saying it is not an accepted document."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        media = _zip_type(path)
        if media:
            return media
    raise AscnError(
        N_("This file is not a document of an accepted type ({types})"), field="file", types=ACCEPTED, status=415
    )


def sniff_bytes(data: bytes) -> str:
    """:func:`sniff` for bytes in memory (tests, small files)."""
    import tempfile

    with tempfile.NamedTemporaryFile() as tmp:
        tmp.write(data)
        tmp.flush()
        return sniff(Path(tmp.name))


def check_size(size: int) -> None:
    if size > MAX_DOCUMENT_MB * 1024 * 1024:
        raise AscnError(
            N_("A document may be at most {mb} MB; this one is {size} MB"),
            field="file",
            mb=MAX_DOCUMENT_MB,
            size=f"{size / 1024 / 1024:.1f}",
            status=413,
        )
    if size == 0:
        raise AscnError(N_("The file is empty"), field="file")


def extension(media_type: str) -> str:
    return {
        "application/pdf": ".pdf",
        "image/png": ".png",
        "image/jpeg": ".jpg",
        "image/webp": ".webp",
    }.get(media_type, ".docx" if "word" in media_type else ".xlsx" if "sheet" in media_type else ".bin")
