"""The published road conditions: GeoJSON segments (filters, pagination in SQL), events, coverage, summaries,
roads, a road's profile and chart; every list counted and sliced in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import event


def test_segments_geojson_with_filters_and_pages(surveyed):
    r = surveyed.get("/api/v1/roads/segments", params={"city": "35.10", "limit": 1000})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    total = fc["numberMatched"]
    assert total == len(fc["features"]) > 20
    measured = [f for f in fc["features"] if f["properties"]["class"]]
    assert measured and len(measured) < total
    f = measured[0]["properties"]
    assert {
        "segment_id",
        "osm_way_id",
        "name",
        "highway",
        "surface",
        "lanes",
        "oneway",
        "length_m",
        "district_code",
        "iri_m_per_km",
        "class",
        "measured_at",
        "calibrated",
    } <= set(f)
    assert f["calibrated"] is False
    # class filter
    baik = surveyed.get("/api/v1/roads/segments", params={"city": "35.10", "class": "none"}).json()
    assert baik["numberMatched"] == total - len(measured)
    # bbox filter: a box around one measured segment
    x, y = measured[0]["geometry"]["coordinates"][0]
    box = f"{x - 0.0005},{y - 0.0005},{x + 0.0005},{y + 0.0005}"
    small = surveyed.get("/api/v1/roads/segments", params={"city": "35.10", "bbox": box}).json()
    assert 0 < small["numberMatched"] < total
    # date filter: before the survey nothing is measured
    early = surveyed.get(
        "/api/v1/roads/segments",
        params={"city": "35.10", "until": "2025-01-01", "class": "baik,sedang,rusak_ringan,rusak_berat"},
    ).json()
    assert early["numberMatched"] == 0
    # pagination
    page = surveyed.get("/api/v1/roads/segments", params={"city": "35.10", "limit": 5, "offset": 5}).json()
    assert page["numberReturned"] == 5 and {lk["rel"] for lk in page["links"]} >= {"next", "prev"}
    # errors are problem details
    bad = surveyed.get("/api/v1/roads/segments", params={"city": "35.10", "class": "bagus"})
    assert bad.status_code == 400 and bad.json()["field"] == "class"
    assert surveyed.get("/api/v1/roads/segments", params={"city": "99.99"}).status_code == 404


def test_segment_detail_has_history(surveyed):
    fc = surveyed.get(
        "/api/v1/roads/segments", params={"city": "35.10", "class": "baik,sedang,rusak_ringan,rusak_berat"}
    ).json()
    sid = fc["features"][0]["id"]
    one = surveyed.get(f"/api/v1/roads/segments/{sid}").json()
    hist = one["properties"]["history"]
    assert len(hist) == 1 and hist[0]["iri"] == pytest.approx(one["properties"]["iri_m_per_km"], abs=1e-3)
    assert "vehicle" not in hist[0]
    assert surveyed.get("/api/v1/roads/segments/999999").status_code == 404


def test_events_coverage_summary(surveyed):
    ev = surveyed.get("/api/v1/roads/events", params={"city": "35.10"}).json()
    assert ev["numberMatched"] > 0
    assert {f["properties"]["kind"] for f in ev["features"]} <= {"pothole", "bump"}
    assert all(f["geometry"]["type"] == "Point" for f in ev["features"])
    cov = surveyed.get("/api/v1/roads/coverage", params={"city": "35.10"}).json()
    assert cov["numberMatched"] > 0 and all(f["properties"]["surveys"] == 1 for f in cov["features"])
    none = surveyed.get("/api/v1/roads/coverage", params={"city": "35.10", "since": "2026-01-01"}).json()
    assert none["numberMatched"] == 0
    summ = surveyed.get("/api/v1/roads/summary", params={"city": "35.10"}).json()
    assert 0 < summ["measured_km"] <= summ["surveyed_km"] <= summ["network_km"]
    assert summ["mantap_share"] == pytest.approx(
        (summ["km_by_class"]["baik"] + summ["km_by_class"]["sedang"]) / summ["measured_km"], abs=2e-3
    )
    assert summ["districts"][0]["code"] == "35.10.16"


def test_road_profile_and_chart(surveyed):
    roads = surveyed.get("/api/v1/roads/roads", params={"city": "35.10"}).json()["items"]
    measured = next(r for r in roads if r["measured_km"] > 0)
    prof = surveyed.get("/api/v1/roads/road-profile", params={"city": "35.10", "road": measured["road"]}).json()
    assert prof["road"] == measured["road"] and prof["intervals"]
    assert all(0 <= iv["from_m"] < iv["to_m"] <= prof["length_m"] + 1 for iv in prof["intervals"])
    svg = surveyed.get("/api/v1/roads/road-chart.svg", params={"city": "35.10", "road": measured["road"]})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and svg.text.count('class="bar"') == len(prof["intervals"])
    assert (
        surveyed.get("/api/v1/roads/road-profile", params={"city": "35.10", "road": "Jl. Tidak Ada"}).status_code == 404
    )


LISTS = [
    # (path, query, key of the items, key of the total)
    ("/api/v1/roads/segments", {}, "features", "numberMatched"),
    ("/api/v1/roads/segments", {"since": "2025-03-01", "class": "baik,sedang,none"}, "features", "numberMatched"),
    ("/api/v1/roads/segments", {"until": "2025-01-01", "class": "none"}, "features", "numberMatched"),
    ("/api/v1/roads/events", {}, "features", "numberMatched"),
    ("/api/v1/roads/coverage", {"since": "2025-01-01"}, "features", "numberMatched"),
    ("/api/v1/roads/roads", {}, "items", "total"),
]


def walk(client, path, query, key, total_key, limit, headers=None):
    """Every item of a list, fetched ``limit`` at a time by following ``next``; checks the totals agree."""
    out, offset, totals = [], 0, set()
    while True:
        page = client.get(path, params={**query, "limit": limit, "offset": offset}, headers=headers or {}).json()
        totals.add(page[total_key])
        out += page[key]
        if not any(link["rel"] == "next" for link in page["links"]):
            break
        offset += limit
    assert len(totals) == 1 and len(out) == totals.pop()
    return out


@pytest.mark.parametrize(("path", "query", "key", "total_key"), LISTS)
def test_pages_cover_the_list_once_in_order(surveyed, path, query, key, total_key):
    whole = surveyed.get(path, params={"city": "35.10", **query, "limit": 1000}).json()
    assert whole[total_key] == len(whole[key]) > 0
    assert walk(surveyed, path, {"city": "35.10", **query}, key, total_key, 3) == whole[key]


@pytest.mark.parametrize(("path", "query", "key", "total_key"), LISTS)
def test_lists_are_counted_and_sliced_in_the_database(surveyed, roads_db, path, query, key, total_key):
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement.upper())

    event.listen(roads_db, "before_cursor_execute", seen)
    try:
        page = surveyed.get(path, params={"city": "35.10", **query, "limit": 2, "offset": 1}).json()
    finally:
        event.remove(roads_db, "before_cursor_execute", seen)
    assert len(page[key]) <= 2
    assert any("COUNT(" in s for s in statements)
    assert any(" LIMIT " in s and " OFFSET " in s for s in statements)


def test_segments_carry_the_sdi_and_the_combined_class_everywhere(graded):
    """The segment list, one segment and both downloads say each segment's SDI, its combined class and what it
    rests on (which of the IRI and the SDI is missing or old), from the one rule the condition map uses."""
    import csv
    import io

    from kotacerdas.roads.sdi import MATRIX, RoadClass

    client, ids = graded
    cond = client.get("/api/v1/roads/condition", params={"city": "35.10", "limit": 1000}).json()
    by_map = {f["id"]: f["properties"] for f in cond["features"]}
    listed = client.get("/api/v1/roads/segments", params={"city": "35.10", "limit": 1000}).json()
    by_list = {f["id"]: f["properties"] for f in listed["features"]}
    geo = client.get("/api/v1/roads/segments/download", params={"city": "35.10", "format": "geojson"}).json()
    by_geo = {f["id"]: f["properties"] for f in geo["features"]}
    text = client.get("/api/v1/roads/segments/download", params={"city": "35.10", "format": "csv"}).text
    by_csv = {int(r["id"]): r for r in csv.DictReader(io.StringIO(text))}
    for case, sid in ids.items():
        m = by_map[sid]
        one = client.get(f"/api/v1/roads/segments/{sid}").json()["properties"]
        for p in (by_list[sid], by_geo[sid], one):
            assert (p["sdi"], p["combined_class"], p["basis"], p["missing"], p["stale"]) == (
                m["sdi"],
                m["class"],
                m["basis"],
                m["missing"],
                m["stale"],
            ), case
        row = by_csv[sid]
        assert (row["combined_class"], row["basis"], row["missing"], row["stale"]) == (
            m["class"],
            m["basis"],
            ";".join(m["missing"]),
            ";".join(m["stale"]),
        )
    assert by_geo[ids["fresh"]]["basis"] == "iri_sdi" and by_geo[ids["fresh"]]["sdi"] == 120.0
    assert by_geo[ids["sdi_only"]]["basis"] == "sdi_only" and by_geo[ids["sdi_only"]]["stale"] == ["iri"]
    assert by_geo[ids["iri_only"]]["missing"] == ["sdi"] and by_csv[ids["iri_only"]]["sdi"] == ""
    iri_class = RoadClass(by_geo[ids["fresh"]]["class"])
    assert by_geo[ids["fresh"]]["combined_class"] == MATRIX[iri_class.rank][RoadClass.RUSAK_RINGAN.rank].value


def test_the_roads_list_takes_the_map_filters_and_a_search(surveyed):
    """``/roads`` counts what the map's filters select, as the page's roads table does, and finds a kecamatan."""
    whole = surveyed.get("/api/v1/roads/roads?city=35.10&limit=100").json()
    good = surveyed.get("/api/v1/roads/roads?city=35.10&class=baik&limit=100").json()
    drawn = surveyed.get("/api/v1/roads/segments?city=35.10&class=baik&limit=1000").json()["features"]
    assert {r["road"] for r in good["items"]} == {f["properties"]["road"] for f in drawn}
    assert good["total"] < whole["total"] and all(r["km_by_class"]["sedang"] == 0 for r in good["items"])
    district = surveyed.get("/api/v1/roads/summary?city=35.10").json()["districts"][0]["name"]
    found = surveyed.get("/api/v1/roads/roads", params={"city": "35.10", "q": district.upper()}).json()
    assert found["total"] == whole["total"]  # the whole grid lies in that kecamatan
    assert surveyed.get("/api/v1/roads/roads?city=35.10&q=tidak-ada").json()["total"] == 0
    reversed_window = surveyed.get("/api/v1/roads/roads?city=35.10&since=2025-06-01&until=2025-01-01")
    assert reversed_window.status_code == 400
