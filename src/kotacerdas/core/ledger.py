"""The platform's one double-entry ledger: postings, balanced transactions, idempotency keys and sign rules.

Every movement of money in kotacerdas (a rider's wallet, a waste bank's savings) is a
:class:`Transaction` made of :class:`Posting` lines in integer rupiah, positive = money *into*
the account, that always sum to zero, so money is never created or lost inside the system. An
account's balance is the sum of its postings; nothing else is stored.

A domain names its accounts and their signs by subclassing :class:`Ledger`: ``SIGNS`` maps each
account kind to ``+1`` (the balance never goes below zero: what is held or owed to someone) or
``-1`` (never above zero: the mirror of money outside, or of a debt); ``OWNED`` lists the kinds
named ``kind:owner`` (``wallet:R123``), the other kinds are single accounts (``cash``). ``error``
is the domain's error type, so a caller catches what it always caught. The domain's named
operations (a top-up, a deposit) decide the postings and hand them to :meth:`Ledger.post`.

Every transaction carries an *idempotency key*: posting again with the same key and the same
content returns the first transaction (a request sent twice counts once); the same key with other
content is a conflict (409).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_


class LedgerError(KotacerdasError):
    """A refused movement of money (a domain ledger raises its own subclass of :class:`KotacerdasError`)."""


@dataclass(frozen=True)
class Posting:
    """One line of a transaction: ``amount`` rupiah into ``account`` (negative: out of it)."""

    account: str
    amount: int


@dataclass(frozen=True)
class Transaction:
    """A balanced set of postings with its kind, time, idempotency key and reference.

    ``lines`` holds what a domain keeps beside the money (the weighed materials of a waste-bank deposit).
    """

    txn_id: str
    kind: str
    postings: tuple[Posting, ...]
    at: datetime
    idempotency_key: str
    reference: str | None = None
    memo: str = ""
    lines: tuple[Any, ...] = ()

    def amount_to(self, account: str) -> int:
        """Net rupiah this transaction moved into ``account``."""
        return sum(p.amount for p in self.postings if p.account == account)


class Ledger:
    """An append-only double-entry ledger held in memory, rebuilt from stored transactions.

    Parameters
    ----------
    transactions:
        Earlier transactions to replay (checked again: each balances, no account crosses zero).
    """

    #: account kind -> +1 (never below zero) or -1 (never above zero)
    SIGNS: ClassVar[dict[str, int]] = {}
    #: the kinds whose accounts are named ``kind:owner``
    OWNED: ClassVar[frozenset[str]] = frozenset()
    error: ClassVar[type[KotacerdasError]] = LedgerError

    def __init__(self, transactions: Iterable[Transaction] = ()) -> None:
        self.transactions: list[Transaction] = []
        self._balances: dict[str, int] = defaultdict(int)
        self._by_key: dict[str, Transaction] = {}
        self._by_id: dict[str, Transaction] = {}
        for txn in transactions:
            self._apply(txn)

    # -- reading -----------------------------------------------------------
    @classmethod
    def account_kind(cls, account: str) -> str:
        """The kind of an account name (``wallet``, ``cash`` ...); refuses a name the ledger does not keep."""
        kind, sep, owner = account.partition(":")
        if kind not in cls.SIGNS or (kind in cls.OWNED) != bool(sep and owner):
            raise cls.error(N_("unknown ledger account {account}"), field="account", account=account)
        return kind

    def balance(self, account: str) -> int:
        """Sum of the postings of ``account`` (0 for an account never used)."""
        self.account_kind(account)
        return self._balances.get(account, 0)

    def accounts(self) -> dict[str, int]:
        """Every account used so far with its balance."""
        return dict(self._balances)

    def transaction(self, txn_id: str) -> Transaction:
        """The transaction with id ``txn_id`` (404 if unknown)."""
        if txn_id not in self._by_id:
            raise self.error(N_("unknown transaction {txn}"), field="txn_id", status=404, txn=txn_id)
        return self._by_id[txn_id]

    def earlier(self, idempotency_key: str) -> Transaction | None:
        """The transaction already posted with ``idempotency_key``, if any."""
        return self._by_key.get(idempotency_key)

    def entries(self, account: str) -> list[tuple[Transaction, int]]:
        """The transactions touching ``account`` with the amount each moved into it."""
        return [(t, t.amount_to(account)) for t in self.transactions if t.amount_to(account) != 0]

    def check(self) -> None:
        """Verify every invariant; raise on the first broken one.

        Each transaction sums to zero, all balances sum to zero, every account keeps its sign, and the
        balances held equal the sums of the postings.
        """
        recomputed: dict[str, int] = defaultdict(int)
        for txn in self.transactions:
            if sum(p.amount for p in txn.postings) != 0:
                raise self.error(N_("transaction {txn} does not balance"), record=txn.txn_id, txn=txn.txn_id)
            for p in txn.postings:
                recomputed[p.account] += p.amount
        if {k: v for k, v in recomputed.items() if v} != {k: v for k, v in self._balances.items() if v}:
            raise self.error(N_("stored balances differ from the sum of postings"))
        if sum(recomputed.values()) != 0:
            raise self.error(N_("the ledger does not balance"))
        for account, value in recomputed.items():
            self.check_sign(account, value)

    # -- writing -----------------------------------------------------------
    def post(
        self,
        kind: str,
        postings: Iterable[Posting],
        *,
        idempotency_key: str,
        at: datetime,
        reference: str | None = None,
        memo: str = "",
        txn_id: str | None = None,
        lines: Iterable[Any] = (),
    ) -> Transaction:
        """Append a balanced transaction (low level: a domain's named operations call it).

        Postings of the same account are merged and zero lines dropped. Returns the earlier transaction when
        ``idempotency_key`` was already used with the same content; refuses unbalanced postings, an amount that
        is not whole rupiah, an unknown account, an account that would cross zero, a time without its zone and
        a reused key with other content (409).
        """
        if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
            raise self.error(N_("{name} must be a date and time with a time zone"), field="at", name="at")
        merged: dict[str, int] = defaultdict(int)
        for p in postings:
            if isinstance(p.amount, bool) or not isinstance(p.amount, int):
                raise self.error(
                    N_("{name} must be a whole number of rupiah, not {value!r}"),
                    field="amount",
                    name="amount",
                    value=p.amount,
                )
            self.account_kind(p.account)
            merged[p.account] += p.amount
        flat = tuple(Posting(a, v) for a, v in sorted(merged.items()) if v != 0)
        if not idempotency_key:
            raise self.error(N_("an idempotency key is required"), field="idempotency_key")
        earlier = self._by_key.get(idempotency_key)
        if earlier is not None:
            if earlier.kind == kind and earlier.postings == flat and earlier.reference == reference:
                return earlier
            raise self.error(
                N_("idempotency key {key} was already used for another request"),
                field="idempotency_key",
                status=409,
                key=idempotency_key,
            )
        txn = Transaction(
            txn_id or f"T{len(self.transactions) + 1:09d}",
            kind,
            flat,
            at,
            idempotency_key,
            reference,
            memo,
            tuple(lines),
        )
        self._apply(txn)
        return txn

    def check_sign(self, account: str, value: int) -> None:
        """Refuse a balance that crosses zero the wrong way for its account's kind (409)."""
        if value * self.SIGNS[self.account_kind(account)] < 0:
            raise self.error(
                N_("account {account} would have the balance {balance}"),
                field="account",
                status=409,
                account=account,
                balance=value,
            )

    def _apply(self, txn: Transaction) -> None:
        if sum(p.amount for p in txn.postings) != 0:
            raise self.error(N_("transaction {txn} does not balance"), record=txn.txn_id, txn=txn.txn_id)
        if txn.txn_id in self._by_id:
            raise self.error(N_("duplicate transaction id {txn}"), status=409, txn=txn.txn_id)
        after = {p.account: self._balances.get(p.account, 0) + p.amount for p in txn.postings}
        for account, value in after.items():
            self.check_sign(account, value)
        self._balances.update(after)
        self.transactions.append(txn)
        self._by_id[txn.txn_id] = txn
        self._by_key[txn.idempotency_key] = txn
        self.applied(txn)

    def applied(self, txn: Transaction) -> None:
        """A domain's hook after a transaction is taken in (the bikes ledger counts refunds per charge)."""
