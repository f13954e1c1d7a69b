"""Bulk import and export: bad rows named by row and column and skipped, valid rows kept, the same file twice
changes nothing, an export imports again unchanged, coordinators import only for their own units."""

import pytest
from sqlalchemy import func, select

from kotacerdas.core.db import session_scope
from kotacerdas.core.models import ImportBatch
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.formats.sheets import read_sheet, write_xlsx
from kotacerdas.lorong.services import bulk
from kotacerdas.lorong.store.tables import (
    LorongActivity,
    LorongProgramme,
    LorongReport,
    LorongReportValue,
    LorongUnit,
)

HEADER = "code,name,kecamatan_code,kelurahan_code,themes,geometry,grade\n"
LINE = '"LINESTRING(119.42 -5.14, 119.421 -5.141)"'
POLYGON = (
    '"{""type"": ""Polygon"", ""coordinates"": [[[119.40,-5.16],[119.401,-5.16],[119.401,-5.161],[119.40,-5.16]]]}"'
)
GOOD = f'"lr-c1","Lorong Kenanga","73.71.03","73.71.03.1003","seni;urban-farming",{LINE},"A"\n'
ROWS = (
    GOOD
    + '"lr-c2","Lorong Melati","73.71.99","73.71.99.1001","seni","LINESTRING(119.42 -5.14, 119.421 -5.141)",""\n'
    + '"lr-c3","","73.71.03","73.71.03.1003","seni","LINESTRING(119.42 -5.14, 119.421 -5.141)",""\n'
    + '"lr-c4","Lorong Mawar","73.71.03","73.71.03.1003","seni","POINT(119.42 -5.14)",""\n'
    + '"lr-c5","Lorong Kamboja","73.71.03","73.71.03.1003","tidak-ada","LINESTRING(119.42 -5.14, 119.421 -5.141)",""\n'
    + f'"lr-c6","Lorong Tulip","73.71.01","73.71.01.1001","",{POLYGON},"C"\n'
)


def run(world, data, **kw):
    with session_scope(world.engine) as s:
        return bulk.import_sheet(
            s, s.get(LorongProgramme, world.lw), data, filename=kw.pop("filename", "units.csv"), **kw
        )


def test_units_import_reports_every_bad_row_and_keeps_the_good_ones(world):
    result = run(world, (HEADER + ROWS).encode())
    assert (result.kind, result.created) == ("units", 2)
    assert [(e["row"], e["column"]) for e in result.errors] == [
        (3, "kecamatan_code"),
        (4, "name"),
        (5, "geometry"),
        (6, "themes"),
    ]
    assert "Unknown kecamatan 73.71.99" in result.errors[0]["reason"]
    with session_scope(world.engine) as s:
        codes = set(s.scalars(select(LorongUnit.code).where(LorongUnit.programme_id == world.lw)))
        assert {"lr-c1", "lr-c6"} <= codes and not {"lr-c2", "lr-c3", "lr-c4", "lr-c5"} & codes
    again = run(world, (HEADER + ROWS).encode())
    assert again.already_imported and again.created == 0
    with session_scope(world.engine) as s:
        assert s.scalar(select(func.count()).where(ImportBatch.kind == "lorong.units")) == 1


def test_an_export_imports_again_unchanged_and_an_edit_updates(world):
    run(world, (HEADER + GOOD).encode())
    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.lw)
        body, _media = bulk.export_file(s, prog, "units", "xlsx")
    result = run(world, body, filename="units.xlsx")
    assert (result.created, result.updated, result.errors) == (0, 0, []) and result.unchanged == 5
    header, rows = read_sheet(body, "units.xlsx")
    rows = [[r.get(h, "") for h in header] for _n, r in rows]
    rows[0][header.index("name")] = "Lorong Anggrek Baru"
    result = run(world, write_xlsx(header, rows), filename="edited.xlsx")
    assert (result.updated, result.unchanged) == (1, 4)


