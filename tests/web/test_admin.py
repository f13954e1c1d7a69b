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
