"""OSM opening_hours: the common syntax per weekday, public holidays, nights, and errors naming the part."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.opening_hours import parse_opening_hours


@pytest.mark.parametrize(
    ("value", "monday", "saturday"),
    [
        ("Mo-Fr 08:00-16:00", ((480, 960),), ()),
        ("Tu-Su 08:00-17:00; Mo off", (), ((480, 1020),)),
        ("Sa,Su 07:00-12:00,13:00-17:00", (), ((420, 720), (780, 1020))),
        ("Mo-Fr 08:00-12:00, Sa 08:00-11:00", ((480, 720),), ((480, 660),)),
        ("sunrise-sunset", ((360, 1080),), ((360, 1080),)),
        ("24/7", ((0, 1440),), ((0, 1440),)),
        (None, ((0, 1440),), ((0, 1440),)),
        ("Fr-Mo 10:00-14:00", ((600, 840),), ((600, 840),)),
    ],
)
def test_weekday_windows(value, monday, saturday):
    oh = parse_opening_hours(value)
    assert oh.windows(date(2025, 6, 9)) == monday  # a Monday
    assert oh.windows(date(2025, 6, 14)) == saturday


def test_holidays_and_nights():
    oh = parse_opening_hours("Mo-Su 08:00-16:00; PH off")
    assert oh.windows(date(2025, 8, 17)) == ()  # Independence Day
    assert oh.windows(date(2025, 8, 18)) == ((480, 960),)
    night = parse_opening_hours("18:00-02:00")
    assert night.is_open(datetime(2025, 6, 9, 23, 30)) and night.is_open(datetime(2025, 6, 9, 1, 0))
    assert not night.is_open(datetime(2025, 6, 9, 12, 0))


@pytest.mark.parametrize(
    "bad",
    ["Jan-Mar 08:00-12:00", "Mo 8-12", "Xx 08:00-10:00", "Mo 25:00-26:00", "Mo 10:00-10:00", "Feb 30 off", "Jan 08:00"],
)
def test_unreadable_values_name_the_part(bad):
    with pytest.raises(BikesError) as err:
        parse_opening_hours(bad)
    assert err.value.field == "opening_hours"
    assert "cannot read" in err.value.render("en") and "tidak dapat dibaca" in err.value.render("id")


def test_dates_off_and_lists_of_dates():
    museum = parse_opening_hours("Tu-Su 08:00-15:00; Mo off; Jan 01 off")
    assert museum.windows(date(2025, 1, 1)) == ()  # a Wednesday, but New Year's Day
    assert museum.windows(date(2025, 1, 2)) == ((480, 900),)
    assert museum.windows(date(2025, 6, 9)) == ()  # a Monday
    assert not museum.is_open(datetime(2025, 6, 9, 3, 22))
    listed = parse_opening_hours("Mo-Su 08:00-12:00; Jan 01,Dec 25 off; Dec 24 08:00-10:00")
    assert listed.windows(date(2025, 12, 25)) == () and listed.windows(date(2026, 1, 1)) == ()
    assert listed.windows(date(2025, 12, 24)) == ((480, 600),) and listed.windows(date(2025, 12, 26)) == ((480, 720),)
    new_year = parse_opening_hours("Mo-Su 08:00-12:00; Dec 31-Jan 01 off")
    assert new_year.windows(date(2025, 12, 31)) == () and new_year.windows(date(2026, 1, 1)) == ()
    assert new_year.windows(date(2026, 1, 2)) == ((480, 720),)


def test_hours_past_midnight_open_the_next_day():
    bar = parse_opening_hours("Fr-Sa 18:00-02:00")
    friday, saturday, sunday, monday = (date(2025, 6, d) for d in (13, 14, 15, 16))
    assert bar.windows(friday) == ((1080, 1440),)  # nothing after midnight on Friday: Thursday is closed
    assert bar.windows(saturday) == ((0, 120), (1080, 1440))
    assert bar.windows(sunday) == ((0, 120),) and bar.windows(monday) == ()
    assert bar.is_open(datetime(2025, 6, 15, 1, 30)) and not bar.is_open(datetime(2025, 6, 13, 1, 30))
    assert bar.describe()[4]["windows"] == ["18:00-24:00"] and bar.describe()[6]["windows"] == ["00:00-02:00"]
    late_sunday_off = parse_opening_hours("Mo-Su 18:00-02:00; Su off")
    assert late_sunday_off.windows(sunday) == ((0, 120),)  # Saturday night's hours, not Sunday's own


def test_public_holidays_are_ignored_without_a_holiday_calendar(monkeypatch):
    import sys

    from kotacerdas.bikes import opening_hours

    oh = parse_opening_hours("Mo-Su 08:00-16:00; PH off")
    monkeypatch.setitem(sys.modules, "holidays", None)  # the calendar is not installed
    opening_hours._holidays.cache_clear()
    try:
        assert oh.windows(date(2025, 8, 17)) == ((480, 960),)  # Independence Day: the Sunday's hours
    finally:
        opening_hours._holidays.cache_clear()


def test_unknown_hours_are_daytime_for_the_planner():
    from kotacerdas.bikes.opening_hours import DAYTIME, planning_hours

    assert DAYTIME == (480, 1020)
    assert planning_hours(None).windows(date(2025, 6, 9)) == ((480, 1020),)
    assert planning_hours(" ").windows(date(2025, 6, 9)) == ((480, 1020),)
    assert planning_hours("24/7").windows(date(2025, 6, 9)) == ((0, 1440),)


@pytest.mark.parametrize(
    ("value", "idn", "en"),
    [
        ("Mo-Su 05:00-22:00", "Setiap hari 05.00–22.00", "Every day 05:00–22:00"),
        (
            "Mo-Fr 08:00-16:00; Sa 08:00-12:00; Su off",
            "Senin–Jumat 08.00–16.00; Sabtu 08.00–12.00; Minggu tutup",
            "Monday–Friday 08:00–16:00; Saturday 08:00–12:00; Sunday closed",
        ),
        ("24/7", "Buka 24 jam", "Open 24 hours"),
        ("Mo-Su 00:00-24:00", "Buka 24 jam", "Open 24 hours"),
        ("Sa,Su 07:00-12:00,13:00-17:00", "Senin–Jumat tutup; Sabtu, Minggu 07.00–12.00, 13.00–17.00", None),
        ("Fr-Sa 18:00-02:00", "Senin–Kamis tutup; Jumat, Sabtu 18.00–02.00; Minggu tutup", None),
        (
            "Tu-Su 08:00-17:00; Mo off; PH off",
            "Senin tutup; Selasa–Minggu 08.00–17.00; Hari libur nasional tutup",
            None,
        ),
        (
            "Mo-Su 06:00-18:00; Dec 24-26 08:00-12:00; Jan 01 off",
            "Setiap hari 06.00–18.00; 1 Jan tutup; 24–26 Des 08.00–12.00",
            "Every day 06:00–18:00; 1 Jan closed; 24–26 Dec 08:00–12:00",
        ),
        ("Mo-Fr 08:00-16:00 || Sa 08:00-12:00", "Mo-Fr 08:00-16:00 || Sa 08:00-12:00", None),  # unreadable: as found
        ("", None, None),
        (None, None, None),
    ],
)
def test_opening_hours_are_written_for_people_in_both_languages(value, idn, en):
    from kotacerdas.bikes.opening_hours import for_people

    assert for_people(value, "id") == idn
    if en is not None:
        assert for_people(value, "en") == en
