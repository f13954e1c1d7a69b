"""The operator's screens: access by role and city, both languages, the forms with and without a CSRF token."""

from __future__ import annotations

import re

import pytest

from ..factories import SYSTEM

OPERATOR = f"/bikes/{SYSTEM}/operator"


def test_operator_page_sends_anonymous_visitors_to_sign_in(web):
    r = web.get(OPERATOR, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/login?next=/bikes/{SYSTEM}/operator"


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("bikeoperator.3510", 200),
        ("cityadmin.3510", 200),
        ("root", 200),
        ("roadofficer.3510", 403),
        ("fieldsurveyor.3510", 403),
        ("lorongcoordinator.3510", 403),
        ("ascnsecretariat.3510", 403),
        ("public.3510", 403),
        ("bikeoperator.7371", 403),
        ("cityadmin.7371", 403),
    ],
)
def test_operator_page_access_by_role_and_city(web, auth, user, status):
    r = web.get(OPERATOR, headers=auth(user) | {"Accept-Language": "id"})
    assert r.status_code == status
    if status == 403:
        assert "Tidak diizinkan" in r.text and "Hanya operator sepeda" in r.text
        assert 'id="op-map"' not in r.text
    else:
        assert 'id="op-map"' in r.text


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", ["Peta stasiun langsung", "Sepeda yang perlu ditangani", "Paket tarif", "Perjalanan per hari"]),
        ("en", ["Live station map", "Bikes needing attention", "Pricing plans", "Trips per day"]),
    ],
)
def test_operator_page_in_both_languages(web, auth, lang, words):
    r = web.get(OPERATOR, headers=auth("bikeoperator.3510") | {"Accept-Language": lang})
    assert r.status_code == 200
    for word in words:
        assert word in r.text, word
    trips = r.text.split('id="trips-chart"')[1].split("</svg>")[0]
    assert trips.count('class="bar"') == 14  # trips per day, 14 days (and a phone's copy of the chart)
    assert 'id="trips-chart-narrow"' in r.text
    assert 'id="revenue-chart"' in r.text
    for sid in ("alpha", "beta", "gamma"):
        assert f'data-station="{sid}"' in r.text
    # beta holds no bike (0 of 2 docks): an empty station
    alerts = r.text[r.text.index('id="station-alerts"') : r.text.index('id="attention"')]
    assert 'class="alert-empty" data-station="beta"' in alerts


def _plans(web) -> dict:
    return {p["plan_id"]: p for p in web.get(f"/api/v1/bikes/systems/{SYSTEM}/plans").json()}


def _plan_form(**extra) -> dict:
    return {
        "plan_id": "pay",
        "name_id": "Sekali jalan",
        "name_en": "Single ride",
        "unlock_fee": "3500",
        "per_minute": "300",
        "free_minutes": "30",
        "is_active": "on",
        **extra,
    }


