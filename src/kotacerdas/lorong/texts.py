"""Texts a lorong writes in Bahasa Indonesia and, when it can, English: an activity's name and description, a
product's name. Stored as ``{"id": ..., "en": ...}``.

Bahasa Indonesia is required wherever a text is (it is the city's language); English may be missing. A text stored
before activities had two languages is a plain string: it is read as the Indonesian text. A page in a language the
text lacks shows the other language with a note saying so (:func:`shown`), never an empty field and never a
translation made up by the platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kotacerdas.core.i18n import N_
from kotacerdas.lorong.errors import LorongError

LANGS = ("id", "en")
#: The note beside a text shown in the other language, by the language it is shown in.
NOTES = {"id": N_("in Bahasa Indonesia only"), "en": N_("in English only")}


def read(value: Any) -> dict[str, str]:
    """A stored or given text as ``{"id", "en"}`` (a plain string is the Indonesian text; nothing is ``{}``)."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"id": value.strip(), "en": ""} if value.strip() else {}
    if isinstance(value, dict):
        out = {lang: str(value.get(lang) or "").strip() for lang in LANGS}
        return out if any(out.values()) else {}
    raise LorongError(N_("{name} must be a text, or texts in Bahasa Indonesia (id) and English (en)"), name="text")


def check(value: Any, field: str, *, required: bool, record: Any = None) -> dict[str, str]:
    """A text to store: Bahasa Indonesia is needed whenever there is a text (and always when ``required``), English
    may be left out; the error names ``<field>.id``."""
    try:
        out = read(value)
    except LorongError as exc:
        exc.field, exc.record, exc.params = field, record, {"name": field}
        raise
    if (required or out) and not out.get("id"):
        raise LorongError(
            N_("{name} needs a text in Bahasa Indonesia (id); English (en) may follow"),
            field=f"{field}.id",
            record=record,
            name=field,
        )
    return out


@dataclass(frozen=True)
class Shown:
    """A text as a page in some language shows it: the text, its language, and the note (a message id) to add when
    that is not the page's language."""

    text: str
    lang: str
    note: str | None = None

    def __bool__(self) -> bool:
        return bool(self.text)


def shown(value: Any, lang: str) -> Shown:
    """The text in ``lang``, else in the other language with the note saying which."""
    texts = read(value)
    if texts.get(lang):
        return Shown(texts[lang], lang)
    for other in LANGS:
        if other != lang and texts.get(other):
            return Shown(texts[other], other, NOTES[other])
    return Shown("", lang)
