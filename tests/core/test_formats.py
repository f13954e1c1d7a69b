"""Numbers read back as a reader types them (core.formats.parse_number)."""

from decimal import Decimal

import pytest

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
