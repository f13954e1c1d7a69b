"""The GBFS feeds as HTTP clients read them: a third-party validator on a real server, caching by content,
RFC 9110 conditional requests, HEAD, CORS, public links from trusted hosts only, feed times and regions."""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from gbfs_validator import validate_feed
from shapely.geometry import shape

from kotacerdas.bikes.services import feed_cache
from kotacerdas.bikes.services import rentals as service
from kotacerdas.bikes.services.demo import store_demo
from kotacerdas.core.db import session_scope
from kotacerdas.web.app import create_app
from tests.conftest import settings_for
from tests.live import LiveServer

from ..factories import SYSTEM, make_riders, make_system

FEED = f"/gbfs/v3/{SYSTEM}/system_information.json"
STATUS = f"/gbfs/v3/{SYSTEM}/station_status.json"


@pytest.fixture
def small(client, seeded):
    feed_cache.invalidate()
    make_system(seeded)
    return seeded


@pytest.fixture
def demo(client, seeded):
    feed_cache.invalidate()
    with session_scope(seeded) as s:
        store_demo(s)
    return seeded


def _problems(report: dict) -> list:
    out = []
    for f in report.get("files", []):
        for body in f.get("body") or []:
            for e in (body.get("errors") or []) if isinstance(body, dict) else []:
                out.append((f.get("file"), e.get("instancePath"), e.get("message")))
    return out


def test_a_third_party_validator_reads_the_served_feeds(demo, tmp_path):
    """gbfs-validator (PyPI) fetches the demo's v3.0 and v2.3 feeds over HTTP from a running server, follows
    every URL inside them (the manifest too) and reports nothing."""
    app = create_app(settings_for(demo, tmp_path), engine=demo)
    with LiveServer(app) as base:
        for discovery in ("v3/banyuwangi/gbfs.json", "v2/banyuwangi/gbfs.json"):
            report = validate_feed(f"{base}/gbfs/{discovery}", docked=True)
            assert report["summary"]["hasErrors"] is False, (discovery, _problems(report))
            required = [f for f in report["files"] if f.get("required")]
            assert required and all(f.get("exists", True) is not False for f in required), discovery


