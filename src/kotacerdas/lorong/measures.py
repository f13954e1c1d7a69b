"""The units of measure of indicators in both languages: stored as the programme wrote them (Bahasa Indonesia), shown
in English where the platform knows the word, and as stored where it does not (never a made-up translation)."""

from __future__ import annotations

#: Symbols, written the same in both languages.
SYMBOLS = frozenset({"%", "Rp", "kg", "g", "km", "m", "m²", "ha", "l"})
#: A unit as programmes write it -> its English word (plural: a figure is rarely one).
ENGLISH: dict[str, str] = {
    "acara": "events",
    "anak": "children",
    "buku": "books",
    "dokumen": "documents",
    "gerai": "outlets",
    "hari": "days",
    "kali": "times",
    "kejadian": "incidents",
    "kk": "households",
    "laporan": "reports",
    "layanan": "services",
    "mural": "murals",
    "orang": "people",
    "pohon": "trees",
    "porsi": "portions",
    "gelas": "glasses",
    "rumah": "houses",
    "situs": "sites",
    "titik": "points",
    "tur": "tours",
    "unit": "units",
    "usaha": "businesses",
}


def unit_text(unit: str | None, lang: str | None) -> str:
    """``unit`` for a reader of ``lang``: the English word on an English page where one is known, else as stored."""
    text = (unit or "").strip()
    if lang == "en":
        return ENGLISH.get(text.lower(), text)
    return text
