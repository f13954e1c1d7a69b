"""The error type of Road Manager (road surveys, roughness, road condition), and stored messages shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kotacerdas.core.errors import KotacerdasError


class RoadsError(KotacerdasError):
    """A Road Manager input or operation the platform cannot accept.

    Raised, for example, for a survey file with a truncated row, timestamps that go
    backwards, or an accelerometer sampled too slowly to measure roughness. The
    message names the file, the row and the reason.
    """

    title = "Invalid road survey input"


def stored_text(message: str, params: Mapping[str, Any] | None, lang: str | None) -> str:
    """A message kept as its id and parameters (a capture's error, a failed frame's reason) in ``lang``, numbers in
    the reader's locale; a text stored before messages were kept as ids is shown as it is."""
    from kotacerdas.core.formats import render
    from kotacerdas.core.i18n import gettext

    text = gettext(message, lang)
    try:
        return text.format(**{k: render(v, lang) for k, v in (params or {}).items()})
    except (KeyError, IndexError, ValueError):
        return text
