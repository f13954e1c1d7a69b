"""CSV and XLSX sheets: row numbers as Excel shows them, both separators, a round trip through openpyxl."""

from datetime import date, datetime

import pytest

from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.formats.sheets import (
    cell_bool,
    cell_day,
    cell_number,
    cell_rupiah,
    read_sheet,
    write_csv,
    write_xlsx,
)


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


@pytest.mark.parametrize(
    ("cell", "rupiah"),
    [
        ("15.000", 15000),
        ("Rp5000", 5000),
        ("Rp 15.000,-", 15000),
        ("5.000,00", 5000),
        ("1.250.000", 1250000),
        (12000, 12000),
        (12000.0, 12000),
        ("", None),
    ],
)
def test_rupiah_cells(cell, rupiah):
    assert cell_rupiah(cell, field="price") == rupiah


@pytest.mark.parametrize("cell", ["murah", "15,5", "-5000", "Rp", True, 12.5])
def test_unreadable_rupiah_is_refused(cell):
    with pytest.raises(LorongError, match="not an amount of rupiah"):
        cell_rupiah(cell, field="price")


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("3,5", 3.5),
        ("3.5", 3.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234.567", 1234567),
        (" 12 ", 12.0),
        (4, 4.0),
    ],
)
def test_number_cells_take_a_decimal_comma(cell, number):
    assert cell_number(cell, field="value") == number


@pytest.mark.parametrize("cell", ["banyak", "3,5,1", "nan", "inf", False])
def test_unreadable_numbers_are_refused(cell):
    with pytest.raises(LorongError, match="not a number"):
        cell_number(cell, field="value")


def test_yes_no_cells():
    assert [cell_bool(v, field="f", default=False) for v in ("ya", "Tidak", "1", 0, True, "", None)] == [
        True,
        False,
        True,
        False,
        True,
        False,
        False,
    ]
    with pytest.raises(LorongError, match="maybe is neither yes"):
        cell_bool("maybe", field="published", default=True)


def test_date_cells():
    assert cell_day(datetime(2026, 9, 1)) == date(2026, 9, 1) == cell_day("2026-09-01 00:00:00")
    assert cell_day(date(2026, 9, 1)) == date(2026, 9, 1) == cell_day("2026-09-01")
    assert cell_day("2026-09") is None and cell_day("2026-13-01") is None and cell_day("2026-09-01 13:30:00") is None