def test_operator_saves_a_plan_with_the_csrf_token(web, auth):
    web.cookies.set("kc_csrf", "token-123")
    r = web.post(
        f"{OPERATOR}/plans",
        data=_plan_form(csrf="token-123"),
        headers=auth("bikeoperator.3510"),
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith(f"{OPERATOR}?saved=plans")
    plan = _plans(web)["pay"]
    assert (plan["unlock_fee"], plan["per_minute"], plan["name"]) == (
        3500,
        300,
        {"id": "Sekali jalan", "en": "Single ride"},
    )


@pytest.mark.parametrize("case", ["no token", "wrong token", "other origin"])
def test_operator_forms_refuse_a_forged_request(web, auth, case):
    web.cookies.set("kc_csrf", "token-123")
    csrf = {"no token": "", "wrong token": "token-999", "other origin": "token-123"}[case]
    headers = auth("bikeoperator.3510") | {"Accept-Language": "en"}
    if case == "other origin":
        headers["Origin"] = "https://evil.example"
    r = web.post(f"{OPERATOR}/plans", data=_plan_form(csrf=csrf), headers=headers, follow_redirects=False)
    assert r.status_code == 400 and "The form has expired" in r.text
    assert _plans(web)["pay"]["unlock_fee"] == 3000


def test_operator_forms_need_the_role_in_the_city(web, auth):
    web.cookies.set("kc_csrf", "token-123")
    for user in ("roadofficer.3510", "bikeoperator.7371"):
        r = web.post(f"{OPERATOR}/plans", data=_plan_form(csrf="token-123"), headers=auth(user), follow_redirects=False)
        assert r.status_code == 403
    r = web.post(f"{OPERATOR}/plans", data=_plan_form(csrf="token-123"), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert _plans(web)["pay"]["unlock_fee"] == 3000


def test_operator_changes_a_station_and_adds_one(web, auth):
    web.cookies.set("kc_csrf", "t")
    head = auth("cityadmin.3510")
    r = web.post(
        f"{OPERATOR}/stations/beta",
        data={"capacity": "4", "num_docks_disabled": "1", "is_renting": "on", "csrf": "t"},
        headers=head,
        follow_redirects=False,
    )
    assert r.status_code == 303
    beta = web.get(f"/api/v1/bikes/systems/{SYSTEM}/stations/beta").json()
    assert (beta["capacity"], beta["num_docks_disabled"], beta["is_renting"], beta["is_returning"]) == (
        4,
        1,
        True,
        False,
    )
    r = web.post(
        f"{OPERATOR}/stations",
        data={
            "station_id": "delta",
            "name_id": "Taman Delta",
            "lat": "-8.21",
            "lon": "114.37",
            "capacity": "10",
            "csrf": "t",
        },
        headers=head,
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert web.get(f"/api/v1/bikes/systems/{SYSTEM}/stations/delta").json()["capacity"] == 10
    bad = web.post(
        f"{OPERATOR}/stations/beta",
        data={"capacity": "-3", "csrf": "t"},
        headers=head | {"Accept-Language": "en"},
    )
    assert bad.status_code == 422 and "Check the field capacity" in bad.text
    # a row's form never creates a station
    assert (
        web.post(f"{OPERATOR}/stations/nowhere", data={"capacity": "3", "csrf": "t"}, headers=head).status_code == 404
    )


def test_the_new_station_form_never_overwrites_a_station(web, auth):
    """A reused code answers 409 on the page beside the form, and the station keeps its name, place and docks."""
    web.cookies.set("kc_csrf", "t")
    head = auth("bikeoperator.3510") | {"Accept-Language": "en"}
    before = web.get(f"/api/v1/bikes/systems/{SYSTEM}/stations/alpha").json()
    r = web.post(
        f"{OPERATOR}/stations",
        data={"station_id": "alpha", "name_id": "Baru", "lat": "-8.20", "lon": "114.38", "capacity": "10", "csrf": "t"},
        headers=head,
    )
    assert r.status_code == 409
    form = r.text.split('id="new-station"')[0]
    assert "exists already" in form.rsplit("<h3>", 1)[1]  # the error stands beside the new-station form
    after = web.get(f"/api/v1/bikes/systems/{SYSTEM}/stations/alpha").json()
    assert (after["name"], after["lat"], after["lon"], after["capacity"]) == (
        before["name"],
        before["lat"],
        before["lon"],
        before["capacity"],
    )


def test_a_station_outside_the_city_is_refused(web, auth):
    """A point in London (or anywhere outside the city's admin areas) is refused, and nothing is stored."""
    web.cookies.set("kc_csrf", "t")
    head = auth("bikeoperator.3510") | {"Accept-Language": "id"}
    r = web.post(
        f"{OPERATOR}/stations",
        data={
            "station_id": "london",
            "name_id": "London",
            "lat": "51.5072",
            "lon": "-0.1276",
            "capacity": "10",
            "csrf": "t",
        },
        headers=head,
    )
    assert r.status_code == 400 and "di luar" in r.text
    assert web.get(f"/api/v1/bikes/systems/{SYSTEM}/stations/london").status_code == 404


def test_every_station_change_is_audited_and_undone(web, auth):
    """Created, changed, removed: each change is listed with who made it and undone back to what it was."""
    web.cookies.set("kc_csrf", "t")
    head = auth("bikeoperator.3510")
    api = f"/api/v1/bikes/systems/{SYSTEM}"
    web.post(f"{OPERATOR}/stations/gamma", data={"capacity": "12", "csrf": "t"}, headers=head)
    assert web.get(f"{api}/stations/gamma").json()["capacity"] == 12
    page = web.get(OPERATOR, headers=head | {"Accept-Language": "en"}).text
    changes = page.split('id="changes"')[1]
    assert "Station changed" in changes and "bikeoperator.3510" in changes and "Capacity: 8 → 12" in changes
    log = web.get("/api/v1/cities/35.10/audit", headers=auth("cityadmin.3510")).json()["items"]
    entry = next(e for e in log if e["action"] == "bikes.station.save" and e["target"] == "gamma")
    assert entry["detail"]["changes"][0]["before"]["capacity"] == 8
    change_id = int(changes.split('data-change="')[1].split('"')[0])
    r = web.post(f"{OPERATOR}/changes/{change_id}/undo", data={"csrf": "t"}, headers=head, follow_redirects=False)
    assert r.status_code == 303
    assert web.get(f"{api}/stations/gamma").json()["capacity"] == 8
    # undone once only
    again = web.post(f"{OPERATOR}/changes/{change_id}/undo", data={"csrf": "t"}, headers=head)
    assert again.status_code == 409
    # a created station is removed again by its undo, a removed one comes back
    made = web.post(
        f"{api}/stations",
        json={"station_id": "eta", "name": "Eta", "lat": -8.214, "lon": 114.366, "capacity": 5},
        headers=head,
    )
    assert made.status_code == 201
    assert (
        web.post(
            f"{api}/stations",
            json={"station_id": "eta", "name": "X", "lat": -8.21, "lon": 114.37, "capacity": 2},
            headers=head,
        ).status_code
        == 409
    )
    assert web.delete(f"{api}/stations/eta", headers=head).status_code == 204
    log = web.get("/api/v1/cities/35.10/audit", headers=auth("cityadmin.3510")).json()["items"]
    ids = {e["action"]: e for e in log if e["target"] == "eta"}
    removed = [e for e in web.get(OPERATOR, headers=head).text.split('data-change="')[1:]]
    removed_id = int(removed[0].split('"')[0])  # newest first: the removal
    assert web.post(f"{api}/station-changes/{removed_id}/undo", headers=head).status_code == 200
    assert web.get(f"{api}/stations/eta").json()["capacity"] == 5
    assert "bikes.station.delete" in ids and "bikes.station.create" in ids
    # an older change whose station changed since is refused
    created_id = int(removed[1].split('"')[0])
    web.patch(f"{api}/stations/eta", json={"capacity": 6}, headers=head)
    assert web.post(f"{api}/station-changes/{created_id}/undo", headers=head).status_code == 409


def test_operator_closes_a_task(web, auth):
    web.cookies.set("kc_csrf", "t")
    rider = web.post(
        f"/api/v1/bikes/systems/{SYSTEM}/riders", json={"phone": "0812 5555 0000", "password": "sandi-rahasia"}
    )
    h = {"Authorization": f"Bearer {rider.json()['access_token']}"}
    task = web.post(
        f"/api/v1/bikes/systems/{SYSTEM}/reports", json={"bike_id": "uji-alpha-0", "note": "rem"}, headers=h
    ).json()["task_id"]
    page = web.get(OPERATOR, headers=auth("bikeoperator.3510")).text
    assert f'data-task="{task}"' in page and 'data-bike="uji-alpha-0"' in page
    r = web.post(
        f"{OPERATOR}/tasks/{task}",
        data={"status": "done", "csrf": "t"},
        headers=auth("bikeoperator.3510"),
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert f'data-task="{task}"' not in web.get(OPERATOR, headers=auth("bikeoperator.3510")).text


def test_operator_page_says_whether_payments_are_sandboxed(web, auth):
    from dataclasses import replace

    h = auth("bikeoperator.3510") | {"Accept-Language": "en"}
    assert "Payments: sandbox." in web.get(OPERATOR, headers=h).text
    rider = web.get(f"/bikes/{SYSTEM}", headers={"Accept-Language": "en"}).text
    assert 'id="sandbox-pay"' in rider
    web.app.state.settings = replace(web.app.state.settings, payments_sandbox=False)
    page = web.get(OPERATOR, headers=h | {"Accept-Language": "id"}).text
    assert 'id="payments-mode"' in page and "Pembayaran: sandbox mati" in page
    assert 'id="sandbox-pay"' not in web.get(f"/bikes/{SYSTEM}").text


def test_the_list_of_changes_names_every_field_in_the_reader_language(web, auth):
    """Labels and Ya/Tidak, not field codes and Python's True/False; every field that changed is listed."""
    web.cookies.set("kc_csrf", "t")
    head = auth("bikeoperator.3510")
    web.post(
        f"{OPERATOR}/stations/gamma",
        data={"capacity": "16", "num_docks_disabled": "1", "is_renting": "on", "csrf": "t"},
        headers=head,
    )
    web.post(f"{OPERATOR}/stations/gamma", data={"capacity": "18", "is_renting": "on", "csrf": "t"}, headers=head)
    idn = web.get(OPERATOR, headers=head | {"Accept-Language": "id"}).text.split('id="changes-table"')[1]
    first = idn.split("<tr data-change=")[1]
    assert "Kapasitas: 16 → 18" in first and "Dok nonaktif" not in first
    second = idn.split("<tr data-change=")[2]
    assert (
        "Kapasitas: 8 → 16" in second
        and "Dok nonaktif: 0 → 1" in second
        and "Menerima pengembalian: Ya → Tidak" in second
    )
    en = web.get(OPERATOR, headers=head | {"Accept-Language": "en"}).text.split('id="changes-table"')[1]
    assert "Capacity: 16 → 18" in en and "Returning: Yes → No" in en
    shown = [re.sub(r"<[^>]+>", " ", page.split("</table>")[0]) for page in (idn, en)]  # the text a reader sees
    for raw in ("capacity:", "num_docks_disabled", "is_returning:", "True", "False"):
        assert all(raw not in text for text in shown), raw


def test_station_form_errors_name_the_station_and_the_field(web, auth):
    web.cookies.set("kc_csrf", "t")
    head = auth("bikeoperator.3510") | {"Accept-Language": "id"}
    base = {"station_id": "b4", "lat": "-8.21", "lon": "114.37", "capacity": "10", "csrf": "t"}
    blank = web.post(f"{OPERATOR}/stations", data=base, headers=head)
    assert blank.status_code == 400 and "Stasiun b4: nama tidak boleh kosong" in blank.text
    word = web.post(f"{OPERATOR}/stations", data=base | {"name_id": "B4", "capacity": "abc"}, headers=head)
    assert word.status_code == 400
    assert "Stasiun b4: kapasitas harus berupa bilangan bulat, bukan “abc”" in word.text
    assert "stasiun baru memerlukan" not in word.text.split('id="form-error"')[1].split("</p>")[0]
    lat = web.post(f"{OPERATOR}/stations", data=base | {"name_id": "B4", "lat": "utara"}, headers=head)
    assert lat.status_code == 400 and "lintang harus berupa angka, bukan “utara”" in lat.text
    plan = web.post(
        f"{OPERATOR}/plans",
        data={"plan_id": "harian", "name_id": "Harian", "unlock_fee": "tiga", "csrf": "t"},
        headers=head,
    )
    assert plan.status_code == 400 and "biaya buka kunci harus berupa bilangan bulat, bukan “tiga”" in plan.text
    far = web.post(
        f"{OPERATOR}/stations", data=base | {"name_id": "B4", "lat": "51.5072", "lon": "-0.1276"}, headers=head
    )
    assert far.status_code == 400 and "51,50720, -0,12760" in far.text  # coordinates in the reader's locale
    en = web.post(
        f"{OPERATOR}/stations",
        data=base | {"name_id": "B4", "lat": "51.5072", "lon": "-0.1276"},
        headers=head | {"Accept-Language": "en"},
    )
    assert "Station b4: The point 51.50720, -0.12760 lies outside" in en.text
    for sid in ("b4",):
        assert web.get(f"/api/v1/bikes/systems/{SYSTEM}/stations/{sid}").status_code == 404


def test_an_operator_renames_and_moves_a_station_on_its_edit_form(web, auth):
    """The edit form changes names, address, place, docks and flags through the update service: audited, every
    changed field listed, undone as a whole; refusals (outside the city, below the bikes docked) keep what was typed."""
    web.cookies.set("kc_csrf", "t")
    head = auth("bikeoperator.3510")
    api = f"/api/v1/bikes/systems/{SYSTEM}/stations/alpha"
    before = web.get(api).json()
    page = web.get(f"{OPERATOR}/stations/alpha/edit", headers=head | {"Accept-Language": "id"})
    assert page.status_code == 200 and 'id="station-edit-form"' in page.text and "Ubah stasiun" in page.text
    assert f'name="lat" value="{before["lat"]:.6f}"' in page.text and 'name="capacity" value="6"' in page.text
    listing = web.get(OPERATOR, headers=head).text
    assert f'href="{OPERATOR}/stations/alpha/edit"' in listing
    form = {
        "name_id": "Taman Blambangan",
        "name_en": "Blambangan Park",
        "address": "Jl. Dr. Sutomo 1",
        "lat": "-8.2140",
        "lon": "114.3680",
        "capacity": "9",
        "num_docks_disabled": "0",
        "is_renting": "on",
        "is_returning": "on",
        "csrf": "t",
    }
    r = web.post(f"{OPERATOR}/stations/alpha/edit", data=form, headers=head, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("#changes")
    after = web.get(api).json()
    assert (
        after["name"] == {"id": "Taman Blambangan", "en": "Blambangan Park"} and after["address"] == "Jl. Dr. Sutomo 1"
    )
    assert (after["lat"], after["lon"], after["capacity"]) == (-8.214, 114.368, 9)
    changes = web.get(OPERATOR, headers=head | {"Accept-Language": "en"}).text.split('id="changes-table"')[1]
    latest = changes.split("<tr data-change=")[1].split("</tr>")[0]
    for text in (
        "Name: Alpha → Blambangan Park",
        "Address: – → Jl. Dr. Sutomo 1",
        "Latitude: -8.21370 → -8.21400",
        "Longitude: 114.36760 → 114.36800",
        "Capacity: 6 → 9",
    ):
        assert text in latest, text
    log = web.get("/api/v1/cities/35.10/audit", headers=auth("cityadmin.3510")).json()["items"]
    assert log[0]["action"] == "bikes.station.save" and log[0]["target"] == "alpha"
    # outside the city: refused, nothing stored, the form shows what was typed
    far = web.post(
        f"{OPERATOR}/stations/alpha/edit",
        data=form | {"lat": "51.5072", "lon": "-0.1276", "name_id": "Baru"},
        headers=head,
    )
    assert far.status_code == 400 and 'id="station-edit-form"' in far.text and 'value="Baru"' in far.text
    assert web.get(api).json()["lat"] == -8.214
    # below the bikes docked (3): 409 on the edit form
    low = web.post(
        f"{OPERATOR}/stations/alpha/edit", data=form | {"capacity": "2"}, headers=head | {"Accept-Language": "en"}
    )
    assert low.status_code == 409 and "holds 3 bikes" in low.text and 'name="capacity" value="2"' in low.text
    empty = web.post(f"{OPERATOR}/stations/alpha/edit", data=form | {"name_id": "", "name_en": ""}, headers=head)
    assert empty.status_code == 400 and "Stasiun alpha: nama tidak boleh kosong" in empty.text
    assert web.get(api).json()["capacity"] == 9
    # undone as a whole
    change_id = int(changes.split('data-change="')[1].split('"')[0])
    web.post(f"{OPERATOR}/changes/{change_id}/undo", data={"csrf": "t"}, headers=head)
    back = web.get(api).json()
    assert (back["name"], back["address"], back["lat"], back["lon"], back["capacity"]) == (
        before["name"],
        before["address"],
        before["lat"],
        before["lon"],
        before["capacity"],
    )
    # only operators who may manage save; others do not even see the form
    assert web.get(f"{OPERATOR}/stations/alpha/edit", headers=auth("roadofficer.3510")).status_code == 403
    assert web.get(f"{OPERATOR}/stations/nowhere/edit", headers=head).status_code == 404
    no_csrf = web.post(f"{OPERATOR}/stations/alpha/edit", data=form | {"csrf": "x"}, headers=head)
    assert no_csrf.status_code == 400 and web.get(api).json()["name"] == before["name"]


def test_the_operator_exports_are_csv_files_of_the_system_for_its_staff_only(web, auth):
    """Stations, bikes, trips and tasks as RFC 4180 CSV (CRLF, one header, one row per record, true/false and empty
    cells written plainly), a download named after the system; nobody outside the system's city staff gets them."""
    import csv
    import io

    from kotacerdas.bikes.services.exports import BIKE_COLUMNS, TASK_COLUMNS, TRIP_COLUMNS

    web.cookies.set("kc_csrf", "t")
    rider = web.post(
        f"/api/v1/bikes/systems/{SYSTEM}/riders", json={"phone": "0812 5555 0001", "password": "sandi-rahasia"}
    )
    h = {"Authorization": f"Bearer {rider.json()['access_token']}"}
    web.post(
        f"/api/v1/bikes/systems/{SYSTEM}/reports", json={"bike_id": "uji-alpha-1", "note": "rem, blong"}, headers=h
    )

    def table(what):
        r = web.get(f"{OPERATOR}/export/{what}.csv", headers=auth("bikeoperator.3510"))
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert f"{SYSTEM}" in r.headers["content-disposition"] and ".csv" in r.headers["content-disposition"]
        assert r.text.endswith("\r\n") and "\n" not in r.text.replace("\r\n", "")
        return list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"), newline="")))

    bikes = table("bikes")
    assert bikes[0] == BIKE_COLUMNS and len(bikes) == 1 + 5  # 4 classic bikes and the e-bike
    ebike = next(dict(zip(bikes[0], row, strict=True)) for row in bikes[1:] if row[0] == "uji-e1")
    assert ebike["vehicle_type_id"] == "ebike" and ebike["station_id"] == "gamma" and float(ebike["battery"]) == 0.9
    stations = table("stations")
    assert {row[stations[0].index("station_id")] for row in stations[1:]} == {"alpha", "beta", "gamma"}
    assert table("trips") == [TRIP_COLUMNS]
    tasks = table("tasks")
    assert tasks[0] == TASK_COLUMNS and len(tasks) == 2
    task = dict(zip(tasks[0], tasks[1], strict=True))
    assert task["bike_id"] == "uji-alpha-1" and task["note"] == "rem, blong"  # a comma stays inside its cell
    assert web.get(f"{OPERATOR}/export/riders.csv", headers=auth("bikeoperator.3510")).status_code == 404
    for user in ("bikeoperator.7371", "public.3510", "roadofficer.3510"):
        r = web.get(f"{OPERATOR}/export/bikes.csv", headers=auth(user))
        assert r.status_code == 403 and "uji-e1" not in r.text
    r = web.get(f"{OPERATOR}/export/bikes.csv", follow_redirects=False)
    assert r.status_code == 303 and "/login" in r.headers["location"]
