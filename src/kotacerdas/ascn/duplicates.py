"""Finding organisations recorded twice: the same partner in another spelling, as an acronym, or in another
language.

Nothing here merges anything: :func:`candidates` only proposes pairs with the reasons, and the
secretariat decides (:mod:`kotacerdas.ascn.services.partners`). Three signals, each enough alone:

* the names are equal once case, accents, punctuation and legal forms (Ltd, PT, Sdn Bhd ...) are
  set aside, or one is the acronym of the other (``JICA``);
* the names are close letter by letter (difflib's ratio at least :data:`SPELLING`), for typing
  variants such as "Asian Devlopment Bank";
* the names mean the same in two languages ("Bank Pembangunan Asia" and "Asian Development Bank"):
  the cosine similarity of their multilingual embeddings is at least :data:`MEANING`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from kotacerdas.core.i18n import N_

SPELLING = 0.9
MEANING = 0.78
LEGAL_FORMS = {
    "ltd", "limited", "inc", "incorporated", "co", "corp", "corporation", "company", "plc", "llc", "gmbh", "sa",
    "pt", "tbk", "persero", "cv", "sdn", "bhd", "berhad", "pte", "pty", "jsc", "the",
}  # fmt: skip
SMALL_WORDS = {"of", "and", "for", "the", "in", "on", "dan", "untuk", "di", "dari", "ke", "de", "du", "des", "la"}


def plain(name: str) -> str:
    """``name`` in lower-case ASCII words, legal forms dropped: the form two spellings share."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("&", " and ")
    words = [w for w in re.findall(r"[a-z0-9]+", text) if w not in LEGAL_FORMS]
    return " ".join(words)


def acronym(name: str) -> str:
    """The initials of ``name``'s significant words (``Japan International Cooperation Agency`` -> ``jica``)."""
    words = [w for w in plain(name).split() if w not in SMALL_WORDS]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _is_acronym(short: str, long: str) -> bool:
    s = plain(short).replace(" ", "")
    return len(s) >= 2 and s == acronym(long)


@dataclass(frozen=True)
class Candidate:
    """Two partner records that may be one organisation, with why they look alike."""

    a: int
    b: int
    score: float
    reasons: tuple[str, ...]
    names: tuple[str, str]


def compare(names_a: Sequence[str], names_b: Sequence[str]) -> tuple[float, list[str]]:
    """How alike two records' names are by spelling (0..1) and the reasons found."""
    best, reasons = 0.0, []
    for x in names_a:
        for y in names_b:
            px, py = plain(x), plain(y)
            if not px or not py:
                continue
            if px == py:
                return 1.0, [N_("the same name once spelling and legal forms are set aside")]
            if _is_acronym(x, y) or _is_acronym(y, x):
                best, reasons = max(best, 0.95), [N_("one name is the acronym of the other")]
                continue
            ratio = SequenceMatcher(None, px, py).ratio()
            if ratio >= SPELLING and ratio > best:
                best, reasons = ratio, [N_("names spelt almost alike")]
    return best, reasons


def candidates(
    records: Sequence[tuple[int, Sequence[str]]],
    name_vectors: np.ndarray | None = None,
    skip: set[tuple[int, int]] = frozenset(),
) -> list[Candidate]:
    """Pairs of records (id, names) that look like one organisation, most alike first.

    ``name_vectors`` holds one unit-length embedding of each record's main name (the first one), in
    the order of ``records``; with it, names that mean the same in two languages are found too.
    ``skip`` holds pairs (lower id first) the secretariat already answered.
    """
    out: list[Candidate] = []
    sims = name_vectors @ name_vectors.T if name_vectors is not None and len(records) else None
    for i in range(len(records)):
        for j in range(i + 1, len(records)):
            (ia, na), (ib, nb) = records[i], records[j]
            pair = (min(ia, ib), max(ia, ib))
            if pair in skip:
                continue
            score, reasons = compare(na, nb)
            if sims is not None and sims[i, j] >= MEANING and not reasons:
                score, reasons = float(sims[i, j]), [N_("names that mean the same in another language")]
            if reasons:
                out.append(Candidate(pair[0], pair[1], round(score, 3), tuple(reasons), (na[0], nb[0])))
    return sorted(out, key=lambda c: (-c.score, c.a, c.b))