def test_activities_and_values(world):
    acts = (
        "unit,code,kind,theme,name,products,contact,contact_public,lon,lat\n"
        'lr-a1,warung,umkm,destinasi-kuliner,Warung Coto,"Coto:25000:mangkok; Es:8000:gelas",0813,1,119.42,-5.143\n'
        "lr-zz,x,umkm,,Tidak ada,,,,,\n"
        "lr-a1,mural,painting,seni,Mural,,,,,\n"
    )
    result = run(world, acts.encode(), filename="activities.csv")
    assert result.created == 1 and [(e["row"], e["column"]) for e in result.errors] == [(3, "unit"), (4, "kind")]
    values = (
        "unit,period,indicator,value\n"
        "lr-a1,2025-04,gerai-kuliner,6\n"
        "lr-a1,2025-04,pengunjung-kuliner,140\n"
        "lr-a1,2025-04,pengunjung-kuliner,banyak\n"
        "lr-b1,2025/04,situs-sejarah,2\n"
    )
    result = run(world, values.encode(), filename="values.csv")
    assert result.created == 2 and result.updated == 0
    assert [(e["row"], e["column"]) for e in result.errors] == [(4, "value"), (5, "period")]
    with session_scope(world.engine) as s:
        act = s.scalar(select(LorongActivity).where(LorongActivity.code == "warung"))
        assert act.products[0] == {"name": {"id": "Coto", "en": ""}, "price": 25000, "unit": "mangkok"}
        assert act.contact_public and act.name == {"id": "Warung Coto", "en": ""}  # an old sheet's name: Indonesian
        report = s.scalar(select(LorongReport).where(LorongReport.unit_id == world.units["lr-a1"]))
        assert report.status == "submitted"


def test_a_coordinator_imports_for_their_own_units_only(world):
    values = "unit,period,indicator,value\nlr-a1,2025-04,gerai-kuliner,6\nlr-b1,2025-04,situs-sejarah,2\n"
    with session_scope(world.engine) as s:
        mine = {world.units["lr-a1"], world.units["lr-a2"]}
        result = bulk.import_sheet(
            s,
            s.get(LorongProgramme, world.lw),
            values.encode(),
            filename="v.csv",
            may_write=lambda u: u.id in mine,
            may_configure=False,
        )
    assert result.created == 1 and [(e["row"], e["column"]) for e in result.errors] == [(3, "unit")]
    assert result.errors[0]["error"].status == 403


def test_a_file_of_no_template_and_a_missing_column():
    with pytest.raises(LorongError, match="do not match a template"):
        bulk.guess_kind(["a", "b"])


def test_templates():
    body, media = bulk.template_file("values", "csv")
    assert body.decode().strip() == "unit,period,indicator,value" and media.startswith("text/csv")
    header, rows = read_sheet(bulk.template_file("units", "xlsx")[0], "t.xlsx")
    assert header == list(bulk.COLUMNS["units"]) and rows == []


# -- nothing stored changed or silently lost ------------------------------------------------------------------


def errors_of(result):
    return [(e["row"], e["column"]) for e in result.errors]


def test_prices_and_yes_no_cells_are_read_as_officials_write_them(world):
    acts = (
        "unit,code,kind,theme,name,products,contact_public,public\n"
        'lr-a1,warung,umkm,destinasi-kuliner,Warung,"Kopi:15.000:gelas; Teh:Rp5000; Coto:Rp 25.000,-:mangkok",ya,1\n'
        'lr-a1,kios,umkm,destinasi-kuliner,Kios,"Kue:mahal:pcs",0,1\n'
        "lr-a1,sudut,umkm,destinasi-kuliner,Sudut,,maybe,1\n"
        "lr-a1,pojok,umkm,destinasi-kuliner,Pojok,,tidak,entah\n"
    )
    result = run(world, acts.encode(), filename="activities.csv")
    assert result.created == 1
    assert errors_of(result) == [(3, "products"), (4, "contact_public"), (5, "public")]
    assert "mahal is not an amount of rupiah" in result.errors[0]["reason"]
    assert "maybe is neither yes" in result.errors[1]["reason"]
    with session_scope(world.engine) as s:
        act = s.scalar(select(LorongActivity).where(LorongActivity.code == "warung"))
        assert [(p["name"]["id"], p["price"], p["unit"]) for p in act.products] == [
            ("Kopi", 15000, "gelas"),
            ("Teh", 5000, ""),
            ("Coto", 25000, "mangkok"),
        ]
        assert act.contact_public is True
        assert s.scalar(select(func.count()).select_from(LorongActivity)) == 1
    units = HEADER.strip() + ",published\n" + GOOD.strip() + ",maybe\n"
    result = run(world, units.encode())
    assert (result.created, errors_of(result)) == (0, [(2, "published")])


