"""The city administration screens: users and roles (changed by the city administrator only, audited), the
admin-area import, imported files and the audit log (read by the city's staff), in both languages."""

from __future__ import annotations

import re

from tests.conftest import DEMO_PASSWORD


def _signed_in(client, username: str) -> str:
    client.get("/login")
    csrf = client.cookies.get("kc_csrf")
    client.post("/login", data={"username": username, "password": DEMO_PASSWORD, "csrf": csrf})
    return csrf


def test_who_opens_the_administration(client, auth):
    assert client.get("/admin?city=35.10", follow_redirects=False).status_code == 303
    assert client.get("/admin?city=35.10", headers=auth("public.3510") | {"Accept": "text/html"}).status_code == 403
    assert client.get("/admin?city=73.71", headers=auth("cityadmin.3510") | {"Accept": "text/html"}).status_code == 403
    staff = client.get("/admin?city=35.10", headers=auth("roadofficer.3510") | {"Accept-Language": "en"}).text
    assert "Users and roles" in staff and 'id="user-form"' not in staff and "Only the city administrator" in staff
    admin = client.get("/admin", headers=auth("cityadmin.3510") | {"Accept-Language": "id"}).text
    assert "Pengguna dan peran" in admin and 'id="user-form"' in admin and 'id="areas-form"' in admin
    assert "cityadmin.3510" in admin and "roadofficer.7371" not in admin  # only this city's users


