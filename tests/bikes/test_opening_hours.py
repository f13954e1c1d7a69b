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
    "bad", ["Jan-Mar 08:00-12:00", "Mo 8-12", "Xx 08:00-10:00", "Mo 25:00-26:00", "Mo 10:00-10:00"]
)
def test_unreadable_values_name_the_part(bad):
    with pytest.raises(BikesError) as err:
        parse_opening_hours(bad)
    assert err.value.field == "opening_hours"
    assert "cannot read" in err.value.render("en") and "tidak dapat dibaca" in err.value.render("id")
