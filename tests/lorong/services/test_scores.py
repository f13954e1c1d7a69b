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
