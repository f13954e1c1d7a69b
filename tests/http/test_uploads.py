"""Uploads are streamed into a private temporary folder under the user's own file name, never anywhere else."""

from __future__ import annotations

import asyncio
import io
import threading

import pytest
from starlette.datastructures import UploadFile

from kotacerdas.http.uploads import received, safe_name


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("jalan.osm", "jalan.osm"),
        ("../../etc/passwd", "passwd"),
        ("C:\\\\data\\\\drive.zip", "drive.zip"),
        ("..", "upload"),
        (".", "upload"),
        ("", "upload"),
        (None, "upload"),
    ],
)
def test_a_file_name_keeps_only_its_last_part(given, kept):
    assert safe_name(given) == kept


def test_an_upload_keeps_the_user_s_name_so_errors_name_that_file():
    async def go() -> tuple[str, bool, bool]:
        upload = UploadFile(io.BytesIO(b"<osm/>"), filename="kosong.osm")
        async with received(upload) as got:
            name, inside = got.path.name, got.path.is_file()
            where = got.path
        return name, inside, where.exists() or where.parent.exists()

    out: list = []  # in a thread of its own: the test session may already run an event loop here
    worker = threading.Thread(target=lambda: out.append(asyncio.run(go())))
    worker.start()
    worker.join(30)
    name, inside, left = out[0]
    assert name == "kosong.osm" and inside and not left  # the file and its folder are gone afterwards
