"""Waste bank and food prices API: residents stay private, deposits are idempotent, the index is public."""

from tests.conftest import token_for


def test_waste_bank_flow_and_privacy(client, api_world):
    uid = api_world.units["lr-a1"]
    coord = token_for(client, "lorongcoordinator.7371")
    bank = client.post(
        "/api/v1/lorong/wastebanks", json={"unit_id": uid, "code": "bs-anggrek", "name": "BS Anggrek"}, headers=coord
    )
    assert bank.status_code == 201
    bid = bank.json()["id"]
    assert (
        client.put(
            f"/api/v1/lorong/wastebanks/{bid}/prices",
            json={"material": "pet", "valid_from": "2020-01-01", "rupiah_per_kg": 3000},
            headers=coord,
        ).status_code
        == 200
    )
    acct = client.post(
        f"/api/v1/lorong/wastebanks/{bid}/accounts",
        json={"holder_name": "Sitti Aminah", "phone": "0812"},
        headers=coord,
    ).json()
    dep = {"account_no": acct["account_no"], "items": [{"material": "pet", "kg": 2.5}], "idempotency_key": "dep-1"}
    r = client.post(f"/api/v1/lorong/wastebanks/{bid}/deposits", json=dep, headers=coord)
    assert r.status_code == 201 and r.json() == {
        "kind": "deposit",
        "amount": 7500,
        "account_balance": 7500,
        "cash": 0,
        "created": True,
    }
    r = client.post(f"/api/v1/lorong/wastebanks/{bid}/deposits", json=dep, headers=coord)
    assert r.json()["created"] is False and r.json()["account_balance"] == 7500
    r = client.post(
        f"/api/v1/lorong/wastebanks/{bid}/withdrawals",
        json={"account_no": acct["account_no"], "amount": 5000, "idempotency_key": "w-1"},
        headers=coord,
    )
    assert r.status_code == 409 and "kas tidak cukup" in r.json()["detail"]
    client.post(
        f"/api/v1/lorong/wastebanks/{bid}/sales", json={"amount": 100000, "idempotency_key": "s-1"}, headers=coord
    )
    r = client.post(
        f"/api/v1/lorong/wastebanks/{bid}/withdrawals",
        json={"account_no": acct["account_no"], "amount": 5000, "idempotency_key": "w-1"},
        headers=coord,
    )
    assert r.status_code == 201 and r.json()["account_balance"] == 2500
    accounts = client.get(f"/api/v1/lorong/wastebanks/{bid}/accounts", headers=coord).json()
    assert accounts[0]["holder_name"] == "Sitti Aminah"
    assert client.get(f"/api/v1/lorong/wastebanks/{bid}/accounts").status_code == 401
    assert (
        client.get(f"/api/v1/lorong/wastebanks/{bid}/accounts", headers=token_for(client, "public.7371")).status_code
        == 403
    )
    assert "Sitti" not in client.get("/api/v1/lorong/units/73.71/lorong-anggrek").text


def test_prices_index_and_alerts(client, api_world):
    admin = token_for(client, "lorongadmin.7371")
    assert (
        client.put(
            "/api/v1/lorong/markets/73.71/pasar-terong",
            json={"name": "Pasar Terong", "kecamatan_code": "73.71.06", "unit_id": api_world.units["lr-a1"]},
            headers=admin,
        ).status_code
        == 200
    )
    weeks = ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27", "2025-02-03"]
    prices = [40000, 41000, 40000, 39000, 52000]
    body = [
        {"market": "pasar-terong", "commodity": "cabai-rawit", "day": d, "price": p}
        for d, p in zip(weeks, prices, strict=True)
    ]
    coord = token_for(client, "lorongcoordinator.7371")
    assert client.post("/api/v1/lorong/prices/73.71", json=body, headers=coord).json() == {"saved": 5}
    client.put(
        "/api/v1/lorong/price-settings/73.71",
        json={"baseline_start": "2025-01-06", "baseline_end": "2025-01-27"},
        headers=admin,
    )
    idx = client.get("/api/v1/lorong/prices/73.71/cabai-rawit").json()
    assert [w["index"] for w in idx["weeks"]] == [100.0, 102.5, 100.0, 97.5, 130.0]
    alerts = client.get("/api/v1/lorong/price-alerts/73.71", headers=coord).json()
    assert {(a["area"], a["week"]) for a in alerts} == {("city", "2025-02-03"), ("73.71.06", "2025-02-03")}
    assert client.get("/api/v1/lorong/price-alerts/73.71").status_code == 401
    bad = client.post(
        "/api/v1/lorong/prices/73.71",
        json=[{"market": "pasar-terong", "commodity": "caviar", "day": "2025-01-06", "price": 1}],
        headers=coord,
    )
    assert bad.status_code == 400 and bad.json()["field"] == "commodity"


