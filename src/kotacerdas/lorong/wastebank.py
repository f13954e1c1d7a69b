"""The waste bank (bank sampah): materials, price lists over time, savings as a double-entry ledger, statements.

Residents bring sorted recyclables; the bank weighs them per material, values them at its
price list *of that day* (prices change over time) and credits the value to the resident's
savings account; residents later withdraw cash. The bank sells what it collected to
collectors (pengepul) and pays withdrawals from its cash box.

Accounting is the platform's one double-entry ledger (:mod:`kotacerdas.core.ledger`, as for
the bike-share wallets): every movement is a :class:`Transaction` of :class:`Posting` lines in
integer rupiah, positive = into the account, that sum to zero; an account's balance is the sum
of its postings. Accounts of one bank:

================  ================================================  =========
account           holds                                             balance
================  ================================================  =========
``savings:<no>``  what the bank owes resident account ``<no>``      >= 0
``purchases``     minus the value of recyclables bought             <= 0
``cash``          minus the money in the cash box                   <= 0
``sales``         money earned selling recyclables to collectors    >= 0
``capital``       money the community put into the cash box         >= 0
================  ================================================  =========

Operations: :meth:`Ledger.deposit` (purchases -> savings), :meth:`Ledger.withdraw`
(savings -> cash paid out; never more than the savings or the cash in the box),
:meth:`Ledger.sell` (cash received -> sales), :meth:`Ledger.add_capital`. Each takes an
idempotency key: the same key with the same content returns the first transaction, with
other content it is refused (409), so a deposit sent twice from a phone counts once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from kotacerdas.core import ledger as journal
from kotacerdas.core.i18n import N_
from kotacerdas.core.ledger import Posting, Transaction
from kotacerdas.lorong.errors import LorongError

#: Material code -> (Bahasa Indonesia, English). A bank prices the materials it accepts.
MATERIALS: dict[str, tuple[str, str]] = {
    "pet": ("Botol plastik PET", "PET plastic bottles"),
    "hdpe": ("Plastik HDPE (galon, jeriken)", "HDPE plastic (jugs, jerrycans)"),
    "plastik-campur": ("Plastik campur", "Mixed plastic"),
    "kardus": ("Kardus", "Cardboard"),
    "kertas": ("Kertas dan koran", "Paper and newspaper"),
    "aluminium": ("Kaleng aluminium", "Aluminium cans"),
    "besi": ("Besi dan logam", "Iron and scrap metal"),
    "kaca": ("Botol kaca", "Glass bottles"),
    "minyak-jelantah": ("Minyak jelantah", "Used cooking oil"),
}
ACCOUNT_KINDS = {"savings": 1, "purchases": -1, "cash": -1, "sales": 1, "capital": 1}
PURCHASES, CASH, SALES, CAPITAL = "purchases", "cash", "sales", "capital"


def savings(account_no: str) -> str:
    """The ledger account of a resident's savings."""
    return f"savings:{account_no}"


def account_kind(account: str) -> str:
    """The kind of an account name (``savings``, ``cash`` ...); raises for an account a bank does not keep."""
    return Ledger.account_kind(account)


def check_material(code: str) -> str:
    if code not in MATERIALS:
        raise LorongError(
            N_("Unknown material {value}; materials are: {materials}"),
            field="material",
            value=code,
            materials=", ".join(MATERIALS),
        )
    return code


