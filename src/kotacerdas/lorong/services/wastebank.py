"""Waste-bank use cases: banks, price lists, resident accounts, deposits, withdrawals, sales, statements, and the
month's totals that feed a lorong's circular-economy indicators.

Each operation rebuilds the bank's :class:`~kotacerdas.lorong.wastebank.Ledger` from its stored
transactions, lets it check the rules, then stores the new transaction, its postings and the
deposit lines, and moves the account's ``balance`` and the bank's ``cash`` in the same
transaction (the database refuses either going below zero).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts as core_accounts
from kotacerdas.core.db import utcnow
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.lorong import periods, wastebank
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.services.programmes import check_code
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import (
    LorongUnit,
    LorongWasteAccount,
    LorongWasteBank,
    LorongWasteLine,
    LorongWastePosting,
    LorongWastePrice,
    LorongWasteTransaction,
)

#: Indicators of Lorong Wisata's circular-economy theme that a waste bank's month fills in.
CIRCULAR_INDICATORS = {"kg": "sampah-terpilah", "savers": "penabung-aktif", "rupiah": "nilai-tabungan"}


def get_bank(session: Session, bank_id: int) -> LorongWasteBank:
    bank = session.get(LorongWasteBank, bank_id)
    if bank is None:
        raise LorongError(N_("No waste bank with id {id}"), field="bank", status=404, id=bank_id)
    return bank


def create_bank(session: Session, unit: LorongUnit, code: str, name: str, *, is_demo: bool = False) -> LorongWasteBank:
    check_code(code)
    if session.scalar(
        select(LorongWasteBank).where(LorongWasteBank.city_id == unit.city_id, LorongWasteBank.code == code)
    ):
        raise LorongError(N_("A waste bank with code {code} already exists"), field="code", status=409, code=code)
    if not (name or "").strip():
        raise LorongError(N_("{name} is required"), field="name", name="name")
    bank = LorongWasteBank(city_id=unit.city_id, unit_id=unit.id, code=code, name=name.strip(), is_demo=is_demo)
    session.add(bank)
    session.flush()
    return bank


def set_price(session: Session, bank: LorongWasteBank, material: str, valid_from: date, rupiah_per_kg: int):
    wastebank.check_material(material)
    wastebank.check_rupiah(rupiah_per_kg, "rupiah_per_kg")
    row = session.scalar(
        select(LorongWastePrice).where(
            LorongWastePrice.bank_id == bank.id,
            LorongWastePrice.material == material,
            LorongWastePrice.valid_from == valid_from,
        )
    )
    if row is None:
        row = LorongWastePrice(bank_id=bank.id, material=material, valid_from=valid_from, rupiah_per_kg=rupiah_per_kg)
        session.add(row)
    row.rupiah_per_kg = rupiah_per_kg
    session.flush()
    return row


def prices(session: Session, bank_id: int) -> list[wastebank.Price]:
    return [
        wastebank.Price(p.material, p.valid_from, p.rupiah_per_kg)
        for p in session.scalars(select(LorongWastePrice).where(LorongWastePrice.bank_id == bank_id))
    ]


def open_account(
    session: Session,
    bank: LorongWasteBank,
    holder_name: str,
    phone: str = "",
    account_no: str | None = None,
    *,
    is_demo=False,
):
    if not (holder_name or "").strip():
        raise LorongError(N_("{name} is required"), field="holder_name", name="holder_name")
    if account_no is None:
        n = session.scalar(select(func.count()).where(LorongWasteAccount.bank_id == bank.id)) or 0
        account_no = f"{bank.code.upper()[:8]}-{n + 1:04d}"
    if session.scalar(
        select(LorongWasteAccount).where(
            LorongWasteAccount.bank_id == bank.id, LorongWasteAccount.account_no == account_no
        )
    ):
        raise LorongError(N_("Account {no} already exists"), field="account_no", status=409, no=account_no)
    acct = LorongWasteAccount(
        city_id=bank.city_id,
        bank_id=bank.id,
        account_no=account_no,
        holder_name=holder_name.strip(),
        phone=phone,
        is_demo=is_demo,
    )
    session.add(acct)
    session.flush()
    return acct


def get_account(session: Session, bank: LorongWasteBank, account_no: str) -> LorongWasteAccount:
    acct = session.scalar(
        select(LorongWasteAccount).where(
            LorongWasteAccount.bank_id == bank.id, LorongWasteAccount.account_no == account_no
        )
    )
    if acct is None:
        raise LorongError(N_("No account {no} at this bank"), field="account_no", status=404, no=account_no)
    return acct


def load_ledger(session: Session, bank_id: int) -> wastebank.Ledger:
    """The bank's ledger rebuilt from its stored transactions (checked on the way)."""
    txns = list(
        session.scalars(
            select(LorongWasteTransaction)
            .where(LorongWasteTransaction.bank_id == bank_id)
            .order_by(LorongWasteTransaction.id)
        )
    )
    postings: dict[int, list[wastebank.Posting]] = defaultdict(list)
    for p in session.scalars(select(LorongWastePosting).where(LorongWastePosting.bank_id == bank_id)):
        postings[p.transaction_pk].append(wastebank.Posting(p.account, p.amount))
    lines: dict[int, list[wastebank.DepositLine]] = defaultdict(list)
    ids = [t.id for t in txns]
    for chunk in range(0, len(ids), 900):
        for line in session.scalars(
            select(LorongWasteLine).where(LorongWasteLine.transaction_pk.in_(ids[chunk : chunk + 900]))
        ):
            lines[line.transaction_pk].append(wastebank.DepositLine(line.material, line.kg, line.rupiah_per_kg))
    return wastebank.Ledger(
        wastebank.Transaction(
            txn_id=str(t.id),
            kind=t.kind,
            postings=tuple(sorted(postings[t.id], key=lambda p: p.account)),
            at=t.at,
            idempotency_key=t.idempotency_key,
            memo=t.memo,
            lines=tuple(lines[t.id]),
        )
        for t in txns
    )


