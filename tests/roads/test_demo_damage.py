"""Road damage in the demo: the real detector over the RDD2022 samples when a model is at hand (a known one found in
``../shared/models``), else generated records; both labelled demo, and the summary says which it did."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.roads import demo, demo_damage
from kotacerdas.roads.store.damage_tables import RoadCapture, RoadDamage, RoadSegmentDistress


@pytest.mark.slow
def test_demo_runs_the_real_detector_over_the_samples(seeded, tmp_path, shared_dir):
    with session_scope(seeded) as s:
        out = demo.load_demo(s, cache_dir=tmp_path / "cache")["damage"]
    assert out["source"] == "model" and out["images"] == 10 and "real detector" in out["note"]
    with session_scope(seeded) as s:
        cap = s.scalar(select(RoadCapture))
        assert cap.demo and cap.frames_done == 10 and cap.model == out["model"]
        damages = list(s.scalars(select(RoadDamage)))
        assert damages and all(d.demo and d.model == out["model"] for d in damages)
    with session_scope(seeded) as s:  # loading twice changes nothing
        again = demo.load_demo(s, cache_dir=tmp_path / "cache")["damage"]
        assert again["capture"] == out["capture"]
        assert s.scalar(select(func.count()).select_from(RoadDamage)) == len(damages)


@pytest.mark.slow
def test_without_a_model_the_records_are_generated(seeded, tmp_path, monkeypatch):
    monkeypatch.setattr(demo_damage, "demo_model", lambda data_dir: None)
    with session_scope(seeded) as s:
        out = demo.load_demo(s, cache_dir=tmp_path / "cache")["damage"]
    assert out["source"] == "generated" and out["created"] > 10 and "generated" in out["note"]
    with session_scope(seeded) as s:
        damages = list(s.scalars(select(RoadDamage)))
        assert {d.code for d in damages} >= {"D40", "D00"} and all(d.demo and d.model == "demo" for d in damages)
        assert (
            s.scalar(select(func.count()).select_from(RoadSegmentDistress).where(RoadSegmentDistress.sdi.is_not(None)))
            > 20
        )
        city = accounts.get_city(s, "35.10")
        again = demo_damage.load_damage_demo(s, city, tmp_path)
        assert again["created"] == 0 and again["records"] == len(damages)
