"""Reporting periods."""

from datetime import date

import pytest

from kotacerdas.lorong import periods
from kotacerdas.lorong.errors import LorongError


def test_parse_keys_and_navigation():
    m = periods.parse("2025-12")
    assert m.key == "2025-12" and m.end == date(2025, 12, 31) and m.next().key == "2026-01"
    assert m.previous().key == "2025-11"
    q = periods.parse("2025-Q1")
    assert q.start == date(2025, 1, 1) and q.end == date(2025, 3, 31) and q.next().key == "2025-Q2"
    assert periods.parse("2024").end == date(2024, 12, 31)


def test_due_dates_and_closing():
    m = periods.parse("2025-03", "month")
    assert m.due(10) == date(2025, 4, 10)
    assert m.closes("quarter") and not periods.parse("2025-02").closes("quarter")
    assert periods.parse("2025-12").closes("year")


@pytest.mark.parametrize("bad", ["2025-13", "25-01", "2025-Q5", "", "april"])
def test_bad_keys_are_refused(bad):
    with pytest.raises(LorongError, match="is not a period"):
        periods.parse(bad)


def test_kind_must_match_the_programme():
    with pytest.raises(LorongError, match="per quarter") as exc:
        periods.parse("2025-04", "quarter")
    assert exc.value.render("id").endswith("yang melapor per triwulan")


def test_last_and_containing():
    assert [p.key for p in periods.last(3, "month", periods.parse("2025-02"))] == ["2024-12", "2025-01", "2025-02"]
    assert periods.containing(date(2025, 8, 19), "quarter").key == "2025-Q3"
