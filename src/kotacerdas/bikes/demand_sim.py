"""Simulate a day of bike-share demand minute by minute, with or without rebalancing.

A :class:`DemandProfile` says how many riders want a bike at each station in
each hour (separately for working days and for weekends/public holidays),
where they ride to and how long it takes. It is estimated from a trip history
(:func:`profile_from_trips`) or generated (:func:`kotacerdas.bikes.demo.demo_profile`).

:func:`sample_demand` draws one day of ride requests (Poisson arrivals per
station-minute); :func:`simulate_day` plays them against the docks: a request
at an empty station is lost, a return to a full station rides on to the
nearest station with a free dock. Drawing the requests once and simulating
twice (common random numbers) compares "no rebalancing" with "rebalancing"
on exactly the same riders.

Measured: *empty station-minutes* (a station with no bike) and *full
station-minutes* (no free dock) during operating hours, lost requests and
redirected returns.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, tzinfo

import numpy as np

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import WIB, Station, Trip
from kotacerdas.core.geometry import distance_m
from kotacerdas.core.i18n import N_

WORKDAY, RESTDAY = 0, 1


def day_kind(day: date, holiday_dates: Iterable[date] = ()) -> int:
    """``RESTDAY`` for Saturdays, Sundays and listed public holidays, else ``WORKDAY``."""
    return RESTDAY if day.weekday() >= 5 or day in set(holiday_dates) else WORKDAY


@dataclass
class DemandProfile:
    """Hourly demand of a station network.

    Attributes
    ----------
    station_ids:
        Order of the station axis.
    pickup_rate:
        ``[2, 24, S]`` expected ride requests per hour (workday, rest day).
    dest_prob:
        ``[2, 24, S, S]`` probability of each destination given the origin (rows sum to 1).
    ride_minutes:
        ``[S, S]`` typical ride duration in minutes.
    """

    station_ids: tuple[str, ...]
    pickup_rate: np.ndarray
    dest_prob: np.ndarray
    ride_minutes: np.ndarray

    def __post_init__(self) -> None:
        s = len(self.station_ids)
        if (
            self.pickup_rate.shape != (2, 24, s)
            or self.dest_prob.shape != (2, 24, s, s)
            or (self.ride_minutes.shape != (s, s))
        ):
            raise BikesError(N_("demand arrays do not match {n} stations"), field="profile", n=s)


@dataclass(frozen=True)
class Request:
    """One rider wanting a bike: minute of the day, origin, destination, ride minutes (indices)."""

    minute: int
    origin: int
    dest: int
    ride_minutes: int


@dataclass(frozen=True)
class Move:
    """A truck stop: at ``minute`` add ``delta`` bikes at a station (negative: take bikes)."""

    minute: int
    station_id: str
    delta: int
    truck_id: str = "truck-1"


@dataclass
class SimResult:
    """What happened during one simulated day."""

    empty_minutes: int
    full_minutes: int
    lost_requests: int
    redirected_returns: int
    rides: int
    bikes_moved: int
    final_inventory: dict[str, int]
    empty_by_station: dict[str, int] = field(default_factory=dict)
    full_by_station: dict[str, int] = field(default_factory=dict)

    @property
    def problem_minutes(self) -> int:
        """Empty plus full station-minutes."""
        return self.empty_minutes + self.full_minutes


Policy = Callable[[int, dict[str, int]], Sequence[Move]]
"""Called at chosen minutes with the current inventory; returns moves to schedule."""


def profile_from_trips(
    trips: Iterable[Trip],
    station_ids: Sequence[str],
    *,
    holiday_dates: Iterable[date] = (),
    tz: tzinfo = WIB,
    prior_trips: float = 0.5,
) -> DemandProfile:
    """Estimate a demand profile from trip history.

    Rates are average requests per hour over the days of each kind; the
    destination choice is smoothed towards uniform with ``prior_trips``
    pseudo-trips per origin-hour; ride minutes are medians per pair (an
    average of all rides where a pair has none).
    """
    idx = {s: i for i, s in enumerate(station_ids)}
    n = len(station_ids)
    holidays_ = set(holiday_dates)
    counts = np.zeros((2, 24, n))
    dest = np.zeros((2, 24, n, n))
    durations: dict[tuple[int, int], list[float]] = defaultdict(list)
    days: set[date] = set()
    for t in trips:
        if t.start_station_id not in idx or t.end_station_id not in idx:
            continue
        start = t.start_time.astimezone(tz)
        days.add(start.date())
        k = day_kind(start.date(), holidays_)
        o, d = idx[t.start_station_id], idx[t.end_station_id]
        counts[k, start.hour, o] += 1
        dest[k, start.hour, o, d] += 1
        durations[(o, d)].append(t.duration_s / 60.0)
    if not days:
        raise BikesError(N_("the trip history is empty"), field="trips")
    span = (min(days), max(days))
    n_days = np.zeros(2)
    d0 = span[0]
    while d0 <= span[1]:
        n_days[day_kind(d0, holidays_)] += 1
        d0 = date.fromordinal(d0.toordinal() + 1)
    rate = counts / np.maximum(n_days, 1)[:, None, None]
    probs = (dest + prior_trips / n) / (dest.sum(axis=3, keepdims=True) + prior_trips)
    overall = float(np.median([m for v in durations.values() for m in v])) if durations else 15.0
    minutes = np.full((n, n), overall)
    for (o, d), v in durations.items():
        minutes[o, d] = float(np.median(v))
    return DemandProfile(tuple(station_ids), rate, probs, minutes)


def sample_demand(
    profile: DemandProfile,
    kind: int,
    seed: int,
    *,
    scale: float = 1.0,
    hour_factor: Sequence[float] | None = None,
) -> list[Request]:
    """Draw one day of ride requests (Poisson per station and minute).

    Parameters
    ----------
    kind:
        ``WORKDAY`` or ``RESTDAY``.
    scale:
        Multiplies every rate (a busier or quieter day).
    hour_factor:
        Optional 24 factors (e.g. rain in some hours).
    """
    rng = np.random.default_rng(seed)
    n = len(profile.station_ids)
    out: list[Request] = []
    for h in range(24):
        f = scale * (hour_factor[h] if hour_factor is not None else 1.0)
        lam = profile.pickup_rate[kind, h] * f
        for o in range(n):
            k = int(rng.poisson(lam[o]))
            if k == 0:
                continue
            minutes = np.sort(rng.integers(0, 60, size=k))
            dests = rng.choice(n, size=k, p=profile.dest_prob[kind, h, o])
            noise = rng.lognormal(0.0, 0.25, size=k)
            for m, d, z in zip(minutes, dests, noise, strict=True):
                ride = max(2, int(round(profile.ride_minutes[o, d] * z)))
                out.append(Request(h * 60 + int(m), o, int(d), ride))
    out.sort(key=lambda r: (r.minute, r.origin, r.dest))
    return out


def simulate_day(  # noqa: C901 (complexity baseline: split when next changed)
    requests: Sequence[Request],
    stations: Sequence[Station],
    initial: Mapping[str, int],
    *,
    moves: Sequence[Move] = (),
    policy: Policy | None = None,
    policy_minutes: Sequence[int] = (),
    operating_hours: tuple[int, int] = (5, 22),
    speed_kmh: float = 12.0,
) -> SimResult:
    """Play one day of requests against the docks, minute by minute.

    Parameters
    ----------
    requests:
        From :func:`sample_demand`; station indices follow ``stations``.
    initial:
        Bikes docked per station at midnight.
    moves:
        Truck stops known in advance (a plan made the night before).
    policy, policy_minutes:
        A rebalancing policy called at these minutes with the live inventory;
        its moves are added to the schedule.
    operating_hours:
        Empty/full minutes are counted from the first hour to the second.
    speed_kmh:
        Cycling speed for the detour of a redirected return.

    Returns
    -------
    SimResult
    """
    n = len(stations)
    ids = [s.station_id for s in stations]
    cap = np.array([s.usable_docks for s in stations])
    inv = np.array([int(initial.get(s, 0)) for s in ids])
    if (inv < 0).any() or (inv > cap).any():
        raise BikesError(N_("the initial bikes do not fit the stations"), field="initial")
    pos = {s: i for i, s in enumerate(ids)}
    lon1, lon2 = np.meshgrid([s.lon for s in stations], [s.lon for s in stations], indexing="ij")
    lat1, lat2 = np.meshgrid([s.lat for s in stations], [s.lat for s in stations], indexing="ij")
    dist = np.asarray(distance_m(lon1, lat1, lon2, lat2))
    schedule: dict[int, list[Move]] = defaultdict(list)
    for mv in moves:
        schedule[mv.minute].append(mv)
    arrivals: dict[int, list[int]] = defaultdict(list)
    by_minute: dict[int, list[Request]] = defaultdict(list)
    for r in requests:
        by_minute[r.minute].append(r)
    load: dict[str, int] = defaultdict(int)
    lost = redirected = rides = moved = 0
    empty = np.zeros(n, dtype=int)
    full = np.zeros(n, dtype=int)
    lo, hi = operating_hours[0] * 60, operating_hours[1] * 60
    calls = set(policy_minutes)
    horizon = 24 * 60
    minute = 0
    while minute < horizon or any(m >= minute for m in arrivals):
        if policy is not None and minute in calls:
            for mv in policy(minute, {s: int(inv[i]) for i, s in enumerate(ids)}):
                schedule[max(mv.minute, minute)].append(mv)
        for mv in schedule.pop(minute, []):
            i = pos[mv.station_id]
            if mv.delta < 0:
                take = min(-mv.delta, int(inv[i]))
                inv[i] -= take
                load[mv.truck_id] += take
                moved += take
            else:
                drop = min(mv.delta, load[mv.truck_id], int(cap[i] - inv[i]))
                inv[i] += drop
                load[mv.truck_id] -= drop
        for d in arrivals.pop(minute, []):
            if inv[d] < cap[d]:
                inv[d] += 1
                continue
            redirected += 1
            order = np.argsort(dist[d])
            alt = next((int(j) for j in order if inv[j] < cap[j]), None)
            if alt is None:
                arrivals[minute + 5].append(d)
            else:
                extra = max(1, math.ceil(dist[d, alt] / (speed_kmh * 1000 / 60)))
                arrivals[minute + extra].append(alt)
        for r in by_minute.get(minute, []):
            if inv[r.origin] > 0:
                inv[r.origin] -= 1
                rides += 1
                arrivals[minute + r.ride_minutes].append(r.dest)
            else:
                lost += 1
        if lo <= minute < hi:
            empty += inv == 0
            full += inv >= cap
        minute += 1
        if minute > 3 * horizon:
            break
    for truck, bikes in load.items():  # a truck ending with bikes drops them at the fullest-space station
        while bikes > 0:
            j = int(np.argmax(cap - inv))
            if cap[j] - inv[j] <= 0:
                break
            put = min(bikes, int(cap[j] - inv[j]))
            inv[j] += put
            bikes -= put
        load[truck] = bikes
    return SimResult(
        int(empty.sum()),
        int(full.sum()),
        lost,
        redirected,
        rides,
        moved,
        {s: int(inv[i]) for i, s in enumerate(ids)},
        {s: int(empty[i]) for i, s in enumerate(ids)},
        {s: int(full[i]) for i, s in enumerate(ids)},
    )


def expected_net_flow(profile: DemandProfile, kind: int, hour_factor: Sequence[float] | None = None) -> np.ndarray:
    """``[24, S]`` expected returns minus pickups per hour (returns placed in the hour of departure)."""
    f = np.ones(24) if hour_factor is None else np.asarray(hour_factor, dtype=float)
    pick = profile.pickup_rate[kind] * f[:, None]
    ret = np.einsum("ho,hod->hd", pick, profile.dest_prob[kind])
    return ret - pick
