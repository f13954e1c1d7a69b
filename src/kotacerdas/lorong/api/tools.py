"""The two tools inside a lorong: the waste bank (private: residents, balances) and food prices (the index and
charts public, the recording and the alerts for the staff)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import DB_SESSION, authorize, optional_principal
from kotacerdas.http.schemas import problems
from kotacerdas.lorong.api import schemas
from kotacerdas.lorong.services import access
from kotacerdas.lorong.services import foodprices as price_svc
from kotacerdas.lorong.services import units as unit_service
from kotacerdas.lorong.services import wastebank as svc
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import LorongUnit, LorongWasteAccount, LorongWastePrice

router = APIRouter(tags=["lorong: waste bank and food prices"])


def _bank(session: Session, bank_id: int, principal: Principal | None, *, write: bool):
    bank = svc.get_bank(session, bank_id)
    unit = must_get(session, LorongUnit, bank.unit_id)
    p = access.write_unit(session, principal, unit) if write else access.read_private(session, principal, unit)
    return bank, unit, p


def bank_json(session: Session, bank, unit) -> dict:
    totals = svc.month_totals(session, bank, svc.current_month(session, bank))
    return {
        "id": bank.id,
        "code": bank.code,
        "name": bank.name,
        "unit": unit.code,
        "cash": bank.cash,
        "accounts": len(
            list(session.scalars(select(LorongWasteAccount.id).where(LorongWasteAccount.bank_id == bank.id)))
        ),
        "savings": totals["savings"],
        "prices": [
            {"material": p.material, "valid_from": p.valid_from, "rupiah_per_kg": p.rupiah_per_kg}
            for p in session.scalars(
                select(LorongWastePrice)
                .where(LorongWastePrice.bank_id == bank.id)
                .order_by(LorongWastePrice.material, LorongWastePrice.valid_from)
            )
        ],
        "month": totals,
    }


@router.post(
    "/lorong/wastebanks",
    status_code=201,
    response_model=schemas.WasteBank,
    summary="Open a waste bank in a unit (its coordinator)",
    responses=problems(400, 401, 403, 404, 409),
)
def create_bank(
    body: schemas.WasteBankCreate,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """A bank with an empty cash box and no price list yet."""
    unit = unit_service.get_unit(session, body.unit_id)
    p = access.write_unit(session, principal, unit)
    bank = svc.create_bank(session, unit, body.code, body.name)
    accounts.audit(session, unit.city_id, p.user_id, "lorong.wastebank.create", bank.code)
    return bank_json(session, bank, unit)


@router.get(
    "/lorong/wastebanks",
    response_model=list[schemas.WasteBank],
    summary="The waste banks of the units the caller looks after (staff)",
    responses=problems(401, 403, 404),
)
def list_banks(
    city: str = Query(..., description="City code, e.g. 73.71"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """A coordinator sees their units' banks, a lurah those of their kelurahan, an admin every bank
    (``lorong.read_private``)."""
    from kotacerdas.lorong.store.tables import LorongWasteBank

    c = accounts.get_city(session, city)
    p = authorize(principal, "lorong.read_private", c.id)
    rows = session.execute(
        select(LorongWasteBank, LorongUnit)
        .join(LorongUnit, LorongUnit.id == LorongWasteBank.unit_id)
        .where(LorongWasteBank.city_id == c.id, access.unit_condition(session, p, c.id))
        .order_by(LorongWasteBank.name)
    ).all()
    return [bank_json(session, b, u) for b, u in rows]


@router.get(
    "/lorong/wastebanks/{bank_id}",
    response_model=schemas.WasteBank,
    summary="A waste bank: cash, savings, price list and this month (staff in scope)",
    responses=problems(401, 403, 404),
)
def get_bank(bank_id: int, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION):
    """Totals only; residents are listed by ``/accounts``."""
    bank, unit, _p = _bank(session, bank_id, principal, write=False)
    return bank_json(session, bank, unit)


@router.put(
    "/lorong/wastebanks/{bank_id}/prices",
    response_model=schemas.WasteBank,
    summary="Set a material's price per kg from a day on (its coordinator)",
    responses=problems(400, 401, 403, 404, 422),
)
def set_price(
    bank_id: int,
    body: schemas.WastePriceSave,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Deposits on and after ``valid_from`` are valued at this price; earlier deposits keep theirs."""
    bank, unit, p = _bank(session, bank_id, principal, write=True)
    svc.set_price(session, bank, body.material, body.valid_from, body.rupiah_per_kg)
    accounts.audit(session, unit.city_id, p.user_id, "lorong.wastebank.price", bank.code, material=body.material)
    return bank_json(session, bank, unit)


