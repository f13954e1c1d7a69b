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
STAFF = {r.value for r in Role} - {"public", "ascn_partner"}


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
                expected = 201 if method == "POST" and "members" in path else 200
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