def test_static_feeds_keep_their_etag_while_their_content_holds(client, small, monkeypatch):
    """A static feed rebuilt with the others (a dynamic feed's ttl ran out, or a rental changed the system)
    keeps its bytes, ETag and last_updated: a client holding it gets 304, as max-age promised."""
    first = client.get(FEED)
    etag, stamp = first.headers["etag"], first.json()["last_updated"]
    assert int(first.headers["cache-control"].split("=")[1]) > 3500
    clock = feed_cache.time.monotonic
    monkeypatch.setattr(feed_cache.time, "monotonic", lambda: clock() + 61)  # station_status has expired
    rebuilt = client.get(STATUS)
    assert rebuilt.status_code == 200
    again = client.get(FEED, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag
    assert int(again.headers["cache-control"].split("=")[1]) > 3400
    (rider,) = make_riders(small, 1)
    service.rent(small, SYSTEM, rider, bike_id="uji-alpha-0")  # a write: every cached feed is stale now
    after = client.get(FEED)
    assert after.headers["etag"] == etag and after.json()["last_updated"] == stamp  # nothing it says changed
    status = client.get(STATUS)
    assert status.headers["etag"] != rebuilt.headers["etag"]  # this one did change


@pytest.mark.parametrize(
    "header",
    ['W/"{tag}"', '"nope", "{tag}"', '"a", W/"{tag}" , "b"', "*"],
    ids=["weak", "list", "weak-in-list", "star"],
)
def test_if_none_match_follows_rfc_9110(client, small, header):
    tag = client.get(FEED).headers["etag"].strip('"')
    r = client.get(FEED, headers={"If-None-Match": header.format(tag=tag)})
    assert r.status_code == 304 and r.content == b""


def test_last_modified_and_if_modified_since(client, small):
    r = client.get(FEED)
    modified = r.headers["last-modified"]
    assert modified.endswith("GMT")
    assert datetime.strptime(modified, "%a, %d %b %Y %H:%M:%S GMT")  # an HTTP date
    assert client.get(FEED, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(FEED, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3)
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert client.get(FEED, headers=both).status_code == 200


def test_head_on_every_get_route_and_allow_on_405(client, small):
    """HEAD answers as GET without a body on every GET route (feeds, API, pages); a 405 names every method."""
    for path in (FEED, "/api/v1/cities", f"/api/v1/bikes/systems/{SYSTEM}/stations", "/", "/healthz", "/favicon.ico"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head.headers.get("content-type") == get.headers.get("content-type"), path
    assert client.head(FEED).headers["etag"] == client.get(FEED).headers["etag"]
    r = client.put("/api/v1/cities/35.10/members", json={})
    assert r.status_code == 405
    assert {m.strip() for m in r.headers["allow"].split(",")} == {"GET", "HEAD", "POST"}
    r = client.delete(FEED)
    assert r.status_code == 405 and {m.strip() for m in r.headers["allow"].split(",")} == {"GET", "HEAD", "OPTIONS"}


def test_cors_on_feeds_errors_and_preflights(client, small):
    r = client.get(FEED, headers={"Origin": "https://app.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "ETag" in r.headers["access-control-expose-headers"]
    missing = client.get(f"/gbfs/v3/{SYSTEM}/nothing.json", headers={"Origin": "https://app.example"})
    assert missing.status_code == 404 and missing.headers["access-control-allow-origin"] == "*"
    assert missing.headers["content-type"].startswith("application/problem+json")  # an API client: problem details
    pre = client.options(
        STATUS,
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert pre.status_code == 204 and pre.headers["access-control-allow-origin"] == "*"
    assert "GET" in pre.headers["access-control-allow-methods"]
    assert "if-none-match" in pre.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in pre.headers


def test_a_browser_gets_an_error_page_in_its_language(client, small):
    page = client.get(f"/gbfs/v3/{SYSTEM}/nothing.json", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Not found" in page.text and page.headers["access-control-allow-origin"] == "*"
    api = client.get("/api/v1/roads/cities/35.10/report.xlsx", headers={"Accept": "text/html", "Accept-Language": "id"})
    assert api.status_code == 401 and api.headers["content-type"].startswith("text/html")
    assert 'id="error-signin"' in api.text and "next=/api/v1/roads/cities/35.10/report.xlsx" in api.text
    assert "Masuk" in api.text
    as_client = client.get("/api/v1/roads/cities/35.10/report.xlsx", headers={"Accept": "application/json"})
    assert as_client.headers["content-type"].startswith("application/problem+json")


def test_feed_urls_never_use_an_untrusted_host(small, tmp_path):
    app = create_app(settings_for(small, tmp_path), engine=small)
    with TestClient(app) as c:
        feed_cache.invalidate()
        r = c.get(f"/gbfs/v3/{SYSTEM}/gbfs.json", headers={"Host": "attacker.example"})
        assert r.status_code == 400 and "attacker.example" not in json.dumps(r.json()["detail"].split(";")[1:])
        assert c.get("/api/v1/cities", headers={"Host": "attacker.example"}).status_code == 200
        listing = c.get("/api/v1/admin-areas?city=35.10&limit=1", headers={"Host": "attacker.example"}).json()
        assert all(not link["href"].startswith("http") for link in listing["links"])  # relative, never that host
    from dataclasses import replace

    configured = replace(settings_for(small, tmp_path), base_url="https://kota.example.id")
    with TestClient(create_app(configured, engine=small)) as c:
        feed_cache.invalidate()
        feeds = c.get(f"/gbfs/v3/{SYSTEM}/gbfs.json", headers={"Host": "attacker.example"}).json()["data"]["feeds"]
        assert feeds and all(f["url"].startswith("https://kota.example.id/gbfs/v3/") for f in feeds)


def test_feed_times_regions_and_last_reported(client, demo):
    """Times in the system's zone (+07:00), regions the kecamatan the platform places each station in, and a
    station's last_reported the last change of its docks (not the time the feed was built)."""
    vehicles = client.get("/gbfs/v3/banyuwangi/vehicle_status.json").json()["data"]["vehicles"]
    assert vehicles and all(v["last_reported"].endswith("+07:00") for v in vehicles)
    alerts = client.get("/gbfs/v3/banyuwangi/system_alerts.json").json()["data"]["alerts"]
    stamps = [t for a in alerts for tt in a.get("times", []) for t in tt.values()] + [a["last_updated"] for a in alerts]
    assert stamps and all(s.endswith("+07:00") for s in stamps)
    info = client.get("/gbfs/v3/banyuwangi/station_information.json").json()["data"]["stations"]
    regions = {
        r["region_id"]: r["name"][0]["text"]
        for r in client.get("/gbfs/v3/banyuwangi/system_regions.json").json()["data"]["regions"]
    }
    placed = {
        f["properties"]["station_id"]: f["properties"]["kecamatan"]["name"]
        for f in client.get("/api/v1/bikes/systems/banyuwangi/stations").json()["features"]
    }
    for st in info:
        assert placed[st["station_id"]] in regions[st["region_id"]], st["station_id"]  # cacalan, stasiun-kota too
    time.sleep(1.1)  # a feed built a second after the demo's last dock change (feeds count whole seconds)
    feed_cache.invalidate()
    status = client.get("/gbfs/v3/banyuwangi/station_status.json").json()
    built = datetime.fromisoformat(status["last_updated"])
    reported = [datetime.fromisoformat(s["last_reported"]) for s in status["data"]["stations"]]
    assert all(r <= built for r in reported) and min(reported) < built


def test_station_rental_pages_exist(client, demo):
    """Every rental_uris.web of the feed is a page of its station, in the reader's language."""
    stations = client.get("/gbfs/v3/banyuwangi/station_information.json").json()["data"]["stations"]
    assert len(stations) == 15
    for st in stations:
        url = st["rental_uris"]["web"]
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        page = client.get(path, headers={"Accept-Language": "en"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), path
        assert f'data-station="{st["station_id"]}"' in page.text and 'id="rent-in-app"' in page.text
    assert client.get("/bikes/banyuwangi/stations/nowhere").status_code == 404


def test_geofencing_zones_follow_the_right_hand_rule(client, demo):
    zones = client.get("/gbfs/v3/banyuwangi/geofencing_zones.json").json()["data"]["geofencing_zones"]["features"]
    assert zones
    for z in zones:
        for polygon in shape(z["geometry"]).geoms:
            assert polygon.exterior.is_ccw and all(not ring.is_ccw for ring in polygon.interiors)
        coords = json.dumps(z["geometry"]["coordinates"])
        assert all(
            len(x.split(".")[1]) <= 6
            for x in coords.replace("[", " ").replace("]", " ").replace(",", " ").split()
            if "." in x
        )


def test_public_vehicle_ids_cannot_be_traced_back_without_the_server_key(api, seeded):
    """The feed's vehicle ids were a plain hash of the public system id, the bike id and the report time, so anyone
    could try the bike ids and follow a bike; now they are an HMAC under a key derived from the server's secret."""
    from sqlalchemy import select

    from kotacerdas.bikes import gbfs
    from kotacerdas.bikes.model import Bike
    from kotacerdas.bikes.services.stations import vehicle_id_key
    from kotacerdas.bikes.store.tables import BikeRow
    from kotacerdas.core.config import get_settings
    from kotacerdas.core.db import session_scope

    public = {
        v["vehicle_id"] for v in api.get(STATUS.replace("station_status", "vehicle_status")).json()["data"]["vehicles"]
    }
    with session_scope(seeded) as s:
        bikes = [Bike(b.bike_id, "", last_reported=b.last_reported) for b in s.scalars(select(BikeRow))]
    key = vehicle_id_key(SYSTEM)
    assert public and public <= {gbfs.public_vehicle_id(b, key) for b in bikes}
    assert not public & {gbfs.public_vehicle_id(b, SYSTEM) for b in bikes}  # the public id as key: nothing matches
    assert get_settings().secret_key not in key and SYSTEM not in key


def test_a_station_added_beside_the_demo_joins_its_kecamatan_s_region(client, demo):
    """A new station in a kecamatan the demo's stations already use gets that same region (one id scheme, the
    Kemendagri code), not a second region of the same kecamatan."""
    from tests.conftest import token_for

    h = token_for(client, "bikeoperator.3510")
    info = client.get("/gbfs/v3/banyuwangi/station_information.json").json()["data"]["stations"]
    sritanjung = next(s for s in info if s["station_id"] == "sritanjung")
    near = {
        "station_id": "baru-1",
        "name": "Baru",
        "capacity": 8,
        "lat": sritanjung["lat"] + 0.001,
        "lon": sritanjung["lon"] + 0.001,
    }
    assert client.post("/api/v1/bikes/systems/banyuwangi/stations", json=near, headers=h).status_code == 201
    feed_cache.invalidate()
    info = client.get("/gbfs/v3/banyuwangi/station_information.json").json()["data"]["stations"]
    regions = client.get("/gbfs/v3/banyuwangi/system_regions.json").json()["data"]["regions"]
    by_id = {s["station_id"]: s for s in info}
    assert by_id["baru-1"]["region_id"] == by_id["sritanjung"]["region_id"] == "35.10.16"
    names = [r["name"][0]["text"] for r in regions]
    assert len(names) == len(set(names)) and {r["region_id"] for r in regions} >= {"35.10.16"}
