"""The Lorong Wisata rows of the security matrix (used by ``tests/test_security_matrix.py``).

Every lorong route, called by every role of Banyuwangi (35.10, where Smart Kampung runs with one desa coordinated
by ``lorongcoordinator.3510`` and verified by ``lurah.3510``) on its own city and on Kota Makassar (73.71, Lorong
Wisata). Within the roles, coordinators act on their own units and the lurah on their kelurahan's: the targets in
35.10 are theirs, so the home column shows the roles; ``tests/lorong`` covers the narrower scopes.
"""

from __future__ import annotations

import uuid
from datetime import date

HOME, OTHER = "35.10", "73.71"
LORONG_READ = {"city_admin", "lorong_admin", "lurah", "lorong_coordinator"}
LORONG_WRITE = {"city_admin", "lorong_admin", "lorong_coordinator"}
LORONG_VERIFY = {"city_admin", "lorong_admin", "lurah"}
LORONG_CONFIG = {"city_admin", "lorong_admin"}
EVERYONE = "everyone"


def targets(engine, settings=None) -> dict:
    """Per city: the programme, a unit, a report, a bank with an account and cash, photos, a market, a price."""
    from kotacerdas.core.db import session_scope
    from kotacerdas.core.models import City
    from kotacerdas.lorong.generate import demo_photo
    from kotacerdas.lorong.services import foodprices, reports, units, wastebank
    from kotacerdas.lorong.store.tables import LorongUnit
    from tests.lorong.conftest import build

    world = build(engine)
    out: dict = {"_engine": engine, "_n": 0}
    from kotacerdas.core import jobs

    with session_scope(engine) as s:
        for city, prog, uid, period, values, kec, kel, theme, indicator in (
            (
                HOME,
                "smart-kampung",
                world.desa,
                "2025-Q1",
                {"layanan-daring": 5},
                "35.10.16",
                "35.10.16.1008",
                "kesehatan",
                "cakupan-jkn",
            ),
            (
                OTHER,
                "lorong-wisata",
                world.units["lr-a1"],
                "2025-04",
                {"gerai-kuliner": 3},
                "73.71.03",
                "73.71.03.1003",
                "seni",
                "mural",
            ),
        ):
            unit = s.get(LorongUnit, uid)
            report, _ = reports.save(s, unit, period, values, user_id=None, submit=True)
            evidence = units.add_photo(s, unit, demo_photo(uid), user_id=None, report_id=report.id)
            public = units.add_photo(s, unit, demo_photo(uid + 500), user_id=None, is_public=True)
            bank = wastebank.create_bank(s, unit, f"bs-{uid}", "Bank Sampah Uji")
            wastebank.set_price(s, bank, "pet", date(2020, 1, 1), 3000)
            acct = wastebank.open_account(s, bank, "Warga Uji")
            wastebank.add_capital(s, bank, 1_000_000, key="cap")
            wastebank.deposit(s, bank, acct, [("pet", 100)], key="dep")
            market = foodprices.save_market(
                s, s.get(City, unit.city_id), "pasar-uji", {"name": "Pasar Uji", "kind": "lorong", "unit_id": uid}
            )
            foodprices.record_price(s, market, "cabai-rawit", date(2025, 1, 6), 40_000)
            out[city] = {
                "prog": prog,
                "unit": uid,
                "slug": unit.slug,
                "report": report.id,
                "period": period,
                "values": values,
                "bank": bank.id,
                "account": acct.account_no,
                "evidence": evidence.id,
                "public_photo": public.id,
                "kec": kec,
                "kel": kel,
                "theme": theme,
                "indicator": indicator,
                "lurah": "lurah.3510" if city == HOME else "lurah.7371",
            }
    for city in (HOME, OTHER):  # a finished export per city, to download
        with session_scope(engine) as s:
            from kotacerdas.core import accounts

            city_id = accounts.get_city(s, city).id
        params = {"city": city, "programme": out[city]["prog"], "fmt": "pdf", "lang": "id"}
        row = jobs.submit(engine, "lorong.dashboard_export", params=params, city_id=city_id, settings=settings)
        out[city]["export"] = row["id"]
    return out