def test_coordinators_record_prices_only_at_their_own_lorong_and_never_a_slip(client, api_world):
    admin, coord = token_for(client, "lorongadmin.7371"), token_for(client, "lorongcoordinator.7371")
    own = {"name": "Lorong Anggrek", "kind": "lorong", "unit_id": api_world.units["lr-a1"]}
    assert client.put("/api/v1/lorong/markets/73.71/lorong-anggrek", json=own, headers=admin).status_code == 200
    not_own = {"name": "Lorong Cempaka", "kind": "lorong", "unit_id": api_world.units["lr-b1"]}
    assert client.put("/api/v1/lorong/markets/73.71/lorong-cempaka", json=not_own, headers=admin).status_code == 200
    client.put("/api/v1/lorong/markets/73.71/pasar-butung", json={"name": "Pasar Butung"}, headers=admin)
    bad_unit = client.put("/api/v1/lorong/markets/73.71/pasar-x", json={"name": "X", "unit_id": 99999}, headers=admin)
    assert bad_unit.status_code == 404 and bad_unit.json()["field"] == "unit_id"

    def entry(market, day, price, **more):
        return {"market": market, "commodity": "beras-medium", "day": day, "price": price} | more

    history = [entry("pasar-butung", f"2025-01-{d:02d}", p) for d, p in ((6, 12_000), (13, 12_200), (20, 12_100))]
    assert client.post("/api/v1/lorong/prices/73.71", json=history, headers=admin).json() == {"saved": 3}
    for market in ("pasar-butung", "lorong-cempaka"):
        r = client.post("/api/v1/lorong/prices/73.71", json=[entry(market, "2025-01-27", 12_300)], headers=coord)
        assert r.status_code == 403 and r.json()["field"] == "market" and market in r.json()["detail"]
    ok = client.post("/api/v1/lorong/prices/73.71", json=[entry("lorong-anggrek", "2025-01-27", 12_300)], headers=coord)
    assert ok.json() == {"saved": 1}
    future = client.post(
        "/api/v1/lorong/prices/73.71", json=[entry("lorong-anggrek", "2099-01-05", 12_300)], headers=coord
    )
    assert future.status_code == 400 and future.json()["field"] == "day"
    slip = [
        entry("lorong-anggrek", "2025-01-20", 12_000),
        entry("lorong-anggrek", "2025-01-27", 9_000_000, confirm=True),
    ]
    r = client.post("/api/v1/lorong/prices/73.71", json=slip, headers=coord | {"Accept-Language": "id"})
    assert r.status_code == 400 and r.json()["field"] == "price" and "median" in r.json()["detail"]
    assert r.json()["detail"].startswith("Rekaman 2:")
    own_chart = client.get("/api/v1/lorong/prices/73.71/beras-medium", params={"area": "lorong-anggrek"}).json()
    assert [w["week"] for w in own_chart["weeks"]] == ["2025-01-27"]  # nothing of the refused request was stored
    jump = [entry("pasar-butung", "2025-01-27", 40_000, confirm=True)]
    assert client.post("/api/v1/lorong/prices/73.71", json=jump, headers=admin).json() == {"saved": 1}