def _store(
    session: Session, bank: LorongWasteBank, txn: wastebank.Transaction, account: LorongWasteAccount | None, user_id
):
    row = session.scalar(
        select(LorongWasteTransaction).where(
            LorongWasteTransaction.bank_id == bank.id, LorongWasteTransaction.idempotency_key == txn.idempotency_key
        )
    )
    if row is not None:  # the same request again: nothing new
        return row, False
    row = LorongWasteTransaction(
        city_id=bank.city_id,
        bank_id=bank.id,
        account_pk=account.id if account else None,
        kind=txn.kind,
        idempotency_key=txn.idempotency_key,
        memo=txn.memo,
        at=txn.at,
        user_id=user_id,
    )
    session.add(row)
    session.flush()
    for p in txn.postings:
        session.add(LorongWastePosting(transaction_pk=row.id, bank_id=bank.id, account=p.account, amount=p.amount))
    for line in txn.lines:
        session.add(
            LorongWasteLine(
                transaction_pk=row.id,
                material=line.material,
                kg=line.kg,
                rupiah_per_kg=line.rupiah_per_kg,
                amount=line.amount,
            )
        )
    if account is not None:
        account.balance += txn.amount_to(wastebank.savings(account.account_no))
    bank.cash -= txn.amount_to(wastebank.CASH)
    session.flush()
    core_accounts.audit(
        session, bank.city_id, user_id, f"lorong.wastebank.{txn.kind}", bank.code, key=txn.idempotency_key
    )
    return row, True


def deposit(
    session, bank, account, items: list[tuple[str, float]], *, key: str, at: datetime | None = None, user_id=None
):
    """Weigh, price (the bank's prices of that day) and credit a deposit."""
    at = at or utcnow()
    city = must_get(session, City, bank.city_id)
    day = at.astimezone(ZoneInfo(city.timezone)).date()
    lines = wastebank.value_deposit(items, prices(session, bank.id), day)
    txn = load_ledger(session, bank.id).deposit(account.account_no, lines, key=key, at=at)
    return _store(session, bank, txn, account, user_id)


def withdraw(session, bank, account, amount: int, *, key: str, at: datetime | None = None, user_id=None):
    txn = load_ledger(session, bank.id).withdraw(account.account_no, amount, key=key, at=at or utcnow())
    return _store(session, bank, txn, account, user_id)


