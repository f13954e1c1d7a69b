"""Matchmaking bench: partners ranked for a project, evaluated on the registry's own past partnerships held out,
against a popularity baseline; precision@5, recall@5 and hit rate@5.

Data: the demo registry (real member cities and partners, generated projects and past partnerships,
see kotacerdas.ascn.demo) loaded into a real database and embedded by the real job. For each
project with partnerships, those partnerships are removed from the history, the matcher ranks the
partners for the project, and the partners of the removed partnerships are the right answers.
The headline is the fair need: the project's text, focus areas and country only, nothing taken from
the held-out partnerships. A second row gives the matcher the held-out partnerships' own types as
the support wanted: those types are part of the answer being predicted, so that row is an upper bound
(what a city that says which support it wants may reach), not the matcher's accuracy. The baseline
ranks partners by how many partnerships they have in the remaining history.

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
            rows: dict[str, list[tuple[float, float, float]]] = {FAIR: [], POPULARITY: [], WITH_TYPES: []}
            started = time.perf_counter()
            for project_id, held in sorted(by_project.items()):
                exclude = {pid for pid, _, _ in held}
                truth = {partner for _, partner, _ in held}
                types = sorted({t for _, _, t in held})
                for name, support in ((FAIR, []), (WITH_TYPES, types)):
                    need = matchmaking.need_for_project(reg, project_id, support)
                    top = [r.id for r in matchmaking.match(reg, need, limit=K, exclude=exclude)["partners"]]
                    rows[name].append(score(top, truth))
                history = [past for pid, _, past in reg.history if pid not in exclude]
                rows[POPULARITY].append(score(matching.popularity(reg.partners, history)[:K], truth))
            per_need = (time.perf_counter() - started) / max(len(by_project), 1) / 2
    print(
        f"{len(by_project)} projects with partnerships held out, {sum(len(v) for v in by_project.values())} "
        f"partnerships, {len(reg.partners)} partners; registry loaded in {loaded:.2f} s, "
        f"{per_need * 1000:.1f} ms per need"
    )
    print("\n".join(summary(rows)))


#: The headline: the need as a city states it, nothing taken from the held-out partnerships.
FAIR = "matcher (headline: text, focus areas, country)"
POPULARITY = "popularity baseline"
#: The held-out partnerships' own types given as the support wanted: part of the answer, so an upper bound.
WITH_TYPES = "matcher + held-out types (upper bound)"


def summary(rows: dict[str, list[tuple[float, float, float]]]) -> list[str]:
    """The printed table: the fair matcher first and named the headline, then the baseline, then the upper bound;
    each row's precision@5, recall@5, hit rate@5 and precision as a multiple of the baseline's."""
    base = statistics.fmean(r[0] for r in rows[POPULARITY]) if rows[POPULARITY] else 0.0
    lines = [f"{'ranking':<48}{'P@5':>7}{'R@5':>7}{'hit@5':>7}{'x popularity (P@5)':>20}"]
    for name in (FAIR, POPULARITY, WITH_TYPES):
        values = rows[name]
        p, r, h = (statistics.fmean(v[i] for v in values) for i in range(3))
        lines.append(f"{name:<48}{p:>7.3f}{r:>7.3f}{h:>7.3f}{p / base if base else float('nan'):>20.2f}")
    fair = statistics.fmean(v[0] for v in rows[FAIR])
    lines.append(
        f"headline: precision@5 {fair:.3f}, {fair / base if base else float('nan'):.2f} x popularity "
        "(the upper-bound row uses the held-out partnerships' own support types)"
    )
    return lines


def score(top: list[int], truth: set[int]) -> tuple[float, float, float]:
    """Precision@5, recall@5 and whether any right answer is in the first five."""
    found = truth & set(top[:K])
    return ranking.precision_at(top, truth, K), len(found) / len(truth), float(bool(found))


if __name__ == "__main__":
    main()
