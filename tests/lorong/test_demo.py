"""The demo: real Makassar and Banyuwangi names and codes, everything else generated and labelled; idempotent."""

import pytest
from sqlalchemy import func, select

from kotacerdas.core.db import session_scope
from kotacerdas.core.models import AdminArea, City
from kotacerdas.lorong.demo import load_demo
from kotacerdas.lorong.store.tables import LorongActivity, LorongReport, LorongUnit, LorongWasteAccount


@pytest.mark.slow
def test_demo_loads_once_and_labels_itself(seeded):
    with session_scope(seeded) as s:
        out = load_demo(s)
    assert out["73.71"]["units"] == 306 and out["35.10"]["units"] == 217
    assert out["73.71"]["areas"]["created"] == 153 and out["73.71"]["areas"]["derived"] == 15
    with session_scope(seeded) as s:
        assert load_demo(s) == {"73.71": {"already_loaded": True}, "35.10": {"already_loaded": True}}
        mks = s.scalar(select(City).where(City.code == "73.71"))
        names = {
            a.code: a.name
            for a in s.scalars(select(AdminArea).where(AdminArea.city_id == mks.id, AdminArea.level == "village"))
        }
        assert names["73.71.03.1003"] == "Maradekaya" and len(names) == 153
        assert all(a.source != "" for a in s.scalars(select(AdminArea).where(AdminArea.city_id == mks.id)))
        units = list(s.scalars(select(LorongUnit)))
        assert all(u.is_demo for u in units)
        assert all("(demo)" in u.name for u in units if u.programme_id == units[0].programme_id)
        assert s.scalar(select(func.count()).where(LorongReport.status == "submitted")) > 0
        assert all(a.is_demo and "(demo)" in a.holder_name for a in s.scalars(select(LorongWasteAccount)))
        activities = list(s.scalars(select(LorongActivity)))  # in both languages, so the English page reads English
        assert activities and all(a.name["en"].endswith("(demo)") for a in activities)
        example = {"id": "Kegiatan contoh (demo)", "en": "Example activity (demo)"}
        assert all(a.description == example for a in activities)
        assert all(p["name"]["en"] for a in activities for p in a.products)
