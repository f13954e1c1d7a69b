"""Admin-area import: real HDX boundaries, codes, bad input, idempotence and atomicity."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from kotacerdas.core import accounts
from kotacerdas.core.admin_areas import AdminAreaError, import_areas, read_areas
from kotacerdas.core.db import session_scope
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.geometry import GeometryError
from kotacerdas.core.models import AdminArea, ImportBatch


def fc(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def feat(code, name="Contoh", coords=None, **props):
    ring = coords or [[114.30, -8.20], [114.31, -8.20], [114.31, -8.21], [114.30, -8.21], [114.30, -8.20]]
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, **props},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.fixture
def city(engine):
    with session_scope(engine) as s:
        accounts.ensure_city(s, "35.10", "Kabupaten Banyuwangi")
    return "35.10"


def count(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(AdminArea))


def run_import(engine, data, **kw):
    with session_scope(engine) as s:
        return import_areas(s, accounts.get_city(s, "35.10"), data, filename="t.geojson", **kw)


def test_real_hdx_villages_import_with_districts_derived(engine, city, shared_dir):
    path = shared_dir / "data/admin/id3510_banyuwangi/id3510_banyuwangi.geojson"
    result = run_import(engine, path.read_bytes())
    assert result.created == 217 + 25 and result.derived == 25
    with session_scope(engine) as s:
        glagah = s.scalar(select(AdminArea).where(AdminArea.code == "35.10.170"))
        assert glagah.name == "Glagah" and glagah.level == "district" and glagah.code_scheme == "bps"
        villages = s.scalars(select(AdminArea).where(AdminArea.parent_code == "35.10.170")).all()
        assert villages and all(v.level == "village" for v in villages)
        union_area = sum(v.geom.area for v in villages)
        assert glagah.geom.area == pytest.approx(union_area, rel=1e-3)


def test_repeat_import_is_idempotent(engine, city):
    data = fc(feat("35.10.01", "Pesanggaran"))
    first = run_import(engine, data)
    second = run_import(engine, data)
    assert first.created == 1 and second.already_imported and count(engine) == 1
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 1


def test_changed_file_updates_in_place(engine, city):
    run_import(engine, fc(feat("35.10.01", "Pesanggaran")))
    result = run_import(engine, fc(feat("35.10.01", "Pesanggaran Baru")))
    assert result.updated == 1 and count(engine) == 1


def test_villages_without_their_kecamatan_name_keep_the_stored_one(engine, city):
    """A village file that names no kecamatan (no ``district`` property) derives the kecamatan's shape from its
    villages but keeps the name a kecamatan file gave it: the map never falls back to codes."""
    run_import(engine, fc(feat("35.10.01", "Pesanggaran")))
    west = [[114.30, -8.20], [114.305, -8.20], [114.305, -8.21], [114.30, -8.21], [114.30, -8.20]]
    villages = fc(
        feat("35.10.01.2001", "Sarongan", coords=west, level="village"),
        feat("35.10.01.2002", "Kandangan", coords=[[x + 0.005, y] for x, y in west], level="village"),
    )
    result = run_import(engine, villages)
    assert result.derived == 1 and result.updated == 1
    with session_scope(engine) as s:
        kec = s.scalar(select(AdminArea).where(AdminArea.code == "35.10.01"))
        assert kec.name == "Pesanggaran" and kec.source == "derived"
    named = fc(
        *[
            dict(f, properties=dict(f["properties"], district="Pesanggaran Raya"))
            for f in json.loads(villages)["features"]
        ]
    )
    run_import(engine, named)
    with session_scope(engine) as s:
        assert s.scalar(select(AdminArea.name).where(AdminArea.code == "35.10.01")) == "Pesanggaran Raya"


BAD = [
    (b"{not json", "is not valid JSON"),
    (json.dumps({"type": "Feature"}).encode(), "FeatureCollection"),
    (fc(feat("73.71.01")), "not inside city 35.10"),
    (fc(feat("35.10.01", name="")), "no name"),
    (fc(feat("35.10.01", level="village")), "does not fit the level"),
    (fc(feat("35.10.01"), feat("35.10.01")), "appears twice"),
    (fc(feat("35.10.01", coords=[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]])), "invalid: Self-intersection"),
    (fc(feat("35.10.01", coords=[[200, 0], [201, 0], [201, 1], [200, 0]])), "outside WGS84"),
    (
        fc({"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Polygon", "coordinates": [[1, 2]]}}),
        "coordinates are malformed",
    ),
    (fc({"type": "Feature", "properties": {"name": "x"}, "geometry": feat("35.10.01")["geometry"]}), "no area code"),
]


@pytest.mark.parametrize("data,reason", BAD, ids=[b[1] for b in BAD])
def test_bad_input_is_refused_with_the_reason_and_nothing_changes(engine, city, data, reason):
    run_import(engine, fc(feat("35.10.02", "Bangorejo")))
    with pytest.raises(KotacerdasError) as err:
        run_import(engine, data)
    assert reason in err.value.render("en")
    assert count(engine) == 1  # what was stored before is untouched


def test_all_bad_records_are_listed_and_nothing_is_stored(engine, city):
    data = fc(feat("35.10.01", "Baik"), feat("73.71.01", "Salah kota"), feat("35.10.03", name=""))
    with pytest.raises(AdminAreaError) as err:
        run_import(engine, data)
    assert [p["record"] for p in err.value.problems] == [1, 2]
    assert "2" in err.value.render("id") and "fitur tidak sah" in err.value.render("id")
    assert count(engine) == 0


def test_skip_invalid_imports_the_good_and_reports_the_rest(engine, city):
    data = fc(feat("35.10.01", "Baik"), feat("73.71.01", "Salah kota"))
    result = run_import(engine, data, skip_invalid=True)
    assert result.created == 1
    assert result.skipped == [
        {"record": 1, "field": "code", "reason": "Record 1: Area code 73.71.01 is not inside city 35.10"}
    ]


def test_other_crs_is_refused():
    data = json.dumps(
        {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:32750"}}, "features": []}
    ).encode()
    with pytest.raises(GeometryError, match="WGS84"):
        read_areas(data, "35.10")


def test_errors_read_in_both_languages():
    with pytest.raises(GeometryError) as err:
        read_areas(fc(feat("35.10.01", coords=[[200, 0], [201, 0], [201, 1], [200, 0]])), "35.10")
    assert "Koordinat" in err.value.render("id") and "Rekaman 0" in err.value.render("id")
    assert "Coordinate" in err.value.render("en")
