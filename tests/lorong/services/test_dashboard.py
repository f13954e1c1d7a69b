"""The dashboard's SQL aggregates equal a plain per-row aggregation of the same data; the choropleth joins the
kelurahan areas (Kemendagri or BPS codes)."""

import pytest

from kotacerdas.core.db import session_scope
from kotacerdas.lorong import generate, periods
from kotacerdas.lorong.services import dashboard, scores
from kotacerdas.lorong.store.queries import aggregates, aggregates_per_row
from kotacerdas.lorong.store.tables import LorongProgramme


def same(a, b):
    assert a.units == b.units and a.grades == b.grades and a.suggested_grades == b.suggested_grades
    assert a.theme_units == b.theme_units and a.reports == b.reports
    assert a.trend.keys() == b.trend.keys()
    for iid in a.trend:
        assert a.trend[iid].keys() == b.trend[iid].keys()
        for p, (s, c) in a.trend[iid].items():
            assert s == pytest.approx(b.trend[iid][p][0], rel=1e-9) and c == b.trend[iid][p][1]
    assert a.kelurahan.keys() == b.kelurahan.keys()
    for k, row in a.kelurahan.items():
        other = b.kelurahan[k]
        assert {x: y for x, y in row.items() if x != "mean_score"} == {
            x: y for x, y in other.items() if x != "mean_score"
        }
        assert row["mean_score"] == pytest.approx(other["mean_score"])


def test_sql_aggregates_equal_the_per_row_baseline(world):
    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.lw)
        from kotacerdas.core import wilayah_makassar as areas_makassar

        generate.units(s, prog, areas_makassar.VILLAGES[:20], 2, seed=9)
        until = periods.parse("2025-06")
        generate.reports(s, prog, until, 6, seed=10)
        scores.recompute(s, prog, until="2025-05")
        keys = [p.key for p in periods.last(6, "month", until)]
        sql, rows = aggregates(s, prog.id, keys), aggregates_per_row(s, prog.id, keys)
        assert sql.units == 44 and sum(r["verified"] for r in sql.reports.values()) > 100
        same(sql, rows)
        data = dashboard.dashboard(s, prog, until="2025-06", n=6)
        assert data["periods"] == keys and data["units"] == 44
        assert data["reports"][-1]["verified"] == 0 and data["reports"][-1]["submitted"] > 0
        assert len(data["themes"]) == 21 and data["themes"][0]["name_en"] == "Food security"
        charts = dashboard.charts_for(data, "id")
        assert charts["themes"].startswith("<svg") and "Laporan tepat waktu" in charts["reports"]
        # June has reports but none verified yet: the trend has no value there, drawn as a gap (not a fall to 0)
        shown = next(t for t in data["trend"] if t["indicator"] == charts["trend_indicator"])
        assert shown["values"][-1]["value"] is None and shown["values"][0]["value"] is not None
        assert "2025-06: belum ada nilai terverifikasi" in charts["trend"]
        assert charts["trend"].count('class="point"') == sum(p["value"] is not None for p in shown["values"])


def test_choropleth_on_kemendagri_areas(world):
    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.lw)
        scores.recompute(s, prog, until="2025-05")
        data = dashboard.dashboard(s, prog, until="2025-05", n=1)
        fc = dashboard.choropleth(s, prog, data, "units")
        assert len(fc["features"]) == 153
        by = {f["properties"]["code"]: f["properties"] for f in fc["features"]}
        assert by["73.71.03.1003"]["units"] == 2 and by["73.71.01.1001"]["units"] == 2
        assert by["73.71.15.1001"]["units"] == 0 and by["73.71.15.1001"]["value"] == 0


def test_choropleth_joins_a_bps_boundary_file(world, shared_dir):
    """The real HDX/BPS 2020 villages of Makassar (codes like 73.71.040.006) join the units by the code table."""
    from kotacerdas.core import accounts
    from kotacerdas.core.admin_areas import import_areas
    from kotacerdas.core.models import AdminArea

    data = (shared_dir / "data/admin/id7371_kota_makassar/id7371_kota_makassar.geojson").read_bytes()
    with session_scope(world.engine) as s:
        city = accounts.get_city(s, "73.71")
        s.query(AdminArea).filter(AdminArea.city_id == city.id, AdminArea.level == "village").delete()
        import_areas(s, city, data, filename="hdx-makassar.geojson")
        prog = s.get(LorongProgramme, world.lw)
        fc = dashboard.choropleth(s, prog, dashboard.dashboard(s, prog, until="2025-05", n=1), "units")
        props = [f["properties"] for f in fc["features"]]
        assert len(props) == 153 and all(p["code"].count(".") == 3 and p["code"][9] == "1" for p in props)
        maradekaya = next(p for p in props if p["code"] == "73.71.03.1003")
        assert maradekaya["area_code"] == "73.71.040.006" and maradekaya["units"] == 2


def test_smart_kampung_draws_its_desa_when_no_village_area_is_stored(world):
    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.sk)
        fc = dashboard.choropleth(s, prog, dashboard.dashboard(s, prog, until="2025-Q1", n=1))
        assert [f["properties"]["name"] for f in fc["features"]] == ["Kelurahan Kepatihan"]
