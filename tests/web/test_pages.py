"""Server-rendered pages in both languages, the language switch and signing in."""

from __future__ import annotations

import re

from tests.conftest import DEMO_PASSWORD


def test_home_in_indonesian_by_default_and_english_on_request(client):
    r = client.get("/")
    assert r.status_code == 200 and '<html lang="id">' in r.text
    assert "Satu platform, empat sistem kota" in r.text and "Manajer Jalan" in r.text
    r = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in r.text and "One platform, four city systems" in r.text


def test_language_switch_sticks(client):
    r = client.get("/lang/en", params={"next": "/map"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/map"
    assert "Sign in" in client.get("/map").text
    client.get("/lang/id")
    assert "Masuk" in client.get("/map").text


def test_switch_refuses_open_redirects(client):
    r = client.get("/lang/en", params={"next": "//evil.example"}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_home_shows_city_figures(client):
    r = client.get("/", params={"city": "73.71"})
    assert "Kota Makassar" in r.text and "<dd>15</dd>" in r.text


def csrf_of(client) -> str:
    client.get("/login")
    return client.cookies.get("kc_csrf")


def test_login_and_logout(client):
    csrf = csrf_of(client)
    r = client.post(
        "/login",
        data={"username": "cityadmin.3510", "password": DEMO_PASSWORD, "csrf": csrf, "next": "/account"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/account"
    page = client.get("/account").text
    assert "cityadmin.3510" in page and "Administrator kota" in page
    client.post("/logout", data={"csrf": csrf})
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_wrong_password_and_missing_csrf(client):
    csrf = csrf_of(client)
    r = client.post("/login", data={"username": "cityadmin.3510", "password": "wrong-one", "csrf": csrf})
    assert r.status_code == 401 and "Nama pengguna atau kata sandi salah" in r.text
    r = client.post("/login", data={"username": "cityadmin.3510", "password": DEMO_PASSWORD, "csrf": "x"})
    assert r.status_code == 400


def test_pages_work_on_a_phone(client):
    assert re.search(r'<meta name="viewport" content="width=device-width', client.get("/").text)


def test_unknown_page_is_an_html_page_for_browsers(client):
    r = client.get("/tidak-ada", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "text/html" in r.headers["content-type"] and "Tidak ditemukan" in r.text


def signed_in(client, username="cityadmin.3510") -> str:
    csrf = csrf_of(client)
    r = client.post("/login", data={"username": username, "password": DEMO_PASSWORD, "csrf": csrf})
    assert r.status_code == 200
    return csrf


def test_a_cross_site_logout_changes_nothing(client):
    """A sign-out posted from another site (no CSRF token, or another Origin) neither clears the cookie nor leaves
    a session that lives on without it: it is refused, and the session stays as it was."""
    csrf = signed_in(client)
    cookie = client.cookies.get("kc_session")
    for forged in ({"data": {}}, {"data": {"csrf": csrf}, "headers": {"Origin": "https://evil.example"}}):
        r = client.post("/logout", follow_redirects=False, **forged)
        assert r.status_code == 400 and "kc_session" not in r.headers.get("set-cookie", "")
        assert "cityadmin.3510" in client.get("/account").text and client.cookies.get("kc_session") == cookie
    r = client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and 'kc_session=""' in r.headers["set-cookie"]
    client.cookies.set("kc_session", cookie)  # the old cookie is worth nothing now: the session was revoked
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_the_account_page_lists_tokens_and_revokes_them(client, auth):
    api = auth("cityadmin.3510")
    csrf = signed_in(client)
    page = client.get("/account", headers={"Accept-Language": "en"}).text
    assert 'id="token-list"' in page and "this browser" in page and page.count("data-token=") == 2
    api_row = re.findall(r'data-token="(\d+)"', page)
    token_id = next(t for t in api_row if f'action="/account/tokens/{t}/revoke"' in page and t != api_row[0])
    assert client.post(f"/account/tokens/{token_id}/revoke", data={"csrf": "forged"}).status_code == 400
    r = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/account#tokens"
    assert client.get("/api/v1/me", headers=api).status_code == 401
    assert client.get("/account").text.count("data-token=") == 1
