"""No role can read another city's private data or write outside its city.

Every role of Kabupaten Banyuwangi (35.10), the public and a platform superuser
call every private read and every write of the API, in their own city and in
Kota Makassar (73.71). The expected outcome is written out here, role by role,
independently of the permission table in the code.
"""

from __future__ import annotations

import json
import uuid

import pytest

from kotacerdas.core.auth import Role

HOME, OTHER = "35.10", "73.71"
STAFF = {r.value for r in Role} - {"public"}


def area_file(city: str) -> bytes:
    code = f"{city}.99"
    feature = {
        "type": "Feature",
        "properties": {"code": code, "name": f"Uji {uuid.uuid4().hex[:6]}", "level": "district"},
        "geometry": {"type": "Polygon", "coordinates": [[[0.1, 0.1], [0.2, 0.1], [0.2, 0.2], [0.1, 0.1]]]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def member_body() -> dict:
    return {"username": f"u{uuid.uuid4().hex[:10]}", "password": "long-enough-pw", "roles": ["public"]}


# (name, method, path, who may do it in their own city, request kwargs factory)
ACTIONS = [
    ("read members", "GET", "/api/v1/cities/{city}/members", STAFF, lambda c: {}),
    ("read audit", "GET", "/api/v1/cities/{city}/audit", STAFF, lambda c: {}),
    ("read imports", "GET", "/api/v1/cities/{city}/imports", STAFF, lambda c: {}),
    ("create member", "POST", "/api/v1/cities/{city}/members", {"city_admin"}, lambda c: {"json": member_body()}),
    (
        "import areas",
        "POST",
        "/api/v1/cities/{city}/admin-areas",
        {"city_admin"},
        lambda c: {"files": {"file": ("a.geojson", area_file(c), "application/geo+json")}},
    ),
]

WHO = ["anonymous", "root"] + [r.value for r in Role]


def username(who: str) -> str:
    return f"{who.replace('_', '')}.{HOME.replace('.', '')}"


@pytest.mark.parametrize("action", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_matrix(client, auth, action):
    name, method, path, allowed_roles, make_kwargs = action
    failures = []
    for who in WHO:
        headers = {} if who == "anonymous" else auth("root" if who == "root" else username(who))
        for city in (HOME, OTHER):
            r = client.request(method, path.format(city=city), headers=headers, **make_kwargs(city))
            if who == "anonymous":
                expected = 401
            elif who == "root" or (city == HOME and who in allowed_roles):
                expected = 201 if method == "POST" and "members" in path else 202 if "admin-areas" in path else 200
            else:
                expected = 403
            if r.status_code != expected:
                where = f"{who} {method} {path.format(city=city)}"
                failures.append(f"{where}: {r.status_code} != {expected} {r.text[:120]}")
            if expected in (401, 403):
                assert r.headers["content-type"].startswith("application/problem+json")
    assert not failures, "\n".join(failures)


def test_private_reads_leak_nothing_across_cities(client, auth):
    """A Makassar admin sees Makassar's members only, never a Banyuwangi user."""
    r = client.get("/api/v1/cities/73.71/members", headers=auth("cityadmin.7371"))
    assert r.status_code == 200
    names = {m["username"] for m in r.json()}
    assert names and all(n.endswith(".7371") for n in names)


def test_public_data_needs_no_login(client):
    assert client.get("/api/v1/cities").status_code == 200
    assert client.get("/api/v1/admin-areas", params={"city": OTHER}).status_code == 200


def test_revoked_or_forged_tokens_are_refused(client, auth):
    headers = auth("cityadmin.3510")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer kc_forged"}).status_code == 401
    assert client.get("/api/v1/me").status_code == 401


# --- Lorong Wisata and the other neighbourhood programmes (rows in tests/lorong_matrix.py) ---------------------


def test_lorong_matrix(client, auth, seeded):
    """Every lorong API route, every role, both cities: nobody acts outside their city or role."""
    from tests import lorong_matrix as lm

    targets = lm.targets(seeded, client.app.state.settings)
    tokens = {who: ({} if who == "anonymous" else auth("root" if who == "root" else username(who))) for who in WHO}
    failures = []
    for name, method, make, allowed, ok in lm.ACTIONS:
        for who in WHO:
            for city in (HOME, OTHER):
                path, kwargs = make(targets, city)
                r = client.request(method, path, headers=tokens[who], **kwargs)
                want = lm.expected(who, city, allowed, ok)
                if r.status_code != want:
                    failures.append(f"{name}: {who} {method} {path}: {r.status_code} != {want} {r.text[:100]}")
                if want in (401, 403):
                    assert r.headers["content-type"].startswith("application/problem+json"), name
    assert not failures, "\n".join(failures)


def test_every_lorong_route_is_in_the_matrix(client):
    """A new lorong route must be added to tests/lorong_matrix.py."""
    import re

    from tests import lorong_matrix as lm

    fake = lm.fake_targets()
    covered = {(method, make(fake, HOME)[0].split("?")[0]) for _n, method, make, _a, _o in lm.ACTIONS}
    spec = client.get("/api/v1/openapi.json").json()
    routes = [(m.upper(), p) for p, item in spec["paths"].items() if p.startswith("/api/v1/lorong") for m in item]
    assert len(routes) > 40
    missing = []
    for method, path in routes:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"
        if not any(m == method and re.match(pattern, p) for m, p in covered):
            missing.append(f"{method} {path}")
    assert not missing, missing


def test_lorong_pages_by_role(client, seeded):
    """Staff pages: a redirect to sign in for the public, 403 outside the role or city, 200 within."""
    from tests import lorong_matrix as lm

    targets = lm.targets(seeded, client.app.state.settings)
    failures = []
    for who in WHO:
        client.cookies.clear()
        if who != "anonymous":
            client.get("/login")
            user = "root" if who == "root" else username(who)
            data = {"username": user, "password": "correct-horse-battery", "csrf": client.cookies.get("kc_csrf")}
            assert client.post("/login", data=data, follow_redirects=False).status_code == 303
        for name, make, allowed in lm.PAGES:
            for city in (HOME, OTHER):
                r = client.get(make(targets, city), follow_redirects=False)
                want = 303 if who == "anonymous" else lm.expected(who, city, allowed, 200)
                if r.status_code != want:
                    failures.append(f"{name}: {who} {city}: {r.status_code} != {want}")
    assert not failures, "\n".join(failures)
