"""The cycling routes API on both backends: routes and files, destinations by role and city, tours, the catalogue."""

from __future__ import annotations

import gpxpy
import pytest

from kotacerdas.bikes.opening_hours import parse_opening_hours

S = "/api/v1/bikes/systems/uji"
TOWN, KEMIREN = "114.3676,-8.2137", "114.3377,-8.1856"
OPERATOR, OTHER_CITY, PUBLIC = "bikeoperator.3510", "bikeoperator.7371", "public.3510"


def test_route_json_and_files(routes_api):
    r = routes_api.get(f"{S}/route", params={"from": TOWN, "to": KEMIREN, "profile": "quiet"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["distance_m"] > 3000 and body["duration_s"] > 0
    assert body["geometry"]["type"] == "LineString" and body["instructions"][-1]["kind"] == "arrive"
    assert {"id", "en"} <= set(body["instructions"][0]["text"])
    assert body["return_station"]["station_id"] in {"alpha", "beta", "gamma"}
    gpx = routes_api.get(f"{S}/route", params={"from": TOWN, "to": KEMIREN, "format": "gpx"})
    assert gpx.headers["content-type"].startswith("application/gpx+xml")
    track = gpxpy.parse(gpx.text)
    assert len(track.tracks[0].segments[0].points) == len(body["geometry"]["coordinates"])


def test_bad_points_are_explained(routes_api):
    far = routes_api.get(f"{S}/route", params={"from": TOWN, "to": "115.5,-8.2"}, headers={"Accept-Language": "id"})
    assert far.status_code == 400 and "km" in far.json()["detail"] and "sepeda" in far.json()["detail"]
    assert routes_api.get(f"{S}/route", params={"from": "x", "to": KEMIREN}).status_code == 400
    assert routes_api.get(f"{S}/route", params={"from": TOWN, "to": KEMIREN, "profile": "steep"}).status_code == 422


def test_destinations_by_role_and_city(routes_api, auth):
    listed = routes_api.get(f"{S}/destinations").json()
    assert len(listed["features"]) >= 20 and listed["features"][0]["properties"]["category_name"]["id"]
    body = {
        "destination_id": "warung-uji",
        "name": {"id": "Warung Uji", "en": "Test Stall"},
        "category": "culinary",
        "lon": 114.37,
        "lat": -8.215,
        "opening_hours": "Mo-Sa 07:00-15:00",
        "fee": 0,
    }
    assert routes_api.post(f"{S}/destinations", json=body).status_code == 401
    assert routes_api.post(f"{S}/destinations", json=body, headers=auth(PUBLIC)).status_code == 403
    assert routes_api.post(f"{S}/destinations", json=body, headers=auth(OTHER_CITY)).status_code == 403
    ok = routes_api.post(f"{S}/destinations", json=body, headers=auth(OPERATOR))
    assert ok.status_code == 201 and ok.json()["week"][6]["windows"] == []
    bad = routes_api.patch(f"{S}/destinations/warung-uji", json={"opening_hours": "Mo 7-15"}, headers=auth(OPERATOR))
    assert bad.status_code == 400 and bad.json()["field"] == "opening_hours"
    fixed = routes_api.patch(f"{S}/destinations/warung-uji", json={"fee": 5000}, headers=auth(OPERATOR))
    assert fixed.json()["fee"] == 5000 and fixed.json()["opening_hours"] == "Mo-Sa 07:00-15:00"
    assert routes_api.delete(f"{S}/destinations/warung-uji", headers=auth(OTHER_CITY)).status_code == 403
    assert routes_api.delete(f"{S}/destinations/warung-uji", headers=auth(OPERATOR)).status_code == 204
    ids = {f["id"] for f in routes_api.get(f"{S}/destinations").json()["features"]}
    assert "warung-uji" not in ids


def check_tour(tour, body, places):
    start = int(body["start_time"][:2]) * 60 + int(body["start_time"][3:])
    finish = int(tour["finish"][:2]) * 60 + int(tour["finish"][3:])
    assert finish <= start + body["budget_minutes"]
    from datetime import date

    for stop in tour["stops"]:
        if stop["kind"] != "destination":
            continue
        begin = int(stop["start"][:2]) * 60 + int(stop["start"][3:])
        windows = parse_opening_hours(places[stop["key"]]).windows(date.fromisoformat(body["date"]))
        assert any(a <= begin and begin + stop["visit_minutes"] <= b for a, b in windows), stop["key"]


def test_tour_plan_respects_budget_and_hours(routes_api):
    places = {f["id"]: f["properties"]["opening_hours"] for f in routes_api.get(f"{S}/destinations").json()["features"]}
    body = {
        "start": {"station_id": "alpha"},
        "date": "2025-06-10",
        "start_time": "08:00",
        "budget_minutes": 300,
        "interests": {"beach": 3, "culinary": 0},
    }
    r = routes_api.post(f"{S}/tours", json=body)
    assert r.status_code == 200, r.text
    plan = r.json()
    assert len(plan["tours"]) in (1, 2, 3), plan["tours"]  # the best and up to two alternatives
    assert all(len(tour["destinations"]) > 0 for tour in plan["tours"])
    best = set(plan["tours"][0]["destinations"])
    for tour in plan["tours"]:
        check_tour(tour, body, places)
        assert tour["return_station"]["station_id"] in {"alpha", "beta", "gamma"}
        assert not {"pasar-banyuwangi", "sanggar-genjah-arum"} & set(tour["destinations"])  # culinary weight 0
    for alt in plan["tours"][1:]:
        shared = len(best & set(alt["destinations"])) / max(1, len(best | set(alt["destinations"])))
        assert shared <= 0.5
    ijen = next(e for e in plan["excluded"] if e["destination_id"] == "kawah-ijen")
    assert ijen["reason"] == "far" and ijen["nearest"]["destination_id"] == "paltuding"


def test_tour_bad_input_is_explained(routes_api, auth):
    base = {"start": {"station_id": "alpha"}, "date": "2025-06-10", "start_time": "08:00"}
    short = routes_api.post(
        f"{S}/tours",
        json={**base, "budget_minutes": 15, "speed_kmh": 6, "end_station_id": "gamma"},
        headers={"Accept-Language": "id"},
    )
    assert short.status_code == 422 and short.json()["field"] == "budget_minutes"
    assert "waktu tersedia terlalu singkat" in short.json()["detail"] and "menit" in short.json()["detail"]
    ijen = routes_api.post(f"{S}/tours", json={**base, "budget_minutes": 240, "must_visit": ["kawah-ijen"]})
    assert ijen.status_code == 422 and ijen.json()["field"] == "must_visit"
    night = routes_api.post(
        f"{S}/tours",
        json={**base, "start_time": "22:30", "budget_minutes": 60, "candidates": ["pantai-boom", "museum-blambangan"]},
    )
    assert night.status_code == 200 and "no_destination_fits" in night.json()["notes"]
    later = night.json()["next_start"]
    assert later["date"] == "2025-06-11" and later["start_time"] <= "08:00"  # the museum opens at 08:00
    again = routes_api.post(
        f"{S}/tours",
        json={
            **base,
            "date": later["date"],
            "start_time": later["start_time"],
            "budget_minutes": 60,
            "candidates": ["pantai-boom", "museum-blambangan"],
        },
    )
    assert again.status_code == 200 and again.json()["tours"][0]["destinations"] and not again.json()["next_start"]
    assert routes_api.post(f"{S}/tours", json={**base, "background": True}).status_code == 401
    job = routes_api.post(f"{S}/tours", json={**base, "background": True, "budget_minutes": 120}, headers=auth(PUBLIC))
    assert job.status_code == 202 and job.json()["status"] == "done" and job.json()["result"]["tours"]


def test_curated_route_catalogue_and_station_links(routes_api, auth):
    body = {
        "slug": "kota-uji",
        "name": {"id": "Kota Uji", "en": "Test town"},
        "start_station_id": "alpha",
        "end_station_id": "gamma",
        "stops": ["taman-blambangan", "museum-blambangan"],
        "publish": True,
    }
    assert routes_api.post(f"{S}/routes", json=body).status_code == 401
    assert routes_api.post(f"{S}/routes", json=body, headers=auth(OTHER_CITY)).status_code == 403
    saved = routes_api.post(f"{S}/routes", json=body, headers=auth(OPERATOR))
    assert saved.status_code == 201, saved.text
    plan = saved.json()["plan"]
    assert [s["kind"] for s in plan["tours"][0]["stops"]] == ["start", "destination", "destination", "end"]
    listed = routes_api.get(f"{S}/routes").json()
    assert [r["slug"] for r in listed] == ["kota-uji"] and listed[0]["return_station"]["station_id"] == "gamma"
    kml = routes_api.get(f"{S}/routes/kota-uji", params={"format": "kml"})
    assert kml.status_code == 200 and "<Placemark>" in kml.text.replace("ns0:", "")
    links = routes_api.get(f"{S}/stations/gamma/routes").json()
    assert {"slug": "kota-uji", "role": "end"}.items() <= links[0].items() or any(
        link["role"] == "end" for link in links
    )
    draft = {**body, "slug": "draf", "publish": False}
    routes_api.post(f"{S}/routes", json=draft, headers=auth(OPERATOR))
    assert routes_api.get(f"{S}/routes/draf").status_code == 404
    assert routes_api.get(f"{S}/routes/draf", headers=auth(OPERATOR)).status_code == 200
    bad = routes_api.post(f"{S}/routes", json={**body, "stops": ["nowhere"]}, headers=auth(OPERATOR))
    assert bad.status_code == 404
    assert routes_api.delete(f"{S}/routes/kota-uji", headers=auth(OPERATOR)).status_code == 204
    assert routes_api.get(f"{S}/routes").json() == []


def test_a_station_off_the_network_is_never_the_end_and_names_the_nearest_as_start(routes_api, seeded):
    from shapely.geometry import Point
    from sqlalchemy import update

    from kotacerdas.bikes.store.tables import BikeStation
    from kotacerdas.core.db import session_scope

    with session_scope(seeded, write=True) as s:  # beta moves 5 km out to sea, far from every road
        s.execute(update(BikeStation).where(BikeStation.station_id == "beta").values(geom=Point(114.42, -8.2086)))
    base = {"date": "2025-06-10", "start_time": "08:00", "budget_minutes": 120}
    plan = routes_api.post(f"{S}/tours", json={**base, "start": {"station_id": "alpha"}})
    assert plan.status_code == 200 and all(t["return_station"]["station_id"] != "beta" for t in plan.json()["tours"])
    bad = routes_api.post(
        f"{S}/tours", json={**base, "start": {"station_id": "beta"}}, headers={"Accept-Language": "id"}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "start"
    assert "stasiun terdekat di jaringan adalah gamma" in bad.json()["detail"]
    end = routes_api.post(
        f"{S}/tours",
        json={**base, "start": {"station_id": "alpha"}, "end_station_id": "beta"},
        headers={"Accept-Language": "en"},
    )
    assert (
        end.status_code == 422 and end.json()["field"] == "end_station_id" and "nearest station" in end.json()["detail"]
    )


def test_a_planned_tour_answers_a_gpx_geojson_or_kml_file(routes_api, auth):
    import json

    body = {"start": {"station_id": "alpha"}, "date": "2025-06-10", "start_time": "08:00", "budget_minutes": 240}
    gpx = routes_api.post(f"{S}/tours", params={"format": "gpx"}, json=body, headers={"Accept-Language": "en"})
    assert gpx.status_code == 200 and gpx.headers["content-type"].startswith("application/gpx+xml")
    track = gpxpy.parse(gpx.text)
    assert track.version == "1.1" and len(track.tracks) == 1 and len(track.tracks[0].segments[0].points) > 10
    kinds = [w.type for w in track.waypoints]
    assert kinds[0] == "start" and kinds[-1] == "end" and "destination" in kinds
    geojson = routes_api.post(f"{S}/tours", params={"format": "geojson"}, json=body)
    assert geojson.headers["content-type"].startswith("application/geo+json")
    assert json.loads(geojson.content)["features"][0]["geometry"]["type"] == "LineString"
    kml = routes_api.post(f"{S}/tours", params={"format": "kml", "alt": 1}, json=body)
    assert kml.status_code == 200 and "<Placemark>" in kml.text.replace("ns0:", "")
    queued = routes_api.post(
        f"{S}/tours", params={"format": "gpx"}, json={**body, "background": True}, headers=auth(PUBLIC)
    )
    assert queued.status_code == 400 and queued.json()["field"] == "format"


OSM_PLACES = b"""<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="901" lat="-8.2150" lon="114.3712" version="1">
    <tag k="tourism" v="museum"/><tag k="name" v="Museum Uji"/>
    <tag k="opening_hours" v="Tu-Su 08:00-15:00; Mo off; Jan 01 off"/>
  </node>
  <node id="902" lat="-8.2100" lon="114.3700" version="1">
    <tag k="historic" v="monument"/><tag k="name" v="Tugu Uji"/>
    <tag k="opening_hours" v="Mo-Fr 08:00-16:00; Sa 08:00-12:00 &quot;by appointment&quot;"/>
  </node>
</osm>
"""


def test_unreadable_opening_hours_are_kept_reported_and_planned_in_the_daytime(routes_api, auth):
    files = {"file": ("places.osm", OSM_PLACES, "application/xml")}
    report = routes_api.post(f"{S}/destinations/import", files=files, headers=auth(OPERATOR))
    assert report.status_code == 200, report.text
    assert report.json()["created"] == 2
    assert report.json()["unreadable_hours"] == [
        {
            "destination_id": "tugu-uji-node902",
            "name": {"id": "Tugu Uji", "en": "Tugu Uji"},
            "source": "osm:node/902",
            "opening_hours": 'Mo-Fr 08:00-16:00; Sa 08:00-12:00 "by appointment"',
        }
    ]
    listed = {f["id"]: f["properties"] for f in routes_api.get(f"{S}/destinations").json()["features"]}
    museum, tugu = listed["museum-uji-node901"], listed["tugu-uji-node902"]
    assert museum["opening_hours"] == "Tu-Su 08:00-15:00; Mo off; Jan 01 off" and museum["hours_known"]
    assert tugu["opening_hours"] is None and tugu["opening_hours_raw"].startswith("Mo-Fr 08:00-16:00; Sa")
    assert not tugu["hours_known"] and tugu["week"][0]["windows"] == ["08:00-17:00"]  # not 24/7
    base = {"start": {"station_id": "alpha"}, "budget_minutes": 120, "candidates": ["tugu-uji-node902"]}
    night = routes_api.post(f"{S}/tours", json={**base, "date": "2025-06-09", "start_time": "03:00"}).json()
    assert night["tours"][0]["destinations"] == [] and night["next_start"]["start_time"] <= "08:00"
    day = routes_api.post(f"{S}/tours", json={**base, "date": "2025-06-09", "start_time": "09:00"}).json()
    stop = next(s for s in day["tours"][0]["stops"] if s["kind"] == "destination")
    assert stop["key"] == "tugu-uji-node902" and stop["hours_known"] is False and "08:00" <= stop["start"]
    assert "opening_hours_unknown" in day["notes"]
    page = routes_api.get("/bikes/uji/tour?start=alpha&date=2025-06-09&time=09:00&budget=120&must=tugu-uji-node902")
    assert page.status_code == 200 and 'class="hours-unknown"' in page.text
    assert "Jam buka tidak diketahui: direncanakan hanya antara 08:00 dan 17:00" in page.text
    again = routes_api.post(f"{S}/destinations/import", files=files, headers=auth(OPERATOR)).json()
    assert again["already_imported"] and again["unreadable_hours"] == []


def test_must_visit_and_budget_answers_are_in_the_requests_language_with_the_nearest_alternative(routes_api):
    base = {"start": {"station_id": "alpha"}, "date": "2025-06-09", "start_time": "09:00", "budget_minutes": 240}
    id_ = {"Accept-Language": "id"}
    ijen = routes_api.post(f"{S}/tours", json={**base, "must_visit": ["kawah-ijen"]}, headers=id_)
    body = ijen.json()
    assert ijen.status_code == 422 and body["field"] == "must_visit" and body["destination_id"] == "kawah-ijen"
    assert body["detail"].startswith("tempat wajib Kawah Ijen tidak dapat dikunjungi: tidak ada jalan yang boleh")
    assert "Paltuding" in body["detail"] and "no road" not in body["detail"] and "kawah-ijen" not in body["detail"]
    assert body["nearest"]["destination_id"] == "paltuding" and body["nearest"]["distance_m"] > 0
    en = routes_api.post(f"{S}/tours", json={**base, "must_visit": ["kawah-ijen"]}, headers={"Accept-Language": "en"})
    assert "the nearest place on the network is Paltuding" in en.json()["detail"]
    museum = routes_api.post(f"{S}/tours", json={**base, "must_visit": ["museum-blambangan"]}, headers=id_)
    body = museum.json()  # a Monday: the museum is closed
    assert museum.status_code == 422 and "Museum Blambangan tutup pada hari itu" in body["detail"]
    assert ": closed" not in body["detail"] and body["next_open"] == "2025-06-10"
    short = routes_api.post(
        f"{S}/tours", json={**base, "budget_minutes": 15, "speed_kmh": 6, "end_station_id": "gamma"}, headers=id_
    )
    assert short.status_code == 422 and short.json()["needed_minutes"] > 15


def test_two_identical_requests_give_identical_tours(routes_api):
    """A shared link is planned again when opened: the page, the PDF, the PNG and the files must show one tour."""
    body = {"start": {"station_id": "alpha"}, "date": "2025-06-10", "start_time": "07:30", "budget_minutes": 420,
            "interests": {"culture": 3, "beach": 2}}  # fmt: skip
    first, again = (routes_api.post(f"{S}/tours", json=body).json() for _ in range(2))
    assert first["tours"] == again["tours"] and first["tours"][0]["destinations"]
    query = "start=alpha&date=2025-06-10&time=07:30&budget=420&interests=culture:3,beach:2&alt=1"
    files = [routes_api.get(f"/bikes/uji/tour.gpx?{query}").content for _ in range(2)]
    assert files[0] == files[1]


def test_a_stop_off_the_network_is_ridden_to_from_its_junction(routes_api):
    """Klenteng Hoo Tong Bio lies some 450 m from the nearest junction: the leg to it and the tour's distance
    include that stretch at the riding speed, and the stop names the junction it is reached from."""
    body = {"start": {"station_id": "alpha"}, "date": "2025-06-10", "start_time": "08:00", "budget_minutes": 240,
            "must_visit": ["klenteng-hoo-tong-bio"], "speed_kmh": 12}  # fmt: skip
    tour = routes_api.post(f"{S}/tours", json=body).json()["tours"][0]
    k = next(i for i, s in enumerate(tour["stops"]) if s["key"] == "klenteng-hoo-tong-bio")
    stop, leg_in, leg_out = tour["stops"][k], tour["legs"][k - 1], tour["legs"][k]
    assert 300 < stop["off_network_m"] < 600 and len(stop["network_point"]) == 2
    assert leg_in["off_network_m"] >= stop["off_network_m"] and leg_out["off_network_m"] >= stop["off_network_m"]
    assert leg_in["distance_m"] >= leg_in["off_network_m"] and leg_in["duration_s"] >= stop["off_network_m"] / (
        12 / 3.6
    )
    assert sum(leg["distance_m"] for leg in tour["legs"]) == pytest.approx(tour["distance_m"], abs=1.0)
    assert sum(leg["duration_s"] for leg in tour["legs"]) / 60 == pytest.approx(tour["riding_minutes"], abs=0.2)
