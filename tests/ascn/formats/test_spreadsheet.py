"""Workbooks and CSV files are read with their row numbers; missing columns are named."""

import openpyxl
import pytest

from kotacerdas.ascn.errors import AscnError
from kotacerdas.ascn.formats import spreadsheet


def workbook(sheets: dict[str, list[list]]) -> bytes:
    import io

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_sheets_in_order_with_row_numbers_and_normalised_columns():
    data = workbook(
        {
            "Projects": [
                ["City", "Title", "Focus areas"],
                ["Makassar", "A", "civic_social"],
                [None, None, None],
                ["Makassar", "B", ""],
            ],
            "Partners": [["Name", "Kind"], ["Lab", "university"]],
            "Notes": [["anything"]],
        }
    )
    sheets, problems = spreadsheet.read(data, "x.xlsx")
    assert problems == [] and [s.kind for s in sheets] == ["partners", "projects"]
    assert [n for n, _ in sheets[1].rows] == [2, 4]
    assert sheets[1].rows[0][1]["focus_areas"] == "civic_social"


def test_missing_required_columns_are_named_and_csv_needs_its_kind():
    sheets, problems = spreadsheet.read(b"name;kind\nLab;university\n", "partners.csv")
    assert problems == [] and sheets[0].rows[0] == (2, {"name": "Lab", "kind": "university"})
    _, problems = spreadsheet.read(b"title\nX\n", "projects.csv")
    assert problems[0]["row"] == 1 and problems[0]["column"] == "city"
    with pytest.raises(AscnError):
        spreadsheet.read(b"a,b\n1,2\n", "data.csv")
    with pytest.raises(AscnError):
        spreadsheet.read(b"not a workbook", "x.xlsx")
    with pytest.raises(AscnError):
        spreadsheet.read(b"", "x.pdf")
