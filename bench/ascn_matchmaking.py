"""Matchmaking bench: partners ranked for a project, evaluated on the registry's own past partnerships held out,
against a popularity baseline; precision@5, recall@5 and hit rate@5.

Data: the demo registry (real member cities and partners, generated projects and past partnerships,
see kotacerdas.ascn.demo) loaded into a real database and embedded by the real job. For each
project with partnerships, those partnerships are removed from the history, the matcher ranks the
partners for the project, and the partners of the removed partnerships are the right answers.
Two needs: with the kinds of support the city asked for (the held-out partnerships' types), and
without them (text, focus areas and country only). The baseline ranks partners by how many
partnerships they have in the remaining history.

Caveat: the demo's past partnerships are generated from hidden partner preferences (focus areas,
countries, kinds of support), so these figures measure the method on synthetic data, not its
accuracy on the real network's history.

Run: .venv/bin/python bench/ascn_matchmaking.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ascn_search import prepared  # noqa: E402

from kotacerdas.ascn import matching, ranking  # noqa: E402
from kotacerdas.ascn.services import knowledge, matchmaking  # noqa: E402
from kotacerdas.core.db import session_scope  # noqa: E402

K = 5


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine, _ = prepared(None, Path(tmp))
        knowledge.refresh_embeddings(engine)
        with session_scope(engine) as session:
            started = time.perf_counter()
            reg = matchmaking.load(session)
            loaded = time.perf_counter() - started
            by_project: dict[int, list[tuple[int, int, str]]] = {}
            for pid, project_id, past in reg.history:
                if project_id is not None:
                    by_project.setdefault(project_id, []).append((pid, past.partner_id, past.type))
            rows: dict[str, list[tuple[float, float, float]]] = {
                "matcher": [],
                "matcher, no support types": [],
                "popularity": [],
            }
            started = time.perf_counter()
            for project_id, held in sorted(by_project.items()):
                exclude = {pid for pid, _, _ in held}
                truth = {partner for _, partner, _ in held}
                types = sorted({t for _, _, t in held})
                for name, support in (("matcher", types), ("matcher, no support types", [])):
                    need = matchmaking.need_for_project(reg, project_id, support)
                    top = [r.id for r in matchmaking.match(reg, need, limit=K, exclude=exclude)["partners"]]
                    rows[name].append(score(top, truth))
                history = [past for pid, _, past in reg.history if pid not in exclude]
                rows["popularity"].append(score(matching.popularity(reg.partners, history)[:K], truth))
            per_need = (time.perf_counter() - started) / max(len(by_project), 1) / 2
    print(
        f"{len(by_project)} projects with partnerships held out, {sum(len(v) for v in by_project.values())} "
        f"partnerships, {len(reg.partners)} partners; registry loaded in {loaded:.2f} s, "
        f"{per_need * 1000:.1f} ms per need"
    )
    base = statistics.fmean(r[0] for r in rows["popularity"])
    print(f"{'ranking':<28}{'P@5':>7}{'R@5':>7}{'hit@5':>7}{'x popularity (P@5)':>20}")
    for name, values in rows.items():
        p, r, h = (statistics.fmean(v[i] for v in values) for i in range(3))
        print(f"{name:<28}{p:>7.3f}{r:>7.3f}{h:>7.3f}{p / base if base else float('nan'):>20.2f}")


def score(top: list[int], truth: set[int]) -> tuple[float, float, float]:
    """Precision@5, recall@5 and whether any right answer is in the first five."""
    found = truth & set(top[:K])
    return ranking.precision_at(top, truth, K), len(found) / len(truth), float(bool(found))


if __name__ == "__main__":
    main()
