"""Documents are recognised by their bytes; anything else, or an empty or too large file, is refused."""

import io
import zipfile

import pytest

from kotacerdas.ascn.errors import AscnError
from kotacerdas.ascn.formats import documents


def office(kind: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{kind}/document.xml", "<x/>")
    return out.getvalue()


def test_real_types_are_recognised():
    assert documents.sniff_bytes(b"%PDF-1.7\n...") == "application/pdf"
    assert documents.sniff_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 8) == "image/png"
    assert documents.sniff_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 8) == "image/jpeg"
    assert documents.sniff_bytes(office("word")).endswith("wordprocessingml.document")
    assert documents.sniff_bytes(office("xl")).endswith("spreadsheetml.sheet")


def test_other_files_are_refused_whatever_their_name():
    for data in (b"MZ\x90\x00 executable", b"#!/bin/sh\nrm -rf /", b"PK\x03\x04 not really a zip"):
        with pytest.raises(AscnError) as err:
            documents.sniff_bytes(data)
        assert err.value.status == 415 and "PDF" in err.value.render("en")


def test_size_limits():
    with pytest.raises(AscnError) as err:
        documents.check_size(documents.MAX_DOCUMENT_MB * 1024 * 1024 + 1)
    assert err.value.status == 413
    with pytest.raises(AscnError):
        documents.check_size(0)
    documents.check_size(1024)
