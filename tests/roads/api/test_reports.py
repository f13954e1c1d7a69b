"""The Excel report through the API, on a network uploaded through the old roads path of the network import."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.network.store import import_network


def test_network_upload_and_report(client, seeded, roads_osm, auth):
    h = auth("roadofficer.3510")
    r = client.post(
        "/api/v1/cities/35.10/network",
        headers=h,
        files={"file": ("grid.osm", roads_osm.read_bytes(), "application/xml")},
    )
    assert r.status_code == 202 and r.json()["status"] == "done" and r.json()["result"]["created"] > 20
    again = client.post(
        "/api/v1/roads/cities/35.10/network",
        headers=h,
        files={"file": ("grid.osm", roads_osm.read_bytes(), "application/xml")},
    )
    assert again.json()["result"]["already_imported"]
    rep = client.get("/api/v1/roads/cities/35.10/report.xlsx", headers=h)
    assert rep.status_code == 200
    wb = load_workbook(io.BytesIO(rep.content))
    assert wb.sheetnames == ["Kecamatan", "Jalan", "Ruas", "Info"]
    rows = list(wb["Kecamatan"].iter_rows(values_only=True))
    assert rows[-1][2] == pytest.approx(r.json()["result"]["length_km"], abs=0.01)


def test_import_network_function_matches_api_counts(seeded, roads_osm):
    with session_scope(seeded) as s:
        res = import_network(s, accounts.get_city(s, "35.10"), roads_osm)
        assert res.created == res.segments and res.length_km > 0
