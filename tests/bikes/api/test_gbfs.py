"""The GBFS feeds served from stored systems, in several states, against the official schemas."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from kotacerdas.bikes import gbfs
from kotacerdas.bikes.services import alerts, feed_cache, systems
from kotacerdas.bikes.services import rentals as service
from kotacerdas.bikes.services.demo import store_demo
from kotacerdas.bikes.store import rows as st
from kotacerdas.core.db import session_scope
from kotacerdas.core.models import City

from ..factories import SYSTEM, make_riders, make_system
from ..gbfs_schemas import schema_errors


def fetch_all(client, system_id: str) -> dict[str, dict]:
    """Every v3 and v2.3 feed of a system, following the discovery files."""
    out = {}
    r = client.get(f"/gbfs/v3/{system_id}/gbfs.json")
    assert r.status_code == 200, r.text
    out["v3/gbfs"] = r.json()
    for f in r.json()["data"]["feeds"]:
        path = f["url"].split("://", 1)[1].split("/", 1)[1]
        got = client.get("/" + path)
        assert got.status_code == 200, (path, got.text)
        out[f"v3/{f['name']}"] = got.json()
    r = client.get(f"/gbfs/v2/{system_id}/gbfs.json")
    assert r.status_code == 200
    out["v2/gbfs"] = r.json()
    for lang, block in r.json()["data"].items():
        for f in block["feeds"]:
            path = f["url"].split("://", 1)[1].split("/", 1)[1]
            got = client.get("/" + path)
            assert got.status_code == 200, (path, got.text)
            out[f"v2/{lang}/{f['name']}"] = got.json()
    return out


def validate(schemas, feeds: dict[str, dict]) -> list[str]:  # noqa: F811
    problems = []
    for key, doc in feeds.items():
        version = "v3.0" if key.startswith("v3/") else "v2.3"
        name = key.rsplit("/", 1)[1]
        problems += [f"{key}: {e}" for e in schema_errors(schemas[version][name], doc)]
    return problems


@pytest.fixture
def small(client, seeded):
    feed_cache.invalidate()
    make_system(seeded)
    return seeded


def test_every_feed_validates_in_several_states(client, small, schemas):  # noqa: F811
    engine = small
    assert validate(schemas, fetch_all(client, SYSTEM)) == []
    # a ride under way, a broken bike, a closure alert, a reserved bike, an e-bike
    u1, u2 = make_riders(engine, 2)
    service.rent(engine, SYSTEM, u1, bike_id="uji-alpha-0")
    service.reserve(engine, SYSTEM, u2, "uji-alpha-1")
    service.report_broken(engine, SYSTEM, "uji-alpha-2", user_id=u2)
    with session_scope(engine) as s:
        system = st.get_system(s, SYSTEM)
        alerts.upsert_alert(
            s,
            system,
            {
                "alert_id": "tutup",
                "type": "station_closure",
                "summary": "Tutup",
                "station_ids": ["gamma"],
                "times": [{"start": "2020-01-01T00:00:00+07:00", "end": None}],
            },
        )
    feed_cache.invalidate(SYSTEM)
    feeds = fetch_all(client, SYSTEM)
    assert validate(schemas, feeds) == []
    status = {s["station_id"]: s for s in feeds["v3/station_status"]["data"]["stations"]}
    assert status["alpha"]["num_vehicles_available"] == 0 and status["alpha"]["num_vehicles_disabled"] == 1
    assert status["gamma"]["is_renting"] is False
    assert len(feeds["v3/vehicle_status"]["data"]["vehicles"]) == 4  # rented bike not published
    # an empty system (no stations, no bikes) validates too
    with session_scope(engine) as s:
        city = s.scalar(select(City).where(City.code == "73.71"))
        systems.create_system(s, city, {"system_id": "kosong", "name": "Kosong"})
    assert validate(schemas, fetch_all(client, "kosong")) == []


def test_the_demo_system_feeds_validate(client, seeded, schemas):  # noqa: F811
    with session_scope(seeded) as s:
        store_demo(s)
    feed_cache.invalidate()
    feeds = fetch_all(client, "banyuwangi")
    assert validate(schemas, feeds) == []
    assert "demo" in feeds["v2/en/system_information"]["data"]["name"].lower()
    assert len(feeds["v3/station_information"]["data"]["stations"]) == 15
    manifest = client.get("/gbfs/v3/manifest.json").json()
    assert schema_errors(schemas["v3.0"]["manifest"], manifest) == []
    assert [d["system_id"] for d in manifest["data"]["datasets"]] == ["banyuwangi"]


def test_headers_ttl_and_cache_follow_the_state(client, small):
    r = client.get(f"/gbfs/v3/{SYSTEM}/station_status.json")
    body = r.json()
    assert body["ttl"] == 60 and r.headers["cache-control"].startswith("public, max-age=")
    assert 0 < int(r.headers["cache-control"].split("=")[1]) <= body["ttl"]
    stamp = datetime.fromisoformat(body["last_updated"])
    assert abs((datetime.now().astimezone() - stamp).total_seconds()) < 5
    assert r.headers["access-control-allow-origin"] == "*"
    # cached: the same bytes, and 304 for a matching ETag
    again = client.get(f"/gbfs/v3/{SYSTEM}/station_status.json")
    assert again.content == r.content
    assert (
        client.get(f"/gbfs/v3/{SYSTEM}/station_status.json", headers={"If-None-Match": r.headers["etag"]}).status_code
        == 304
    )
    # a rental changes the state: the next fetch shows it at once
    (u,) = make_riders(small, 1)
    service.rent(small, SYSTEM, u, bike_id="uji-alpha-0")
    after = client.get(f"/gbfs/v3/{SYSTEM}/station_status.json").json()
    alpha = next(s for s in after["data"]["stations"] if s["station_id"] == "alpha")
    assert alpha["num_vehicles_available"] == 2
    info = client.get(f"/gbfs/v3/{SYSTEM}/system_information.json")
    assert info.json()["ttl"] == 3600


def test_unknown_system_feed_or_language_is_404(client, small):
    assert client.get("/gbfs/v3/nowhere/gbfs.json").status_code == 404
    assert client.get(f"/gbfs/v3/{SYSTEM}/free_bike_status.json").status_code == 404
    assert client.get(f"/gbfs/v2/{SYSTEM}/fr/station_status.json").status_code == 404
    r = client.get(f"/gbfs/v2/{SYSTEM}/en/free_bike_status.json")
    assert r.status_code == 200 and r.json()["version"] == "2.3"
    assert isinstance(r.json()["last_updated"], int)


def test_feed_urls_point_at_the_served_routes(client, small):
    disc = client.get(f"/gbfs/v3/{SYSTEM}/gbfs.json").json()
    names = {f["name"] for f in disc["data"]["feeds"]}
    assert names >= {"system_information", "station_information", "station_status", "vehicle_status"}
    assert set(gbfs.V3_FEEDS) >= names - {"manifest"}