def test_the_communitys_capital_fills_the_cash_box_once_per_key(client, api_world):
    coord = token_for(client, "lorongcoordinator.7371")
    bid = client.post(
        "/api/v1/lorong/wastebanks",
        json={"unit_id": api_world.units["lr-a2"], "code": "bs-bougenville", "name": "BS Bougenville"},
        headers=coord,
    ).json()["id"]
    acct = client.post(f"/api/v1/lorong/wastebanks/{bid}/accounts", json={"holder_name": "Warga"}, headers=coord)
    client.put(
        f"/api/v1/lorong/wastebanks/{bid}/prices",
        json={"material": "pet", "valid_from": "2020-01-01", "rupiah_per_kg": 3000},
        headers=coord,
    )
    no = acct.json()["account_no"]
    dep = {"account_no": no, "items": [{"material": "pet", "kg": 5}], "idempotency_key": "d-1"}
    client.post(f"/api/v1/lorong/wastebanks/{bid}/deposits", json=dep, headers=coord)
    pay = {"account_no": no, "amount": 10_000, "idempotency_key": "w-1"}
    assert client.post(f"/api/v1/lorong/wastebanks/{bid}/withdrawals", json=pay, headers=coord).status_code == 409
    body = {"amount": 250_000, "idempotency_key": "modal-rw", "memo": "Iuran warga RW 03"}
    r = client.post(f"/api/v1/lorong/wastebanks/{bid}/capital", json=body, headers=coord)
    assert r.status_code == 201 and r.json() == {
        "kind": "capital",
        "amount": 250_000,
        "account_balance": None,
        "cash": 250_000,
        "created": True,
    }
    again = client.post(f"/api/v1/lorong/wastebanks/{bid}/capital", json=body, headers=coord)
    assert again.json()["created"] is False and again.json()["cash"] == 250_000
    r = client.post(f"/api/v1/lorong/wastebanks/{bid}/withdrawals", json=pay, headers=coord)
    assert r.status_code == 201 and r.json()["cash"] == 240_000
    other = token_for(client, "lorongcoordinator.3510")
    assert client.post(f"/api/v1/lorong/wastebanks/{bid}/capital", json=body, headers=other).status_code == 403
    bad = client.post(
        f"/api/v1/lorong/wastebanks/{bid}/capital", json={"amount": 0, "idempotency_key": "x"}, headers=coord
    )
    assert bad.status_code == 422
    audit = client.get("/api/v1/cities/73.71/audit", headers=token_for(client, "lorongadmin.7371")).json()["items"]
    assert [e["action"] for e in audit].count("lorong.wastebank.capital") == 1


def test_a_banks_month_and_its_page_are_the_citys_month(client, api_world, monkeypatch):
    from datetime import UTC, datetime

    from kotacerdas.core.db import session_scope
    from kotacerdas.lorong.services import wastebank
    from kotacerdas.lorong.store.tables import LorongUnit

    with session_scope(api_world.engine) as s:
        bank = wastebank.create_bank(s, s.get(LorongUnit, api_world.units["lr-a1"]), "bs-wita", "Bank Sampah WITA")
        bank_id = bank.id
    monkeypatch.setattr(wastebank, "utcnow", lambda: datetime(2025, 1, 31, 17, 0, tzinfo=UTC))  # 1 Feb, 01:00 WITA
    got = client.get(f"/api/v1/lorong/wastebanks/{bank_id}", headers=token_for(client, "lorongcoordinator.7371"))
    assert got.status_code == 200 and got.json()["month"]["month"] == "2025-02"
    from tests.lorong.pages.test_staff import sign_in

    sign_in(client, "lorongcoordinator.7371")
    page = client.get(f"/lorong/wastebank?bank={bank_id}&account=none").text
    assert 'name="month" type="month" value="2025-02"' in page
