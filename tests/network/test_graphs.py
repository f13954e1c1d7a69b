"""Stored routing graphs: built once per network import, loaded by another process, rebuilt when the network changes."""

from __future__ import annotations

from sqlalchemy import func, select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.network import graphs
from kotacerdas.network.demo import write_generated_dem
from kotacerdas.network.store import import_elevation, import_network
from kotacerdas.network.tables import NetworkGraphRow, RoadSegmentRow
from tests.network.bikenet import write_bikenet


def test_routers_are_stored_per_profile_and_reused(seeded, tmp_path, monkeypatch):
    path = write_bikenet(tmp_path / "bike.osm")
    with session_scope(seeded) as s:
        city = accounts.get_city(s, "35.10")
        import_network(s, city, path)
        built = graphs.store_routers(s, city.id)
        assert set(built) == {"quiet", "fast", "shortest"}
    with session_scope(seeded) as s:
        assert s.scalar(select(func.count()).select_from(NetworkGraphRow)) == 3
        city_id = accounts.get_city(s, "35.10").id
        graphs._ROUTERS.clear()  # as a fresh process would
        calls = []
        monkeypatch.setattr(graphs, "build_hierarchy", lambda *a, **k: calls.append(a))
        router = graphs.city_router(s, city_id, "quiet")
        assert calls == []  # loaded, not contracted again
        route = router.route((114.36, -8.22), (114.3645, -8.22))
        assert route.distance_m > 400


def test_elevation_import_changes_the_state_and_rebuilds(seeded, tmp_path):
    path = write_bikenet(tmp_path / "bike.osm")
    with session_scope(seeded) as s:
        city = accounts.get_city(s, "35.10")
        import_network(s, city, path)
        before = graphs.state_key(s, city.id, "fast")
        graphs.city_router(s, city.id, "fast")
    dem = write_generated_dem(tmp_path / "dem.tif")
    with session_scope(seeded) as s:
        city = accounts.get_city(s, "35.10")
        result = import_elevation(s, city, dem)
        assert result.segments > 0 and not result.already_imported
        assert import_elevation(s, city, dem).already_imported
    with session_scope(seeded) as s:
        city = accounts.get_city(s, "35.10")
        assert graphs.state_key(s, city.id, "fast") != before
        row = s.scalars(select(RoadSegmentRow).where(RoadSegmentRow.elevation.is_not(None))).first()
        assert row.climb_m is not None and len(row.elevation[0]) == 2
        router = graphs.city_router(s, city.id, "fast")
        assert any(seg.elevation for seg in router.graph.segments)
        graphs.store_routers(s, city.id, ("fast",))
        keys = set(s.scalars(select(NetworkGraphRow.state_key)))
        assert graphs.state_key(s, city.id, "fast") in keys
