"""Dashboard API: aggregates, rankings, choropleth, Excel and PDF exports read back with openpyxl and pypdf, bulk
import and export through HTTP."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from kotacerdas.core import wilayah_makassar as areas_makassar
from kotacerdas.core.db import session_scope
from kotacerdas.lorong import generate, periods
from kotacerdas.lorong.services import scores
from kotacerdas.lorong.store.tables import LorongProgramme
from tests.conftest import token_for


def fill(world):
    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.lw)
        generate.units(s, prog, areas_makassar.VILLAGES[:10], 1, seed=3)
        generate.reports(s, prog, periods.parse("2025-06"), 3, seed=4)
        scores.recompute(s, prog, until="2025-05")


def test_dashboard_rankings_choropleth_and_exports(client, api_world):
    fill(api_world)
    h = token_for(client, "lurah.7371")
    d = client.get(
        "/api/v1/lorong/dashboard/73.71/lorong-wisata", params={"until": "2025-06", "periods": 3}, headers=h
    ).json()
    assert d["periods"] == ["2025-04", "2025-05", "2025-06"] and d["units"] == 14 and len(d["trend"]) > 30
    r = client.get("/api/v1/lorong/rankings/73.71/lorong-wisata", params={"level": "kecamatan"}, headers=h).json()
    assert r[0]["rank"] == 1 and r[0]["key"].startswith("73.71.")
    fc = client.get("/api/v1/lorong/choropleth/73.71/lorong-wisata", headers=h)
    assert fc.headers["content-type"].startswith("application/geo+json") and len(fc.json()["features"]) == 153
    job = client.post("/api/v1/lorong/exports/73.71/lorong-wisata/dashboard.xlsx?lang=id", headers=h)
    assert job.status_code == 202 and job.headers["location"].startswith("/api/v1/jobs/")
    done = client.get(job.headers["location"], headers=h).json()
    assert done["status"] == "done" and done["result"]["format"] == "xlsx"
    x = client.get(done["result"]["download"], headers=h)
    assert x.headers["content-disposition"].endswith('.xlsx"')
    wb = load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames == ["Ringkasan", "Laporan", "Tema", "Kelurahan", "Urutan", "Tren"]
    assert wb["Tema"]["A2"].value == "Ketahanan pangan"
    pjob = client.post("/api/v1/lorong/exports/73.71/lorong-wisata/dashboard.pdf?lang=en", headers=h).json()
    p = client.get(pjob["result"]["download"], headers=h)
    assert p.headers["content-type"] == "application/pdf"
    assert client.get(pjob["result"]["download"], headers=token_for(client, "cityadmin.3510")).status_code == 403
    assert client.get(pjob["result"]["download"]).status_code == 401
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(p.content)).pages)
    assert "Lorong Wisata" in text and "Food security" in text and "Reports on time" in text
    assert PdfReader(io.BytesIO(p.content)).metadata.title.endswith(" · Kota Makassar")  # the city's name, not 73.71
    for path in (
        "dashboard/73.71/lorong-wisata",
        "exports/73.71/lorong-wisata/dashboard.pdf",
        "choropleth/73.71/lorong-wisata",
    ):
        assert client.get(f"/api/v1/lorong/{path}").status_code == 401
        assert client.get(f"/api/v1/lorong/{path}", headers=token_for(client, "cityadmin.3510")).status_code == 403


def imported(client, headers, body: bytes) -> dict:
    r = client.post(
        "/api/v1/lorong/imports/73.71/lorong-wisata", files={"file": ("units.csv", body, "text/csv")}, headers=headers
    )
    assert r.status_code == 202 and r.headers["location"].startswith("/api/v1/jobs/")
    job = client.get(r.headers["location"], headers=headers).json()
    assert job["kind"] == "lorong.import" and job["status"] == "done"
    return job["result"]


def test_bulk_import_and_export_over_http(client, api_world):
    admin = token_for(client, "lorongadmin.7371")
    csv = (
        b"code,name,kecamatan_code,kelurahan_code,themes,geometry\n"
        b'lr-h1,Lorong Seroja,73.71.03,73.71.03.1003,seni,"LINESTRING(119.42 -5.14, 119.421 -5.141)"\n'
        b"lr-h2,Lorong Rusak,73.71.03,73.71.03.1003,seni,LINESTRING(1)\n"
    )
    result = imported(client, admin | {"Accept-Language": "id"}, csv)
    assert result["created"] == 1
    err = result["errors"][0]
    assert err["row"] == 3 and err["column"] == "geometry" and "WKT" in err["reason"]
    assert imported(client, admin, csv)["already_imported"] is True
    coord = token_for(client, "lorongcoordinator.7371")
    exported = client.get("/api/v1/lorong/exports/73.71/lorong-wisata/units.csv", headers=coord).text
    assert exported.count("\n") == 3 and "lr-a1" in exported and "lr-b1" not in exported
    result = imported(client, coord, csv + b"\n")
    assert result["created"] == 0 and result["errors"][0]["reason"].startswith("Rekaman 2: Hanya koordinator")
    assert client.get("/api/v1/lorong/templates/values.xlsx").status_code == 200


def test_rankings_inside_a_kecamatan_and_an_unknown_area(client, api_world):
    fill(api_world)
    h = token_for(client, "lorongadmin.7371")
    url = "/api/v1/lorong/rankings/73.71/lorong-wisata"
    kel = client.get(url, params={"level": "kelurahan", "area": "73.71.03"}, headers=h).json()
    assert kel and all(r["key"].startswith("73.71.03.") for r in kel) and kel[0]["rank"] == 1
    r = client.get(url, params={"level": "kelurahan", "area": "73.71.99"}, headers=h | {"Accept-Language": "id"})
    assert r.status_code == 404 and r.json()["field"] == "area" and "73.71.99" in r.json()["detail"]
