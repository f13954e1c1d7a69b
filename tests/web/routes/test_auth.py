"""Sign-in for API clients: the rate limit per account and per address (shared by every process), the dummy
hash for unknown names, tokens with a lifetime, rotation, listing and revocation, and a new password revoking
every token."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from kotacerdas.core import accounts, auth
from kotacerdas.core.db import make_engine, session_scope, utcnow
from kotacerdas.core.models import ApiToken, SignInFailure
from tests.conftest import DEMO_PASSWORD, token_for

TOKEN = "/api/v1/auth/token"


def sign_in(client, username, password=DEMO_PASSWORD, **headers):
    return client.post(TOKEN, json={"username": username, "password": password}, headers=headers)


def test_wrong_passwords_lock_the_account_for_a_while_even_for_the_right_one(client, seeded):
    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT):
        assert sign_in(client, "cityadmin.3510", "wrong-password").status_code == 401
    r = sign_in(client, "cityadmin.3510", **{"Accept-Language": "en"})
    assert r.status_code == 429 and 60 <= int(r.headers["retry-after"]) <= 15 * 60 + 1
    assert r.headers["content-type"].startswith("application/problem+json") and "Too many" in r.json()["detail"]
    assert sign_in(client, "roadofficer.3510").status_code == 200  # another account of the same address
    with session_scope(seeded) as s:  # the window passes
        s.execute(update(SignInFailure).values(at=utcnow() - accounts.SIGN_IN_WINDOW - timedelta(seconds=1)))
    assert sign_in(client, "cityadmin.3510").status_code == 200


def test_failures_from_one_address_are_limited_across_accounts(client, monkeypatch):
    monkeypatch.setattr(accounts, "MAX_FAILURES_PER_ADDRESS", 5)
    for n in range(5):
        assert sign_in(client, f"nobody{n}", "wrong-password").status_code == 401
    assert sign_in(client, "cityadmin.3510").status_code == 429


def test_the_limit_is_shared_by_every_process_of_the_deployment(client, seeded):
    """The failures live in the database: a second engine (another server process) sees them."""
    url = seeded.url.render_as_string(hide_password=False)
    if seeded.dialect.name == "postgresql":  # the test's own schema
        with seeded.connect() as conn:
            path = conn.exec_driver_sql("SHOW search_path").scalar()
        other = make_engine(url, connect_args={"options": f"-csearch_path={path.replace(' ', '')}"})
    else:
        other = make_engine(url)
    try:
        for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT):
            try:
                accounts.check_sign_in(other, "cityadmin.3510", "wrong-password", address="10.0.0.9")
            except Exception as exc:  # noqa: BLE001 (401 each time, checked below)
                assert getattr(exc, "status", None) == 401
    finally:
        other.dispose()
    assert sign_in(client, "cityadmin.3510").status_code == 429


def test_unknown_names_cost_a_hash_as_known_ones_do(client, monkeypatch):
    from argon2 import PasswordHasher

    calls: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, password_hash, password):
            calls.append(password_hash)
            return super().verify(password_hash, password)

    monkeypatch.setattr(auth, "_hasher", Counting(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(accounts, "verify_password", auth.verify_password)
    assert sign_in(client, "cityadmin.3510", "wrong-password").status_code == 401
    assert sign_in(client, "no.such.user", "wrong-password").status_code == 401
    assert len(calls) == 2 and calls[1] == auth.dummy_hash() and calls[0] != calls[1]
    assert sign_in(client, "no.such.user", auth.dummy_hash()).status_code == 401


def test_tokens_have_a_lifetime_and_expire(client, seeded):
    r = sign_in(client, "cityadmin.3510")
    expires = r.json()["expires_at"]
    assert expires and expires[:10] == (utcnow() + timedelta(days=accounts.API_TOKEN_DAYS)).date().isoformat()
    h = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get("/api/v1/me", headers=h).status_code == 200
    with session_scope(seeded) as s:
        s.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get("/api/v1/me", headers=h).status_code == 401


def test_rotation_gives_a_new_token_and_ends_the_old_one(client):
    old = token_for(client, "cityadmin.3510")
    r = client.post("/api/v1/auth/token/rotate", headers=old)
    assert r.status_code == 200 and r.json()["expires_at"]
    new = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get("/api/v1/me", headers=new).status_code == 200
    assert client.get("/api/v1/me", headers=old).status_code == 401
    assert client.post("/api/v1/auth/token/rotate", headers=old).status_code == 401


def test_tokens_are_listed_and_revoked_by_their_owner_only(client):
    first = token_for(client, "cityadmin.3510")
    second = token_for(client, "cityadmin.3510")
    listed = client.get("/api/v1/me/tokens", headers=second).json()
    assert len(listed) == 2 and [t["current"] for t in listed] == [True, False]
    assert all("token" not in key for t in listed for key in t if key != "id")
    other = token_for(client, "roadofficer.3510")
    assert client.delete(f"/api/v1/me/tokens/{listed[1]['id']}", headers=other).status_code == 404
    assert client.delete(f"/api/v1/me/tokens/{listed[1]['id']}", headers=second).status_code == 204
    assert client.get("/api/v1/me", headers=first).status_code == 401
    assert client.get("/api/v1/me", headers=second).status_code == 200


def test_a_new_password_revokes_every_token_and_session(client, seeded):
    api = token_for(client, "cityadmin.3510")
    client.get("/login")
    client.post(
        "/login",
        data={"username": "cityadmin.3510", "password": DEMO_PASSWORD, "csrf": client.cookies.get("kc_csrf")},
    )
    assert "cityadmin.3510" in client.get("/account").text
    body = {"current_password": "wrong-password", "new_password": "a-new-long-password"}
    assert client.post("/api/v1/me/password", json=body, headers=api).status_code == 401
    body["current_password"] = DEMO_PASSWORD
    r = client.post("/api/v1/me/password", json=body, headers=api)
    assert r.status_code == 200, r.text
    assert client.get("/api/v1/me", headers=api).status_code == 401
    assert client.get("/account", follow_redirects=False).status_code == 303  # the web session ended too
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get("/api/v1/me", headers=fresh).status_code == 200
    assert sign_in(client, "cityadmin.3510").status_code == 401
    assert sign_in(client, "cityadmin.3510", "a-new-long-password").status_code == 200
    with session_scope(seeded) as s:
        live = [t for t in s.scalars(select(ApiToken)) if not t.revoked]
        assert len(live) == 2  # the answer's token and the last sign-in
