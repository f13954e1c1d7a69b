"""Units of measure in both languages: known words in English, anything else as the programme wrote it."""

from kotacerdas.lorong import seeds
from kotacerdas.lorong.measures import ENGLISH, SYMBOLS, unit_text


def test_known_units_are_english_on_an_english_page_and_stored_text_otherwise():
    assert unit_text("kali", "en") == "times" and unit_text("KK", "en") == "households"
    assert unit_text("kali", "id") == "kali" and unit_text(" m² ", "en") == "m²" and unit_text("%", "en") == "%"
    assert unit_text("ekor", "en") == "ekor"  # not known: shown as written, never made up
    assert unit_text(None, "en") == ""


def test_every_unit_of_the_seeded_programmes_is_a_symbol_or_has_its_english():
    words = set()
    for programme in (seeds.LORONG_WISATA, seeds.SMART_KAMPUNG):
        for theme in programme.themes:
            words.update(i.unit for i in theme.indicators)
    assert len(words) > 10 and {w for w in words if w not in SYMBOLS and w.lower() not in ENGLISH} == set()
