"""Bahasa Indonesia and English for every page, message and error.

Message ids are English. Translations live in gettext catalogues
(``kotacerdas/locale/<lang>/LC_MESSAGES/<domain>.po``, one catalogue per
platform domain: ``core``, ``roads``, ``bikes`` ...) read with Babel, so that each
domain keeps its own file. Bahasa Indonesia is the default language.

Use :func:`N_` to mark a message where it is defined and :func:`gettext` to
translate it where it is shown.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT_LANGUAGE = "id"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (extraction marker)."""
    return message


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All translations of ``lang``, merged over every domain's ``.po`` file."""
    merged: dict[str, str] = {}
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    if not folder.is_dir():
        return merged
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as fh:
            cat = read_po(fh, locale=lang)
        for msg in cat:
            if msg.id and msg.string and not msg.fuzzy and isinstance(msg.id, str):
                merged[msg.id] = msg.string
    return merged


def gettext(message: str, lang: str | None = None) -> str:
    """Translate ``message`` into ``lang`` (default: Bahasa Indonesia)."""
    lang = normalise_language(lang)
    if lang == "en":
        return message
    return catalogue(lang).get(message, message)


def normalise_language(lang: str | None) -> str:
    """Map ``"id-ID"``, ``"in"``, ``"EN_us"`` ... onto a supported language."""
    if not lang:
        return DEFAULT_LANGUAGE
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    if code == "in":  # the old ISO code for Indonesian
        code = "id"
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def negotiate(accept_language: str | None) -> str:
    """Pick a language from an ``Accept-Language`` header (q-values honoured)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    choices: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept_language.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, q = piece.partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        code = tag.strip().lower().replace("_", "-").split("-")[0]
        code = "id" if code == "in" else code
        if code in LANGUAGES and weight > 0:
            choices.append((-weight, i, code))
    return sorted(choices)[0][2] if choices else DEFAULT_LANGUAGE
