"""A rider storm through a real server: many riders (each their own account and token) renting and returning at once.

Shared by the availability test (``tests/bikes/api/test_concurrency.py``) and the bench (``bench/rider_storm.py``).
The system has one station holding every bike (``depot``) and one with room for all of them (``park``): a rider
rents any bike at ``depot`` and returns it at ``park``, so a burst of rents succeeds exactly once per bike, and
the money must add up afterwards (what was topped up = what the wallets hold + what the rides were charged).
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from kotacerdas.bikes.services import fleet, payments, plans, systems
from kotacerdas.bikes.services.stations import upsert_station
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeRental, BikeRider, BikeRow, BikeStation, BikeSystem, BikeVehicleType
from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope, utcnow
from kotacerdas.core.models import City, User

SYSTEM = "badai"
API = f"/api/v1/bikes/systems/{SYSTEM}"
BALANCE = 50_000
UNLOCK_FEE = 3000
#: A request not answered within this many seconds counts as not answered ("timeout").
ANSWER_S = 5.0


def make_system(engine: Engine, bikes: int, city: str = "35.10") -> None:
    """The storm's system: ``bikes`` classic bikes docked at ``depot``, and ``park`` with room for all of them."""
    with session_scope(engine) as s:
        c = s.scalar(select(City).where(City.code == city))
        if c is None:
            c = accounts.ensure_city(s, city, "Kabupaten Banyuwangi")
        system = systems.create_system(s, c, {"system_id": SYSTEM, "name": {"id": "Badai", "en": "Storm"}})
        for sid, lat, lon in (("depot", -8.2137, 114.3676), ("park", -8.2086, 114.3736)):
            upsert_station(
                s, system, {"station_id": sid, "name": sid.title(), "lat": lat, "lon": lon, "capacity": 1000}
            )
        s.add(
            BikeVehicleType(
                system_pk=system.id,
                vehicle_type_id="classic",
                name={"id": "Biasa", "en": "Classic"},
                default_pricing_plan_id="pay",
                pricing_plan_ids=["pay"],
            )
        )
        plan = {"plan_id": "pay", "name": "Sekali jalan", "unlock_fee": UNLOCK_FEE, "per_minute": 250}
        plans.upsert_plan(s, system, plan | {"free_minutes": 30})
    add_bikes(engine, bikes)


def add_bikes(engine: Engine, n: int, start: int = 0) -> None:
    """``n`` more bikes docked at ``depot``."""
    for k in range(start, start + n):
        fleet.add_bike(engine, SYSTEM, f"{SYSTEM}-{k:04d}", "classic", "depot")


def make_riders(engine: Engine, n: int, *, balance: int = BALANCE, tag: str = "badai") -> list[str]:
    """``n`` users, each with a rider account topped up with ``balance`` and a bearer token; their tokens."""
    with session_scope(engine) as s:
        system = s.scalar(select(BikeSystem).where(BikeSystem.system_id == SYSTEM))
        s.execute(
            insert(User),
            [
                {
                    "username": f"{tag}.{i:04d}",
                    "full_name": "",
                    "password_hash": "x",
                    "is_active": True,
                    "is_superuser": False,
                    "created_at": utcnow(),
                }
                for i in range(n)
            ],
        )
        users = list(s.scalars(select(User).where(User.username.like(f"{tag}.%")).order_by(User.id)))
        s.execute(
            insert(BikeRider),
            [
                {
                    "city_id": system.city_id,
                    "system_pk": system.id,
                    "rider_id": f"{tag}-{u.id}",
                    "user_id": u.id,
                    "name": "",
                    "language": "id",
                    "wallet": 0,
                    "debt": 0,
                    "is_demo": False,
                    "created_at": utcnow(),
                }
                for u in users
            ],
        )
        tokens = [accounts.issue_token(s, u, label="storm") for u in users]
    for u in users:
        payments.credit(engine, SYSTEM, f"{tag}-{u.id}", balance, idempotency_key=f"storm:{u.id}")
    return tokens