def fresh_report(t: dict, city: str) -> int:
    """A new submitted report of the city's unit (verify and return each decide a report once)."""
    from kotacerdas.core.db import session_scope
    from kotacerdas.lorong.services import reports
    from kotacerdas.lorong.store.tables import LorongUnit

    if t.get("_engine") is None:
        return 1
    t["_n"] += 1
    year, n = divmod(t["_n"], 4 if city == HOME else 12)
    period = f"{2000 + year}-Q{n + 1}" if city == HOME else f"{2000 + year}-{n + 1:02d}"
    with session_scope(t["_engine"]) as s:
        r, _ = reports.save(s, s.get(LorongUnit, t[city]["unit"]), period, t[city]["values"], user_id=None, submit=True)
        return r.id


def _line(city: str) -> dict:
    lon, lat = (114.37, -8.21) if city == HOME else (119.42, -5.14)
    return {"type": "LineString", "coordinates": [[lon, lat], [lon + 0.001, lat + 0.001]]}


def _uid() -> str:
    return uuid.uuid4().hex[:8]


def _png() -> bytes:
    from kotacerdas.lorong.generate import demo_photo

    return demo_photo(uuid.uuid4().int % 1000)


def _file(name: str, data: bytes, kind: str) -> dict:
    return {"files": {"file": (name, data, kind)}}


def _import(t, c):
    body = f"unit,period,indicator,value\nnone,{t[c]['period']},x,{_uid()}\n".encode()
    return f"/api/v1/lorong/imports/{c}/{t[c]['prog']}", _file("v.csv", body, "text/csv")


def _new_unit(t, c):
    body = {
        "programme": t[c]["prog"],
        "code": "u-" + _uid(),
        "name": "Uji " + _uid(),
        "kecamatan_code": t[c]["kec"],
        "kelurahan_code": t[c]["kel"],
        "geometry": _line(c),
    }
    return f"/api/v1/lorong/units?city={c}", {"json": body}


def _bank(t, c, rest=""):
    return f"/api/v1/lorong/wastebanks/{t[c]['bank']}{rest}"


def _prog(t, c, rest=""):
    return f"/api/v1/lorong/programmes/{c}/{t[c]['prog']}{rest}"


def _dash(kind):
    return lambda t, c: (f"/api/v1/lorong/{kind}/{c}/{t[c]['prog']}", {})


def _export(name):
    return lambda t, c: (f"/api/v1/lorong/exports/{c}/{t[c]['prog']}/{name}", {})


