"""CSV and XLSX sheets: row numbers as Excel shows them, both separators, a round trip through openpyxl."""

import pytest

from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.formats.sheets import read_sheet, write_csv, write_xlsx


def test_csv_with_semicolons_bom_and_blank_rows():
    data = "\ufeffCode;Name\nA;Satu\n\n;\nB;Dua\n".encode()
    header, rows = read_sheet(data)
    assert header == ["code", "name"]
    assert rows == [(2, {"code": "A", "name": "Satu"}), (5, {"code": "B", "name": "Dua"})]


def test_xlsx_round_trip():
    data = write_xlsx(["code", "value"], [["A", 1.5], ["B", None]], "values")
    header, rows = read_sheet(data, "x.xlsx")
    assert header == ["code", "value"] and rows == [(2, {"code": "A", "value": 1.5}), (3, {"code": "B", "value": ""})]
    assert read_sheet(write_csv(["code"], [["x"]]))[1] == [(2, {"code": "x"})]


def test_unreadable_files():
    with pytest.raises(LorongError, match="not a readable XLSX"):
        read_sheet(b"PK\x03\x04garbage")
    with pytest.raises(LorongError, match="neither UTF-8"):
        read_sheet(b"\xff\xfe\x00bad")
    with pytest.raises(LorongError, match="empty"):
        read_sheet(b"")
