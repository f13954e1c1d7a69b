"""Scoring runs over the stored programme and rankings per city, kecamatan and kelurahan."""

from datetime import UTC, datetime

from kotacerdas.core.db import session_scope
from kotacerdas.lorong.services import programmes, reports, scores
from kotacerdas.lorong.store.tables import LorongProgramme, LorongUnit

NOW = datetime(2025, 5, 3, tzinfo=UTC)


def test_scores_follow_verified_values_and_configuration(world):
    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.lw)
        a2 = s.get(LorongUnit, world.units["lr-a2"])  # urban-farming, lorong-bersih
        r, _ = reports.save(
            s,
            a2,
            "2025-04",
            {"luas-tanam": 50, "kerja-bakti": 0, "titik-buang-liar": 0},
            user_id=None,
            submit=True,
            now=NOW,
        )
        out = scores.recompute(s, prog, until="2025-04")
        assert out["units"] == 4 and out["window"] == ["2024-05", "2025-04"]
        assert a2.score == 0  # submitted, not verified: nothing counts yet
        reports.verify(s, r, user_id=None)
        scores.recompute(s, prog, until="2025-04")
        # urban farming: luas-tanam last=50 of 50 -> 100, panen-urban missing -> 0 => 50;
        # lorong bersih: kerja-bakti 0 of 24 -> 0, titik-buang-liar 0 (lower is better) -> 100 => 50
        assert a2.score == 50.0 and a2.suggested_grade == "C"
        programmes.update_programme(s, prog, {"grades": [["A", 80], ["B", 50], ["C", 0]]})
        scores.recompute(s, prog, until="2025-04")
        assert a2.suggested_grade == "B"
        ranked = scores.rankings(s, prog, "city")
        assert ranked[0].key == "lr-a2" and ranked[0].rank == 1 and ranked[1].rank == 2
        kel = scores.rankings(s, prog, "kelurahan")
        assert kel[0].name == "Maradekaya" and kel[0].score == 25.0
        inside = scores.rankings(s, prog, "kelurahan", area="73.71.03.1003")
        assert [r.key for r in inside] == ["lr-a2", "lr-a1"]


def _verified(s, unit, period, values):
    r, _ = reports.save(s, unit, period, values, user_id=None, submit=True, now=NOW)
    reports.verify(s, r, user_id=None)
    return r


def _periods(s, world) -> dict[str, str | None]:
    return {code: s.get(LorongUnit, uid).score_period for code, uid in world.units.items()}


def test_a_verification_that_moves_the_newest_period_scores_every_unit(world):
    """Rankings compare units over one window: the first verified report of a new month scores every unit up to it,
    and reopening the only report of that month scores them all back."""
    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.lw)
        units = {code: s.get(LorongUnit, uid) for code, uid in world.units.items()}
        for code in ("lr-a1", "lr-b1"):
            _verified(s, units[code], "2025-03", {"acara-seni": 1})
        assert set(_periods(s, world).values()) == {"2025-03"}  # the first verification scored them all
        april = _verified(s, units["lr-a1"], "2025-04", {"acara-seni": 3, "mural": 0})
        assert set(_periods(s, world).values()) == {"2025-04"}
        with_april = units["lr-a1"].score
        # a correction reopens the only verified report of April: back to March for every unit, without April
        reports.save(s, units["lr-a1"], "2025-04", {"acara-seni": 0}, user_id=None, submit=True, now=NOW)
        assert april.status == "submitted" and set(_periods(s, world).values()) == {"2025-03"}
        assert units["lr-a1"].score < with_april
        ranked = scores.rankings(s, prog, "city")
        assert {r.key for r in ranked} == set(world.units)
        # a verification in an earlier month moves nothing: only its unit is scored again
        before = scores.units_behind(s, prog, "2025-03")
        _verified(s, units["lr-b2"], "2025-02", {"gerai-kuliner": 5})
        assert before == 0 and set(_periods(s, world).values()) == {"2025-03"}


def test_a_large_programme_is_scored_again_later(world, monkeypatch):
    monkeypatch.setattr(scores, "INLINE_UNITS", 2)
    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.lw)
        scores.recompute(s, prog, until="2025-03")
        _verified(s, s.get(LorongUnit, world.units["lr-a1"]), "2025-04", {"acara-seni": 2})
        periods = _periods(s, world)
        assert periods["lr-a1"] == "2025-04" and periods["lr-b1"] == "2025-03"  # the unit itself at once
        assert scores.pending(s) == {prog.id: prog.city_id}
        out = scores.run_pending(s)
        assert out[0]["until"] == "2025-04" and set(_periods(s, world).values()) == {"2025-04"}
        assert scores.pending(s) == {}


def test_a_kecamatan_code_ranks_its_kelurahan_and_an_unknown_area_is_refused(world):
    import pytest

    from kotacerdas.lorong.errors import LorongError

    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.lw)
        for code, values in (("lr-a1", {"acara-seni": 1}), ("lr-b1", {"acara-seni": 2})):
            _verified(s, s.get(LorongUnit, world.units[code]), "2025-04", values)
        kel = scores.rankings(s, prog, "kelurahan", area="73.71.03")  # kecamatan Makassar
        assert [(r.key, r.name) for r in kel] == [("73.71.03.1003", "Maradekaya")]
        assert [r.key for r in scores.rankings(s, prog, "kecamatan", area="73.71.01")] == ["lr-b1", "lr-b2"]
        assert [r.key for r in scores.rankings(s, prog, "city", area="73.71.01.1001")] == ["lr-b1", "lr-b2"]
        with pytest.raises(LorongError, match="no kecamatan or kelurahan with the code 73.71.99") as unknown:
            scores.rankings(s, prog, "kelurahan", area="73.71.99")
        assert unknown.value.status == 404 and unknown.value.field == "area"
        with pytest.raises(LorongError, match="73.71.03.1003 is a kelurahan"):
            scores.rankings(s, prog, "kecamatan", area="73.71.03.1003")


def test_grades_must_go_from_the_best_down(world):
    import pytest

    from kotacerdas.lorong.errors import LorongError

    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.lw)
        before = list(prog.grades)
        with pytest.raises(LorongError, match=r"B \(from 80\) comes after A \(from 50\)") as out_of_order:
            programmes.update_programme(s, prog, {"grades": [["A", 50], ["B", 80], ["C", 0]]})
        assert out_of_order.value.field == "grades.1"
        with pytest.raises(LorongError, match="The grade A is given twice"):
            programmes.update_programme(s, prog, {"grades": [["A", 80], ["A", 50], ["C", 0]]})
        with pytest.raises(LorongError, match="must start at a score of 0"):
            programmes.update_programme(s, prog, {"grades": [["A", 80], ["B", 50]]})
        with pytest.raises(LorongError, match="pairs of a name"):
            programmes.update_programme(s, prog, {"grades": [["A", "banyak"], ["C", 0]]})
        assert prog.grades == before
        programmes.update_programme(s, prog, {"grades": [["A", 85], ["B", 60], ["C", 0]]})
        assert prog.grades == [["A", 85.0], ["B", 60.0], ["C", 0.0]]
