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


def lorong_routes(app) -> list[tuple[str, str]]:
    """Every (method, path template) of the app under ``/lorong`` and ``/api/v1/lorong``: the routes themselves,
    pages and routes left out of the OpenAPI document included."""
    from fastapi.routing import iter_route_contexts

    out = []
    for ctx in iter_route_contexts(app.routes):
        route = getattr(ctx, "route", ctx)
        path = getattr(ctx, "path", None) or route.path
        if path == "/lorong" or path.startswith(("/lorong/", "/api/v1/lorong/")):
            out += [(m, path) for m in sorted((getattr(route, "methods", None) or set()) - {"HEAD", "OPTIONS"})]
    return out


def matrix_paths() -> set[tuple[str, str]]:
    """(method, path) of every row of tests/lorong_matrix.py, built from placeholder targets."""
    from tests import lorong_matrix as lm

    fake = lm.fake_targets()
    rows = {(method, make(fake, HOME)[0]) for _n, method, make, _a, _o in lm.ACTIONS}
    rows |= {("GET", make(fake, HOME)) for _n, make, _a in lm.PAGES}
    rows |= {("GET", make(fake, HOME)) for _n, make in lm.PUBLIC_PAGES}
    rows |= {("POST", make(fake, HOME)[0]) for _n, make, _a in lm.PAGE_POSTS}
    return {(m, p.split("?")[0]) for m, p in rows}


def uncovered(routes: list[tuple[str, str]], rows: set[tuple[str, str]]) -> list[str]:
    """The routes no matrix row calls; a row is matched to the most specific route template that fits its path (a
    literal segment beats a ``{parameter}``), as the app's own routing would take it."""
    import re

    def pattern(path: str) -> str:
        return "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"

    def literal(path: str) -> int:
        return sum(1 for part in path.split("/") if part and not part.startswith("{"))

    hit: set[tuple[str, str]] = set()
    for method, concrete in rows:
        fitting = [(m, t) for m, t in routes if m == method and re.match(pattern(t), concrete)]
        if fitting:
            hit.add(max(fitting, key=lambda r: literal(r[1])))
    return sorted(f"{m} {t}" for m, t in routes if (m, t) not in hit)


def test_every_lorong_route_of_the_app_is_in_the_matrix(client):
    """Walks the app's routes, not the OpenAPI document: a new lorong page, form post or hidden API route without a
    row in tests/lorong_matrix.py fails here."""
    routes = lorong_routes(client.app)
    assert ("POST", "/lorong/wastebank/{bank_id}/deposit") in routes and ("GET", "/lorong/{city}/{slug}") in routes
    assert len(routes) > 60
    assert uncovered(routes, matrix_paths()) == []


def test_the_completeness_check_sees_a_page_route_left_out():
    """The check above fails for a page route that no row calls, and a public catch-all does not hide it."""
    routes = [("GET", "/lorong/{city}/{slug}"), ("POST", "/lorong/wastebank/{bank_id}/new-form")]
    rows = {("GET", "/lorong/73.71/lorong-anggrek"), ("POST", "/lorong/wastebank/1/deposit")}
    assert uncovered(routes, rows) == ["POST /lorong/wastebank/{bank_id}/new-form"]
    shadowed = [("GET", "/lorong/{city}/{slug}"), ("GET", "/lorong/prices/record")]
    assert uncovered(shadowed, {("GET", "/lorong/73.71/x")}) == ["GET /lorong/prices/record"]
    assert uncovered(shadowed, {("GET", "/lorong/prices/record")}) == ["GET /lorong/{city}/{slug}"]


def _sign_in(client, who: str) -> None:
    client.cookies.clear()
    if who == "anonymous":
        return
    client.get("/login")
    user = "root" if who == "root" else username(who)
    data = {"username": user, "password": "correct-horse-battery", "csrf": client.cookies.get("kc_csrf")}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def test_lorong_pages_by_role(client, seeded):
    """Staff pages: a redirect to sign in for the public, 403 outside the role or city, 200 within; public pages
    200 for everyone."""
    from tests import lorong_matrix as lm

    targets = lm.targets(seeded, client.app.state.settings)
    failures = []
    for who in WHO:
        _sign_in(client, who)
        for name, make, allowed in lm.PAGES:
            for city in (HOME, OTHER):
                r = client.get(make(targets, city), follow_redirects=False)
                want = 303 if who == "anonymous" else lm.expected(who, city, allowed, 200)
                if r.status_code != want:
                    failures.append(f"{name}: {who} {city}: {r.status_code} != {want}")
        for name, make in lm.PUBLIC_PAGES:
            for city in (HOME, OTHER):
                r = client.get(make(targets, city), follow_redirects=False)
                if r.status_code != 200:
                    failures.append(f"{name}: {who} {city}: {r.status_code} != 200")
    assert not failures, "\n".join(failures)


