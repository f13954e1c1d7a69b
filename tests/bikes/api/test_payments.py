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


def test_webhook_answers_401_for_any_malformed_signature(api):
    """Non-ASCII bytes, a very long value, an empty one: 401 problem details, never a 500."""
    from fastapi.testclient import TestClient

    with TestClient(api.app, raise_server_exceptions=False) as c:
        for signature in (b"\xff\xfe\xc3\xa9", "é".encode() * 64, "a" * 10_000, b"", "00" * 32):
            r = c.post(
                "/api/v1/bikes/payments/sandbox/webhook",
                content=b'{"intent_id": "PIX"}',
                headers={"X-Signature": signature},
            )
            assert r.status_code == 401, (signature, r.status_code, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")


def test_a_correctly_signed_notification_that_is_not_an_event_is_a_400(api):
    from kotacerdas.bikes.services.payments import sandbox_provider

    signer = sandbox_provider(api.app.state.settings.secret_key)
    for body in (
        b"[1, 2]",
        b'{"intent_id": "PIX"}',
        b"not json",
        b'{"event_id":1,"intent_id":"P","status":"paid","amount":"lots","at":"2025-01-01T00:00:00+00:00"}',
    ):
        r = api.post("/api/v1/bikes/payments/sandbox/webhook", content=body, headers={"X-Signature": signer.sign(body)})
        assert r.status_code == 400, (body, r.text)


def test_sandbox_payments_exist_only_where_configured(api, seeded):
    """A server without the sandbox setting (production) refuses sandbox top-ups, the sandbox bank and its
    webhook; /healthz says which."""
    from dataclasses import replace

    h = register(api, "0812 4444 0000")
    assert api.get("/healthz").json()["payments"] == "sandbox"
    topup(api, h, 10000, "on")
    api.app.state.settings = replace(api.app.state.settings, payments_sandbox=False)
    assert api.get("/healthz").json()["payments"] == "off"
    r = api.post(f"{API}/me/topups", json={"amount": 10_000_000, "idempotency_key": "off"}, headers=h)
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    r = api.post(f"{API}/me/topups/PI0000/sandbox-pay", headers=h)
    assert r.status_code == 403
    assert (
        api.post("/api/v1/bikes/payments/sandbox/webhook", content=b"{}", headers={"X-Signature": "x"}).status_code
        == 403
    )
    assert api.get(f"{API}/me", headers=h).json()["balance"] == 10000


def test_the_default_settings_have_no_sandbox(tmp_path):
    from kotacerdas.core.config import load_settings

    assert load_settings({"KOTACERDAS_DATA_DIR": str(tmp_path)}).payments_sandbox is False
    assert load_settings({"KOTACERDAS_DATA_DIR": str(tmp_path), "KOTACERDAS_PAYMENTS_SANDBOX": "1"}).payments_sandbox