def check_rupiah(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise LorongError(N_("{name} must be a whole number of rupiah"), field=name, name=name)
    if value <= 0:
        raise LorongError(N_("{name} must be more than zero"), field=name, name=name)
    return value


@dataclass(frozen=True)
class Price:
    """The price per kilogram of a material from ``valid_from`` on (until a newer price of the same material)."""

    material: str
    valid_from: date
    rupiah_per_kg: int


def price_on(prices: Iterable[Price], material: str, day: date) -> Price:
    """The price of ``material`` in force on ``day``: the newest one that started on or before it."""
    found = [p for p in prices if p.material == material and p.valid_from <= day]
    if not found:
        raise LorongError(
            N_("The bank has no price for {material} on {day}"),
            field="material",
            material=material,
            day=day.isoformat(),
        )
    return max(found, key=lambda p: p.valid_from)


@dataclass(frozen=True)
class DepositLine:
    """One material of a deposit: its weight and the price it was valued at."""

    material: str
    kg: float
    rupiah_per_kg: int

    @property
    def amount(self) -> int:
        return round(self.kg * self.rupiah_per_kg)


def value_deposit(items: Sequence[tuple[str, float]], prices: Iterable[Price], day: date) -> list[DepositLine]:
    """Weigh and price a deposit: ``(material, kg)`` pairs at the prices in force on ``day``."""
    if not items:
        raise LorongError(N_("A deposit needs at least one material"), field="items")
    prices = list(prices)
    lines = []
    for i, (material, kg) in enumerate(items):
        check_material(material)
        if not isinstance(kg, int | float) or isinstance(kg, bool) or not kg > 0 or kg > 10_000:
            raise LorongError(N_("A weight must be between 0 and 10,000 kg"), field=f"items.{i}.kg", record=i + 1)
        lines.append(DepositLine(material, float(kg), price_on(prices, material, day).rupiah_per_kg))
    return lines


class Ledger(journal.Ledger):
    """One bank's money: the platform's double-entry ledger with the waste-bank accounts, rebuilt from stored
    transactions."""

    SIGNS = ACCOUNT_KINDS
    OWNED = frozenset({"savings"})
    error = LorongError

    def cash_in_box(self) -> int:
        """Rupiah in the cash box."""
        return -self._balances.get(CASH, 0)

    def deposit(self, account_no: str, lines: Sequence[DepositLine], *, key: str, at: datetime) -> Transaction:
        """Credit a resident with the value of the recyclables they brought."""
        amount = sum(line.amount for line in lines)
        if amount <= 0:
            raise LorongError(N_("{name} must be more than zero"), field="items", name="amount")
        postings = [Posting(savings(account_no), amount), Posting(PURCHASES, -amount)]
        return self.post("deposit", postings, idempotency_key=key, at=at, lines=lines)

    def withdraw(self, account_no: str, amount: int, *, key: str, at: datetime) -> Transaction:
        """Pay a resident cash from their savings."""
        amount = check_rupiah(amount, "amount")
        if self.earlier(key) is None:
            have = self.balance(savings(account_no))
            if amount > have:
                raise LorongError(
                    N_("Insufficient savings: {balance} rupiah saved, {amount} rupiah asked"),
                    field="amount",
                    status=409,
                    balance=have,
                    amount=amount,
                )
            if amount > self.cash_in_box():
                raise LorongError(
                    N_("Not enough cash in the box: {cash} rupiah, {amount} rupiah asked"),
                    field="amount",
                    status=409,
                    cash=self.cash_in_box(),
                    amount=amount,
                )
        postings = [Posting(savings(account_no), -amount), Posting(CASH, amount)]
        return self.post("withdrawal", postings, idempotency_key=key, at=at)

    def sell(self, amount: int, *, key: str, at: datetime, memo: str = "") -> Transaction:
        """Record cash received from a collector for sorted recyclables."""
        amount = check_rupiah(amount, "amount")
        postings = [Posting(CASH, -amount), Posting(SALES, amount)]
        return self.post("sale", postings, idempotency_key=key, at=at, memo=memo)

    def add_capital(self, amount: int, *, key: str, at: datetime, memo: str = "") -> Transaction:
        """Record money the community put into the cash box."""
        amount = check_rupiah(amount, "amount")
        postings = [Posting(CASH, -amount), Posting(CAPITAL, amount)]
        return self.post("capital", postings, idempotency_key=key, at=at, memo=memo)


@dataclass(frozen=True)
class StatementLine:
    """One movement of a resident's monthly statement."""

    at: datetime
    kind: str
    amount: int
    balance: int
    lines: tuple[DepositLine, ...] = ()


@dataclass(frozen=True)
class Statement:
    """A resident's month: opening balance, every movement, totals and closing balance."""

    account_no: str
    month: str
    opening: int
    lines: tuple[StatementLine, ...]
    deposited: int
    withdrawn: int
    kg: float
    closing: int


def statement(account_no: str, month_start: datetime, month_end: datetime, txns: Iterable[Transaction], month: str):
    """The statement of ``account_no`` between ``month_start`` (inclusive) and ``month_end`` (exclusive)."""
    acct = savings(account_no)
    ordered = sorted((t for t in txns if t.amount_to(acct)), key=lambda t: t.at)
    opening = sum(t.amount_to(acct) for t in ordered if t.at < month_start)
    balance, out, dep, wd, kg = opening, [], 0, 0, 0.0
    for t in ordered:
        if not month_start <= t.at < month_end:
            continue
        amount = t.amount_to(acct)
        balance += amount
        dep += max(amount, 0)
        wd += max(-amount, 0)
        kg += sum(line.kg for line in t.lines)
        out.append(StatementLine(t.at, t.kind, amount, balance, t.lines))
    return Statement(account_no, month, opening, tuple(out), dep, wd, round(kg, 3), balance)
