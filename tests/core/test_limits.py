"""Input limits: zip archives checked from their directory, JSON depth, UTF-8, CSV fields, counts and numbers."""

from __future__ import annotations

import csv
import io
import math

import pytest

from kotacerdas.core import limits
from kotacerdas.core.limits import LimitError
from tests import malformed


def test_a_zip_bomb_is_refused_from_its_directory_alone():
    with pytest.raises(LimitError, match="compressed") as err:
        limits.open_zip(io.BytesIO(malformed.zip_bomb()), "bomb.zip")
    assert err.value.record == "bomb.zip:data.csv" and err.value.status == 400
    with pytest.raises(LimitError, match="at most 2000"):
        limits.open_zip(io.BytesIO(malformed.many_members()), "many.zip")
    with pytest.raises(LimitError, match="not a readable zip"):
        limits.open_zip(io.BytesIO(b"PK\x03\x04 cut"), "cut.zip")
    ok = limits.open_zip(io.BytesIO(malformed.zip_of({"a.csv": b"x,y\n" * 1000})), "ok.zip")
    assert ok.read("a.csv").count(b"\n") == 1000


def test_json_depth_text_and_csv_fields_are_bounded():
    with pytest.raises(LimitError, match="deeper than 64"):
        limits.load_json(malformed.deep_json(), "deep.json")
    assert limits.load_json(b'{"a": [[1]]}', "ok.json") == {"a": [[1]]}
    with pytest.raises(LimitError, match="line 2"):
        limits.load_json(b'{\n"a": }', "bad.json")
    with pytest.raises(LimitError, match="byte 0"):
        limits.utf8(b"\xff\xfe", "latin1.csv")
    assert limits.utf8("\ufeffcafé".encode(), "x") == "café"
    long = "a," + "x" * (limits.MAX_CSV_FIELD + 10) + "\n"
    with pytest.raises(LimitError, match="cannot be read as CSV") as err:
        list(limits.csv_rows(csv.reader(io.StringIO("h,i\n" + long)), "long.csv"))
    assert err.value.record == "long.csv:2"


def test_counts_and_numbers_outside_their_range_are_refused():
    limits.check_count(4, 16, "channels", "x.erd")
    for n in (0, -2, 10**9):
        with pytest.raises(LimitError, match="channels"):
            limits.check_count(n, 16, "channels", "x.erd")
    assert limits.finite(3.0, "iri", "ref", low=0, high=50) == 3.0
    for bad in (math.nan, math.inf, -1.0, 1e308):
        with pytest.raises(LimitError, match="iri"):
            limits.finite(bad, "iri", "ref", low=0, high=50)


def test_a_large_archive_that_hardly_compresses_is_no_bomb(tmp_path, monkeypatch):
    """A survey package carrying a long video unpacks to about its own size: more than MAX_UNPACKED is fine then."""
    import zipfile

    monkeypatch.setattr(limits, "MAX_UNPACKED", 1 << 20)
    path = tmp_path / "video.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("drive.mp4", bytes(range(256)) * (12 << 10))  # 3 MiB stored
    limits.open_zip(path, "video.zip", max_unpacked=limits.MAX_UNPACKED).close()
    with pytest.raises(LimitError, match="unpacks to more than"):
        limits.open_zip(io.BytesIO(path.read_bytes()), "video.zip", max_unpacked=limits.MAX_UNPACKED)
