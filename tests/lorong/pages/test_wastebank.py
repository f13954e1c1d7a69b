"""The waste bank page: its coordinator opens accounts, sets prices, records deposits and cash, pays withdrawals and
reads a resident's statement, in both languages; bad input is said next to its form and stores nothing; the lurah
reads but writes nothing; each form needs its token and the role."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from kotacerdas.core.db import session_scope
from kotacerdas.lorong.services import wastebank
from kotacerdas.lorong.store.tables import LorongUnit, LorongWasteAccount, LorongWasteBank, LorongWasteTransaction
from tests.lorong.pages.test_staff import sign_in


@pytest.fixture
def bank(api_world) -> int:
    with session_scope(api_world.engine) as s:
        b = wastebank.create_bank(s, s.get(LorongUnit, api_world.units["lr-a1"]), "bs-anggrek", "Bank Sampah Anggrek")
        return b.id


def _key(page: str, form: str) -> str:
    return re.search(rf'id="{form}-form".*?name="key" value="([^"]+)"', page, re.S)[1]


def _post(client, bank: int, what: str, data: dict):
    return client.post(
        f"/lorong/wastebank/{bank}/{what}", data={"csrf": client.cookies.get("kc_csrf"), **data}, follow_redirects=False
    )


def _balance(engine, no: str) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(LorongWasteAccount.balance).where(LorongWasteAccount.account_no == no))


def test_a_deposit_from_the_waste_bank_page_counts_once(client, api_world):
    with session_scope(api_world.engine) as s:
        bank = wastebank.create_bank(s, s.get(LorongUnit, api_world.units["lr-a1"]), "bs-page", "Bank Sampah Anggrek")
        wastebank.set_price(s, bank, "kardus", date(2020, 1, 1), 1500)
        wastebank.open_account(s, bank, "Nur Aisyah", account_no="AN-1")
        bank_id = bank.id
    sign_in(client, "lurah.7371")
    page = client.get(f"/lorong/wastebank?bank={bank_id}&lang=en")
    assert page.status_code == 200 and "Nur Aisyah" in page.text and "deposit-form" not in page.text
    csrf = client.cookies.get("kc_csrf")
    form = {"csrf": csrf, "account_no": "AN-1", "material": "kardus", "kg": "2", "key": "k1"}
    assert client.post(f"/lorong/wastebank/{bank_id}/deposit", data=form, follow_redirects=False).status_code == 403
    client.cookies.clear()
    sign_in(client, "lorongcoordinator.7371")
    page = client.get(f"/lorong/wastebank?bank={bank_id}&lang=id")
    assert "Catat setoran" in page.text
    key = re.search(r'name="key" value="([^"]+)"', page.text)[1]
    form |= {"csrf": client.cookies.get("kc_csrf"), "key": key}
    for _ in range(2):  # a double tap on the button
        r = client.post(f"/lorong/wastebank/{bank_id}/deposit", data=form, follow_redirects=False)
        assert r.status_code == 303
    with session_scope(api_world.engine) as s:
        assert s.scalar(select(LorongWasteAccount.balance).where(LorongWasteAccount.account_no == "AN-1")) == 3000


def test_the_coordinator_runs_the_bank_from_the_page(client, api_world, bank):
    sign_in(client, "lorongcoordinator.7371")
    page = client.get(f"/lorong/wastebank?bank={bank}&lang=id").text
    assert "Buka rekening" in page and "Tetapkan harga" in page and "deposit-form" not in page  # no account yet
    r = _post(client, bank, "accounts", {"holder_name": "Nur Aisyah", "phone": "0812"})
    assert (
        r.status_code == 303 and "done=account" in r.headers["location"] and "no=BS-ANGGR-0001" in r.headers["location"]
    )
    assert "BS-ANGGR-0001" in client.get(r.headers["location"] + "&lang=id").text
    r = _post(client, bank, "prices", {"material": "kardus", "valid_from": "2020-01-01", "rupiah_per_kg": "1.500"})
    assert r.status_code == 303
    page = client.get(f"/lorong/wastebank?bank={bank}&lang=id").text
    r = _post(client, bank, "deposit", {"account_no": "BS-ANGGR-0001", "material": "kardus", "kg": "4,5",
                                        "key": _key(page, "deposit")})  # fmt: skip
    assert r.status_code == 303 and _balance(api_world.engine, "BS-ANGGR-0001") == 6750
    r = _post(client, bank, "cash", {"kind": "capital", "amount": "50000", "memo": "Kas RT", "key": _key(page, "cash")})
    assert r.status_code == 303
    r = _post(client, bank, "withdrawals", {"account_no": "BS-ANGGR-0001", "amount": "5000",
                                            "key": _key(page, "withdrawal")})  # fmt: skip
    assert r.status_code == 303 and _balance(api_world.engine, "BS-ANGGR-0001") == 1750
    with session_scope(api_world.engine) as s:
        assert s.get(LorongWasteBank, bank).cash == 45000
    for lang, words in (("id", ("Rekening koran bulanan", "Setoran", "Penarikan")),
                        ("en", ("Monthly statement", "Deposit", "Withdrawal"))):  # fmt: skip
        month = client.get(f"/lorong/wastebank?bank={bank}").text
        this_month = re.search(r'name="month" type="month" value="([^"]*)"', month)
        statement = client.get(f"/lorong/wastebank?bank={bank}&account=BS-ANGGR-0001&lang={lang}")
        assert statement.status_code == 200 and all(w in statement.text for w in words), lang
        assert 'id="closing"' in statement.text and ("1.750" in statement.text or "1,750" in statement.text)
        assert this_month is None  # the month picker shows only with a statement
    earlier = client.get(f"/lorong/wastebank?bank={bank}&account=BS-ANGGR-0001&month=2019-01&lang=en").text
    assert "No movement this month." in earlier


def test_bad_input_is_said_next_to_its_form_and_stores_nothing(client, api_world, bank):
    with session_scope(api_world.engine) as s:
        b = s.get(LorongWasteBank, bank)
        wastebank.set_price(s, b, "kardus", date(2020, 1, 1), 1000)
        acct = wastebank.open_account(s, b, "Warga", account_no="W-1")
        wastebank.deposit(s, b, acct, [("kardus", 10)], key="first")
    sign_in(client, "lorongcoordinator.7371")
    page = client.get(f"/lorong/wastebank?bank={bank}&lang=id").text
    r = _post(client, bank, "withdrawals", {"account_no": "W-1", "amount": "50000", "key": _key(page, "withdrawal")})
    assert r.status_code == 409
    assert re.search(r'id="withdrawal".*?id="withdrawal-error" role="alert">[^<]*Tabungan tidak cukup', r.text, re.S)
    assert 'value="50000"' in r.text and 'aria-invalid="true"' in r.text  # what was typed is kept
    r = _post(client, bank, "deposit", {"account_no": "W-1", "material": "kardus", "kg": "banyak",
                                        "key": _key(page, "deposit")})  # fmt: skip
    assert r.status_code == 400 and 'id="deposit-error"' in r.text and "banyak bukan angka" in r.text
    r = _post(client, bank, "prices", {"material": "kardus", "valid_from": "kemarin", "rupiah_per_kg": "900"})
    assert r.status_code == 400 and 'id="price-error"' in r.text and "kemarin" in r.text
    r = client.post(f"/lorong/wastebank/{bank}/accounts?lang=en", data={"csrf": client.cookies.get("kc_csrf"),
                    "holder_name": " "}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 400 and 'id="account-error"' in r.text and "Holder is required" in r.text
    r = _post(client, bank, "accounts", {"holder_name": "Lain", "account_no": "W-1"})
    assert r.status_code == 409 and "W-1" in r.text
    assert _balance(api_world.engine, "W-1") == 10_000
    with session_scope(api_world.engine) as s:
        assert s.scalar(select(func.count()).select_from(LorongWasteAccount)) == 1
        assert s.scalar(select(func.count()).select_from(LorongWasteTransaction)) == 1


def test_every_form_needs_the_token_the_sign_in_and_the_role(client, api_world, bank):
    forms = {
        "deposit": {"account_no": "x", "material": "kardus", "kg": "1", "key": "k"},
        "accounts": {"holder_name": "Warga"},
        "withdrawals": {"account_no": "x", "amount": "1", "key": "k"},
        "prices": {"material": "kardus", "valid_from": "2020-01-01", "rupiah_per_kg": "1"},
        "cash": {"kind": "sale", "amount": "1", "key": "k"},
    }
    for what, data in forms.items():
        r = client.post(f"/lorong/wastebank/{bank}/{what}", data=data, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), what
    sign_in(client, "lurah.7371")  # reads the bank (their kelurahan), writes nothing
    assert client.get(f"/lorong/wastebank?bank={bank}").status_code == 200
    for what, data in forms.items():
        assert _post(client, bank, what, data).status_code == 403, what
    client.cookies.clear()
    sign_in(client, "lorongcoordinator.7371")
    for what, data in forms.items():
        r = client.post(f"/lorong/wastebank/{bank}/{what}", data={"csrf": "forged", **data}, follow_redirects=False)
        assert r.status_code == 400, what
    client.cookies.clear()
    sign_in(client, "lorongcoordinator.3510")  # another city's coordinator
    assert client.get(f"/lorong/wastebank?bank={bank}").status_code == 403
    assert client.get("/lorong/wastebank?bank=999999").status_code == 404
    for what, data in forms.items():
        assert _post(client, bank, what, data).status_code == 403, what
    with session_scope(api_world.engine) as s:
        assert s.scalar(select(func.count()).select_from(LorongWasteAccount)) == 0
