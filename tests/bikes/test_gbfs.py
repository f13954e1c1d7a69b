"""Every GBFS feed, in several system states, against the official MobilityData schemas."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from kotacerdas.bikes import demo, gbfs
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import (
    WIB,
    Alert,
    AlertTime,
    Bike,
    BikeStatus,
    SystemState,
    local,
)

from .gbfs_schemas import schema_errors

BASE = "https://kota.example.id"
NOW = datetime(2025, 4, 14, 8, 0, tzinfo=WIB)


def _state(kind: str) -> SystemState:
    st = demo.demo_state(NOW)
    if kind == "demo":
        return st
    if kind == "empty":
        return SystemState(system=st.system, vehicle_types=st.vehicle_types, global_rules=())
    if kind == "no-bikes":
        return replace(st, bikes=[], alerts=[], zones=[])
    if kind == "full":
        bikes = [
            Bike(
                f"b-{s.station_id}-{i}",
                "classic",
                BikeStatus.AVAILABLE,
                s.station_id,
                s.lat,
                s.lon,
                None,
                NOW,
            )
            for s in st.stations
            for i in range(s.capacity)
        ]
        return replace(st, bikes=bikes)
    if kind == "ebikes":
        bikes = []
        statuses = list(BikeStatus)
        for n, s in enumerate(st.stations):
            for i in range(s.capacity // 2):
                status = statuses[(n + i) % len(statuses)]
                docked = status not in (BikeStatus.RENTED, BikeStatus.MISSING)
                bikes.append(
                    Bike(
                        f"e-{s.station_id}-{i}",
                        "ebike",
                        status,
                        s.station_id if docked else None,
                        s.lat,
                        s.lon,
                        (i % 5) / 4,
                        NOW - timedelta(minutes=i),
                    )
                )
        return replace(st, bikes=bikes)
    if kind == "alerts":
        alerts = [
            Alert(
                "closed",
                "system_closure",
                local("Tutup karena banjir", "Closed because of flooding"),
                times=(AlertTime(NOW - timedelta(hours=2)),),
                last_updated=NOW,
                url=local("https://kota.example.id/banjir", "https://kota.example.id/flood"),
            ),
            Alert(
                "moved",
                "station_move",
                local("Stasiun dipindah", "Station moved"),
                times=(AlertTime(NOW, NOW + timedelta(days=2)), AlertTime(NOW + timedelta(days=3))),
                station_ids=("ketapang",),
                region_ids=("kalipuro",),
            ),
        ]
        return replace(st, alerts=st.alerts + alerts)
    raise AssertionError(kind)


STATES = ("demo", "empty", "no-bikes", "full", "ebikes", "alerts")


@pytest.mark.parametrize("kind", STATES)
def test_v3_feeds_validate(schemas, kind):
    state = _state(kind)
    feeds = gbfs.build_v3(state, BASE, NOW)
    feeds["manifest"] = gbfs.manifest_v3([state.system], BASE, NOW)
    assert set(feeds) == set(schemas["v3.0"]), "a v3 feed without a schema, or a schema without a builder"
    for name, doc in feeds.items():
        json.dumps(doc)  # serialisable as is
        assert schema_errors(schemas["v3.0"][name], doc) == [], name


@pytest.mark.parametrize("kind", STATES)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_v2_feeds_validate(schemas, kind, lang):
    feeds = gbfs.build_v2(_state(kind), BASE, NOW, lang)
    expected = set(schemas["v2.3"]) - {"system_hours", "system_calendar"}
    assert set(feeds) == expected
    for name, doc in feeds.items():
        json.dumps(doc)
        assert schema_errors(schemas["v2.3"][name], doc) == [], (name, lang)


def test_schemas_catch_a_broken_feed(schemas):
    doc = gbfs.build_v3(_state("demo"), BASE, NOW)["station_status"]
    doc["last_updated"] = int(NOW.timestamp())  # the v2 way
    assert schema_errors(schemas["v3.0"]["station_status"], doc)
    doc2 = gbfs.build_v3(_state("demo"), BASE, NOW)["system_information"]
    doc2["data"]["name"] = "plain string"
    assert schema_errors(schemas["v3.0"]["system_information"], doc2)
    doc3 = gbfs.build_v3(_state("demo"), BASE, NOW)["gbfs"]
    doc3["last_updated"] = "14/04/2025 08:00"
    assert schema_errors(schemas["v3.0"]["gbfs"], doc3)


def test_v3_shapes_and_urls():
    state = _state("demo")
    feeds = gbfs.build_v3(state, BASE, NOW)
    urls = {f["name"]: f["url"] for f in feeds["gbfs"]["data"]["feeds"]}
    assert urls["station_status"] == f"{BASE}/gbfs/v3/banyuwangi/station_status.json"
    assert feeds["gbfs"]["last_updated"] == "2025-04-14T08:00:00+07:00"
    info = feeds["system_information"]["data"]
    assert {t["language"] for t in info["name"]} == {"id", "en"}
    assert "demo" in " ".join(t["text"] for t in info["name"])
    station = feeds["station_information"]["data"]["stations"][0]
    assert station["rental_uris"]["web"].startswith(f"{BASE}/bikes/banyuwangi/stations/")
    types = {t["vehicle_type_id"]: t for t in feeds["vehicle_types"]["data"]["vehicle_types"]}
    assert types["ebike"]["max_range_meters"] == 40000.0 and "max_range_meters" not in types["classic"]


def test_v2_shapes_and_urls():
    feeds = gbfs.build_v2(_state("demo"), BASE, NOW, "en")
    assert isinstance(feeds["gbfs"]["last_updated"], int)
    assert set(feeds["gbfs"]["data"]) == {"id", "en"}
    en_urls = {f["name"]: f["url"] for f in feeds["gbfs"]["data"]["en"]["feeds"]}
    assert en_urls["free_bike_status"] == f"{BASE}/gbfs/v2/banyuwangi/en/free_bike_status.json"
    assert en_urls["gbfs_versions"] == f"{BASE}/gbfs/v2/banyuwangi/gbfs_versions.json"
    assert feeds["system_information"]["data"]["name"].startswith("Banyuwangi City Bikes")
    id_feeds = gbfs.build_v2(_state("demo"), BASE, NOW, "id")
    assert id_feeds["system_information"]["data"]["name"].startswith("Sepeda Kota Banyuwangi")
    assert "bikes" in feeds["free_bike_status"]["data"]
    with pytest.raises(BikesError):
        gbfs.build_v2(_state("demo"), BASE, NOW, "fr")


@pytest.mark.parametrize("kind", ["demo", "full", "ebikes"])
def test_station_status_counts_agree_with_bikes(kind):
    state = _state(kind)
    rows = gbfs.station_status_v3(state.stations, state.bikes, state.vehicle_types, NOW)["data"]["stations"]
    vehicles = gbfs.vehicle_status_v3(state.bikes, state.vehicle_types, NOW)["data"]["vehicles"]
    caps = {s.station_id: s.capacity for s in state.stations}
    for row in rows:
        sid = row["station_id"]
        shown = [v for v in vehicles if v["station_id"] == sid]
        assert row["num_vehicles_available"] == sum(1 for v in shown if not v["is_reserved"] and not v["is_disabled"])
        assert row["num_vehicles_disabled"] == sum(1 for v in shown if v["is_disabled"])
        assert sum(t["count"] for t in row["vehicle_types_available"]) == row["num_vehicles_available"]
        assert row["num_docks_available"] == caps[sid] - len(shown)
        if kind == "full":
            assert row["num_docks_available"] == 0


def test_rented_and_missing_bikes_are_never_published():
    state = _state("ebikes")
    hidden = {b.bike_id for b in state.bikes if b.status in (BikeStatus.RENTED, BikeStatus.MISSING)}
    assert hidden
    vehicles = gbfs.vehicle_status_v3(state.bikes, state.vehicle_types, NOW, id_key="s")["data"]["vehicles"]
    published = {gbfs.public_vehicle_id(b, "s") for b in state.bikes if b.bike_id not in hidden}
    assert {v["vehicle_id"] for v in vehicles} == published
    assert all(v["vehicle_id"] != b for v in vehicles for b in hidden)
    e = next(v for v in vehicles if v.get("current_fuel_percent") == 0.5)
    assert e["current_range_meters"] == 20000.0


def test_vehicle_id_rotates_after_a_trip():
    bike = _state("demo").bikes[0]
    after = replace(bike, last_reported=NOW + timedelta(minutes=30))
    assert gbfs.public_vehicle_id(bike, "x") != gbfs.public_vehicle_id(after, "x")
    assert gbfs.public_vehicle_id(bike, "x") == gbfs.public_vehicle_id(bike, "x")
    assert bike.bike_id not in gbfs.public_vehicle_id(bike, "x")
    assert gbfs.public_vehicle_id(bike, "x") != gbfs.public_vehicle_id(bike, "y")  # the key makes the id


def test_closures_stop_renting():
    state = _state("demo")  # Pantai Boom is closed for a festival now
    rows = {r["station_id"]: r for r in gbfs.build_v3(state, BASE, NOW)["station_status"]["data"]["stations"]}
    assert not rows["pantai-boom"]["is_renting"] and not rows["pantai-boom"]["is_returning"]
    assert rows["sritanjung"]["is_renting"]
    later = gbfs.station_status_v3(
        state.stations, state.bikes, state.vehicle_types, NOW + timedelta(hours=6), alerts=state.alerts
    )
    assert all(r["is_renting"] for r in later["data"]["stations"])
    closed = _state("alerts")
    rows = gbfs.build_v3(closed, BASE, NOW)["station_status"]["data"]["stations"]
    assert not any(r["is_renting"] or r["is_returning"] for r in rows)


def test_pricing_plans_and_geofencing_content():
    feeds = gbfs.build_v3(_state("demo"), BASE, NOW)
    plans = {p["plan_id"]: p for p in feeds["system_pricing_plans"]["data"]["plans"]}
    assert plans["pay-classic"]["price"] == 3000 and plans["pay-classic"]["currency"] == "IDR"
    assert plans["pay-classic"]["per_min_pricing"] == [{"start": 30, "rate": 250, "interval": 1}]
    assert plans["day-pass"]["price"] == 15000
    zones = feeds["geofencing_zones"]["data"]["geofencing_zones"]["features"]
    apron = next(z for z in zones if z["properties"]["name"][1]["text"] == "Ketapang harbour apron")
    ring = apron["geometry"]["coordinates"][0][0]
    assert ring[0] == ring[-1] and 114.39 < ring[0][0] < 114.41 and -8.15 < ring[0][1] < -8.13
    v2 = gbfs.build_v2(_state("demo"), BASE, NOW, "id")["geofencing_zones"]["data"]["geofencing_zones"]
    assert v2["features"][0]["properties"]["rules"][0]["ride_allowed"] is False


def test_build_feed_dispatch_and_errors():
    state = _state("demo")
    assert gbfs.build_feed("3.0", "system_regions", state, BASE, NOW)["version"] == "3.0"
    assert gbfs.build_feed("2.3", "free_bike_status", state, BASE, NOW, lang="en")["version"] == "2.3"
    for version, name in (("3.0", "free_bike_status"), ("2.3", "vehicle_status"), ("1.0", "gbfs")):
        with pytest.raises(BikesError) as err:
            gbfs.build_feed(version, name, state, BASE, NOW)
        assert err.value.status == 404
    with pytest.raises(BikesError):
        gbfs.rfc3339(datetime(2025, 1, 1))
