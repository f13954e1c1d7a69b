"""Alerts through the API: operators publish and withdraw them, everyone reads them."""

from __future__ import annotations

from ..factories import API, SYSTEM


def test_alerts_are_published_read_and_withdrawn(api, auth):
    op = auth("bikeoperator.3510")
    body = {"alert_id": "a1", "type": "other", "summary": "Info", "times": [{"start": "2025-01-01T00:00:00+07:00"}]}
    r = api.post(f"{API}/alerts", json=body, headers=op)
    assert r.status_code == 201 and r.json()["summary"] == {"id": "Info", "en": "Info"}
    assert [a["alert_id"] for a in api.get(f"{API}/alerts").json()] == ["a1"]
    r = api.delete(f"{API}/alerts/a1", headers=op)
    assert r.status_code == 204 and r.content == b""
    assert api.delete(f"{API}/alerts/a1", headers=op).status_code == 404
    assert api.get(f"{API}/alerts").json() == []


def test_a_204_over_a_kept_alive_connection_has_no_body(system, tmp_path):
    """DELETE of a station and of an alert answer 204 without a body on a real server: nothing is logged about a
    body longer than its Content-Length, and the next request on the same connection is served."""
    import logging

    import httpx

    from kotacerdas.web.app import create_app
    from tests.conftest import settings_for, token_for
    from tests.live import LiveServer

    from ..factories import API

    logged: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: logged.append(record.getMessage())  # type: ignore[method-assign]
    app = create_app(settings_for(system, tmp_path), engine=system)
    with LiveServer(app) as base, httpx.Client(base_url=base) as c:
        logging.getLogger("uvicorn.error").addHandler(handler)
        try:
            h = token_for(c, "bikeoperator.3510")
            alert = c.post(f"{API}/alerts", json={"type": "other", "summary": {"id": "x", "en": "x"}}, headers=h)
            station = {"station_id": "void", "name": "Void", "lat": -8.21, "lon": 114.37, "capacity": 2}
            assert c.post(f"{API}/stations", json=station, headers=h).status_code == 201
            for path in (f"{API}/alerts/{alert.json()['alert_id']}", f"{API}/stations/void"):
                r = c.delete(path, headers=h)
                assert r.status_code == 204 and r.content == b"" and "content-type" not in r.headers
                assert c.get("/healthz").status_code == 200
        finally:
            logging.getLogger("uvicorn.error").removeHandler(handler)
    assert not [m for m in logged if "Content-Length" in m or "Exception" in m], logged


def test_bad_alert_times_are_refused_and_a_local_time_is_read_in_the_city(api, auth):
    """A time without its offset once broke every public feed (naive against aware): now it is read in the system's
    time zone; a missing start, a non-time, a year 9999, an end before the start, an overlong summary or alert id get a
    400 naming the field, and the feeds keep answering."""
    op = auth("bikeoperator.3510")
    r = api.post(
        f"{API}/alerts",
        json={"alert_id": "local", "summary": "x", "times": [{"start": "2026-01-01T00:00"}]},
        headers=op,
    )
    assert r.status_code == 201 and r.json()["times"][0]["start"] == "2026-01-01T00:00:00+07:00"
    refused = [
        {"times": [{}]},
        {"times": [{"start": None}]},
        {"times": [{"start": "9999-99-99"}]},
        {"times": [{"start": "9999-01-01T00:00:00+07:00"}]},
        {"times": [{"start": "2026-01-02T00:00:00+07:00", "end": "2026-01-01T00:00:00+07:00"}]},
        {"summary": "x" * 5000},
        {"alert_id": "a" * 5000},
        {"alert_id": "no spaces/here"},
    ]
    for extra in refused:
        body = {"alert_id": "bad", "summary": "x", **extra}
        r = api.post(f"{API}/alerts", json=body, headers=op)
        assert r.status_code == 400, (extra, r.status_code, r.text)
        assert r.json()["detail"], extra
    assert [a["alert_id"] for a in api.get(f"{API}/alerts").json()] == ["local"]
    for feed in ("system_alerts", "station_status", "station_information", "vehicle_status"):
        assert api.get(f"/gbfs/v3/{SYSTEM}/{feed}.json").status_code == 200, feed


def test_an_alert_stored_without_offsets_before_the_check_keeps_the_feeds_up(api, auth, seeded):
    from sqlalchemy import update

    from kotacerdas.bikes.services import feed_cache
    from kotacerdas.bikes.store.tables import BikeAlert
    from kotacerdas.core.db import session_scope

    op = auth("bikeoperator.3510")
    assert api.post(f"{API}/alerts", json={"alert_id": "old", "summary": "x"}, headers=op).status_code == 201
    with session_scope(seeded, write=True) as s:
        s.execute(update(BikeAlert).values(times=[["2026-01-01T00:00:00", None], ["garbled", None]]))
    feed_cache.invalidate()
    for feed in ("system_alerts", "station_status", "vehicle_status"):
        assert api.get(f"/gbfs/v3/{SYSTEM}/{feed}.json").status_code == 200, feed
