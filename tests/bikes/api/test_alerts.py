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