def test_lorong_page_forms_by_role(client, seeded):
    """Every form of the staff pages, posted by every role to both cities with a valid CSRF token: the public is sent
    to sign in, a role outside the form's or the city's is refused (403), the rest go on (303)."""
    from tests import lorong_matrix as lm

    targets = lm.targets(seeded, client.app.state.settings)
    failures = []
    for who in WHO:
        _sign_in(client, who)
        for name, make, allowed in lm.PAGE_POSTS:
            for city in (HOME, OTHER):
                path, data, files = make(targets, city)
                form = {"csrf": client.cookies.get("kc_csrf") or "", **data}
                r = client.post(path, data=form, files=files, follow_redirects=False)
                want = 303 if who == "anonymous" else lm.expected(who, city, allowed, 303)
                where = r.headers.get("location", "")
                to_login = where.startswith("/login")
                if r.status_code != want or (want == 303 and to_login != (who == "anonymous")):
                    failures.append(f"{name}: {who} {city} POST {path}: {r.status_code} != {want} {where}")
                if want == 403:
                    assert r.headers["content-type"].startswith("text/html"), name
    assert not failures, "\n".join(failures)


# --- ASCN network ------------------------------------------------------------------------------------------------
# Member cities: Banyuwangi (linked to 35.10) and Makassar (73.71). Edits of a member city belong to that city's
# smart-city officer and administrator; the secretariat administers the whole network from any city; a partner's
# profile belongs to the users named its editors (ascnpartner.3510 edits Nusantara Digital Consultants only).

MEMBER = {HOME: "banyuwangi", OTHER: "makassar"}
CITY_EDITORS = {"city_admin", "ascn_officer"}
CITY_READERS = {"city_admin", "ascn_officer", "ascn_secretariat"}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def ascn(seeded):
    """The ASCN demo on the seeded database; project ids of each member city."""
    from sqlalchemy import select

    from kotacerdas.ascn.demo import load_demo
    from kotacerdas.ascn.services import partners, registry
    from kotacerdas.ascn.store.tables import AscnProject
    from kotacerdas.core.db import session_scope

    with session_scope(seeded) as s:
        load_demo(s)
        partners.add_editor(s, registry.get_partner(s, "nusantara-digital-consultants"), "ascnpartner.3510")
        projects = {
            code: s.scalar(select(AscnProject.id).where(AscnProject.city_pk == registry.get_city(s, slug).id).limit(1))
            for code, slug in MEMBER.items()
        }
    return projects


