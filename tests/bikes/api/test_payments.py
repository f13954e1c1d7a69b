"""The rider's wallet through the API: the statement, top-ups and their idempotency keys, day passes, the webhook."""

from __future__ import annotations

from ..factories import API, register, topup


def test_statement_pages_every_movement_with_the_balance(api):
    h = register(api, "0812 5555 6666")
    topup(api, h, 20000, "t-1")
    topup(api, h, 5000, "t-2")
    assert api.post(f"{API}/me/passes", json={"plan_id": "day", "idempotency_key": "p-1"}, headers=h).status_code == 201
    statement = api.get(f"{API}/me/transactions", headers=h).json()
    assert sorted(i["amount"] for i in statement["items"]) == [-15000, 5000, 20000]
    assert statement["total"] == 3 and (statement["balance"], statement["debt"]) == (10000, 0)
    first = api.get(f"{API}/me/transactions", params={"limit": 1}, headers=h).json()
    assert len(first["items"]) == 1 and any(link["rel"] == "next" for link in first["links"])


def test_a_topup_needs_an_idempotency_key_and_keeps_it(api):
    h = register(api, "0812 7777 8888")
    assert api.post(f"{API}/me/topups", json={"amount": 1000}, headers=h).status_code == 400
    r = api.post(f"{API}/me/topups", json={"amount": 1000, "idempotency_key": "k"}, headers=h)
    assert r.status_code == 201 and r.json()["currency"] == "IDR"
    again = api.get(f"{API}/me/topups/{r.json()['intent_id']}", headers=h)
    assert again.status_code == 200 and again.json()["intent_id"] == r.json()["intent_id"]
    assert api.post(f"{API}/me/topups", json={"amount": 2000, "idempotency_key": "k"}, headers=h).status_code == 409
    other = register(api, "0812 7777 9999")
    assert api.get(f"{API}/me/topups/{r.json()['intent_id']}", headers=other).status_code == 404


def test_webhook_with_a_forged_signature_is_refused(api):
    r = api.post(
        "/api/v1/bikes/payments/sandbox/webhook",
        content=b'{"intent_id": "PIX"}',
        headers={"X-Signature": "bad"},
    )
    assert r.status_code == 401