# (name, method, (targets, city) -> (path, request kwargs), who may, expected status for those who may)
ACTIONS = [
    ("programmes", "GET", lambda t, c: (f"/api/v1/lorong/programmes?city={c}", {}), EVERYONE, 200),
    ("programme", "GET", lambda t, c: (_prog(t, c), {}), EVERYONE, 200),
    ("themes", "GET", lambda t, c: (_prog(t, c, "/themes"), {}), EVERYONE, 200),
    ("directory", "GET", lambda t, c: (f"/api/v1/lorong/units?city={c}&programme={t[c]['prog']}", {}), EVERYONE, 200),
    ("unit page data", "GET", lambda t, c: (f"/api/v1/lorong/units/{c}/{t[c]['slug']}", {}), EVERYONE, 200),
    ("qr png", "GET", lambda t, c: (f"/api/v1/lorong/units/{c}/{t[c]['slug']}/qr.png", {}), EVERYONE, 200),
    ("qr svg", "GET", lambda t, c: (f"/api/v1/lorong/units/{c}/{t[c]['slug']}/qr.svg", {}), EVERYONE, 200),
    ("public photo", "GET", lambda t, c: (f"/api/v1/lorong/photos/{t[c]['public_photo']}", {}), EVERYONE, 200),
    ("price index", "GET", lambda t, c: (f"/api/v1/lorong/prices/{c}/cabai-rawit", {}), EVERYONE, 200),
    ("template", "GET", lambda t, c: ("/api/v1/lorong/templates/units.csv", {}), EVERYONE, 200),
    (
        "start programme",
        "POST",
        lambda t, c: (f"/api/v1/lorong/programmes/{c}", {"json": {"code": t[c]["prog"]}}),
        LORONG_CONFIG,
        409,
    ),
    ("edit programme", "PATCH", lambda t, c: (_prog(t, c), {"json": {"due_days": 15}}), LORONG_CONFIG, 200),
    (
        "edit theme",
        "PUT",
        lambda t, c: (_prog(t, c, f"/themes/{t[c]['theme']}"), {"json": {"weight": 1}}),
        LORONG_CONFIG,
        200,
    ),
    (
        "edit indicator",
        "PUT",
        lambda t, c: (_prog(t, c, f"/indicators/{t[c]['indicator']}"), {"json": {"weight": 1}}),
        LORONG_CONFIG,
        200,
    ),
    ("unit private", "GET", lambda t, c: (f"/api/v1/lorong/units/{t[c]['unit']}/private", {}), LORONG_READ, 200),
    ("create unit", "POST", _new_unit, LORONG_CONFIG, 201),
    (
        "edit unit",
        "PATCH",
        lambda t, c: (f"/api/v1/lorong/units/{t[c]['unit']}", {"json": {"address": "Jl. Uji"}}),
        LORONG_WRITE,
        200,
    ),
    (
        "save activity",
        "PUT",
        lambda t, c: (
            f"/api/v1/lorong/units/{t[c]['unit']}/activities/uji",
            {"json": {"kind": "event", "name": "Uji"}},
        ),
        LORONG_WRITE,
        200,
    ),
    (
        "unit photo",
        "POST",
        lambda t, c: (f"/api/v1/lorong/units/{t[c]['unit']}/photos", _file("p.png", _png(), "image/png")),
        LORONG_WRITE,
        201,
    ),
    (
        "submit report",
        "POST",
        lambda t, c: (
            f"/api/v1/lorong/units/{t[c]['unit']}/reports",
            {"json": {"period": t[c]["period"], "values": t[c]["values"]}},
        ),
        LORONG_WRITE,
        200,
    ),
    (
        "list reports",
        "GET",
        lambda t, c: (f"/api/v1/lorong/reports?city={c}&programme={t[c]['prog']}", {}),
        LORONG_READ,
        200,
    ),
    ("report", "GET", lambda t, c: (f"/api/v1/lorong/reports/{t[c]['report']}", {}), LORONG_READ, 200),
    (
        "verify",
        "POST",
        lambda t, c: (f"/api/v1/lorong/reports/{fresh_report(t, c)}/verify", {"json": {}}),
        LORONG_VERIFY,
        200,
    ),
    (
        "return",
        "POST",
        lambda t, c: (f"/api/v1/lorong/reports/{fresh_report(t, c)}/return", {"json": {"comment": "Perbaiki"}}),
        LORONG_VERIFY,
        200,
    ),
    (
        "evidence photo",
        "POST",
        lambda t, c: (f"/api/v1/lorong/reports/{t[c]['report']}/photos", _file("e.png", _png(), "image/png")),
        LORONG_WRITE,
        201,
    ),
    ("private photo", "GET", lambda t, c: (f"/api/v1/lorong/photos/{t[c]['evidence']}", {}), LORONG_READ, 200),
    (
        "open bank",
        "POST",
        lambda t, c: (
            "/api/v1/lorong/wastebanks",
            {"json": {"unit_id": t[c]["unit"], "code": "b-" + _uid(), "name": "B"}},
        ),
        LORONG_WRITE,
        201,
    ),
    ("bank", "GET", lambda t, c: (_bank(t, c), {}), LORONG_READ, 200),
    ("banks", "GET", lambda t, c: (f"/api/v1/lorong/wastebanks?city={c}", {}), LORONG_READ, 200),
    (
        "bank price",
        "PUT",
        lambda t, c: (
            _bank(t, c, "/prices"),
            {"json": {"material": "kardus", "valid_from": "2020-01-01", "rupiah_per_kg": 1500}},
        ),
        LORONG_WRITE,
        200,
    ),
    ("accounts", "GET", lambda t, c: (_bank(t, c, "/accounts"), {}), LORONG_READ, 200),
    (
        "open account",
        "POST",
        lambda t, c: (_bank(t, c, "/accounts"), {"json": {"holder_name": "Warga " + _uid()}}),
        LORONG_WRITE,
        201,
    ),
    (
        "deposit",
        "POST",
        lambda t, c: (
            _bank(t, c, "/deposits"),
            {
                "json": {
                    "account_no": t[c]["account"],
                    "items": [{"material": "pet", "kg": 1}],
                    "idempotency_key": _uid(),
                }
            },
        ),
        LORONG_WRITE,
        201,
    ),
    (
        "withdraw",
        "POST",
        lambda t, c: (
            _bank(t, c, "/withdrawals"),
            {"json": {"account_no": t[c]["account"], "amount": 100, "idempotency_key": _uid()}},
        ),
        LORONG_WRITE,
        201,
    ),
    (
        "sale",
        "POST",
        lambda t, c: (_bank(t, c, "/sales"), {"json": {"amount": 1000, "idempotency_key": _uid()}}),
        LORONG_WRITE,
        201,
    ),
    (
        "capital",
        "POST",
        lambda t, c: (_bank(t, c, "/capital"), {"json": {"amount": 1000, "idempotency_key": _uid()}}),
        LORONG_WRITE,
        201,
    ),
    (
        "statement",
        "GET",
        lambda t, c: (_bank(t, c, f"/accounts/{t[c]['account']}/statement?month=2025-01"), {}),
        LORONG_READ,
        200,
    ),
    (
        "market",
        "PUT",
        lambda t, c: (f"/api/v1/lorong/markets/{c}/pasar-uji", {"json": {"name": "Pasar Uji"}}),
        LORONG_CONFIG,
        200,
    ),
    (
        "record prices",
        "POST",
        lambda t, c: (
            f"/api/v1/lorong/prices/{c}",
            {"json": [{"market": "pasar-uji", "commodity": "cabai-rawit", "day": "2025-01-13", "price": 41000}]},
        ),
        LORONG_WRITE,
        200,
    ),
    ("price alerts", "GET", lambda t, c: (f"/api/v1/lorong/price-alerts/{c}", {}), LORONG_READ, 200),
    (
        "price settings",
        "PUT",
        lambda t, c: (f"/api/v1/lorong/price-settings/{c}", {"json": {"alert_share": 0.1}}),
        LORONG_CONFIG,
        200,
    ),
    ("dashboard", "GET", _dash("dashboard"), LORONG_READ, 200),
    ("rankings", "GET", _dash("rankings"), LORONG_READ, 200),
    ("choropleth", "GET", _dash("choropleth"), LORONG_READ, 200),
    ("run scores", "POST", _dash("scores"), LORONG_CONFIG, 200),
    ("excel", "POST", _export("dashboard.xlsx"), LORONG_READ, 202),
    ("pdf", "POST", _export("dashboard.pdf"), LORONG_READ, 202),
    ("download", "GET", lambda t, c: (f"/api/v1/lorong/exports/files/{t[c]['export']}", {}), LORONG_READ, 200),
    ("export", "GET", _export("units.csv"), LORONG_READ, 200),
    ("import", "POST", _import, LORONG_WRITE, 202),
    # last: taking a lurah's kelurahan away would change the verify rows above
    ("officers", "GET", lambda t, c: (f"/api/v1/lorong/officers/{c}", {}), LORONG_CONFIG, 200),
    (
        "assign officer",
        "PUT",
        lambda t, c: (f"/api/v1/lorong/officers/{c}/{t[c]['lurah']}", {"json": {"kelurahan_codes": [t[c]["kel"]]}}),
        LORONG_CONFIG,
        200,
    ),
    ("remove officer", "DELETE", lambda t, c: (f"/api/v1/lorong/officers/{c}/{t[c]['lurah']}", {}), LORONG_CONFIG, 200),
]
# The staff's pages (GET): (name, (targets, city) -> path, who may). The public is sent to sign in (303).
PAGES = [
    ("report form", lambda t, c: f"/lorong/report?unit={t[c]['unit']}", LORONG_WRITE),
    ("verification", lambda t, c: f"/lorong/verify?city={c}", LORONG_VERIFY),
    ("dashboard page", lambda t, c: f"/lorong/dashboard?city={c}", LORONG_READ),
    ("waste bank page", lambda t, c: f"/lorong/wastebank?bank={t[c]['bank']}", LORONG_READ),
    (
        "statement page",
        lambda t, c: f"/lorong/wastebank?bank={t[c]['bank']}&account={t[c]['account']}&month=2025-01",
        LORONG_READ,
    ),
    ("import page", lambda t, c: f"/lorong/import?city={c}", LORONG_WRITE),
    ("price recording page", lambda t, c: f"/lorong/prices/record?city={c}", LORONG_WRITE),
]
# Pages everyone reads, signed in or not (200 for every role, both cities).
PUBLIC_PAGES = [
    ("directory page", lambda t, c: f"/lorong?city={c}"),
    ("food prices page", lambda t, c: f"/lorong/prices?city={c}"),
    ("unit page", lambda t, c: f"/lorong/{c}/{t[c]['slug']}"),
    ("service worker", lambda t, c: "/lorong/sw.js"),
]