def workbook(member: str) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "projects"
    ws.append(["city", "title", "status"])
    ws.append([member, f"Imported {uuid.uuid4().hex[:8]}", "idea"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# (name, method, path, roles allowed in their own member city, success status, request kwargs factory)
ASCN_CITY_ACTIONS = [
    (
        "edit member city",
        "PATCH",
        "/api/v1/ascn/cities/{member}",
        CITY_EDITORS,
        200,
        lambda m, p: {"json": {"description": "x"}},
    ),
    ("read contacts", "GET", "/api/v1/ascn/cities/{member}/contacts", CITY_READERS, 200, lambda m, p: {}),
    (
        "add project",
        "POST",
        "/api/v1/ascn/projects",
        CITY_EDITORS,
        201,
        lambda m, p: {"json": {"city": m, "title": "New"}},
    ),
    (
        "edit project",
        "PATCH",
        "/api/v1/ascn/projects/{project}",
        CITY_EDITORS,
        200,
        lambda m, p: {"json": {"status": "implementing"}},
    ),
    (
        "record indicator",
        "POST",
        "/api/v1/ascn/projects/{project}/indicators",
        CITY_EDITORS,
        201,
        lambda m, p: {"json": {"name": "Users", "unit": "people", "observed_on": "2024-12-31", "value": 5}},
    ),
    (
        "upload document",
        "POST",
        "/api/v1/ascn/projects/{project}/documents",
        CITY_EDITORS,
        201,
        lambda m, p: {"files": {"file": ("plan.pdf", PDF, "application/pdf")}},
    ),
    (
        "record partnership",
        "POST",
        "/api/v1/ascn/partnerships",
        CITY_EDITORS,
        201,
        lambda m, p: {"json": {"partner": "adb", "city": m, "type": "finance"}},
    ),
    (
        "add practice",
        "POST",
        "/api/v1/ascn/practices",
        CITY_EDITORS,
        201,
        lambda m, p: {"json": {"title": f"Practice {uuid.uuid4().hex[:6]}", "city": m}},
    ),
    (
        "city report",
        "POST",
        "/api/v1/ascn/reports",
        CITY_READERS,
        202,
        lambda m, p: {"json": {"year": 2024, "format": "xlsx", "city": m}},
    ),
    (
        "import for the city",
        "POST",
        "/api/v1/ascn/imports",
        CITY_EDITORS,
        202,
        lambda m, p: {"data": {"city": m}, "files": {"file": ("p.xlsx", workbook(m), "application/octet-stream")}},
    ),
]


@pytest.mark.parametrize("action", ASCN_CITY_ACTIONS, ids=[a[0] for a in ASCN_CITY_ACTIONS])
def test_ascn_city_matrix(client, auth, ascn, action):
    name, method, path, allowed, success, make_kwargs = action
    failures = []
    for who in WHO:
        headers = {} if who == "anonymous" else auth("root" if who == "root" else username(who))
        for city in (HOME, OTHER):
            url = path.format(member=MEMBER[city], project=ascn[city])
            r = client.request(method, url, headers=headers, **make_kwargs(MEMBER[city], ascn[city]))
            if who == "anonymous":
                expected = 401
            elif who in ("root", "ascn_secretariat") or (city == HOME and who in allowed):
                expected = success
            else:
                expected = 403
            if r.status_code != expected:
                failures.append(f"{who} {method} {url}: {r.status_code} != {expected} {r.text[:120]}")
    assert not failures, "\n".join(failures)


ASCN_NETWORK_ACTIONS = [
    ("add partner", "POST", "/api/v1/ascn/partners", 201, lambda: {"json": {"name": f"Org {uuid.uuid4().hex[:6]}"}}),
    ("list duplicates", "GET", "/api/v1/ascn/partners/duplicates", 200, dict),
    (
        "dismiss duplicate",
        "POST",
        "/api/v1/ascn/partners/duplicates/dismiss",
        204,
        lambda: {"json": {"a": "adb", "b": "bank-pembangunan-asia"}},
    ),
    (
        "store claim",
        "POST",
        "/api/v1/ascn/claims",
        201,
        lambda: {"json": {"metric": "projects", "value": 51, "source": "x", "as_of": "2025"}},
    ),
    ("network report", "POST", "/api/v1/ascn/reports", 202, lambda: {"json": {"year": 2024}}),
    ("embed", "POST", "/api/v1/ascn/embeddings", 202, dict),
    (
        "import for the network",
        "POST",
        "/api/v1/ascn/imports",
        202,
        lambda: {"files": {"file": ("n.xlsx", workbook("Makassar"), "application/octet-stream")}},
    ),
]


@pytest.mark.parametrize("action", ASCN_NETWORK_ACTIONS, ids=[a[0] for a in ASCN_NETWORK_ACTIONS])
def test_ascn_network_matrix(client, auth, ascn, action):
    name, method, path, success, make_kwargs = action
    failures = []
    for who in WHO:
        headers = {} if who == "anonymous" else auth("root" if who == "root" else username(who))
        r = client.request(method, path, headers=headers, **make_kwargs())
        expected = 401 if who == "anonymous" else success if who in ("root", "ascn_secretariat") else 403
        if r.status_code != expected:
            failures.append(f"{who} {method} {path}: {r.status_code} != {expected} {r.text[:120]}")
    assert not failures, "\n".join(failures)


def test_ascn_partners_edit_only_their_own_profile(client, auth, ascn):
    own, other = "/api/v1/ascn/partners/nusantara-digital-consultants", "/api/v1/ascn/partners/mekong-urban-data-lab"
    body = {"offers": ["technical_assistance", "capacity_building"]}
    failures = []
    for who in WHO:
        headers = {} if who == "anonymous" else auth("root" if who == "root" else username(who))
        for url, editor in ((own, True), (other, False)):
            r = client.patch(url, json=body, headers=headers)
            if who == "anonymous":
                expected = 401
            elif who in ("root", "ascn_secretariat") or (who == "ascn_partner" and editor):
                expected = 200
            else:
                expected = 403
            if r.status_code != expected:
                failures.append(f"{who} PATCH {url}: {r.status_code} != {expected}")
    assert not failures, "\n".join(failures)
    # a partner user of the other city, not named editor, may not edit it either
    assert client.patch(own, json=body, headers=auth("ascnpartner.7371")).status_code == 403


def test_ascn_report_downloads_only_for_who_asked(client, auth, ascn):
    job = client.post(
        "/api/v1/ascn/reports", json={"year": 2024, "city": "banyuwangi"}, headers=auth("ascnofficer.3510")
    )
    assert job.status_code == 202 and job.json()["status"] == "done"
    url = job.json()["result"]["download"]
    assert client.get(url).status_code == 401
    assert client.get(url, headers=auth("ascnofficer.7371")).status_code == 403
    assert client.get(url, headers=auth("ascnofficer.3510")).content.startswith(b"%PDF-")


def test_ascn_public_output_carries_no_contacts(client, auth, ascn):
    secret = "cso-secret@example.org"
    r = client.patch(
        "/api/v1/ascn/cities/banyuwangi",
        json={"cso_email": secret, "rep_name": "Rep Secret"},
        headers=auth("ascnofficer.3510"),
    )
    assert r.status_code == 200 and secret not in r.text
    for url in (
        "/api/v1/ascn/cities",
        "/api/v1/ascn/cities/banyuwangi",
        "/api/v1/ascn/cities.geojson",
        "/api/v1/ascn/exports/cities.csv",
        "/api/v1/ascn/exports/cities.json",
        "/ascn/cities/banyuwangi",
    ):
        body = client.get(url).text
        assert secret not in body and "Rep Secret" not in body, url
    # the Makassar officer cannot read Banyuwangi's contacts; Banyuwangi's own officer can
    assert client.get("/api/v1/ascn/cities/banyuwangi/contacts", headers=auth("ascnofficer.7371")).status_code == 403
    assert (
        client.get("/api/v1/ascn/cities/banyuwangi/contacts", headers=auth("ascnofficer.3510")).json()["cso_email"]
        == secret
    )


# --- ASCN member cities that run no kotacerdas here: edited by the officers the secretariat names -------------


@pytest.fixture
def unlinked(client, auth, ascn, seeded):
    """Two member cities with projects and no platform city, each with one officer named its editor (no role)."""
    from sqlalchemy import select

    from kotacerdas.ascn.store.tables import AscnCity, AscnProject
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from tests.conftest import DEMO_PASSWORD

    with session_scope(seeded) as s:
        rows = s.execute(
            select(AscnCity.slug, AscnProject.id)
            .join(AscnProject, AscnProject.city_pk == AscnCity.id)
            .where(AscnCity.city_id.is_(None))
            .order_by(AscnCity.slug, AscnProject.id)
        ).all()
        first: dict[str, int] = {}
        for slug, project_id in rows:
            first.setdefault(slug, project_id)
        cities = dict(list(first.items())[:2])
        for slug in cities:
            accounts.create_user(s, f"officer.{slug}", DEMO_PASSWORD)
    for slug in cities:
        r = client.put(f"/api/v1/ascn/cities/{slug}/editors/officer.{slug}", headers=auth("ascnsecretariat.3510"))
        assert r.status_code == 200 and r.json()["editors"] == [f"officer.{slug}"]
    return cities


@pytest.mark.parametrize("action", ASCN_CITY_ACTIONS, ids=[a[0] for a in ASCN_CITY_ACTIONS])
def test_ascn_named_city_editors_edit_only_their_own_city(client, auth, unlinked, ascn, action):
    """Each named officer does in their own member city what a city's officer does; nothing in another member city,
    linked (Banyuwangi, Makassar) or not."""
    name, method, path, _allowed, success, make_kwargs = action
    targets = dict(unlinked) | {MEMBER[HOME]: ascn[HOME], MEMBER[OTHER]: ascn[OTHER]}
    failures = []
    for editor in unlinked:
        headers = auth(f"officer.{editor}")
        for member, project in targets.items():
            r = client.request(method, path.format(member=member, project=project), headers=headers,
                               **make_kwargs(member, project))  # fmt: skip
            expected = success if member == editor else 403
            if r.status_code != expected:
                failures.append(f"officer.{editor} {method} {member}: {r.status_code} != {expected} {r.text[:120]}")
    assert not failures, "\n".join(failures)


def test_ascn_only_the_secretariat_names_city_editors(client, auth, unlinked):
    member = next(iter(unlinked))
    paths = [
        ("GET", f"/api/v1/ascn/cities/{member}/editors", 200),
        ("PUT", f"/api/v1/ascn/cities/{member}/editors/public.3510", 200),
        ("DELETE", f"/api/v1/ascn/cities/{member}/editors/public.3510", 200),
    ]
    failures = []
    for who in WHO + [f"officer.{member}"]:
        headers = {} if who == "anonymous" else auth(who if who in ("root", f"officer.{member}") else username(who))
        for method, path, success in paths:
            r = client.request(method, path, headers=headers)
            expected = 401 if who == "anonymous" else success if who in ("root", "ascn_secretariat") else 403
            if r.status_code != expected:
                failures.append(f"{who} {method} {path}: {r.status_code} != {expected}")
    assert not failures, "\n".join(failures)
    # removed, the officer edits their city no more
    gone = client.delete(f"/api/v1/ascn/cities/{member}/editors/officer.{member}", headers=auth("root"))
    assert gone.status_code == 200 and gone.json()["editors"] == []
    patch = client.patch(f"/api/v1/ascn/cities/{member}", json={"description": "x"}, headers=auth(f"officer.{member}"))
    assert patch.status_code == 403
    unknown = client.put(f"/api/v1/ascn/cities/{member}/editors/nobody.here", headers=auth("root"))
    assert unknown.status_code == 404 and unknown.json()["field"] == "username"
