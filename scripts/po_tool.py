"""Keep the gettext catalogues in step with the code.

    python scripts/po_tool.py check    # every message in the code has a Bahasa Indonesia translation
    python scripts/po_tool.py missing  # list message ids without a translation

Messages are extracted with Babel from Python (markers ``N_`` and ``gettext``)
and Jinja2 templates (``t``); the translations may sit in any catalogue of
``src/kotacerdas/locale/id/LC_MESSAGES``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "kotacerdas"
#: (file pattern, extraction method, translation functions): ``N_``/``gettext`` in Python, ``t`` in templates.
SOURCES = [
    ("**/templates/**.html", "jinja2", {"t": None}),
    ("**.py", "python", {"N_": None, "gettext": None}),
]


def extracted() -> dict[str, list[str]]:
    """Message id -> places where the code uses it."""
    out: dict[str, list[str]] = {}
    for pattern, method, keywords in SOURCES:
        for filename, lineno, message, _comments, _ctx in extract_from_dir(
            str(PACKAGE), [(pattern, method)], keywords=keywords, comment_tags=()
        ):
            if isinstance(message, tuple):
                message = message[0]
            if message:
                out.setdefault(message, []).append(f"{filename}:{lineno}")
    return out


def missing(lang: str = "id") -> dict[str, list[str]]:
    sys.path.insert(0, str(ROOT / "src"))
    from kotacerdas.core.i18n import catalogue

    have = catalogue(lang)
    return {m: places for m, places in extracted().items() if m not in have}


if __name__ == "__main__":
    gaps = missing()
    for message, places in sorted(gaps.items()):
        print(f"{places[0]}: {message!r}")
    if sys.argv[1:] == ["check"] and gaps:
        print(f"{len(gaps)} messages have no Bahasa Indonesia translation", file=sys.stderr)
        sys.exit(1)
