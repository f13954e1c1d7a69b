"""Fares in integer rupiah: started minutes, free minutes, credits, day passes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kotacerdas.bikes.demo import demo_plans
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import WIB, PricingPlan, Rental, local
from kotacerdas.bikes.pricing import (
    active_pass,
    billable_minutes,
    buy_day_pass,
    day_pass_comparison,
    rental_fare,
    ride_fare,
    started_minutes,
)

T0 = datetime(2025, 4, 14, 7, 0, tzinfo=WIB)
PLANS = {p.plan_id: p for p in demo_plans()}


def at(minutes: float) -> datetime:
    return T0 + timedelta(seconds=round(minutes * 60))


@pytest.mark.parametrize(
    ("minutes", "started"),
    [(0, 0), (1 / 60, 1), (1, 1), (1 + 1 / 60, 2), (10, 10), (10.5, 11), (59.99, 60)],
)
def test_started_minutes(minutes, started):
    assert started_minutes(T0, at(minutes)) == started


@pytest.mark.parametrize(
    ("plan", "minutes", "total"),
    [
        ("pay-classic", 5, 3000),  # within the free half hour
        ("pay-classic", 30, 3000),  # exactly 30 started minutes
        ("pay-classic", 30 + 1 / 60, 3250),  # 31st minute started
        ("pay-classic", 45, 3000 + 15 * 250),
        ("pay-ebike", 15, 5000),
        ("pay-ebike", 40, 5000 + 25 * 500),
        ("day-pass", 60, 0),
        ("day-pass", 75, 15 * 250),
    ],
)
def test_ride_fares(plan, minutes, total):
    fare = ride_fare(PLANS[plan], T0, at(minutes))
    assert fare.total == total
    assert isinstance(fare.total, int) and not isinstance(fare.total, bool)
    assert fare.total == fare.unlock_fee + fare.time_charge


def test_credit_minutes_are_free():
    plan = PLANS["pay-classic"]
    assert ride_fare(plan, T0, at(50), credit_minutes=15).total == 3000 + 5 * 250
    assert billable_minutes(T0, at(50), 30, 100) == 0


def test_invalid_inputs():
    with pytest.raises(BikesError):
        ride_fare(PLANS["pay-classic"], at(10), T0)
    with pytest.raises(BikesError):
        ride_fare(PLANS["pay-classic"], datetime(2025, 1, 1), datetime(2025, 1, 1, 1))
    with pytest.raises(BikesError):
        PricingPlan("x", local("x"), local("x"), unlock_fee=2500.0)  # type: ignore[arg-type]
    with pytest.raises(BikesError):
        PricingPlan("x", local("x"), local("x"), per_minute=-1)
    with pytest.raises(BikesError):
        PricingPlan("x", local("x"), local("x"), unlock_fee=True)  # type: ignore[arg-type]


def test_day_pass_validity_and_use():
    p = buy_day_pass(PLANS["day-pass"], "r1", "pass-1", T0)
    assert p.valid_until == T0 + timedelta(hours=24)
    assert active_pass([p], "r1", at(60 * 23.9)) == p
    assert active_pass([p], "r1", at(60 * 24)) is None
    assert active_pass([p], "r2", at(10)) is None
    with pytest.raises(BikesError):
        buy_day_pass(PLANS["pay-classic"], "r1", "pass-2", T0)
    rental = Rental("ren-1", "r1", "b1", "sritanjung", at(30), "pay-ebike")
    fare = rental_fare(rental, at(100), PLANS, [p])
    assert fare.pass_id == "pass-1" and fare.plan_id == "day-pass" and fare.total == 10 * 250
    # a ride starting after the pass expired pays its own plan
    late = Rental("ren-2", "r1", "b1", "sritanjung", at(60 * 25), "pay-classic")
    assert rental_fare(late, at(60 * 25 + 10), PLANS, [p]).total == 3000
    with pytest.raises(BikesError):
        rental_fare(Rental("ren-3", "r1", "b1", "x", T0, "nope"), at(5), PLANS)


def test_day_pass_comparison():
    payg, with_pass = day_pass_comparison([20, 20, 20, 45, 45], PLANS["pay-classic"], PLANS["day-pass"])
    assert payg == 5 * 3000 + 2 * 15 * 250
    assert with_pass == 15000
    assert day_pass_comparison([10], PLANS["pay-classic"], PLANS["day-pass"]) == (3000, 15000)