def _deposit(t, c) -> dict:
    return {"account_no": t[c]["account"], "material": "pet", "kg": "1", "key": _uid()}


def _bank_form(rest: str, data):
    return lambda t, c: (f"/lorong/wastebank/{t[c]['bank']}/{rest}", data(t, c), None)


def _page_import(t, c):
    body = f"unit,period,indicator,value\nnone,{t[c]['period']},x,{_uid()}\n".encode()
    return "/lorong/import", {"city": c, "programme": t[c]["prog"]}, {"file": ("v.csv", body, "text/csv")}


# The forms of the staff's pages (POST, with the CSRF token of the signed-in browser): (name, (targets, city) ->
# (path, form fields, files), who may). Those who may are sent on (303); the public to sign in (303 to /login);
# everyone else is refused (403).
PAGE_POSTS = [
    (
        "report form post",
        lambda t, c: (
            f"/lorong/report/{t[c]['unit']}",
            {"period": t[c]["period"]} | {f"v-{k}": str(v) for k, v in t[c]["values"].items()},
            None,
        ),
        LORONG_WRITE,
    ),
    (
        "verify form",
        lambda t, c: (f"/lorong/verify/{fresh_report(t, c)}", {"decision": "verify"}, None),
        LORONG_VERIFY,
    ),
    (
        "return form",
        lambda t, c: (f"/lorong/verify/{fresh_report(t, c)}", {"decision": "return", "comment": "Perbaiki"}, None),
        LORONG_VERIFY,
    ),
    (
        "deposit form",
        _bank_form("deposit", _deposit),
        LORONG_WRITE,
    ),
    ("account form", _bank_form("accounts", lambda t, c: {"holder_name": "Warga " + _uid()}), LORONG_WRITE),
    (
        "withdrawal form",
        _bank_form("withdrawals", lambda t, c: {"account_no": t[c]["account"], "amount": "100", "key": _uid()}),
        LORONG_WRITE,
    ),
    (
        "bank price form",
        _bank_form("prices", lambda t, c: {"material": "kardus", "valid_from": "2020-01-01", "rupiah_per_kg": "1500"}),
        LORONG_WRITE,
    ),
    ("cash form", _bank_form("cash", lambda t, c: {"kind": "sale", "amount": "1000", "key": _uid()}), LORONG_WRITE),
    ("import form", _page_import, LORONG_WRITE),
    (
        "price recording form",
        lambda t, c: (
            f"/lorong/prices/record/{c}",
            {"market": "pasar-uji", "day": "2025-01-13", "p-cabai-rawit": "41000"},
            None,
        ),
        LORONG_WRITE,
    ),
]


def expected(who: str, city: str, allowed, ok: int) -> int:
    if allowed == EVERYONE or who == "root" or (city == HOME and who in allowed):
        return ok
    return 401 if who == "anonymous" else 403


def fake_targets() -> dict:
    """Placeholders that let every action build its path without a database."""
    fake = {"prog": "p", "unit": 1, "slug": "s", "report": 1, "period": "2025-01", "values": {}, "bank": 1}
    fake |= {"account": "a", "evidence": 1, "public_photo": 1, "kec": "k", "kel": "l", "theme": "t", "indicator": "i"}
    fake |= {"export": "j", "lurah": "u"}
    return {HOME: fake, OTHER: fake, "_engine": None, "_n": 0}
