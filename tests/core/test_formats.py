"""The one way figures are read and written for a reader: numbers read back as a reader types them
(core.formats.parse_number), chart ticks of rupiah in their largest unit, clock times and weekday names in both
languages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kotacerdas.core import formats
from kotacerdas.core.formats import number, parse_number


@pytest.mark.parametrize(
    "text,lang,value",
    [
        ("7,5", "id", "7.5"),
        ("2.500,5", "id", "2500.5"),
        ("1.500.000.000", "id", "1500000000"),
        ("1.500", "id", "1500"),  # both languages read it: the reader's language decides
        ("1.500", "en", "1.5"),
        ("1,500", "en", "1500"),
        ("1,500,000.25", "en", "1500000.25"),
        ("1500000", "id", "1500000"),  # plain digits read alike
        ("1500000", "en", "1500000"),
        ("7.5", "id", "7.5"),  # only English reads it
        ("2.500,5", "en", "2500.5"),  # only Bahasa Indonesia reads it
        ("0,001", "en", "0.001"),
        ("1 500 000", "en", "1500000"),
        (" -12 ", "id", "-12"),
    ],
)
def test_numbers_in_the_readers_language(text, lang, value):
    assert parse_number(text, lang) == Decimal(value)


@pytest.mark.parametrize("text", ["", "many", "nan", "NaN", "inf", "Infinity", "1e400", "1.2e3", "1,5,0", "12,34.5"])
def test_anything_else_is_refused(text):
    for lang in ("id", "en"):
        with pytest.raises(ValueError):
            parse_number(text, lang)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_what_number_writes_parse_number_reads(lang):
    for value in (0, 7.5, 2500.5, 1_749_773, 1_500_000_000.25):
        assert parse_number(number(value, lang, 2), lang) == Decimal(str(value)).quantize(Decimal("0.01"))


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
