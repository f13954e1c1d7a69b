"""Stored road network: OSM import into segments, stable ids on re-import, admin areas, the graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.network import demo
from kotacerdas.network.demo import generated_osm_xml
from kotacerdas.network.errors import NetworkError
from kotacerdas.network.osm import read_osm
from kotacerdas.network.store import city_graph, import_network, road_key, stored_segments
from kotacerdas.network.tables import RoadSegmentRow


def test_import_stores_one_row_per_segment_with_attributes(seeded, roads_osm):
    engine = seeded
    expected = read_osm(roads_osm)
    with session_scope(engine) as s:
        city = accounts.get_city(s, "35.10")
        result = import_network(s, city, roads_osm)
        assert result.created == len(expected) and result.updated == 0 and not result.already_imported
    with session_scope(engine) as s:
        rows = {r.segment_key: r for r in s.scalars(select(RoadSegmentRow))}
        assert set(rows) == {seg.segment_id for seg in expected}
        for seg in expected:
            row = rows[seg.segment_id]
            assert row.osm_way_id == seg.osm_way_id and row.highway == seg.highway and row.name == seg.name
            assert row.surface == seg.surface and row.lanes == seg.lanes and row.oneway == seg.oneway
            assert row.width_m == seg.width_m
            assert row.length_m == pytest.approx(seg.length_m, abs=0.01)
            assert row.geom.equals_exact(seg.geometry, 1e-9)
            assert row.district_code == "35.10.16"  # the generated Banyuwangi kecamatan holds the town
            assert row.road_key == road_key(seg.name, seg.osm_way_id)
        # the same file twice is one import
        city = accounts.get_city(s, "35.10")
        again = import_network(s, city, roads_osm)
        assert again.already_imported and again.created == 0
        assert s.scalar(select(func.count(RoadSegmentRow.id))) == len(expected)


def test_reimport_of_a_newer_extract_updates_in_place(seeded, tmp_path):
    old = tmp_path / "old.osm"
    old.write_bytes(generated_osm_xml(cols=4, rows=3))
    with session_scope(seeded) as s:
        city = accounts.get_city(s, "35.10")
        import_network(s, city, old)
        before = {r.segment_key: r.id for r in s.scalars(select(RoadSegmentRow))}
    # a newer extract: one street renamed, one column of streets gone
    text = generated_osm_xml(cols=4, rows=3).decode().replace("Jl. Demo 1", "Jl. Demo Satu")
    new = tmp_path / "new.osm"
    new.write_text(text)
    smaller = tmp_path / "smaller.osm"
    smaller.write_bytes(generated_osm_xml(cols=3, rows=3))
    with session_scope(seeded) as s:
        city = accounts.get_city(s, "35.10")
        r1 = import_network(s, city, new)
        assert r1.updated > 0 and r1.created == 0 and r1.retired == 0
        after = {r.segment_key: r.id for r in s.scalars(select(RoadSegmentRow))}
        assert after == before  # same rows, same ids: history stays linked
        assert s.scalar(select(func.count()).where(RoadSegmentRow.name == "Jl. Demo Satu")) > 0
        r2 = import_network(s, city, smaller)
        assert r2.retired > 0
        inactive = s.scalar(select(func.count()).where(RoadSegmentRow.active.is_(False)))
        assert inactive == r2.retired
        assert len(stored_segments(s, city.id)) == len(before) - inactive


def test_city_graph_is_built_from_the_stored_segments(network_db, roads_osm):
    with session_scope(network_db) as s:
        city = accounts.get_city(s, "35.10")
        graph = city_graph(s, city.id)
        assert len(graph.segments) == len(read_osm(roads_osm))
        a, b = int(graph.node_ids[0]), int(graph.node_ids[-1])
        route = graph.shortest_path(a, b)
        assert route is not None and route.length_m > 0
        assert city_graph(s, city.id) is graph  # cached while the network is unchanged
        bike = city_graph(s, city.id, mode="bike")
        assert bike.mode == "bike"
        other = accounts.get_city(s, "73.71")
        assert city_graph(s, other.id).segments == []


def test_bad_files_are_refused_with_a_clear_error(seeded, tmp_path):
    broken = tmp_path / "broken.osm"
    broken.write_text("<osm><way id='1'>")
    empty = tmp_path / "empty.osm"
    empty.write_text("<?xml version='1.0'?><osm version='0.6'></osm>")
    with session_scope(seeded) as s:
        city = accounts.get_city(s, "35.10")
        with pytest.raises(Exception) as err:
            import_network(s, city, broken)
        assert "broken.osm" in str(err.value)
        with pytest.raises(NetworkError, match="no road"):
            import_network(s, city, empty)
        with pytest.raises(NetworkError, match="does not exist"):
            import_network(s, city, Path(tmp_path / "missing.osm"))


def test_generated_network_is_deterministic_and_osm_like(seeded, tmp_path):
    a, b = generated_osm_xml(), generated_osm_xml()
    assert a == b and b"kotacerdas demo (generated)" in a
    path = tmp_path / "g.osm"
    path.write_bytes(a)
    with session_scope(seeded) as s:
        from kotacerdas.core.accounts import get_city

        res = import_network(s, get_city(s, "35.10"), path)
        assert res.segments == (demo.COLS - 1) * demo.ROWS + (demo.ROWS - 1) * demo.COLS
        highways = set(s.scalars(select(RoadSegmentRow.highway)))
        assert {"primary", "secondary", "residential"} <= highways
        assert s.scalar(select(func.count()).where(RoadSegmentRow.oneway == 1)) > 0


def test_an_extract_of_another_city_is_refused_unless_forced(seeded, roads_osm, tmp_path):
    """The Makassar extract imported into Banyuwangi (35.10) would move its roads 1,000 km: refused, nothing
    stored; with ``force`` it is imported as asked."""
    from tests.malformed import osm_xml

    makassar = tmp_path / "makassar.osm"
    makassar.write_bytes(osm_xml([(1, "-5.1470", "119.4320"), (2, "-5.1480", "119.4330")], [[1, 2]]))
    with session_scope(seeded) as s:
        city = accounts.get_city(s, "35.10")
        import_network(s, city, roads_osm)
    with pytest.raises(NetworkError) as err, session_scope(seeded) as s:
        import_network(s, accounts.get_city(s, "35.10"), makassar)
    assert "does not overlap city 35.10" in err.value.render("en") and err.value.record == "makassar.osm"
    with session_scope(seeded) as s:
        active = s.scalar(select(func.count()).select_from(RoadSegmentRow).where(RoadSegmentRow.active))
        assert active == len(read_osm(roads_osm))
        forced = import_network(s, accounts.get_city(s, "35.10"), makassar, force=True)
        assert forced.created == 1 and forced.retired == active


def test_a_garbled_node_coordinate_is_counted_not_stored(seeded, tmp_path):
    """osmium reads an unreadable latitude (``1e308``) as 0: the 900 km piece it makes is left out and counted."""
    from tests.malformed import osm_xml

    nodes = [(1, "-8.2137", "114.3676"), (2, "-8.2140", "114.3690"), (3, "1e308", "114.3700")]
    path = tmp_path / "garbled.osm"
    path.write_bytes(osm_xml(nodes, [[1, 2], [2, 3]]))
    with session_scope(seeded) as s:
        result = import_network(s, accounts.get_city(s, "35.10"), path)
    assert result.created == 1 and result.excluded == {"implausible_length": 1}


def test_the_width_tag_is_kept(seeded, tmp_path):
    """OSM ``width`` (metres) is stored with the segment, and a re-import that changes it updates it."""
    text = generated_osm_xml(cols=3, rows=3).decode()
    tagged = text.replace(
        '<tag k="name" v="Jl. Demo Raya 1"/>', '<tag k="name" v="Jl. Demo Raya 1"/><tag k="width" v="9"/>'
    )
    assert tagged != text
    path = tmp_path / "width.osm"
    path.write_text(tagged)
    with session_scope(seeded) as s:
        import_network(s, accounts.get_city(s, "35.10"), path)
        widths = {r.road_key: r.width_m for r in s.scalars(select(RoadSegmentRow))}
    assert widths["Jl. Demo Raya 1"] == 9.0 and {w for k, w in widths.items() if k != "Jl. Demo Raya 1"} == {None}
    path.write_text(tagged.replace('v="9"', 'v="10.5"'))
    with session_scope(seeded) as s:
        assert import_network(s, accounts.get_city(s, "35.10"), path).updated > 0
        rows = s.scalars(select(RoadSegmentRow).where(RoadSegmentRow.road_key == "Jl. Demo Raya 1"))
        assert {r.width_m for r in rows} == {10.5}
