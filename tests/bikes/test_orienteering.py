"""The orienteering solver: feasible and optimal on small instances, time windows, groups, required places."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.formats.op import parse_op, read_op
from kotacerdas.bikes.orienteering import Infeasible, Problem, alternatives, jaccard_distance, solve

# The searches below are bounded by rounds so that a loaded machine gives the same answer; the time limit is
# only a safety cap far above what the rounds take.
SAFETY_S = 60.0


def brute_force(inst) -> float:
    """The optimum by trying every subset and order (tiny instances only)."""
    d = inst.distances()
    best = 0.0
    inner = list(range(2, len(inst.score)))
    for k in range(len(inner) + 1):
        for subset in itertools.combinations(inner, k):
            for order in itertools.permutations(subset):
                route = [0, *order, 1]
                if sum(d[a, b] for a, b in itertools.pairwise(route)) <= inst.budget + 1e-9:
                    best = max(best, float(inst.score[list(subset)].sum()))
                    break
    return best


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_small_random_instances_are_solved_to_optimality(seed):
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 10, (8, 2))
    scores = rng.integers(1, 10, 8)
    scores[:2] = 0  # start and end score nothing, as in the benchmark files
    lines = ["18 1"] + [f"{x:.3f} {y:.3f} {int(s)}" for (x, y), s in zip(pts, scores, strict=True)]
    inst = parse_op("\n".join(lines))
    sol = solve(inst.problem(), time_limit_s=SAFETY_S, rounds=400)  # deterministic: rounds, not time
    ans = inst.answer(sol)
    assert ans["route"][0] == 0 and ans["route"][-1] == 1
    assert ans["length"] <= inst.budget + 1e-9
    assert ans["score"] == pytest.approx(brute_force(inst))


def test_time_windows_groups_and_required_places():
    travel = np.array(
        [[0, 10, 10, 10, 10], [10, 0, 10, 10, 10], [10, 10, 0, 5, 5], [10, 10, 5, 0, 5], [10, 10, 5, 5, 0]], dtype=float
    )
    score = np.array([0, 0, 5, 9, 9])
    p = Problem(
        travel,
        score,
        0,
        1,
        budget=60,
        service=np.array([0, 0, 10, 10, 10]),
        open=np.array([0, 0, 0, 40, 0]),
        close=np.array([1e9, 1e9, 1e9, 45, 1e9]),
        close_is_end=True,
        group=np.array([-1, -1, -1, 7, 7]),
    )
    sol = solve(p, time_limit_s=SAFETY_S, rounds=100)
    # node 3 cannot end its visit by 45 when it opens at 40; 3 and 4 are one place anyway (group 7)
    assert 3 not in sol.visits and set(sol.visits) <= {2, 4}
    for stop in sol.stops[1:-1]:
        assert stop.start >= p.open[stop.node] and stop.start + p.service[stop.node] <= p.close[stop.node]
    assert sol.finish <= 60
    forced = solve(Problem(travel, score, 0, 1, budget=60, required=(2,)), time_limit_s=SAFETY_S, rounds=100)
    assert 2 in forced.visits
    with pytest.raises(Infeasible):
        solve(Problem(travel, score, 0, 1, budget=5))


def test_alternatives_are_clearly_different():
    rng = np.random.default_rng(5)
    pts = rng.uniform(0, 10, (30, 2))
    d = np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1))
    p = Problem(d, rng.integers(1, 10, 30).astype(float), 0, 1, budget=30)
    best = solve(p, time_limit_s=SAFETY_S, rounds=200)
    for alt in alternatives(p, best, count=2, time_limit_s=SAFETY_S, rounds=50):
        assert jaccard_distance(alt.visits, best.visits) >= 0.5
        assert alt.score <= best.score + 1e-9


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("", "empty"),
        ("5\n1 2 3", "line 1"),
        ("5 1\n1 2", "line 2"),
        ("5 1\n1 2 x\n3 4 0", "line 2"),
        ("5 1\n0 0 0", "start and an end"),
        ("1 1\n0 0 0\n10 0 0", "budget"),
        ("5 1\n0 0 0\n1 0 -3", "line 3"),
    ],
)
def test_malformed_files_say_where(text, where):
    with pytest.raises(BikesError) as err:
        parse_op(text)
    assert where in err.value.render("en") or where in str(err.value.params.get("record"))


def test_solve_op_command_prints_the_standard_answer(shared_dir, tmp_path):
    from kotacerdas.cli.app import app

    path = shared_dir / "bench" / "orienteering" / "op" / "Tsiligirides_1" / "tsiligirides_problem_1_budget_15.txt"
    if not path.is_file():
        pytest.skip("orienteering instances not in ../shared")
    result = CliRunner().invoke(app, ["bikes", "tour", "solve-op", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    inst = read_op(path)
    assert out["route"][0] == 0 and out["route"][-1] == 1 and out["length"] <= inst.budget + 1e-9
    assert out["score"] == pytest.approx(float(inst.score[out["route"]].sum()))
    assert out["score"] >= 45  # the best known score of this instance
    bad = tmp_path / "bad.txt"
    bad.write_text("5 1\n1 2 x\n")
    result = CliRunner().invoke(app, ["bikes", "tour", "solve-op", str(bad), "--json"], env={"KOTACERDAS_LANG": "en"})
    assert result.exit_code == 2 and "line 2" in result.output
    result = CliRunner().invoke(app, ["bikes", "tour", "solve-op", str(bad), "--json"], env={"KOTACERDAS_LANG": "id"})
    assert result.exit_code == 2 and "baris 2, kolom 3" in result.output and "line" not in result.output


def test_file_errors_read_in_one_language(tmp_path):
    """A malformed line, a file that is not UTF-8 and a missing file are told wholly in the reader's language,
    the line (and column) as fields of the problem document, not an English 'line 2' or a codec's words."""
    with pytest.raises(BikesError) as err:
        parse_op("5 1\n1 2 x\n3 4 0")
    assert err.value.render("id") == "baris 2, kolom 3: x bukan angka" and err.value.record is None
    assert err.value.render("en") == "line 2, column 3: x is not a number"
    assert err.value.extra == {"line": 2, "column": 3}
    with pytest.raises(BikesError) as err:
        parse_op("5 1\n0 0 0\n1 0 -3")
    assert err.value.render("id") == "baris 3: skor tidak boleh negatif" and err.value.extra == {"line": 3}
    latin = tmp_path / "latin.txt"
    latin.write_bytes("15 1\n0 0 0\n1 1 0\n2 2 5 \xe9t\xe9\n".encode("latin-1"))
    with pytest.raises(BikesError) as err:
        read_op(latin)
    assert (
        err.value.render("id")
        == "berkas orienteering latin.txt bukan teks UTF-8: baris 4 memuat bita yang tidak dapat dibaca"
    )
    assert "codec" not in err.value.render("en") and err.value.extra == {"line": 4}
    with pytest.raises(BikesError) as err:
        read_op(tmp_path / "missing.txt")
    assert err.value.render("id") == "berkas orienteering missing.txt tidak ada"
    assert "No such file" not in err.value.render("en")
