"""Alerts through the API: operators publish and withdraw them, everyone reads them."""

from __future__ import annotations

from ..factories import API


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
