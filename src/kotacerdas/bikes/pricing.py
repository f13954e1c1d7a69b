"""Fares of rides and day passes, in integer rupiah.

Rule (the same one :mod:`kotacerdas.bikes.gbfs` publishes as ``per_min_pricing``
with ``start = free_minutes`` and ``interval = 1``):

* every *started* minute counts: a ride of 10 min 01 s lasts 11 minutes;
* the first ``free_minutes`` minutes and any ``credit_minutes`` granted to the
  ride (e.g. for being sent on from a full station) are free;
* ``fare = unlock_fee + per_minute * billable_minutes``.

A rider holding a valid day pass at the start of a ride pays the ride terms of
the pass plan instead (usually no unlock fee and a long free period). No floats
touch money: all arithmetic is on ``int``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import DayPass, PricingPlan, Rental, check_aware, check_money
from kotacerdas.core.i18n import N_


@dataclass(frozen=True)
class Fare:
    """The price of one ride, itemised.

    Attributes
    ----------
    plan_id, pass_id:
        The plan whose ride terms applied, and the day pass used (if any).
    minutes:
        Started minutes of the ride.
    billable_minutes:
        Minutes charged after free minutes and credits.
    unlock_fee, time_charge, total:
        Rupiah; ``total = unlock_fee + time_charge``.
    """

    plan_id: str
    minutes: int
    billable_minutes: int
    unlock_fee: int
    time_charge: int
    total: int
    pass_id: str | None = None


def started_minutes(start: datetime, end: datetime) -> int:
    """Number of started minutes between ``start`` and ``end`` (0 for a zero-length ride).

    Raises
    ------
    BikesError
        If ``end`` is before ``start`` or either is naive.
    """
    check_aware(start, "start_time")
    check_aware(end, "end_time")
    if end < start:
        raise BikesError(N_("the ride ends before it starts"), field="end_time")
    micros = (end - start) // timedelta(microseconds=1)
    return -(-micros // 60_000_000)


def billable_minutes(start: datetime, end: datetime, free_minutes: int = 0, credit_minutes: int = 0) -> int:
    """Started minutes of the ride less free minutes and credits, never below zero."""
    return max(0, started_minutes(start, end) - free_minutes - max(0, credit_minutes))


def ride_fare(
    plan: PricingPlan,
    start: datetime,
    end: datetime,
    *,
    credit_minutes: int = 0,
    pass_id: str | None = None,
) -> Fare:
    """Fare of one ride under ``plan``'s ride terms.

    Parameters
    ----------
    plan:
        The pricing plan (per-ride plan, or the day pass plan when riding on a pass).
    start, end:
        Aware datetimes of unlock and return.
    credit_minutes:
        Extra free minutes granted to this ride.
    pass_id:
        The day pass used, recorded on the fare.

    Returns
    -------
    Fare
    """
    minutes = started_minutes(start, end)
    billable = billable_minutes(start, end, plan.free_minutes, credit_minutes)
    unlock = check_money(plan.unlock_fee, "unlock_fee")
    time_charge = check_money(plan.per_minute, "per_minute") * billable
    return Fare(plan.plan_id, minutes, billable, unlock, time_charge, unlock + time_charge, pass_id)


def active_pass(passes: Iterable[DayPass], rider_id: str, at: datetime) -> DayPass | None:
    """The rider's day pass valid at ``at`` (the one ending last), or ``None``."""
    valid = [p for p in passes if p.rider_id == rider_id and p.covers(at)]
    return max(valid, key=lambda p: p.valid_until) if valid else None


def buy_day_pass(plan: PricingPlan, rider_id: str, pass_id: str, at: datetime) -> DayPass:
    """Issue a day pass of ``plan`` valid from ``at`` for ``plan.pass_valid_minutes``.

    Raises
    ------
    BikesError
        If ``plan`` is not a day pass plan.
    """
    check_aware(at, "purchased_at")
    if not plan.is_day_pass:
        raise BikesError(N_("plan {plan} is not a day pass"), field="plan_id", plan=plan.plan_id)
    return DayPass(pass_id, rider_id, plan.plan_id, at, at + timedelta(minutes=plan.pass_valid_minutes))


def rental_fare(
    rental: Rental,
    end: datetime,
    plans: Mapping[str, PricingPlan],
    passes: Iterable[DayPass] = (),
) -> Fare:
    """Fare of a rental ending at ``end``.

    A day pass valid at the rental's start (``rental.pass_id`` if set, else any
    of the rider's ``passes``) replaces the rental's own plan.

    Raises
    ------
    BikesError
        If a plan id is unknown (status 404).
    """
    passes = list(passes)
    chosen: DayPass | None = None
    if rental.pass_id is not None:
        chosen = next((p for p in passes if p.pass_id == rental.pass_id), None)
    if chosen is None:
        chosen = active_pass(passes, rental.rider_id, rental.start_time)
    plan_id = chosen.plan_id if chosen else rental.plan_id
    if plan_id not in plans:
        raise BikesError(N_("unknown pricing plan {plan}"), field="plan_id", status=404, plan=plan_id)
    return ride_fare(
        plans[plan_id],
        rental.start_time,
        end,
        credit_minutes=rental.credit_minutes,
        pass_id=chosen.pass_id if chosen else None,
    )


def day_pass_comparison(ride_minutes: Sequence[int], per_ride: PricingPlan, day_pass: PricingPlan) -> tuple[int, int]:
    """What a day of rides costs without and with a day pass.

    Parameters
    ----------
    ride_minutes:
        Started minutes of each planned ride.
    per_ride, day_pass:
        The pay-as-you-go plan and the day pass plan.

    Returns
    -------
    (int, int)
        ``(pay_as_you_go_total, day_pass_total)`` in rupiah; the pass total
        includes the pass price.
    """
    if not day_pass.is_day_pass:
        raise BikesError(N_("plan {plan} is not a day pass"), field="plan_id", plan=day_pass.plan_id)

    def cost(plan: PricingPlan, minutes: int) -> int:
        return plan.unlock_fee + plan.per_minute * max(0, minutes - plan.free_minutes)

    payg = sum(cost(per_ride, m) for m in ride_minutes)
    with_pass = int(day_pass.day_pass_price or 0) + sum(cost(day_pass, m) for m in ride_minutes)
    return payg, with_pass
