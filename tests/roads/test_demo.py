"""The Road Manager demo: a generated network in Banyuwangi town with simulated surveys, loaded fast,
once; a cached real OSM extract is used instead when present."""

from __future__ import annotations

import statistics

from sqlalchemy import func, select

from kotacerdas.core.db import session_scope
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads import demo
from kotacerdas.roads.store.tables import RoadSurvey, RoadVehicle


def test_demo_loads_network_vehicles_and_surveys_once(seeded, tmp_path):
    with session_scope(seeded) as s:
        out = demo.load_demo(s, cache_dir=tmp_path / "cache")
    assert out["network"]["source"] == "generated" and out["network"]["segments"] > 100
    assert len(out["surveys"]) == len(demo.SURVEYS)
    with session_scope(seeded) as s:
        segs = list(s.scalars(select(RoadSegmentRow)))
        assert all(r.source == "generated" for r in segs)
        # the town's streets around Banyuwangi (most segments; the regional roads reach Ijen and the south)
        lon = statistics.median(r.geom.centroid.x for r in segs)
        lat = statistics.median(r.geom.centroid.y for r in segs)
        assert abs(lon - 114.369) < 0.01 and abs(lat + 8.219) < 0.01
        assert {r.name for r in segs} >= {"Jl. Demo Raya 1", "Jl. Demo Raya 2"}
        classes = {r.latest_class for r in segs}
        assert {"baik", "sedang"} <= classes and None in classes  # some streets not surveyed
        vehicles = {v.code: v.calibrated for v in s.scalars(select(RoadVehicle))}
        assert sorted(vehicles.values()) == [False, True, True]
        assert s.scalar(select(func.count(RoadSurvey.id))) == len(demo.SURVEYS)
        flags = set(s.scalars(select(RoadSurvey.calibrated)))
        assert flags == {True, False}
    with session_scope(seeded) as s:
        again = demo.load_demo(s, cache_dir=tmp_path / "cache")
        assert again["network"]["already_imported"]
        assert all(x.get("already_imported") for x in again["surveys"])
        assert s.scalar(select(func.count(RoadSurvey.id))) == len(demo.SURVEYS)


def test_a_cached_osm_extract_is_used_instead(seeded, tmp_path, roads_osm):
    cache = tmp_path / "cache"
    (cache / "osm").mkdir(parents=True)
    real = cache / "osm" / "osm-114.3500_-8.2300_114.3900_-8.2100.osm"
    real.write_bytes(roads_osm.read_bytes())
    with session_scope(seeded) as s:
        out = demo.load_demo(s, cache_dir=cache)
        assert out["network"]["source"] == f"osm:{real.name}"
        assert set(s.scalars(select(RoadSegmentRow.source))) == {f"osm:{real.name}"}
