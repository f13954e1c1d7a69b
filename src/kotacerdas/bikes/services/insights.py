"""Figures for operators: the dashboard, the trip history, demand forecasts and rebalancing plans.

Read-only. The forecast fits :func:`kotacerdas.bikes.forecast.fit_forecaster` on the stored
trips (ended rentals and imported history) of the last weeks; the rebalancing plan turns
the forecast net flow into station needs (:func:`~kotacerdas.bikes.rebalancing.station_needs`)
and routes vans with :func:`~kotacerdas.bikes.rebalancing.plan_routes`. Distances come from
the city's stored road network (:func:`kotacerdas.network.store.city_graph`, the vans' ``car``
graph) when the city has one that reaches every station; otherwise from straight lines times a
detour factor (:func:`~kotacerdas.bikes.rebalancing.straight_line_matrix`). The answer says
which (``distance_source``) and why (``distance_reason``).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.bikes import forecast as fc
from kotacerdas.bikes import ledger as ledgers
from kotacerdas.bikes import operations
from kotacerdas.bikes import rebalancing as rb
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import Trip
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import (
    BikePosting,
    BikeRental,
    BikeRow,
    BikeStation,
    BikeSystem,
    BikeTask,
    BikeTransaction,
    BikeVehicleType,
)
from kotacerdas.core.db import utcnow
from kotacerdas.core.i18n import N_
from kotacerdas.network.store import city_graph

#: A station farther than this from the road network is not served by it (metres).
MAX_SNAP_M = 500.0


def trips(
    session: Session, system: BikeSystem, start: datetime | None = None, end: datetime | None = None
) -> list[Trip]:
    """Completed rides (ended rentals and imported history) starting in ``[start, end)``."""
    stmt = select(BikeRental).where(
        BikeRental.system_pk == system.id,
        BikeRental.status == "ended",
        BikeRental.end_station_id.is_not(None),
    )
    if start is not None:
        stmt = stmt.where(BikeRental.start_time >= start)
    if end is not None:
        stmt = stmt.where(BikeRental.start_time < end)
    return [
        Trip(
            r.rental_id,
            r.bike_code,
            r.start_station_id,
            r.end_station_id,
            r.start_time,
            r.end_time,
            vehicle_type_id=r.vehicle_type_id,
        )
        for r in session.scalars(stmt.order_by(BikeRental.start_time, BikeRental.id))
    ]


def dashboard(session: Session, system: BikeSystem, *, days: int = 14, now: datetime | None = None) -> dict[str, Any]:
    """Trips and revenue per local day, empty and full stations, bikes needing attention, open tasks."""
    now = now or utcnow()
    tz = ZoneInfo(system.timezone)
    first = (now.astimezone(tz) - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    day_keys = [(first + timedelta(days=i)).date().isoformat() for i in range(days)]
    trips_per_day = Counter({k: 0 for k in day_keys})
    for (t,) in session.execute(
        select(BikeRental.start_time).where(BikeRental.system_pk == system.id, BikeRental.start_time >= first)
    ):
        key = t.astimezone(tz).date().isoformat()
        if key in trips_per_day:
            trips_per_day[key] += 1
    revenue = {k: 0 for k in day_keys}
    for when, _account, amount in session.execute(
        select(BikeTransaction.created_at, BikePosting.account, BikePosting.amount)
        .join(BikePosting, BikePosting.transaction_pk == BikeTransaction.id)
        .where(
            BikeTransaction.system_pk == system.id,
            BikeTransaction.created_at >= first,
            BikePosting.account.in_([ledgers.RIDES, ledgers.PASSES]),
        )
    ):
        key = when.astimezone(tz).date().isoformat()
        if key in revenue:
            revenue[key] += int(amount)
    stations = list(
        session.scalars(select(BikeStation).where(BikeStation.system_pk == system.id).order_by(BikeStation.station_id))
    )
    avail = st.available_by_station(session, system)
    empty = [s.station_id for s in stations if s.is_renting and sum(avail.get(s.id, {}).values()) == 0]
    full = [s.station_id for s in stations if operations.dock_space(st.station_model(s), s.docked) == 0]
    status_counts = dict(
        session.execute(
            select(BikeRow.status, func.count()).where(BikeRow.system_pk == system.id).group_by(BikeRow.status)
        ).all()
    )
    sid = {s.id: s.station_id for s in stations}
    attention = []
    for b, vt in session.execute(
        select(BikeRow, BikeVehicleType.propulsion_type)
        .join(BikeVehicleType, BikeVehicleType.id == BikeRow.vehicle_type_pk)
        .where(BikeRow.system_pk == system.id)
        .order_by(BikeRow.bike_id)
    ):
        low = vt != "human" and b.battery is not None and b.battery < operations.LOW_BATTERY and b.status != "rented"
        if b.status in ("broken", "maintenance", "missing") or low:
            attention.append(
                {
                    "bike_id": b.bike_id,
                    "status": b.status,
                    "battery": b.battery,
                    "station_id": sid.get(b.station_pk),
                    "reason": b.status if not low else "low_battery",
                }
            )
    open_tasks = dict(
        session.execute(
            select(BikeTask.kind, func.count())
            .where(BikeTask.system_pk == system.id, BikeTask.status != "done")
            .group_by(BikeTask.kind)
        ).all()
    )
    return {
        "system_id": system.system_id,
        "days": [{"date": k, "trips": trips_per_day[k], "revenue": revenue[k]} for k in day_keys],
        "stations": len(stations),
        "empty_stations": empty,
        "full_stations": full,
        "bikes": {k: int(v) for k, v in status_counts.items()},
        "bikes_needing_attention": attention,
        "open_tasks": {k: int(v) for k, v in open_tasks.items()},
        "active_rentals": int(status_counts.get("rented", 0)),
    }


def forecast_window(
    session: Session, system: BikeSystem, *, hours: int = 6, weeks: int = 6, now: datetime | None = None
) -> tuple[list[str], tuple[datetime, ...], np.ndarray, np.ndarray, int]:
    """Expected pickups and returns per station for the next ``hours``, fitted on ``weeks`` of trips.

    Returns station ids, the forecast hours, pickups and returns (``[hours, stations]``) and
    the number of trips used.
    """
    now = now or utcnow()
    tz = ZoneInfo(system.timezone)
    ids = sorted(st.station_ids(session, system).values())
    history_start = now - timedelta(weeks=weeks)
    history = trips(session, system, history_start, now)
    future = fc.hour_range(now, now + timedelta(hours=hours), tz)
    if not history or not ids:
        zeros = np.zeros((len(future), len(ids)))
        return ids, future, zeros, zeros.copy(), 0
    counts = fc.hourly_counts(history, ids, history_start, now, tz=tz)
    model = fc.fit_forecaster(counts)
    pickups, returns = model.predict(future)
    return ids, future, pickups, returns, len(history)


def forecast_json(session: Session, system: BikeSystem, **kwargs: Any) -> dict[str, Any]:
    ids, hours, pickups, returns, n = forecast_window(session, system, **kwargs)
    return {
        "system_id": system.system_id,
        "trips_used": n,
        "hours": [h.isoformat() for h in hours],
        "stations": [
            {
                "station_id": sid,
                "pickups": [round(float(v), 3) for v in pickups[:, j]],
                "returns": [round(float(v), 3) for v in returns[:, j]],
            }
            for j, sid in enumerate(ids)
        ],
    }


def road_distances(
    session: Session, system: BikeSystem, points: dict[str, tuple[float, float]]
) -> tuple[list[str], np.ndarray] | str:
    """Road distances (m) between ``points`` (id -> (lon, lat)) on the city's stored road network.

    Returns the ids and the distance matrix, or why the network cannot serve them: ``"no_road_network"``
    (the city has none stored), ``"stations_off_network"`` (a point lies over :data:`MAX_SNAP_M` from it)
    or ``"not_connected"`` (some point cannot reach another). Any other error is raised.
    """
    graph = city_graph(session, system.city_id, mode="car")
    if graph.n_nodes == 0:
        return "no_road_network"
    ids = list(points)
    lon = np.array([points[k][0] for k in ids])
    lat = np.array([points[k][1] for k in ids])
    nodes, snap = graph.nearest_nodes(lon, lat)
    if float(np.max(snap)) > MAX_SNAP_M:
        return "stations_off_network"
    matrix = graph.distance_matrix(list(nodes))
    if not np.all(np.isfinite(matrix)):
        return "not_connected"
    return ids, matrix + snap[:, None] + snap[None, :] - np.diag(2 * snap)


def rebalancing_plan(
    session: Session,
    system: BikeSystem,
    *,
    hours: int = 6,
    trucks: int = 2,
    truck_capacity: int = 14,
    shift_minutes: int = 180,
    depot: str | None = None,
    now: datetime | None = None,
    time_limit_s: float = 2.0,
) -> dict[str, Any]:
    """Station needs from the forecast and van routes to meet them, as a JSON-ready dict."""
    ids, hours_, pickups, returns, n = forecast_window(session, system, hours=hours, now=now)
    rows = {s.station_id: s for s in session.scalars(select(BikeStation).where(BikeStation.system_pk == system.id))}
    stations = [st.station_model(rows[i]) for i in ids]
    avail = st.available_by_station(session, system)
    inventory = {i: sum(avail.get(rows[i].id, {}).values()) for i in ids}
    needs = rb.station_needs(stations, inventory, returns - pickups)
    if depot is not None and depot not in rows:
        raise BikesError(N_("unknown station {station}"), field="depot", station=depot[:64])
    depot_id = depot if depot is not None else max(ids, key=lambda i: (rows[i].capacity, i)) if ids else None
    points = {"depot": (stations[ids.index(depot_id)].lon, stations[ids.index(depot_id)].lat)} if depot_id else {}
    points.update({s.station_id: (s.lon, s.lat) for s in stations})
    road = road_distances(session, system, points) if points else "no_stations"
    if isinstance(road, str):
        reason, source = road, "haversine"
        loc_ids, matrix = rb.straight_line_matrix(points)
    else:
        reason, source = None, "road_network"
        loc_ids, matrix = road
    vans = [rb.Truck(f"van-{k + 1}", truck_capacity, shift_minutes) for k in range(trucks)]
    plan = rb.plan_routes(needs, vans, matrix, location_ids=loc_ids, depot="depot", time_limit_s=time_limit_s)
    problems = rb.check_plan(plan, vans, needs, matrix, location_ids=loc_ids)
    return {
        "system_id": system.system_id,
        "trips_used": n,
        "window": [h.isoformat() for h in hours_[:1] + hours_[-1:]],
        "distance_source": source,
        "distance_reason": reason,
        "depot_station_id": depot_id,
        "solver": plan.solver,
        "bikes_moved": plan.bikes_moved,
        "unserved": plan.unserved,
        "problems": problems,
        "needs": [
            {
                "station_id": x.station_id,
                "current": x.current,
                "low": x.low,
                "high": x.high,
                "target": x.target,
                "delta": x.delta,
            }
            for x in needs
            if x.delta
        ],
        "routes": [
            {
                "truck_id": r.truck_id,
                "distance_m": round(r.distance_m, 1),
                "duration_minutes": round(r.duration_minutes, 1),
                "stops": [
                    {
                        "station_id": s.station_id,
                        "delta": s.delta,
                        "arrival_minute": round(s.arrival_minute, 1),
                        "load_after": s.load_after,
                    }
                    for s in r.stops
                ],
            }
            for r in plan.routes
        ],
    }


def check_invariants(session: Session, system: BikeSystem) -> list[str]:
    """Every invariant of the system recomputed from the rows (:func:`kotacerdas.bikes.store.rows.check_invariants`)."""
    return st.check_invariants(session, system)
