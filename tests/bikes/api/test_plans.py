"""Pricing plans through the API: public list, operators change them in whole rupiah."""

from __future__ import annotations

from ..factories import API


def test_plans_are_public_and_changed_in_whole_rupiah(api, auth):
    op = auth("bikeoperator.3510")
    assert [p["plan_id"] for p in api.get(f"{API}/plans").json()] == ["pay", "day"]
    r = api.put(f"{API}/plans/pay", json={"unlock_fee": 4000}, headers=op)
    assert r.status_code == 200 and r.json()["unlock_fee"] == 4000 and r.json()["currency"] == "IDR"
    assert api.put(f"{API}/plans/pay", json={"unlock_fee": 4000.5}, headers=op).status_code in (400, 422)
    assert api.put(f"{API}/plans/pay", json={"unlock_fee": 1}).status_code == 401


def test_empty_or_wrong_plan_fields_are_a_400_not_a_500(api, auth):
    op = auth("bikeoperator.3510")
    for body in ({"pass_valid_minutes": None}, {"pass_valid_minutes": 0}, {"unlock_fee": None}):
        r = api.put(f"{API}/plans/day", json=body, headers=op)
        assert r.status_code == 400 and r.json()["field"] in body, (body, r.status_code, r.text)
    assert api.get(f"{API}/plans").json()[1]["pass_valid_minutes"] > 0  # nothing changed
