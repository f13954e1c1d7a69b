"""The same-site checks of writes that ride on the session cookie: the API, the sign-in form and the sign-out form.

A site is its scheme, host and port: ``https://127.0.0.1:8765`` is another site than the ``http`` server on
the same address.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kotacerdas.core.db import session_scope
from kotacerdas.core.models import User
from kotacerdas.web.app import create_app
from tests.conftest import DEMO_PASSWORD, settings_for

HERE = "http://127.0.0.1:8765"
OTHER_SITES = ["https://127.0.0.1:8765", "http://127.0.0.1:8766", "http://evil.example", "null"]


@pytest.fixture
def site(seeded, tmp_path):
    """A client of the app served as ``http://127.0.0.1:8765``, with the page's CSRF cookie."""
    with TestClient(create_app(settings_for(seeded, tmp_path), engine=seeded), base_url=HERE) as c:
        c.get("/login")
        yield c


def sign_in(client, username: str = "cityadmin.3510", **headers) -> object:
    form = {"username": username, "password": DEMO_PASSWORD, "csrf": client.cookies.get("kc_csrf"), "next": "/"}
    return client.post("/login", data=form, headers=headers, follow_redirects=False)


def member(name: str) -> dict:
    return {"username": name, "password": "rahasia-sekali", "roles": ["public"]}


@pytest.mark.parametrize("origin", OTHER_SITES)
def test_an_api_write_on_the_cookie_from_another_site_is_refused(site, seeded, origin):
    assert sign_in(site).status_code == 303 and site.cookies.get("kc_session")
    r = site.post("/api/v1/cities/35.10/members", json=member("dari.situs.lain"), headers={"Origin": origin})
    assert r.status_code == 403, r.text
    with session_scope(seeded) as s:
        assert s.scalar(select(User).where(User.username == "dari.situs.lain")) is None
    r = site.post("/api/v1/cities/35.10/members", json=member("dari.sini"), headers={"Origin": HERE})
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("origin", OTHER_SITES)
def test_the_sign_in_form_from_another_site_is_refused(site, origin):
    r = sign_in(site, Origin=origin)
    assert r.status_code == 400 and "kc_session" not in r.headers.get("set-cookie", "")
    assert sign_in(site, Origin=HERE).status_code == 303


def test_a_sign_out_from_another_site_neither_revokes_nor_clears_the_session(site):
    sign_in(site)
    cookie = site.cookies.get("kc_session")
    for origin in OTHER_SITES:
        r = site.post("/logout", data={"csrf": site.cookies.get("kc_csrf")}, headers={"Origin": origin})
        assert r.status_code == 403 and "kc_session" not in r.headers.get("set-cookie", ""), origin
        assert "masih masuk" in r.text
    r = site.post("/logout", data={"csrf": "wrong"}, follow_redirects=False)  # an expired form: the same
    assert r.status_code == 403 and site.get("/api/v1/me").status_code == 200
    r = site.post("/logout", data={"csrf": site.cookies.get("kc_csrf")}, headers={"Origin": HERE})
    assert r.status_code == 200 and site.get("/api/v1/me").status_code == 401  # revoked and cleared
    site.cookies.set("kc_session", cookie)  # the old cookie no longer signs anyone in
    assert site.get("/api/v1/me").status_code == 401