def test_the_administrator_adds_a_user_and_changes_roles(client, auth):
    csrf = _signed_in(client, "cityadmin.3510")
    r = client.post(
        "/admin/users",
        data={
            "city": "35.10",
            "username": "petugas.baru",
            "password": "sandi-rahasia-9",
            "role": "road_officer",
            "csrf": csrf,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/admin?city=35.10&saved=users")
    page = client.get("/admin?city=35.10&lang=en").text
    row = page.split('data-user="petugas.baru"')[1].split("</tr>")[0]
    assert 'data-role="road_officer"' in row
    client.post(
        "/admin/roles", data={"city": "35.10", "username": "petugas.baru", "role": "bike_operator", "csrf": csrf}
    )
    client.post(
        "/admin/roles",
        data={"city": "35.10", "username": "petugas.baru", "role": "road_officer", "action": "revoke", "csrf": csrf},
    )
    row = client.get("/admin?city=35.10").text.split('data-user="petugas.baru"')[1].split("</tr>")[0]
    assert 'data-role="bike_operator"' in row and 'data-role="road_officer"' not in row
    taken = client.post(
        "/admin/users",
        data={
            "city": "35.10",
            "username": "petugas.baru",
            "password": "sandi-rahasia-9",
            "role": "public",
            "csrf": csrf,
        },
    )
    assert taken.status_code == 409 and 'id="form-error"' in taken.text
    mine = client.post(
        "/admin/roles",
        data={"city": "35.10", "username": "cityadmin.3510", "role": "city_admin", "action": "revoke", "csrf": csrf},
    )
    assert mine.status_code == 409
    audit = client.get("/admin?city=35.10").text.split('id="audit"')[1]
    assert audit.count("<tr data-action=") >= 3 and "user.role.revoke" in audit and "cityadmin.3510" in audit
    log = client.get("/api/v1/cities/35.10/audit", headers=auth("cityadmin.3510")).json()["items"]
    assert [e["action"] for e in log[:3]] == ["user.role.revoke", "user.role.grant", "user.create"]


def test_others_cannot_change_users(client, auth):
    csrf = _signed_in(client, "roadofficer.3510")
    r = client.post(
        "/admin/users",
        data={"city": "35.10", "username": "x.y.z", "password": "sandi-rahasia-9", "role": "city_admin", "csrf": csrf},
    )
    assert r.status_code == 403
    assert (
        client.post(
            "/admin/roles", data={"city": "35.10", "username": "roadofficer.3510", "role": "city_admin"}
        ).status_code
        == 400
    )


def test_the_audit_log_is_paged(client, auth):
    csrf = _signed_in(client, "cityadmin.3510")
    for i in range(27):
        client.post(
            "/admin/roles",
            data={
                "city": "35.10",
                "username": "public.3510",
                "role": "field_surveyor",
                "action": "revoke" if i % 2 else "grant",
                "csrf": csrf,
            },
        )
    first = client.get("/admin?city=35.10&lang=en").text
    assert 'id="audit-pager"' in first and "Page 1 of 2" in first
    second = client.get("/admin?city=35.10&page=2&lang=en").text
    assert len(re.findall(r"<tr data-action=", second.split('id="audit"')[1])) == 2


def _written_actions() -> set[str]:
    """Every audit action code the platform's code writes (``audit``/``audited`` calls, ``*_ACTION(S)`` names, and
    the codes it builds from a fixed set of words)."""
    import ast
    from pathlib import Path

    import kotacerdas

    code = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
    found: set[str] = set()
    for path in Path(kotacerdas.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if name in ("audit", "audited", "_recorded"):
                    found |= {a.value for a in node.args if isinstance(a, ast.Constant) and code.match(str(a.value))}
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id.endswith(("_ACTION", "_ACTIONS")) for t in node.targets
            ):
                found |= {
                    c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant) and code.match(str(c.value))
                }
    from kotacerdas.lorong import wastebank

    kinds = {"deposit", "withdrawal", "sale", "capital"}
    assert {k for k in kinds if f'"{k}"' in Path(wastebank.__file__).read_text()} == kinds
    return found | {f"lorong.wastebank.{k}" for k in kinds} | {"lorong.report.save", "lorong.report.submit"}


def test_every_audit_action_has_a_label_in_both_languages():
    from kotacerdas.core.i18n import catalogue
    from kotacerdas.web.admin_labels import AUDIT_ACTIONS, action_label

    written = _written_actions()
    assert len(written) > 60 and "bikes.station.create" in written
    assert written - set(AUDIT_ACTIONS) == set()
    assert all(label in catalogue("id") for label in AUDIT_ACTIONS.values())
    assert action_label("bikes.station.create", "id") == "Stasiun dibuat"
    assert action_label("bikes.station.create", "en") == "Station created"
    assert action_label("something.older", "id") == "something.older"  # an unknown code is shown as it is


def test_the_audit_log_and_imported_files_read_in_the_page_language(client, network_db, auth):
    csrf = _signed_in(client, "cityadmin.3510")
    client.post(
        "/admin/roles", data={"city": "35.10", "username": "public.3510", "role": "bike_operator", "csrf": csrf}
    )
    idn = client.get("/admin?city=35.10&lang=id").text
    audit = idn.split('id="audit-table"')[1].split("</table>")[0]
    row = audit.split('data-action="user.role.grant"')[1].split("</tr>")[0]
    assert "Peran diberikan" in row and "user.role.grant" not in row
    imports = idn.split('id="import-table"')[1].split("</table>")[0]
    network = imports.split('data-kind="roads.network"')[1].split("</tr>")[0]
    assert "Jaringan jalan (OpenStreetMap)" in network and "roads.network" not in network
    assert "ruas jalan: " in network and "segments:" not in network
    km = re.search(r"panjang: (\d+),(\d) km", network)
    assert km, network
    areas = imports.split('data-kind="admin_areas"')[1].split("</tr>")[0]
    assert "Wilayah administrasi (GeoJSON)" in areas and "dibuat: " in areas and "created" not in areas
    en = client.get("/admin?city=35.10&lang=en").text
    network_en = en.split('data-kind="roads.network"')[1].split("</tr>")[0]
    assert "Road network (OpenStreetMap)" in network_en and re.search(r"length: \d+\.\d km", network_en)
    assert "Role given" in en.split('id="audit-table"')[1]


def test_import_results_are_written_in_the_locale():
    from kotacerdas.web.admin_labels import import_kind_label, import_results

    summary = {"segments": 7148, "outside": 0, "climb_km": 3.436, "already_imported": False, "sha256": "ab", "x": 2}
    assert import_results(summary, "id") == [
        ("ruas jalan", "7.148"),
        ("di luar model", "0"),
        ("tanjakan", "3,4 km"),
        ("x", "2"),
    ]
    assert import_results(summary, "en")[0] == ("road segments", "7,148")
    assert import_kind_label("bikes.trips:bwi-bike", "id") == "Perjalanan sepeda (CSV)"
    assert import_kind_label("other.kind", "en") == "other.kind"
