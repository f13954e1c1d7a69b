"""The one way figures are written for a reader: chart ticks of rupiah in their largest unit, clock times and
weekday names in both languages."""

from __future__ import annotations

import pytest

from kotacerdas.core import formats


@pytest.mark.parametrize(
    ("amount", "idn", "en"),
    [
        (0, "Rp0", "Rp0"),
        (500, "Rp500", "Rp500"),
        (1_000, "Rp1 rb", "Rp1k"),
        (15_000, "Rp15 rb", "Rp15k"),
        (250_000, "Rp250 rb", "Rp250k"),
        (999_999, "Rp1 jt", "Rp1M"),
        (1_000_000, "Rp1 jt", "Rp1M"),
        (1_500_000, "Rp1,5 jt", "Rp1.5M"),
        (12_000_000, "Rp12 jt", "Rp12M"),
        (2_500_000_000, "Rp2,5 M", "Rp2.5bn"),
        (-2_000, "-Rp2 rb", "-Rp2k"),
    ],
)
def test_rupiah_ticks_use_the_largest_unit(amount, idn, en):
    assert formats.rupiah_short(amount, "id") == idn
    assert formats.rupiah_short(amount, "en") == en


def test_clock_times_and_weekdays_in_both_languages():
    assert formats.clock(5 * 60, "id") == "05.00" and formats.clock(5 * 60, "en") == "05:00"
    assert formats.clock(1440, "id") == "24.00" and formats.clock(13 * 60 + 5, "en") == "13:05"
    assert formats.weekday(0, "id") == "Senin" and formats.weekday(6, "en") == "Sunday"