@dataclass
class Outcome:
    """What a storm got back: the status of every request (``timeout`` when none came) and its latency."""

    statuses: Counter = field(default_factory=Counter)
    by_kind: dict[str, Counter] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def record(self, kind: str, status: int | str, latency: float, body: str = "") -> None:
        self.statuses[status] += 1
        self.by_kind.setdefault(kind, Counter())[status] += 1
        self.latencies.append(latency)
        if status == "timeout" or (isinstance(status, int) and status >= 500 and status != 503):
            self.errors.append(f"{kind}: {status} {body[:300]}")

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def share(self, status: int | str) -> float:
        return self.statuses[status] / max(self.requests, 1)

    def quantile(self, q: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[round(q * 100) - 1]

    def merge(self, other: Outcome) -> None:
        self.statuses.update(other.statuses)
        for k, c in other.by_kind.items():
            self.by_kind.setdefault(k, Counter()).update(c)
        self.latencies += other.latencies
        self.errors += other.errors


@dataclass
class Caller:
    """One client of the storm: the shared connection pool, its own token, where its answers are counted."""

    client: httpx.Client
    token: str
    out: Outcome
    lock: threading.Lock

    def post(self, kind: str, path: str, body: dict) -> int | str:
        """POST ``body`` to ``path`` and count the answer under ``kind``; its status (``timeout`` when none came)."""
        t0 = time.perf_counter()
        try:
            r = self.client.post(path, json=body, headers={"Authorization": f"Bearer {self.token}"})
            status, text = r.status_code, r.text
            if status == 503 and not r.headers.get("retry-after"):
                status = "503 without Retry-After"
        except httpx.TimeoutException:
            status, text = "timeout", ""
        with self.lock:
            self.out.record(kind, status, time.perf_counter() - t0, text)
        return status


def rent(caller: Caller) -> int | str:
    """One rent of any bike at ``depot``; the status."""
    return caller.post("rent", f"{API}/me/rentals", {"station_id": "depot"})


def ride(caller: Caller) -> bool:
    """One ride: rent any bike at ``depot``, return it at ``park`` (True when both succeeded)."""
    if rent(caller) != 201:
        return False
    return caller.post("end", f"{API}/me/rentals/current/end", {"station_id": "park"}) == 200


def round_trip(caller: Caller) -> bool:
    """One ride that brings the bike back where it was: rent any bike at ``depot``, return it at ``depot``."""
    if rent(caller) != 201:
        return False
    return caller.post("end", f"{API}/me/rentals/current/end", {"station_id": "depot"}) == 200


def storm(
    base: str,
    tokens: list[str],
    action: Callable[[Caller], object] = ride,
    *,
    until: float | None = None,
    timeout: float = ANSWER_S,
) -> Outcome:
    """One thread per token, all released at once, each running ``action`` once (or in a loop until ``until``,
    a ``time.perf_counter()`` value); each thread has a connection of its own (one pool for all)."""
    out, lock = Outcome(), threading.Lock()
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))
    client = httpx.Client(base_url=base, timeout=timeout, limits=limits)
    barrier = threading.Barrier(len(tokens) + 1)

    def run(caller: Caller) -> None:
        barrier.wait()
        try:
            action(caller)
            while until is not None and time.perf_counter() < until:
                action(caller)
        except Exception as exc:  # anything but an answer is a failure of the storm: report it
            with lock:
                out.errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=run, args=(Caller(client, t, out, lock),), daemon=True) for t in tokens]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    out.seconds = time.perf_counter() - t0
    client.close()
    return out


def reconcile(engine: Engine, topped_up: int) -> list[str]:
    """Every invariant of the system (:func:`~kotacerdas.bikes.store.rows.check_invariants`) and the money:
    what was topped up equals what the wallets hold, less the debts, plus the fares of the ended rides."""
    with session_scope(engine) as s:
        system = st.get_system(s, SYSTEM)
        problems = st.check_invariants(s, system)
        wallets = int(
            s.scalar(select(func.coalesce(func.sum(BikeRider.wallet), 0)).where(BikeRider.system_pk == system.id))
        )
        debt = int(s.scalar(select(func.coalesce(func.sum(BikeRider.debt), 0)).where(BikeRider.system_pk == system.id)))
        ended = s.execute(
            select(func.count(), func.coalesce(func.sum(BikeRental.fare), 0)).where(
                BikeRental.system_pk == system.id, BikeRental.status == "ended"
            )
        ).one()
        active = s.scalar(select(func.count()).where(BikeRental.system_pk == system.id, BikeRental.status == "active"))
        rented = s.scalar(select(func.count()).where(BikeRow.system_pk == system.id, BikeRow.status == "rented"))
        docked = s.scalar(
            select(func.coalesce(func.sum(BikeStation.docked), 0)).where(BikeStation.system_pk == system.id)
        )
        bikes = s.scalar(select(func.count()).where(BikeRow.system_pk == system.id))
    charged = int(ended[1])  # a ride is charged when it ends (unlock fee + time)
    if wallets - debt + charged != topped_up:
        problems.append(
            f"money: topped up {topped_up} != wallets {wallets} - debt {debt} + charged {charged} "
            f"({ended[0]} ended rides, {active} active)"
        )
    if rented != active or docked + rented != bikes:
        problems.append(f"bikes: {bikes} bikes, {docked} docked, {rented} rented, {active} active rentals")
    return problems