def test_a_repeated_key_is_refused_naming_the_row_imported(world):
    twice = HEADER + GOOD + GOOD.replace("Lorong Kenanga", "Lorong Kenanga Dua")
    result = run(world, twice.encode())
    assert result.created == 1 and errors_of(result) == [(3, "code")]
    assert "lr-c1 was already imported from row 2" in result.errors[0]["reason"]
    with session_scope(world.engine) as s:
        assert s.scalar(select(LorongUnit.name).where(LorongUnit.code == "lr-c1")) == "Lorong Kenanga"
    values = (
        "unit,period,indicator,value\nlr-a1,2025-03,gerai-kuliner,4\nlr-a2,2025-03,luas-tanam,5\n"
        "lr-a1,2025-03-01 00:00:00,gerai-kuliner,9\n"
    )
    result = run(world, values.encode(), filename="values.csv")
    assert result.created == 2 and errors_of(result) == [(4, "indicator")]
    assert "row 2" in result.errors[0]["reason"]
    with session_scope(world.engine) as s:
        assert (
            s.scalar(
                select(func.max(LorongReportValue.value))
                .join(LorongReport)
                .where(LorongReport.unit_id == world.units["lr-a1"])
            )
            == 4
        )


def test_lines_and_points_outside_the_city_are_refused(world):
    jakarta = '"lr-c7","Lorong Jauh","73.71.03","73.71.03.1003","seni","LINESTRING(106.82 -6.17, 106.821 -6.171)",""\n'
    result = run(world, (HEADER + jakarta).encode())
    assert errors_of(result) == [(2, "geometry")] and "outside city 73.71" in result.errors[0]["reason"]
    acts = (
        "unit,code,kind,theme,name,lon,lat\n"
        "lr-a1,jauh,mural,seni,Mural jauh,106.82,-6.17\n"
        "lr-a1,salah,mural,seni,Mural salah,abc,-5.14\n"
        "lr-a1,kutub,mural,seni,Mural kutub,119.42,-95\n"
        "lr-a1,separuh,mural,seni,Mural separuh,119.42,\n"
        'lr-a1,koma,mural,seni,Mural koma,"119,42","-5,143"\n'
    )
    result = run(world, acts.encode(), filename="activities.csv")
    assert errors_of(result) == [(2, "lon"), (3, "lon"), (4, "lat"), (5, "lat")]
    assert result.created == 1
    with session_scope(world.engine) as s:
        geom = s.scalar(select(LorongActivity).where(LorongActivity.code == "koma")).geom
        assert (geom.x, geom.y) == (119.42, -5.143)


def test_activities_and_values_only_under_the_units_themes(world):
    acts = (
        "unit,code,kind,theme,name\n"
        "lr-a1,kebun,urban_farm,urban-farming,Kebun\n"
        "lr-a2,kebun,urban_farm,urban-farming,Kebun\n"
    )
    result = run(world, acts.encode(), filename="activities.csv")
    assert result.created == 1 and errors_of(result) == [(2, "theme")]
    assert "lr-a1 does not take part in the theme urban-farming" in result.errors[0]["reason"]
    values = (
        "unit,period,indicator,value\n"
        "lr-a1,2025-03,luas-tanam,5\n"
        "lr-a1,2025-03,tidak-ada,5\n"
        'lr-a1,2025-03,gerai-kuliner,"3,5"\n'
    )
    result = run(world, values.encode(), filename="values.csv")
    assert errors_of(result) == [(2, "indicator"), (3, "indicator")] and result.created == 1
    assert "theme urban-farming" in result.errors[0]["reason"] and "Unknown indicator" in result.errors[1]["reason"]
    with session_scope(world.engine) as s:
        assert s.scalar(select(LorongReportValue.value)) == 3.5


