"""The knowledge base's two searches over ``ascn_search_docs``: full text on either backend, and nearest
embeddings.

Full text is SQLite's FTS5 (ranked by ``bm25()``, the title column weighted twice) or PostgreSQL's
full-text search over the GIN-indexed ``to_tsvector('english', body)`` (ranked by ``ts_rank_cd``).
Both match documents with *any* of the query's words, so the ranking, not the match, decides.
Semantic search compares the query's embedding with every stored one of the same model (exact
cosine similarity in numpy, which is fast for the thousands of documents a network holds).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from kotacerdas.ascn.embedding import from_bytes
from kotacerdas.ascn.ranking import fts5_match, pg_tsquery
from kotacerdas.ascn.store.tables import AscnEmbedding, AscnSearchDoc

SQLITE_FULLTEXT = """
SELECT d.id, -bm25(fts_ascn_search, 2.0, 1.0) AS score
FROM fts_ascn_search JOIN ascn_search_docs d ON d.id = fts_ascn_search.rowid
WHERE fts_ascn_search MATCH :match AND d.kind IN :kinds
ORDER BY score DESC, d.id LIMIT :n
"""

PG_FULLTEXT = """
SELECT d.id, ts_rank_cd(to_tsvector('english', d.body), q, 1) AS score
FROM ascn_search_docs d, to_tsquery('english', :match) q
WHERE to_tsvector('english', d.body) @@ q AND d.kind IN :kinds
ORDER BY score DESC, d.id LIMIT :n
"""

KINDS = ("practice", "project")


def fulltext(session: Session, query: str, kinds: Sequence[str] = KINDS, limit: int = 50) -> list[tuple[int, float]]:
    """``[(doc id, score)]`` of the documents sharing words with ``query``, best first."""
    postgres = session.get_bind().dialect.name == "postgresql"
    match = pg_tsquery(query) if postgres else fts5_match(query)
    if not match:
        return []
    stmt = text(PG_FULLTEXT if postgres else SQLITE_FULLTEXT).bindparams(bindparam("kinds", expanding=True))
    rows = session.execute(stmt, {"match": match, "kinds": list(kinds), "n": limit}).all()
    return [(int(i), float(s)) for i, s in rows]


def semantic(
    session: Session, vector: np.ndarray, model: str, kinds: Sequence[str] = KINDS, limit: int = 50
) -> list[tuple[int, float]]:
    """``[(doc id, cosine similarity)]`` of the documents embedded by ``model``, nearest first."""
    rows = session.execute(
        select(AscnEmbedding.doc_id, AscnEmbedding.dim, AscnEmbedding.vector)
        .join(AscnSearchDoc, AscnSearchDoc.id == AscnEmbedding.doc_id)
        .where(AscnEmbedding.model == model, AscnSearchDoc.kind.in_(list(kinds)))
    ).all()
    if not rows:
        return []
    ids = np.array([r[0] for r in rows])
    matrix = np.vstack([from_bytes(r[2], r[1]) for r in rows])
    scores = matrix @ np.asarray(vector, dtype=np.float32)
    order = np.argsort(-scores, kind="stable")[:limit]
    return [(int(ids[i]), float(scores[i])) for i in order]


def embedded_count(session: Session, model: str) -> int:
    """How many documents have an embedding of ``model``."""
    from sqlalchemy import func

    return int(session.scalar(select(func.count()).where(AscnEmbedding.model == model)) or 0)
