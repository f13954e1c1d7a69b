"""Reports, exports and imports through the API, read back with third-party readers (openpyxl, csv, json)."""

import csv
import io
import json

import openpyxl


def test_city_report_in_both_formats_and_languages(api, auth):
    h = auth("ascnofficer.3510")
    xlsx = api.get("/api/v1/ascn/cities/banyuwangi/reports/2024.xlsx", params={"lang": "id"}, headers=h)
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert {"Proyek", "Kemitraan", "Indikator"} <= set(book.sheetnames)
    titles = [row[1] for row in book["Proyek"].iter_rows(min_row=2, values_only=True)]
    assert "Smart Kampung with Road Manager and Bike Sharing" in titles
    pdf = api.get("/api/v1/ascn/cities/banyuwangi/reports/2024.pdf", params={"lang": "en"}, headers=h)
    assert pdf.content.startswith(b"%PDF-") and b"NotoSans" in pdf.content
    assert api.get("/api/v1/ascn/cities/banyuwangi/reports/2024.doc", headers=h).status_code == 422


def test_network_report_renders_thai_khmer_and_vietnamese_names(api, auth):
    h = auth("ascnsecretariat.3510")
    pdf = api.get("/api/v1/ascn/reports/2024.pdf", headers=h).content
    assert pdf.startswith(b"%PDF-") and b"NotoSansThai" in pdf  # Chiang Mai's project has its Thai title
    khmer = api.get("/api/v1/ascn/cities/phnom-penh/reports/2024.pdf", headers=h).content
    assert b"NotoSansKhmer" in khmer  # the city's name in Khmer script


def test_open_exports(api):
    text = api.get("/api/v1/ascn/exports/cities.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 31 and "cso_email" not in rows[0]
    assert next(r for r in rows if r["slug"] == "da-nang")["local_name"] == "Đà Nẵng"
    body = json.loads(api.get("/api/v1/ascn/exports/partnerships.json").content)
    assert body["dataset"] == "partnerships" and body["count"] == len(body["items"]) > 0
    kpis = api.get("/api/v1/ascn/exports/fiware/key-performance-indicators")
    assert kpis.headers["content-type"].startswith("application/ld+json")
    assert {e["type"] for e in kpis.json()} == {"KeyPerformanceIndicator"}
    orgs = api.get("/api/v1/ascn/exports/fiware/organizations").json()
    assert any(o["name"] == "Asian Development Bank" for o in orgs)
    assert api.get("/api/v1/ascn/exports/secrets.csv").status_code == 400


def test_import_errors_as_problem_details(api, auth):
    bad = "city,title,status\nAtlantis,X,idea\nMakassar,Y,dreaming\n".encode()
    r = api.post(
        "/api/v1/ascn/imports",
        files={"file": ("projects.csv", bad, "text/csv")},
        headers=auth("ascnsecretariat.3510"),
    )
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")
    assert [(e["record"], e["field"]) for e in r.json()["errors"]] == [
        ("projects row 2", "city"),
        ("projects row 3", "status"),
    ]
    ok = "city,title,status\nMakassar,Imported pilot,idea\n".encode()
    r = api.post(
        "/api/v1/ascn/imports", files={"file": ("projects.csv", ok, "text/csv")}, headers=auth("ascnsecretariat.3510")
    )
    assert r.status_code == 200 and r.json()["created"]["projects"] == 1