def test_an_xlsx_date_cell_is_the_period_that_holds_it(world):
    from datetime import datetime

    body = write_xlsx(
        ["unit", "period", "indicator", "value"],
        [["lr-a1", datetime(2025, 3, 1), "gerai-kuliner", 4], ["lr-a2", datetime(2025, 4, 1), "luas-tanam", "2,5"]],
    )
    result = run(world, body, filename="values.xlsx")
    assert (result.created, result.errors) == (2, [])
    with session_scope(world.engine) as s:
        assert sorted(s.scalars(select(LorongReport.period))) == ["2025-03", "2025-04"]


def test_an_activities_export_imports_again_unchanged(world):
    acts = 'unit,code,kind,theme,name,products\nlr-a1,warung,umkm,destinasi-kuliner,Warung,"Kopi:15.000:gelas; Teh::"\n'
    assert run(world, acts.encode(), filename="activities.csv").created == 1
    with session_scope(world.engine) as s:
        body, _media = bulk.export_file(s, s.get(LorongProgramme, world.lw), "activities", "csv")
    assert "Kopi:15000:gelas; Teh::" in body.decode()
    result = run(world, body, filename="activities-export.csv")
    assert (result.unchanged, result.updated, result.errors) == (1, 0, [])


def test_a_description_in_one_language_is_refused_under_its_missing_column(world):
    header = HEADER.strip() + ",description_id,description_en\n"
    rows = (
        GOOD.strip()
        + ',"Lorong kuliner",""\n'
        + GOOD.strip().replace("lr-c1", "lr-c9")
        + ',"Lorong kuliner","Food alley"\n'
    )
    result = run(world, (header + rows).encode())
    assert result.created == 1 and errors_of(result) == [(2, "description_en")]
    with session_scope(world.engine) as s:
        unit = s.scalar(select(LorongUnit).where(LorongUnit.code == "lr-c9"))
        assert unit.description == {"id": "Lorong kuliner", "en": "Food alley"}


def test_activities_import_and_export_in_both_languages(world):
    assert bulk.template("activities")[4:8] == ("name_id", "name_en", "description_id", "description_en")
    acts = (
        "unit,code,kind,theme,name_id,name_en,description_id,description_en,products,products_en\n"
        "lr-a1,dapur,umkm,destinasi-kuliner,Dapur Daeng,Daeng's kitchen,Masakan rumahan,Home cooking,"
        '"Pisang epe:10000:porsi; Es pisang ijo:12000:gelas","Grilled banana; Green banana ice"\n'
        'lr-a1,kios,umkm,destinasi-kuliner,Kios,,,,"Kue:5000:pcs; Teh:3000:gelas",Cake\n'
        "lr-a1,sudut,umkm,destinasi-kuliner,,Corner,,,,\n"
    )
    result = run(world, acts.encode(), filename="activities.csv")
    assert result.created == 1 and errors_of(result) == [(3, "products_en"), (4, "name_id")]
    assert "2 products" in result.errors[0]["reason"] and "Bahasa Indonesia" in result.errors[1]["reason"]
    with session_scope(world.engine) as s:
        act = s.scalar(select(LorongActivity).where(LorongActivity.code == "dapur"))
        assert act.name == {"id": "Dapur Daeng", "en": "Daeng's kitchen"}
        assert act.description == {"id": "Masakan rumahan", "en": "Home cooking"}
        assert [p["name"] for p in act.products] == [
            {"id": "Pisang epe", "en": "Grilled banana"},
            {"id": "Es pisang ijo", "en": "Green banana ice"},
        ]
        body, _media = bulk.export_file(s, s.get(LorongProgramme, world.lw), "activities", "csv")
    text = body.decode("utf-8-sig")
    assert "Dapur Daeng,Daeng's kitchen,Masakan rumahan,Home cooking" in text
    assert "Grilled banana; Green banana ice" in text
    again = run(world, body, filename="activities-export.csv")
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 1, [])
