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
        assert r.status_code == 403 and "kc_session" not in r.headers.get("set-cookie", "")
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


def test_an_unknown_city_code_is_said_and_the_known_ones_offered(client):
    for path in ("/", "/map", "/roads", "/bikes", "/roads/road/x"):
        r = client.get(path, params={"city": "99.99", "lang": "en"}, headers={"Accept": "text/html"})
        assert r.status_code == 404, path
        assert "no city with the code 99.99" in r.text and "Kabupaten Banyuwangi" not in r.text.split("<main>")[0]
        links = re.findall(r'<ul class="error-links" id="error-links">(.*?)</ul>', r.text, re.S)[0]
        assert "city=35.10" in links and "city=73.71" in links and path.split("?")[0] in links


def test_sign_in_keeps_the_username_and_the_page_it_came_from(client):
    page = client.get("/roads", params={"city": "73.71", "lang": "en"}).text
    link = re.search(r'href="(/login\?next=[^"]+)" class="button" id="login-link"', page).group(1)
    assert "%3Fcity%3D73.71" in link  # the city is part of where to come back to
    csrf = csrf_of(client)
    r = client.post(
        "/login",
        data={"username": "roadofficer.7371", "password": "wrong-one", "csrf": csrf, "next": "/roads?city=73.71"},
    )
    assert r.status_code == 401 and 'value="roadofficer.7371"' in r.text and 'value="/roads?city=73.71"' in r.text
    r = client.post(
        "/login",
        data={"username": "roadofficer.7371", "password": DEMO_PASSWORD, "csrf": csrf, "next": "/roads?city=73.71"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/roads?city=73.71"


def test_staff_land_on_their_screens_and_see_them_everywhere(client):
    csrf = csrf_of(client)
    r = client.post(
        "/login",
        data={"username": "roadofficer.3510", "password": DEMO_PASSWORD, "csrf": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/account"
    account = client.get("/account", headers={"Accept-Language": "en"}).text
    assert 'id="screen-links"' in account and 'href="/roads/manage"' in account
    home = client.get("/?city=35.10&lang=en").text
    assert 'class="staff-link" href="/roads/manage?city=35.10"' in home and "Surveys and vehicles" in home
    client.post("/logout", data={"csrf": csrf})
    csrf = csrf_of(client)
    r = client.post(
        "/login", data={"username": "public.3510", "password": DEMO_PASSWORD, "csrf": csrf}, follow_redirects=False
    )
    assert r.headers["location"] == "/"  # the public has no staff screens


def test_private_pages_are_not_stored(client):
    assert "no-store" not in client.get("/").headers.get("cache-control", "")
    csrf = csrf_of(client)
    client.post("/login", data={"username": "cityadmin.3510", "password": DEMO_PASSWORD, "csrf": csrf})
    for path in ("/account", "/", "/admin?city=35.10", "/roads/manage?city=35.10"):
        r = client.get(path)
        assert r.status_code == 200 and "no-store" in r.headers["cache-control"], path
    out = client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert out.headers["cache-control"] == "no-store"


def test_favicon(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml") and b"<svg" in r.content
    assert '<link rel="icon" href="/favicon.svg"' in client.get("/").text


def test_empty_cards_say_what_is_missing_and_who_adds_it(client):
    page = client.get("/?city=73.71&lang=en").text
    bikes = page.split('id="system-bikes"')[1].split("</article>")[0]
    assert "No bike-share system in this city yet" in bikes and "administrator can set one up" in bikes
    assert "<dd>0</dd>" not in bikes
    roads = page.split('id="system-roads"')[1].split("</article>")[0]
    assert "No road network yet" in roads and "kotacerdas " not in roads  # no command line for the public


def test_admin_area_map_says_its_boundaries_are_generated(client):
    page = client.get("/map?city=35.10&lang=en").text
    assert 'id="generated-note"' in page and "not the official" in page
    assert 'id="areas-legend"' in page and "data-label-empty=" in page
    assert "Kecamatan (25)" in page and "Desa / kelurahan (0)" in page


def test_the_demo_s_own_areas_are_said_to_be_generated(engine, tmp_path):
    """Areas loaded as the demo loads them (their file's name as source, ``source: generated`` in each feature, and a
    kecamatan derived from generated kelurahan) carry the notice and the ``generated`` mark in their GeoJSON."""
    from fastapi.testclient import TestClient

    from kotacerdas.core import accounts
    from kotacerdas.core import wilayah_makassar as areas_makassar
    from kotacerdas.core.admin_areas import import_areas
    from kotacerdas.core.db import session_scope
    from kotacerdas.lorong import generate
    from kotacerdas.web.app import create_app
    from tests.conftest import settings_for

    with session_scope(engine) as s:
        city = accounts.ensure_city(s, "73.71", "Makassar", kind="kota", center_lon=119.42, center_lat=-5.14)
        cells = generate.village_cells(areas_makassar.VILLAGES, kecamatan=areas_makassar.KECAMATAN)
        import_areas(s, city, cells, filename="demo-73.71-kelurahan-generated.geojson")
    with TestClient(create_app(settings_for(engine, tmp_path), engine=engine)) as client:
        page = client.get("/map?city=73.71&lang=en").text
        assert 'id="generated-note"' in page
        areas = client.get("/api/v1/admin-areas", params={"city": "73.71", "level": "district"}).json()["features"]
        assert areas and all(f["properties"]["generated"] for f in areas)
        assert all(f["properties"]["source"] == "derived" for f in areas)
        # each derived kecamatan carries its real name, not its code
        names = {f["properties"]["code"]: f["properties"]["name"] for f in areas}
        assert names["73.71.01"] == "Mariso" and names["73.71.15"] == "Kepulauan Sangkarrang" and len(names) == 15


def test_the_account_page_writes_its_times_in_the_city_zone_and_language(client, seeded):
    """Sign-ins and tokens read as every other page writes times (``2 Des 2026 03.26 WITA``), not ``... UTC``."""
    from sqlalchemy import select

    from kotacerdas.core import formats
    from kotacerdas.core.db import session_scope
    from kotacerdas.core.models import ApiToken, City, User

    with session_scope(seeded) as s:
        s.scalar(select(City).where(City.code == "73.71")).timezone = "Asia/Makassar"
    signed_in(client, "cityadmin.7371")
    idn = client.get("/account", headers={"Accept-Language": "id"}).text
    tokens = idn.split('id="token-list"')[1].split("</table>")[0]
    assert " UTC" not in tokens and "WITA" in tokens
    with session_scope(seeded) as s:
        user = s.scalar(select(User).where(User.username == "cityadmin.7371"))
        row = s.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
        created, expires = row.created_at, row.expires_at
    assert formats.datetime(created, "id", "Asia/Makassar") in tokens
    assert expires and formats.datetime(expires, "id", "Asia/Makassar") in tokens
    en = client.get("/account", headers={"Accept-Language": "en"}).text.split('id="token-list"')[1]
    assert formats.datetime(created, "en", "Asia/Makassar") in en
