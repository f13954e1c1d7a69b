"""Ranking for the knowledge base: full-text query strings for both backends, rank fusion, and the retrieval
measures the bench reports (nDCG@k, recall@k, precision@k).

Full text answers documents that share (stemmed) words with the query, ranked by BM25 on SQLite
(FTS5's ``bm25()``) and by ``ts_rank_cd`` on PostgreSQL; semantic search answers documents whose
embedding is near the query's. :func:`blend` combines the two: each score is scaled to 0..1 over
the query's candidates and the two are mixed with weight :data:`SEMANTIC_WEIGHT` on the semantic
side. Reciprocal rank fusion (:func:`fuse`) was measured too and lost more (docs/ascn.md).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

#: The constant of reciprocal rank fusion (60 in Cormack, Clarke and Büttcher, SIGIR 2009).
RRF_K = 60
#: The semantic side's weight in :func:`blend`.
SEMANTIC_WEIGHT = 0.8
MAX_TERMS = 32


def _ranges(codes: Iterable[int]) -> str:
    """The body of a regular-expression character class holding ``codes`` (ascending), as ranges."""
    runs: list[list[int]] = []
    for c in codes:
        if runs and c == runs[-1][1] + 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return "".join(re.escape(chr(lo)) + (f"-{re.escape(chr(hi))}" if hi > lo else "") for lo, hi in runs)


@cache
def word_pattern() -> re.Pattern[str]:
    """A word: letters, digits and the combining marks written on them (Unicode categories ``M*``).

    ``\\w`` alone stops at a mark, so Thai ``น้ำท่วม`` (flood: a tone mark and a vowel sign on its letters), Lao,
    Khmer, Burmese and decomposed Latin letters fell apart into fragments. Built once from this Python's Unicode
    database for the Basic Multilingual Plane, where the ASEAN scripts are (the ``regex`` module's ``\\p{M}`` is
    not installed).
    """
    marks = (c for c in range(0x10000) if unicodedata.category(chr(c)).startswith("M"))
    return re.compile(rf"(?:\w|[{_ranges(marks)}])+")


def terms(text: str) -> list[str]:
    """The words of ``text`` in lower case, each once, in order (at most :data:`MAX_TERMS`); a word keeps its
    combining marks (:func:`word_pattern`)."""
    seen: dict[str, None] = {}
    for word in word_pattern().findall(unicodedata.normalize("NFC", text).lower()):
        if len(word) > 1 or not word.isascii():
            seen.setdefault(word, None)
    return list(seen)[:MAX_TERMS]


def fts5_match(text: str) -> str:
    """An FTS5 ``MATCH`` expression for ``text``: any of its words (quoted, so no operator gets through)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms(text))


def pg_tsquery(text: str) -> str:
    """A ``to_tsquery('simple', ...)`` string for ``text``: any of its words, each quoted as a lexeme."""
    return " | ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in terms(text) if t.strip("\\"))


def fuse(rankings: Iterable[Sequence[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of several rankings of ids: ``[(id, score)]``, best first."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, ident in enumerate(ranking, start=1):
            scores[ident] = scores.get(ident, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def blend(
    fulltext: Sequence[tuple[int, float]], semantic: Sequence[tuple[int, float]], weight: float = SEMANTIC_WEIGHT
) -> list[tuple[int, float]]:
    """Full-text and semantic scores, each min-max scaled over its candidates, mixed ``weight`` to semantic."""

    def scaled(rows: Sequence[tuple[int, float]]) -> dict[int, float]:
        if not rows:
            return {}
        lo, hi = min(v for _, v in rows), max(v for _, v in rows)
        return {i: (v - lo) / (hi - lo) if hi > lo else 1.0 for i, v in rows}

    a, b = scaled(fulltext), scaled(semantic)
    mixed = {i: weight * b.get(i, 0.0) + (1 - weight) * a.get(i, 0.0) for i in set(a) | set(b)}
    return sorted(mixed.items(), key=lambda item: (-item[1], item[0]))


def dcg(gains: Sequence[float]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 5) -> float:
    """Normalised discounted cumulative gain of the first ``k`` results (graded relevance, exponential gain)."""
    ideal = dcg(sorted(relevant.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([relevant.get(r, 0) for r in ranked[:k]]) / ideal


def recall_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 5) -> float:
    """The share of the relevant items found in the first ``k`` results."""
    wanted = {r for r, g in relevant.items() if g > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def precision_at(ranked: Sequence, relevant: set, k: int = 5) -> float:
    """The share of the first ``k`` results that are relevant (out of ``k``)."""
    return len(relevant & set(ranked[:k])) / k
