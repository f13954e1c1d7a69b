"""Knowledge-base retrieval bench: full text (BM25) alone vs semantic vs hybrid search, nDCG@5 and recall@5.

Data: the demo knowledge base (44 demo practices in English, Bahasa Indonesia, Thai and
Vietnamese, and the two practices presented in 2024) loaded by the real demo loader into a real
database, embedded by the real embedding job, and searched through the real search service.
Queries: the 48 labelled queries of ``bench/ascn_queries.py`` (24 English, 24 Bahasa Indonesia),
many cross-lingual. The baseline is full text alone: BM25 (FTS5's ``bm25()``) on SQLite and
``ts_rank_cd`` on PostgreSQL (``--pg URL``).

``--models`` compares embedding models (each one whose package is installed; the others are
listed as skipped): the measurement behind the choice of the default model.

Run: .venv/bin/python bench/ascn_search.py [--models use-m3,e5-small,wordllama] [--pg postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ascn_queries import QUERIES  # noqa: E402

from kotacerdas.ascn import embedding, ranking  # noqa: E402
from kotacerdas.ascn.demo import load_demo  # noqa: E402
from kotacerdas.ascn.services import knowledge  # noqa: E402
from kotacerdas.core import migrate  # noqa: E402
from kotacerdas.core.db import make_engine, session_scope  # noqa: E402

K = 5


def evaluate(engine, mode: str, model: str) -> dict:
    """Mean nDCG@5 and recall@5 per language, and the mean time per query."""
    scores: dict[str, list[tuple[float, float]]] = {"en": [], "id": []}
    started = time.perf_counter()
    with session_scope(engine) as session:
        for lang, query, relevant in QUERIES:
            hits = knowledge.search(session, query, mode=mode, kinds=("practice",), limit=K, model=model)
            ranked = [h.ref for h in hits]
            scores[lang].append((ranking.ndcg_at(ranked, relevant, K), ranking.recall_at(ranked, relevant, K)))
    elapsed = (time.perf_counter() - started) / len(QUERIES)
    both = scores["en"] + scores["id"]

    def mean(rows, i):
        return statistics.fmean(r[i] for r in rows)

    return {
        "ndcg": mean(both, 0),
        "recall": mean(both, 1),
        "ndcg_en": mean(scores["en"], 0),
        "ndcg_id": mean(scores["id"], 0),
        "ms": elapsed * 1000,
    }


def prepared(url: str | None, tmp: Path):
    """A migrated database with the demo loaded: SQLite in ``tmp``, or a fresh schema of ``url``."""
    if url is None:
        engine = make_engine(f"sqlite:///{tmp / 'bench.sqlite3'}")
        cleanup = None
    else:
        schema = "bench_" + uuid.uuid4().hex[:10]
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = make_engine(url, connect_args={"options": f"-csearch_path={schema},public"})

        def cleanup():
            engine.dispose()
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    migrate.upgrade(engine)
    with session_scope(engine) as session:
        load_demo(session)
    return engine, cleanup


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default=embedding.DEFAULT_MODEL, help="embedding models to compare, comma-separated")
    ap.add_argument("--pg", default=None, help="also run on this PostgreSQL URL (a throwaway schema is used)")
    args = ap.parse_args()
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    backends = [("sqlite", None)] + ([("postgresql", args.pg)] if args.pg else [])
    print(f"{len(QUERIES)} queries ({sum(q[0] == 'en' for q in QUERIES)} en, {sum(q[0] == 'id' for q in QUERIES)} id)")
    print(f"{'backend':<11}{'search':<26}{'nDCG@5':>8}{'en':>7}{'id':>7}{'recall@5':>10}{'ms/query':>10}{'x BM25':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for backend, url in backends:
            engine, cleanup = prepared(url, Path(tmp))
            try:
                base = evaluate(engine, "fulltext", models[0])
                name = "full text (BM25)" if backend == "sqlite" else "full text (ts_rank_cd)"
                row(backend, name, base, base)
                for model in models:
                    if not embedding.available(model):
                        print(f"{backend:<11}{model + ': package not installed, skipped':<26}")
                        continue
                    started = time.perf_counter()
                    done = knowledge.refresh_embeddings(engine, model)
                    took = time.perf_counter() - started
                    print(f"{'':<11}{model}: embedded {done['embedded']} documents in {took:.1f} s")
                    row(backend, f"semantic ({model})", evaluate(engine, "semantic", model), base)
                    row(backend, f"hybrid ({model})", evaluate(engine, "hybrid", model), base)
            finally:
                if cleanup:
                    cleanup()


def row(backend: str, name: str, r: dict, base: dict) -> None:
    ratio = r["ndcg"] / base["ndcg"] if base["ndcg"] else float("nan")
    print(
        f"{backend:<11}{name:<26}{r['ndcg']:>8.3f}{r['ndcg_en']:>7.3f}{r['ndcg_id']:>7.3f}"
        f"{r['recall']:>10.3f}{r['ms']:>10.1f}{ratio:>8.2f}"
    )


if __name__ == "__main__":
    main()