@router.get(
    "/lorong/wastebanks/{bank_id}/accounts",
    response_model=list[schemas.WasteAccount],
    summary="Residents' savings accounts (private: names, phones, balances)",
    responses=problems(401, 403, 404),
)
def list_accounts(
    bank_id: int, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
):
    """Never public: only the bank's coordinator, the lurah and the admins read it."""
    bank, _unit, _p = _bank(session, bank_id, principal, write=False)
    rows = session.scalars(
        select(LorongWasteAccount).where(LorongWasteAccount.bank_id == bank.id).order_by(LorongWasteAccount.account_no)
    )
    return [
        {"account_no": a.account_no, "holder_name": a.holder_name, "phone": a.phone, "balance": a.balance} for a in rows
    ]


@router.post(
    "/lorong/wastebanks/{bank_id}/accounts",
    status_code=201,
    response_model=schemas.WasteAccount,
    summary="Open a resident's savings account (its coordinator)",
    responses=problems(400, 401, 403, 404, 409),
)
def open_account(
    bank_id: int,
    body: schemas.WasteAccountCreate,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The account number is made from the bank's code when none is given."""
    bank, unit, p = _bank(session, bank_id, principal, write=True)
    a = svc.open_account(session, bank, body.holder_name, body.phone, body.account_no)
    accounts.audit(session, unit.city_id, p.user_id, "lorong.wastebank.account", bank.code, account=a.account_no)
    return {"account_no": a.account_no, "holder_name": a.holder_name, "phone": a.phone, "balance": a.balance}


def _txn(bank, account, row, created: bool, kind: str, amount: int) -> dict:
    return {
        "kind": kind,
        "amount": amount,
        "account_balance": account.balance if account is not None else None,
        "cash": bank.cash,
        "created": created,
    }


@router.post(
    "/lorong/wastebanks/{bank_id}/deposits",
    status_code=201,
    response_model=schemas.WasteTxn,
    summary="Record a deposit of recyclables into a resident's savings (its coordinator)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
def deposit(
    bank_id: int,
    body: schemas.Deposit,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """kg per material times the bank's price of that day; the same idempotency key twice is one deposit."""
    bank, _unit, p = _bank(session, bank_id, principal, write=True)
    acct = svc.get_account(session, bank, body.account_no)
    before = acct.balance
    row, created = svc.deposit(
        session,
        bank,
        acct,
        [(i.material, i.kg) for i in body.items],
        key=body.idempotency_key,
        at=body.at,
        user_id=p.user_id,
    )
    return _txn(bank, acct, row, created, "deposit", acct.balance - before if created else 0)


@router.post(
    "/lorong/wastebanks/{bank_id}/withdrawals",
    status_code=201,
    response_model=schemas.WasteTxn,
    summary="Pay a resident cash from their savings (its coordinator)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
def withdraw(
    bank_id: int,
    body: schemas.Withdrawal,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Refused (409) beyond the savings or the cash in the box."""
    bank, _unit, p = _bank(session, bank_id, principal, write=True)
    acct = svc.get_account(session, bank, body.account_no)
    row, created = svc.withdraw(
        session, bank, acct, body.amount, key=body.idempotency_key, at=body.at, user_id=p.user_id
    )
    return _txn(bank, acct, row, created, "withdrawal", body.amount)


@router.post(
    "/lorong/wastebanks/{bank_id}/sales",
    status_code=201,
    response_model=schemas.WasteTxn,
    summary="Record cash received from a collector (its coordinator)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
def sale(
    bank_id: int,
    body: schemas.CashMove,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The cash box grows by the amount."""
    bank, _unit, p = _bank(session, bank_id, principal, write=True)
    row, created = svc.sell(
        session, bank, body.amount, key=body.idempotency_key, at=body.at, memo=body.memo, user_id=p.user_id
    )
    return _txn(bank, None, row, created, "sale", body.amount)


@router.post(
    "/lorong/wastebanks/{bank_id}/capital",
    status_code=201,
    response_model=schemas.WasteTxn,
    summary="Record the community's capital put into the cash box (its coordinator)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
def capital(
    bank_id: int,
    body: schemas.CashMove,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The cash box grows by the amount, credited to the bank's ``capital`` account (so residents can be paid
    before the first sale); the same idempotency key twice is one transaction, audited once."""
    bank, _unit, p = _bank(session, bank_id, principal, write=True)
    row, created = svc.add_capital(
        session, bank, body.amount, key=body.idempotency_key, at=body.at, memo=body.memo, user_id=p.user_id
    )
    return _txn(bank, None, row, created, "capital", body.amount)


@router.get(
    "/lorong/wastebanks/{bank_id}/accounts/{account_no}/statement",
    response_model=schemas.Statement,
    summary="A resident's monthly statement (private)",
    responses=problems(400, 401, 403, 404),
)
def statement(
    bank_id: int,
    account_no: str,
    month: str = Query(..., description="YYYY-MM"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Opening balance, each deposit (kg) and withdrawal, totals and closing balance."""
    bank, _unit, _p = _bank(session, bank_id, principal, write=False)
    st = svc.statement(session, bank, svc.get_account(session, bank, account_no), month)
    return {
        "account_no": st.account_no,
        "month": st.month,
        "opening": st.opening,
        "deposited": st.deposited,
        "withdrawn": st.withdrawn,
        "kg": st.kg,
        "closing": st.closing,
        "lines": [
            {
                "at": ln.at,
                "kind": ln.kind,
                "amount": ln.amount,
                "balance": ln.balance,
                "kg": sum(x.kg for x in ln.lines),
            }
            for ln in st.lines
        ],
    }


# -- food prices ------------------------------------------------------------------------------------


@router.put(
    "/lorong/markets/{city}/{code}",
    response_model=schemas.Saved,
    summary="Add or edit a market where prices are watched (programme admin)",
    responses=problems(400, 401, 403, 404, 422),
)
def save_market(
    city: str,
    code: str,
    body: schemas.MarketSave,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """A traditional market, or a lorong that reports its own prices."""
    c = accounts.get_city(session, city)
    p = authorize(principal, "lorong.configure", c.id)
    price_svc.save_market(session, c, code, body.model_dump(exclude_none=True))
    accounts.audit(session, c.id, p.user_id, "lorong.market.save", code)
    return {"code": code, "changed": body.model_dump(exclude_none=True, mode="json")}


@router.post(
    "/lorong/prices/{city}",
    response_model=schemas.PricesSaved,
    summary="Record weekly staple prices (coordinators and admins)",
    responses=problems(400, 401, 403, 404, 422),
)
def record_prices(
    city: str,
    body: list[schemas.PriceEntry],
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """One price per market, commodity and week; a second one for the same week corrects the first. A coordinator
    records only at the markets of their own lorong, an admin at any market of the city. Refused: a week after the
    current one (the city's time zone), and a price more than three times or under a third of the city's median of
    recent weeks for the commodity, unless an admin sends it with ``confirm: true``. All or nothing."""
    c = accounts.get_city(session, city)
    p = authorize(principal, "lorong.report", c.id)
    entries = [price_svc.PriceInput(e.market, e.commodity, e.day, e.price, e.confirm) for e in body]
    return {"saved": price_svc.record_prices(session, p, c, entries)["saved"]}


@router.get(
    "/lorong/prices/{city}/{commodity}",
    response_model=schemas.PriceIndex,
    summary="Weekly price and index of a commodity over the city, a kecamatan or a market (public)",
    responses=problems(400, 404),
)
def price_index(city: str, commodity: str, area: str | None = None, session: Session = DB_SESSION):
    """The index is 100 at the mean price of the city's baseline period."""
    c = accounts.get_city(session, city)
    return price_svc.index(session, c.id, commodity, area)


@router.get(
    "/lorong/price-alerts/{city}",
    response_model=list[schemas.PriceAlert],
    summary="Weeks whose price rose more than the set share (staff)",
    responses=problems(401, 403, 404),
)
def price_alerts(
    city: str,
    since: date | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Per commodity over the city and per kecamatan, newest first (``lorong.read_private``)."""
    c = accounts.get_city(session, city)
    authorize(principal, "lorong.read_private", c.id)
    return [
        {
            "commodity": a.commodity,
            "area": a.area,
            "week": a.week,
            "previous": a.previous,
            "price": a.price,
            "change": a.change,
        }
        for a in price_svc.alerts(session, c.id, since=since)
    ]


@router.put(
    "/lorong/price-settings/{city}",
    response_model=schemas.PriceSettings,
    summary="Set the alert share and the index's baseline period (programme admin)",
    responses=problems(400, 401, 403, 404, 422),
)
def price_settings(
    city: str,
    body: schemas.PriceSettings,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """``alert_share`` 0.10 alerts at a rise of more than 10 % over the previous week."""
    c = accounts.get_city(session, city)
    p = authorize(principal, "lorong.configure", c.id)
    row = price_svc.save_settings(session, c.id, **body.model_dump(exclude_none=True))
    accounts.audit(session, c.id, p.user_id, "lorong.prices.settings", city)
    return {"alert_share": row.alert_share, "baseline_start": row.baseline_start, "baseline_end": row.baseline_end}
