"""The operator's figures through the API: dashboard, forecast, rebalancing plan, invariants."""

from __future__ import annotations

from ..factories import API


def test_operator_figures(api, auth):
    op = auth("bikeoperator.3510")
    dash = api.get(f"{API}/dashboard", headers=op).json()
    assert dash["stations"] == 3 and "beta" in dash["empty_stations"] and len(dash["days"]) == 14
    forecast = api.get(f"{API}/forecast", params={"hours": 2}, headers=op).json()
    assert forecast["trips_used"] == 0 and len(forecast["stations"]) == 3 and len(forecast["hours"]) >= 2
    plan = api.get(f"{API}/rebalancing", params={"trucks": 1}, headers=op).json()
    assert plan["problems"] == []
    assert (plan["distance_source"], plan["distance_reason"]) == ("haversine", "no_road_network")
    assert api.get(f"{API}/invariants", headers=op).json() == {"ok": True, "problems": []}
    assert api.get(f"{API}/dashboard", params={"days": 0}, headers=op).status_code == 422


def test_an_unknown_depot_is_refused_not_replaced(api, auth):
    op = auth("bikeoperator.3510")
    r = api.get(f"{API}/rebalancing", params={"trucks": 1, "depot": "nowhere"}, headers=op)
    assert r.status_code == 400 and "nowhere" in r.json()["detail"] and r.json()["field"] == "depot"
    plan = api.get(f"{API}/rebalancing", params={"trucks": 1, "depot": "beta"}, headers=op).json()
    assert plan["depot_station_id"] == "beta"
