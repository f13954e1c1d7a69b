"""Fonts for the PDF reports: names of ASEAN cities, projects and partners must render in their own scripts.

Registered from PyPI packages (so every installation has them): Noto Sans (Latin with every
Vietnamese letter, Greek, Cyrillic), Noto Sans Thai and Noto Sans Khmer, shaped by HarfBuzz
(``uharfbuzz``) so that Thai marks and Khmer subscript consonants sit where they belong. Lao and
Burmese have no font package on PyPI; where the system has Noto Sans Lao or Noto Sans Myanmar
(Debian's ``fonts-noto-core``) they are used too. :func:`markup` writes each run of text in the
first font that has its glyphs, and reports the characters no font has, so a report can say so
instead of printing empty boxes silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

SYSTEM_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
BASE = "NotoSans"


@dataclass(frozen=True)
class Face:
    name: str
    path: Path


def _package_faces() -> list[Face]:
    import fontpkg_noto_sans
    import fontpkg_noto_sans_khmer
    import fontpkg_noto_sans_thai

    faces = []
    for name, package, pattern in (
        ("NotoSans", fontpkg_noto_sans, "NotoSans[[]*.ttf"),
        ("NotoSansThai", fontpkg_noto_sans_thai, "NotoSansThai[[]*.ttf"),
        ("NotoSansKhmer", fontpkg_noto_sans_khmer, "NotoSansKhmer[[]*.ttf"),
    ):
        found = sorted((Path(package.ROOT) / "files").glob(pattern))
        if found:
            faces.append(Face(name, found[0]))
    return faces


def _system_faces() -> list[Face]:
    faces = []
    for name, filename in (
        ("NotoSansLao", "NotoSansLao-Regular.ttf"),
        ("NotoSansMyanmar", "NotoSansMyanmar-Regular.ttf"),
    ):
        for folder in SYSTEM_DIRS:
            if (folder / filename).is_file():
                faces.append(Face(name, folder / filename))
                break
    return faces


@cache
def faces() -> tuple[Face, ...]:
    """Every font file found: the packaged ones, then the system's Lao and Myanmar fonts."""
    return tuple(_package_faces() + _system_faces())


@cache
def registered() -> tuple[tuple[str, frozenset[int]], ...]:
    """Register every font with ReportLab once; ``(name, code points it covers)`` in order of preference."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    out = []
    for face in faces():
        font = TTFont(face.name, str(face.path))
        pdfmetrics.registerFont(font)
        out.append((face.name, frozenset(font.face.charToGlyph)))
    return tuple(out)


def font_for(ch: str) -> str | None:
    """The first registered font with a glyph for ``ch`` (spaces and controls: the base font)."""
    if ch.isspace() or ord(ch) < 32:
        return BASE
    for name, covered in registered():
        if ord(ch) in covered:
            return name
    return None


def _word_font(word: str) -> str | None:
    """The first font that has every glyph of ``word`` (ReportLab shapes a word in one font)."""
    for name, covered in registered():
        if all(ord(ch) in covered for ch in word):
            return name
    return None


def markup(text: str, missing: set[str] | None = None) -> str:
    """``text`` escaped for a ReportLab paragraph, each word in a font that has its glyphs; new lines kept.

    A word is written in one font when one font covers it all ("(กรุงเทพมหานคร)" in Noto Sans Thai,
    brackets included), because ReportLab's shaping takes a word's font from its first part. Otherwise
    each character gets the first font that covers it; characters no font covers are written in the
    base font and added to ``missing``.
    """
    import re

    runs: list[tuple[str, str]] = []

    def add(name: str, piece: str) -> None:
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + piece)
        else:
            runs.append((name, piece))

    for piece in re.split(r"(\s+)", text):
        if not piece:
            continue
        if piece.isspace():
            add(runs[-1][0] if runs else BASE, piece)
            continue
        name = _word_font(piece)
        if name is not None:
            add(name, piece)
            continue
        for ch in piece:
            font = font_for(ch)
            if font is None:
                if missing is not None:
                    missing.add(ch)
                font = BASE
            add(font, ch)
    out = "".join(escape(t) if n == BASE else f'<font name="{n}">{escape(t)}</font>' for n, t in runs)
    return out.replace("\n", "<br/>")


def uncovered(texts) -> set[str]:
    """The characters of ``texts`` that no registered font can draw."""
    out: set[str] = set()
    for t in texts:
        markup(t or "", out)
    return out
