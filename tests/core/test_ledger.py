"""The platform's one double-entry ledger: sign rules, account names, idempotency, replay and the domain's error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kotacerdas.core import ledger
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.ledger import Posting

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


class TillError(KotacerdasError):
    """A domain's own error type."""


class Till(ledger.Ledger):
    """A small domain ledger: customers' credit (owned, never below zero) against a till (never above zero)."""

    SIGNS = {"credit": 1, "till": -1}
    OWNED = frozenset({"credit"})
    error = TillError


def _pay_in(led: Till, who: str, amount: int, key: str) -> ledger.Transaction:
    return led.post("pay-in", [Posting("till", -amount), Posting(f"credit:{who}", amount)], idempotency_key=key, at=T0)


def test_postings_are_merged_balanced_and_kept_per_account():
    led = Till()
    txn = led.post(
        "pay-in",
        [Posting("till", -300), Posting("credit:a", 100), Posting("credit:a", 200), Posting("credit:b", 0)],
        idempotency_key="k1",
        at=T0,
    )
    assert txn.postings == (Posting("credit:a", 300), Posting("till", -300))
    assert led.balance("credit:a") == 300 and led.balance("credit:b") == 0 and led.balance("till") == -300
    assert led.entries("credit:a") == [(txn, 300)] and led.transaction(txn.txn_id) is txn
    led.check()


def test_the_same_key_counts_once_and_other_content_under_it_is_a_conflict():
    led = Till()
    first = _pay_in(led, "a", 500, "k1")
    assert _pay_in(led, "a", 500, "k1") is first and len(led.transactions) == 1
    with pytest.raises(TillError) as caught:
        _pay_in(led, "a", 600, "k1")
    assert caught.value.status == 409 and led.balance("credit:a") == 500


@pytest.mark.parametrize(
    ("postings", "why"),
    [
        ([Posting("till", -10)], "does not balance"),
        ([Posting("till", 200), Posting("credit:a", -200)], "would have the balance"),
        ([Posting("till", -1.5), Posting("credit:a", 1.5)], "whole number of rupiah"),
        ([Posting("till", -1), Posting("bank:a", 1)], "unknown ledger account"),
        ([Posting("till:x", -1), Posting("credit:a", 1)], "unknown ledger account"),
        ([Posting("till", -1), Posting("credit", 1)], "unknown ledger account"),
    ],
)
def test_a_refused_movement_raises_the_domain_error_and_changes_nothing(postings, why):
    led = Till()
    _pay_in(led, "a", 100, "k0")
    with pytest.raises(TillError, match=why):
        led.post("x", postings, idempotency_key="k1", at=T0)
    assert led.accounts() == {"credit:a": 100, "till": -100} and len(led.transactions) == 1


def test_a_time_without_its_zone_and_a_missing_key_are_refused():
    with pytest.raises(TillError, match="time zone"):
        Till().post("x", [], idempotency_key="k", at=datetime(2026, 12, 1, 8, 0))
    with pytest.raises(TillError, match="idempotency key"):
        Till().post("x", [], idempotency_key="", at=T0)


def test_replay_rebuilds_the_balances_and_refuses_a_broken_history():
    led = Till()
    _pay_in(led, "a", 100, "k1")
    _pay_in(led, "b", 250, "k2")
    again = Till(led.transactions)
    assert again.accounts() == led.accounts()
    again.check()
    overdrawn = ledger.Transaction("T9", "refund", (Posting("credit:a", -200), Posting("till", 200)), T0, "k9")
    with pytest.raises(TillError, match="would have the balance"):
        Till([*led.transactions, overdrawn])
    with pytest.raises(TillError, match="duplicate transaction id"):
        Till([led.transactions[0], led.transactions[0]])
