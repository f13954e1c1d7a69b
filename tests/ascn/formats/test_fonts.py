"""Every member city's and every demo name renders: each script has a font, words keep one font."""

from kotacerdas.ascn.demo_knowledge import PRACTICES
from kotacerdas.ascn.facts import MEMBER_CITIES
from kotacerdas.ascn.formats import fonts


def test_latin_vietnamese_thai_and_khmer_names_are_covered():
    names = [c.name for c in MEMBER_CITIES] + [c.local_name for c in MEMBER_CITIES if c.country in ("TH", "VN", "KH")]
    names += [p.title for p in PRACTICES] + [p.summary for p in PRACTICES]
    assert fonts.uncovered(names) == set()


def test_words_are_written_in_one_font_with_their_brackets():
    out = fonts.markup("Bangkok (กรุงเทพมหานคร) ភ្នំពេញ Đà Nẵng\nx")
    assert '<font name="NotoSansThai">(กรุงเทพมหานคร) </font>' in out
    assert '<font name="NotoSansKhmer">ភ្នំពេញ </font>' in out
    assert "Đà Nẵng<br/>x" in out


def test_characters_without_a_font_are_reported():
    missing: set[str] = set()
    fonts.markup("ok \U0001d11e", missing)
    assert missing == {"\U0001d11e"}
