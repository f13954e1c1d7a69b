"""Texts a lorong writes in Bahasa Indonesia and, when it can, English: old plain strings read as Indonesian, the
Indonesian text required, a page in the other language showing it with a note."""

import pytest

from kotacerdas.lorong import texts
from kotacerdas.lorong.errors import LorongError


def test_a_plain_string_is_the_indonesian_text():
    assert texts.read("Warung Coto") == {"id": "Warung Coto", "en": ""}
    assert texts.read({"id": " Kebun ", "en": "Garden"}) == {"id": "Kebun", "en": "Garden"}
    assert texts.read("") == {} and texts.read(None) == {} and texts.read({"id": "", "en": ""}) == {}


def test_indonesian_is_needed_english_may_follow():
    assert texts.check({"id": "Mural"}, "name", required=True) == {"id": "Mural", "en": ""}
    assert texts.check("", "description", required=False) == {}
    with pytest.raises(LorongError, match="Bahasa Indonesia") as only_english:
        texts.check({"en": "Mural"}, "name", required=True, record=4)
    assert only_english.value.field == "name.id" and only_english.value.record == 4
    with pytest.raises(LorongError) as missing:
        texts.check(None, "name", required=True)
    assert missing.value.field == "name.id"
    with pytest.raises(LorongError) as not_text:
        texts.check(["Mural"], "name", required=True)
    assert not_text.value.field == "name"


def test_a_page_shows_the_other_language_with_a_note():
    both = {"id": "Kebun lorong", "en": "Alley garden"}
    assert texts.shown(both, "en") == texts.Shown("Alley garden", "en")
    assert texts.shown(both, "id") == texts.Shown("Kebun lorong", "id")
    assert texts.shown("Kebun lorong", "en") == texts.Shown("Kebun lorong", "id", "in Bahasa Indonesia only")
    assert texts.shown({"id": "", "en": "Garden"}, "id").note == "in English only"
    assert not texts.shown({}, "en")