def sell(session, bank, amount: int, *, key: str, at: datetime | None = None, memo: str = "", user_id=None):
    txn = load_ledger(session, bank.id).sell(amount, key=key, at=at or utcnow(), memo=memo)
    return _store(session, bank, txn, None, user_id)


def add_capital(session, bank, amount: int, *, key: str, at: datetime | None = None, memo: str = "", user_id=None):
    txn = load_ledger(session, bank.id).add_capital(amount, key=key, at=at or utcnow(), memo=memo)
    return _store(session, bank, txn, None, user_id)


def current_month(session: Session, bank: LorongWasteBank, now: datetime | None = None) -> str:
    """This month (``YYYY-MM``) in the bank's city's time zone: in Makassar (UTC+8) the 1st starts at 16:00 UTC."""
    city = must_get(session, City, bank.city_id)
    return (now or utcnow()).astimezone(ZoneInfo(city.timezone)).strftime("%Y-%m")


def _month_bounds(city: City, month: str) -> tuple[datetime, datetime]:
    p = periods.parse(month, "month")
    tz = ZoneInfo(city.timezone)
    start = datetime(p.start.year, p.start.month, 1, tzinfo=tz).astimezone(UTC)
    nxt = p.next().start
    return start, datetime(nxt.year, nxt.month, 1, tzinfo=tz).astimezone(UTC)


def statement(session: Session, bank: LorongWasteBank, account: LorongWasteAccount, month: str) -> wastebank.Statement:
    """A resident's monthly statement."""
    start, end = _month_bounds(must_get(session, City, bank.city_id), month)
    return wastebank.statement(account.account_no, start, end, load_ledger(session, bank.id).transactions, month)


def month_totals(session: Session, bank: LorongWasteBank, month: str) -> dict[str, Any]:
    """A bank's month: kg per material, rupiah credited, residents who deposited, and the cash in the box."""
    start, end = _month_bounds(must_get(session, City, bank.city_id), month)
    kg: dict[str, float] = defaultdict(float)
    rupiah = 0
    for material, w, amount in session.execute(
        select(LorongWasteLine.material, LorongWasteLine.kg, LorongWasteLine.amount)
        .join(LorongWasteTransaction, LorongWasteTransaction.id == LorongWasteLine.transaction_pk)
        .where(
            LorongWasteTransaction.bank_id == bank.id,
            LorongWasteTransaction.at >= start,
            LorongWasteTransaction.at < end,
        )
    ):
        kg[material] += w
        rupiah += amount
    savers = session.scalar(
        select(func.count(func.distinct(LorongWasteTransaction.account_pk))).where(
            LorongWasteTransaction.bank_id == bank.id,
            LorongWasteTransaction.kind == "deposit",
            LorongWasteTransaction.at >= start,
            LorongWasteTransaction.at < end,
        )
    )
    return {
        "month": month,
        "kg": {m: round(v, 3) for m, v in sorted(kg.items())},
        "kg_total": round(sum(kg.values()), 3),
        "deposited": rupiah,
        "savers": int(savers or 0),
        "cash": bank.cash,
        "savings": int(
            session.scalar(
                select(func.coalesce(func.sum(LorongWasteAccount.balance), 0)).where(
                    LorongWasteAccount.bank_id == bank.id
                )
            )
            or 0
        ),
    }


def circular_values(session: Session, unit: LorongUnit, month: str) -> dict[str, float]:
    """The circular-economy indicator values of a lorong's month, from all its waste banks."""
    out = {code: 0.0 for code in CIRCULAR_INDICATORS.values()}
    banks = list(session.scalars(select(LorongWasteBank).where(LorongWasteBank.unit_id == unit.id)))
    for bank in banks:
        t = month_totals(session, bank, month)
        out[CIRCULAR_INDICATORS["kg"]] += t["kg_total"]
        out[CIRCULAR_INDICATORS["savers"]] += t["savers"]
        out[CIRCULAR_INDICATORS["rupiah"]] += t["deposited"]
    return out if banks else {}
