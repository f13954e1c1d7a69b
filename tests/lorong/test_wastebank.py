"""The waste bank's double-entry ledger: deposits at the price of the day, withdrawals, sales, statements."""

from datetime import UTC, date, datetime

import pytest

from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.wastebank import (
    CASH,
    PURCHASES,
    Ledger,
    Price,
    savings,
    statement,
    value_deposit,
)

PRICES = [
    Price("pet", date(2025, 1, 1), 3000),
    Price("pet", date(2025, 3, 1), 3500),
    Price("kardus", date(2025, 1, 1), 1500),
]


def at(month: int, day: int = 5) -> datetime:
    return datetime(2025, month, day, 9, tzinfo=UTC)


def test_a_deposit_is_valued_at_the_price_of_its_day():
    feb = value_deposit([("pet", 2.0), ("kardus", 1.5)], PRICES, date(2025, 2, 20))
    mar = value_deposit([("pet", 2.0)], PRICES, date(2025, 3, 1))
    assert [(line.rupiah_per_kg, line.amount) for line in feb] == [(3000, 6000), (1500, 2250)]
    assert mar[0].amount == 7000


def test_bad_deposits_are_refused():
    with pytest.raises(LorongError, match="Unknown material"):
        value_deposit([("uranium", 1)], PRICES, date(2025, 2, 1))
    with pytest.raises(LorongError, match="between 0 and 10,000"):
        value_deposit([("pet", -1)], PRICES, date(2025, 2, 1))
    with pytest.raises(LorongError, match="no price"):
        value_deposit([("pet", 1)], PRICES, date(2024, 12, 31))


def test_money_is_never_created_and_rules_hold():
    led = Ledger()
    led.add_capital(10_000, key="cap", at=at(1))
    led.deposit("A-1", value_deposit([("pet", 2)], PRICES, date(2025, 1, 5)), key="d1", at=at(1))
    assert led.balance(savings("A-1")) == 6000 and led.balance(PURCHASES) == -6000
    led.withdraw("A-1", 4000, key="w1", at=at(1, 20))
    assert led.balance(savings("A-1")) == 2000 and led.cash_in_box() == 6000
    with pytest.raises(LorongError, match="Insufficient savings"):
        led.withdraw("A-1", 2001, key="w2", at=at(1, 21))
    led.deposit("B-1", value_deposit([("pet", 10)], PRICES, date(2025, 1, 6)), key="d2", at=at(1, 6))
    with pytest.raises(LorongError, match="Not enough cash"):
        led.withdraw("B-1", 30_000, key="w3", at=at(1, 22))
    led.sell(50_000, key="s1", at=at(1, 25))
    led.withdraw("B-1", 30_000, key="w3", at=at(1, 26))
    led.check()
    assert sum(led.balance(a) for a in (savings("A-1"), savings("B-1"), PURCHASES, CASH, "sales", "capital")) == 0


def test_idempotency_keys():
    led = Ledger()
    lines = value_deposit([("pet", 1)], PRICES, date(2025, 1, 5))
    first = led.deposit("A-1", lines, key="same", at=at(1))
    again = led.deposit("A-1", lines, key="same", at=at(1))
    assert again is first and len(led.transactions) == 1
    with pytest.raises(LorongError) as exc:
        led.deposit("A-1", value_deposit([("pet", 2)], PRICES, date(2025, 1, 5)), key="same", at=at(1))
    assert exc.value.status == 409


def test_times_need_a_zone():
    with pytest.raises(LorongError, match="time zone"):
        Ledger().add_capital(1, key="k", at=datetime(2025, 1, 1))


def test_monthly_statement():
    led = Ledger()
    led.add_capital(100_000, key="cap", at=at(1))
    led.deposit("A-1", value_deposit([("pet", 1)], PRICES, date(2025, 1, 5)), key="d1", at=at(1))
    led.deposit("A-1", value_deposit([("pet", 2)], PRICES, date(2025, 3, 5)), key="d2", at=at(3))
    led.withdraw("A-1", 5000, key="w1", at=at(3, 20))
    st = statement("A-1", at(3, 1).replace(hour=0), at(4, 1).replace(hour=0), led.transactions, "2025-03")
    assert (st.opening, st.deposited, st.withdrawn, st.closing, st.kg) == (3000, 7000, 5000, 5000, 2.0)
    assert [ln.balance for ln in st.lines] == [10_000, 5000]
