"""Reports, exports and imports through the API, read back with third-party readers (openpyxl, csv, json)."""

import csv
import io
import json

import openpyxl


def report(api, headers, **body) -> bytes:
    """Ask for a report (a background job, answered 202), then download what the job wrote."""
    job = api.post("/api/v1/ascn/reports", json=body, headers=headers)
    assert job.status_code == 202, job.text
    assert job.headers["location"] == job.json()["url"] and job.json()["status"] == "done"
    got = api.get(job.json()["result"]["download"], headers=headers)
    assert got.status_code == 200
    return got.content


def test_city_report_in_both_formats_and_languages(api, auth):
    h = auth("ascnofficer.3510")
    h_id = {**h, "Accept-Language": "id"}
    book = openpyxl.load_workbook(io.BytesIO(report(api, h_id, year=2024, format="xlsx", city="banyuwangi")))
    assert {"Proyek", "Kemitraan", "Indikator"} <= set(book.sheetnames)
    titles = [row[1] for row in book["Proyek"].iter_rows(min_row=2, values_only=True)]
    assert "Smart Kampung with Road Manager and Bike Sharing" in titles
    pdf = report(api, h, year=2024, format="pdf", city="banyuwangi")
    assert pdf.startswith(b"%PDF-") and b"NotoSans" in pdf
    assert api.post("/api/v1/ascn/reports", json={"year": 2024, "format": "doc"}, headers=h).status_code == 422


def test_network_report_renders_thai_khmer_and_vietnamese_names(api, auth):
    h = auth("ascnsecretariat.3510")
    pdf = report(api, h, year=2024)
    assert pdf.startswith(b"%PDF-") and b"NotoSansThai" in pdf  # Chiang Mai's project has its Thai title
    assert b"NotoSansKhmer" in report(api, h, year=2024, city="phnom-penh")  # the city's name in Khmer script


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


def test_import_is_a_job_whose_failure_names_every_bad_row(api, auth):
    h = auth("ascnsecretariat.3510")
    bad = b"city,title,status\nAtlantis,X,idea\nMakassar,Y,dreaming\n"
    r = api.post(
        "/api/v1/ascn/imports",
        files={"file": ("projects.csv", bad, "text/csv")},
        headers={**h, "Accept-Language": "en"},
    )
    assert r.status_code == 202 and r.json()["status"] == "failed"
    errors = r.json()["error"]["errors"]
    assert [(e["record"], e["field"]) for e in errors] == [("projects row 2", "city"), ("projects row 3", "status")]
    assert "dreaming" in errors[1]["detail"]
    # in Bahasa Indonesia (the default language) the rows are named in it too
    r = api.post("/api/v1/ascn/imports", files={"file": ("projects.csv", bad + b"\n", "text/csv")}, headers=h)
    errors = r.json()["error"]["errors"]
    assert [e["record"] for e in errors] == ["projects baris 2", "projects baris 3"]
    assert "Tidak ada kota anggota Atlantis" in errors[0]["detail"]
    ok = b"city,title,status\nMakassar,Imported pilot,idea\n"
    r = api.post("/api/v1/ascn/imports", files={"file": ("projects.csv", ok, "text/csv")}, headers=h)
    assert r.status_code == 202 and r.json()["result"]["created"]["projects"] == 1
    followed = api.get(r.json()["url"], headers=h).json()
    assert followed["status"] == "done" and followed["kind"] == "ascn.import"
