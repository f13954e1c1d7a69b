"""The rules of a bike's life: reserve, rent, return, break, repair, go missing.

Pure functions on the records of :mod:`kotacerdas.bikes.model`: each takes the
current records and returns new ones, or raises :class:`BikesError` with a
bilingual message (status 409 for a state conflict). Nothing is stored here;
the caller saves what comes back in one database transaction.

Bike states and the moves between them::

    available -> reserved | rented | broken | maintenance | missing
    reserved  -> available | rented | broken | missing
    rented    -> available | broken | missing
    broken    -> maintenance | missing
    maintenance -> available | broken | missing
    missing   -> maintenance | available

A return to a full (or closed) station is refused with the nearest station
that has a free dock (geodesic distance, :func:`kotacerdas.core.geometry.distance_m`);
:func:`redirect_return` grants the rider free minutes to ride there.

An operator changes a bike with :func:`move_bike` (status, dock, battery) and puts a new
one into service with :func:`new_bike`; the field team's tasks move with
:func:`open_task` and :func:`update_task`. The repair and recovery cycles
(:func:`report_broken`, :func:`start_repair`, :func:`finish_repair`, :func:`mark_missing`,
:func:`recover_bike`) are built from the same moves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import (
    Bike,
    BikeStatus,
    DayPass,
    OperatorTask,
    PricingPlan,
    Rental,
    Reservation,
    Station,
    VehicleType,
    check_aware,
)
from kotacerdas.bikes.pricing import Fare, active_pass, rental_fare
from kotacerdas.core.formats import Quantity
from kotacerdas.core.geometry import distance_m
from kotacerdas.core.i18n import N_

S = BikeStatus
TRANSITIONS: dict[BikeStatus, frozenset[BikeStatus]] = {
    S.AVAILABLE: frozenset({S.RESERVED, S.RENTED, S.BROKEN, S.MAINTENANCE, S.MISSING}),
    S.RESERVED: frozenset({S.AVAILABLE, S.RENTED, S.BROKEN, S.MISSING}),
    S.RENTED: frozenset({S.AVAILABLE, S.BROKEN, S.MISSING}),
    S.BROKEN: frozenset({S.MAINTENANCE, S.MISSING}),
    S.MAINTENANCE: frozenset({S.AVAILABLE, S.BROKEN, S.MISSING}),
    S.MISSING: frozenset({S.MAINTENANCE, S.AVAILABLE}),
}
"""Allowed status changes of a bike."""

MIN_BATTERY = 0.2
"""An e-bike below this charge (fraction) cannot be reserved or rented."""
LOW_BATTERY = 0.3
"""A docked e-bike below this charge (fraction) needs charging (a task, and the operator's attention)."""
TASK_KINDS = ("repair", "recover", "rebalance", "charge")
TASK_STATUSES = ("open", "in_progress", "done")
_DOCKED = (S.AVAILABLE, S.RESERVED, S.BROKEN, S.MAINTENANCE)


def transition(bike: Bike, to: BikeStatus, at: datetime | None = None, **changes: object) -> Bike:
    """Move ``bike`` to status ``to`` (other fields in ``changes``) if the move is allowed.

    Raises
    ------
    BikesError
        409 when the state machine forbids the move.
    """
    to = BikeStatus(to)
    if to not in TRANSITIONS[bike.status]:
        raise BikesError(
            N_("bike {bike} cannot go from {current} to {target}"),
            field="status",
            record=bike.bike_id,
            status=409,
            bike=bike.bike_id,
            current=str(bike.status),
            target=str(to),
        )
    return replace(bike, status=to, last_reported=at or bike.last_reported, **changes)


def occupancy(bikes: Iterable[Bike]) -> dict[str, int]:
    """Bikes standing in a dock per station (available, reserved, broken or in maintenance there)."""
    return dict(Counter(b.station_id for b in bikes if b.station_id is not None and b.status in _DOCKED))


def free_docks(station: Station, occupied: int) -> int:
    """Docks of ``station`` that can take a rider's bike now (0 when the station does not accept returns)."""
    if not (station.is_installed and station.is_returning):
        return 0
    return dock_space(station, occupied)


def dock_space(station: Station, occupied: int) -> int:
    """Docks of ``station`` with no bike in them: where the field team can put a bike, returns accepted or not."""
    return max(0, station.usable_docks - occupied)


def nearest_station_with_space(
    stations: Iterable[Station],
    occupied: Mapping[str, int],
    lon: float,
    lat: float,
    exclude: Iterable[str] = (),
) -> tuple[Station, float] | None:
    """The closest station to ``(lon, lat)`` with a free dock, by geodesic distance
    (:func:`~kotacerdas.core.geometry.distance_m`); ties go to the smaller station id.

    Returns
    -------
    (Station, float) or None
        The station and its distance in metres, or ``None`` when every dock is taken.
    """
    skip = set(exclude)
    open_ = [s for s in stations if s.station_id not in skip and free_docks(s, occupied.get(s.station_id, 0)) > 0]
    if not open_:
        return None
    n = len(open_)
    metres = distance_m([lon] * n, [lat] * n, [s.lon for s in open_], [s.lat for s in open_])
    d, _sid, best = min((float(m), s.station_id, s) for m, s in zip(metres, open_, strict=True))
    return best, d


def _check_rider_free(
    rider_id: str,
    rider_rentals: Iterable[Rental],
    rider_reservations: Iterable[Reservation],
    keep: Reservation | None = None,
) -> None:
    if any(r.rider_id == rider_id and r.status == "active" for r in rider_rentals):
        raise BikesError(N_("rider {rider} already has a bike"), field="rider_id", status=409, rider=rider_id)
    for res in rider_reservations:
        if res.rider_id == rider_id and res.status == "active" and (keep is None or res != keep):
            raise BikesError(
                N_("rider {rider} already holds a reservation"), field="rider_id", status=409, rider=rider_id
            )


def _check_rentable(bike: Bike, station: Station, vehicle_type: VehicleType | None) -> None:
    if bike.station_id != station.station_id:
        raise BikesError(
            N_("bike {bike} is not at station {station}"),
            field="station_id",
            status=409,
            bike=bike.bike_id,
            station=station.station_id,
        )
    if not (station.is_installed and station.is_renting):
        raise BikesError(
            N_("station {station} is not renting bikes now"),
            field="station_id",
            status=409,
            station=station.station_id,
        )
    if vehicle_type is not None and vehicle_type.is_electric and (bike.battery or 0.0) < MIN_BATTERY:
        raise BikesError(
            N_("e-bike {bike} has too little battery ({level} %)"),
            field="battery",
            status=409,
            bike=bike.bike_id,
            level=round(100 * (bike.battery or 0.0)),
        )


def reserve(
    bike: Bike,
    rider_id: str,
    reservation_id: str,
    now: datetime,
    *,
    station: Station,
    rider_rentals: Iterable[Rental] = (),
    rider_reservations: Iterable[Reservation] = (),
    vehicle_type: VehicleType | None = None,
    hold_minutes: int = 15,
) -> tuple[Bike, Reservation]:
    """Hold an available bike for a rider for ``hold_minutes``.

    The rider may hold one reservation and ride one bike at a time; e-bikes
    need at least :data:`MIN_BATTERY` charge; the station must be renting.

    Returns
    -------
    (Bike, Reservation)
        The bike now ``reserved`` and the active reservation.
    """
    check_aware(now, "now")
    if bike.status != S.AVAILABLE:
        raise BikesError(
            N_("bike {bike} is not available (it is {current})"),
            field="bike_id",
            status=409,
            bike=bike.bike_id,
            current=str(bike.status),
        )
    _check_rentable(bike, station, vehicle_type)
    _check_rider_free(rider_id, rider_rentals, rider_reservations)
    res = Reservation(
        reservation_id, rider_id, bike.bike_id, station.station_id, now, now + timedelta(minutes=hold_minutes)
    )
    return transition(bike, S.RESERVED, now), res


def can_reserve(bike: Bike, rider_id: str, now: datetime, **kwargs: object) -> bool:
    """True when :func:`reserve` would succeed (same keyword arguments, no id needed)."""
    try:
        reserve(bike, rider_id, "check", now, **kwargs)  # type: ignore[arg-type]
    except BikesError:
        return False
    return True


def cancel_reservation(reservation: Reservation, bike: Bike, now: datetime) -> tuple[Reservation, Bike]:
    """Cancel an active reservation and free its bike."""
    if reservation.status != "active":
        raise BikesError(
            N_("reservation {reservation} is no longer active"),
            field="reservation_id",
            status=409,
            reservation=reservation.reservation_id,
        )
    freed = transition(bike, S.AVAILABLE, now) if bike.status == S.RESERVED else bike
    return replace(reservation, status="cancelled"), freed


def expire_reservations(
    reservations: Iterable[Reservation], bikes: Mapping[str, Bike], now: datetime
) -> tuple[list[Reservation], list[Bike]]:
    """Expire active reservations past ``expires_at``.

    Returns
    -------
    (list of Reservation, list of Bike)
        Only the records that changed: the expired reservations and freed bikes.
    """
    expired: list[Reservation] = []
    freed: list[Bike] = []
    for res in reservations:
        if res.status == "active" and now >= res.expires_at:
            expired.append(replace(res, status="expired"))
            bike = bikes.get(res.bike_id)
            if bike is not None and bike.status == S.RESERVED:
                freed.append(transition(bike, S.AVAILABLE, now))
    return expired, freed


def start_rental(
    bike: Bike,
    rider_id: str,
    rental_id: str,
    now: datetime,
    *,
    station: Station,
    plan: PricingPlan,
    balance: int,
    debt: int = 0,
    rider_rentals: Iterable[Rental] = (),
    rider_reservations: Iterable[Reservation] = (),
    reservation: Reservation | None = None,
    passes: Iterable[DayPass] = (),
    vehicle_type: VehicleType | None = None,
    min_balance: int | None = None,
) -> tuple[Bike, Rental, Reservation | None]:
    """Unlock a bike for a rider.

    The bike must be available, or reserved by this rider (the reservation
    becomes ``converted``). A rider with debt cannot ride; without a valid day
    pass the wallet must hold ``min_balance`` (default: the unlock fee).

    Returns
    -------
    (Bike, Rental, Reservation or None)
        The rented bike, the active rental and the converted reservation.
    """
    check_aware(now, "now")
    converted = None
    if bike.status == S.RESERVED:
        if (
            reservation is None
            or reservation.bike_id != bike.bike_id
            or reservation.rider_id != rider_id
            or (reservation.status != "active" or now >= reservation.expires_at)
        ):
            raise BikesError(
                N_("bike {bike} is reserved by another rider"), field="bike_id", status=409, bike=bike.bike_id
            )
        converted = replace(reservation, status="converted")
    elif bike.status != S.AVAILABLE:
        raise BikesError(
            N_("bike {bike} is not available (it is {current})"),
            field="bike_id",
            status=409,
            bike=bike.bike_id,
            current=str(bike.status),
        )
    _check_rentable(bike, station, vehicle_type)
    _check_rider_free(rider_id, rider_rentals, rider_reservations, keep=reservation)
    if debt > 0:
        raise BikesError(
            N_("Settle the open balance of {amount} before riding (top up)."),
            field="balance",
            status=402,
            amount=Quantity(debt, "rupiah"),
        )
    day_pass = active_pass(passes, rider_id, now)
    needed = plan.unlock_fee if min_balance is None else min_balance
    if day_pass is None and balance < needed:
        raise BikesError(
            N_("Not enough balance: {balance} available, {amount} needed. Top up first."),
            field="balance",
            status=402,
            balance=Quantity(balance, "rupiah"),
            amount=Quantity(needed, "rupiah"),
        )
    rental = Rental(
        rental_id,
        rider_id,
        bike.bike_id,
        station.station_id,
        now,
        plan.plan_id,
        pass_id=day_pass.pass_id if day_pass else None,
    )
    rented = transition(bike, S.RENTED, now, station_id=None, lat=station.lat, lon=station.lon)
    return rented, rental, converted


def end_rental(
    rental: Rental,
    bike: Bike,
    station_id: str,
    now: datetime,
    *,
    stations: Mapping[str, Station],
    occupied: Mapping[str, int],
    plans: Mapping[str, PricingPlan],
    passes: Iterable[DayPass] = (),
    broken: bool = False,
    battery: float | None = None,
) -> tuple[Rental, Bike, Fare]:
    """Dock a rented bike at ``station_id`` and price the ride.

    Parameters
    ----------
    occupied:
        Bikes per station now (:func:`occupancy`).
    broken:
        The rider reports the bike broken on return: it docks as ``broken``
        (open a repair task with :func:`report_broken`).
    battery:
        E-bike charge read at the dock.

    Raises
    ------
    BikesError
        409 when the station is full or closed; the message names the
        nearest station with a free dock, whose id is in ``error.params["nearest"]``.
    """
    check_aware(now, "now")
    if rental.status != "active" or bike.status != S.RENTED or rental.bike_id != bike.bike_id:
        raise BikesError(N_("rental {rental} is not active"), field="rental_id", status=409, rental=rental.rental_id)
    if station_id not in stations:
        raise BikesError(N_("unknown station {station}"), field="station_id", status=404, station=station_id)
    station = stations[station_id]
    if free_docks(station, occupied.get(station_id, 0)) <= 0:
        alt = nearest_station_with_space(stations.values(), occupied, station.lon, station.lat, {station_id})
        if alt is None:
            raise BikesError(
                N_("station {station} is full and no station has a free dock"),
                field="station_id",
                status=409,
                station=station_id,
                nearest=None,
            )
        raise BikesError(
            N_("station {station} is full; the nearest station with a free dock is {nearest} ({distance} m)"),
            field="station_id",
            status=409,
            station=station_id,
            nearest=alt[0].station_id,
            distance=round(alt[1]),
        )
    fare = rental_fare(rental, now, plans, passes)
    ended = replace(
        rental, status="ended", end_station_id=station_id, end_time=now, fare=fare.total, pass_id=fare.pass_id
    )
    docked = transition(
        bike,
        S.BROKEN if broken else S.AVAILABLE,
        now,
        station_id=station_id,
        lat=station.lat,
        lon=station.lon,
        battery=bike.battery if battery is None else battery,
    )
    return ended, docked, fare


def redirect_return(
    rental: Rental,
    full_station: Station,
    stations: Iterable[Station],
    occupied: Mapping[str, int],
    *,
    credit_minutes: int = 15,
) -> tuple[Rental, Station, float]:
    """Send a rider at a full station on to the nearest one with space, with free minutes.

    Returns
    -------
    (Rental, Station, float)
        The rental with ``credit_minutes`` added, the station to ride to and its distance (m).
    """
    alt = nearest_station_with_space(stations, occupied, full_station.lon, full_station.lat, {full_station.station_id})
    if alt is None:
        raise BikesError(
            N_("station {station} is full and no station has a free dock"),
            field="station_id",
            status=409,
            station=full_station.station_id,
            nearest=None,
        )
    return replace(rental, credit_minutes=rental.credit_minutes + credit_minutes), alt[0], alt[1]


# -- the field team: tasks, moves, repairs, recoveries ----------------------------------------------------


def open_task(
    kind: str,
    task_id: str,
    now: datetime,
    *,
    bike_id: str | None = None,
    station_id: str | None = None,
    note: str = "",
    priority: int = 2,
) -> OperatorTask:
    """A new task for the field team (``repair``, ``recover``, ``rebalance``, ``charge``)."""
    if kind not in TASK_KINDS:
        raise BikesError(N_("unknown task kind {kind}"), field="kind", kind=kind)
    return OperatorTask(task_id, kind, check_aware(now, "now"), bike_id, station_id, note, "open", priority)


def close_task(task: OperatorTask, now: datetime) -> OperatorTask:
    """Mark any task done."""
    if task.status == "done":
        raise BikesError(N_("task {task} is already done"), field="task_id", status=409, task=task.task_id)
    return replace(task, status="done", closed_at=check_aware(now, "now"))


def update_task(task: OperatorTask, status: str, now: datetime) -> OperatorTask:
    """Move a task to ``open`` or ``in_progress``, or close it (``done``, :func:`close_task`)."""
    if status == "done":
        return close_task(task, now)
    if status not in TASK_STATUSES:
        raise BikesError(N_("unknown task status {value}"), field="status", value=status)
    return replace(task, status=status)


def bike_status(value: BikeStatus | str) -> BikeStatus:
    """A bike status from its name; an unknown name is a 400 that lists the known ones."""
    try:
        return BikeStatus(value)
    except ValueError as exc:
        raise BikesError(
            N_("unknown bike status {value}; statuses are: {known}"),
            field="status",
            value=str(value)[:40],
            known=", ".join(str(v) for v in BikeStatus),
        ) from exc


def move_bike(
    bike: Bike,
    now: datetime,
    *,
    status: BikeStatus | str | None = None,
    station: Station | None = None,
    off_dock: bool = False,
    occupied: Mapping[str, int] | None = None,
    battery: float | None = None,
) -> Bike:
    """An operator's change to a bike: its status (the state machine), the dock it stands in, its battery reading.

    Parameters
    ----------
    status:
        The new status (``None``: unchanged). An operator never rents a bike out or reserves it (only a
        rider's rental or reservation does, with its record).
    station:
        The station to put the bike in (``None``: it stays where it is). Moving into another
        station needs a dock with no bike in it (:func:`dock_space` with ``occupied``, the bikes
        per station now), whether or not the station accepts riders' returns.
    off_dock:
        A bike going to ``maintenance`` leaves its dock (to the workshop). A ``missing`` bike
        always leaves its dock.
    battery:
        A new charge reading (0..1).

    Returns
    -------
    Bike
        The bike as it is now; a docked bike has the position of its station.

    Raises
    ------
    BikesError
        409 for a rented bike (only the end of its rental changes it), a move the state machine
        forbids, an available bike without a dock, or a station without a free dock.
    """
    check_aware(now, "now")
    if bike.status == S.RENTED:
        raise BikesError(
            N_("end the rental of bike {bike} before reporting it"), field="status", status=409, bike=bike.bike_id
        )
    to = bike_status(status) if status else bike.status
    # rented and reserved belong to a rider's rental or reservation: an operator's change cannot make them
    if to == S.RENTED or (to == S.RESERVED and bike.status != S.RESERVED):
        raise BikesError(
            N_("bike {bike} cannot go from {current} to {target}"),
            field="status",
            status=409,
            bike=bike.bike_id,
            current=str(bike.status),
            target=str(to),
        )
    moved = transition(bike, to, now) if to != bike.status else replace(bike, last_reported=now)
    if battery is not None:
        moved = replace(moved, battery=battery)
    if to == S.MISSING or (off_dock and to == S.MAINTENANCE):
        moved = replace(moved, station_id=None)
    elif station is not None:
        if (
            station.station_id != bike.station_id
            and dock_space(station, (occupied or {}).get(station.station_id, 0)) <= 0
        ):
            raise BikesError(
                N_("station {station} has no free dock"), field="station_id", status=409, station=station.station_id
            )
        moved = replace(moved, station_id=station.station_id, lat=station.lat, lon=station.lon)
    if moved.station_id is None and to in (S.AVAILABLE, S.RESERVED):
        raise BikesError(
            N_("bike {bike} needs a station to be available"), field="station_id", status=409, bike=bike.bike_id
        )
    return moved


def new_bike(
    bike_id: str,
    vehicle_type: VehicleType,
    station: Station,
    now: datetime,
    *,
    occupied: Mapping[str, int],
    battery: float | None = None,
) -> Bike:
    """A new bike put into service: available in a free dock of ``station``; only e-bikes keep a battery reading."""
    if dock_space(station, occupied.get(station.station_id, 0)) <= 0:
        raise BikesError(
            N_("station {station} has no free dock"), field="station_id", status=409, station=station.station_id
        )
    return Bike(
        bike_id,
        vehicle_type.vehicle_type_id,
        S.AVAILABLE,
        station.station_id,
        station.lat,
        station.lon,
        battery if vehicle_type.is_electric else None,
        check_aware(now, "now"),
    )


def report_broken(bike: Bike, task_id: str, now: datetime, *, note: str = "") -> tuple[Bike, OperatorTask]:
    """A rider or operator reports a docked bike broken: it is disabled and a repair task opens.

    Returns
    -------
    (Bike, OperatorTask)
        The ``broken`` bike and an ``open`` repair task (priority 1).
    """
    if bike.status == S.RENTED:
        raise BikesError(
            N_("end the rental of bike {bike} before reporting it"),
            field="bike_id",
            status=409,
            bike=bike.bike_id,
        )
    broken = bike if bike.status == S.BROKEN else transition(bike, S.BROKEN, now)
    task = open_task("repair", task_id, now, bike_id=bike.bike_id, station_id=bike.station_id, note=note, priority=1)
    return broken, task


def start_repair(
    task: OperatorTask, bike: Bike, now: datetime, *, to_workshop: bool = False
) -> tuple[OperatorTask, Bike]:
    """The mechanic takes a broken bike: ``maintenance``; off its dock if taken to the workshop."""
    _check_task(task, "repair", bike, ("open",))
    return replace(task, status="in_progress"), move_bike(bike, now, status=S.MAINTENANCE, off_dock=to_workshop)


def finish_repair(
    task: OperatorTask, bike: Bike, now: datetime, *, station: Station, occupied: Mapping[str, int]
) -> tuple[OperatorTask, Bike]:
    """Put a repaired bike back into service at ``station`` (a free dock is needed unless it stands there)."""
    _check_task(task, "repair", bike, ("open", "in_progress"))
    fixed = move_bike(bike, now, status=S.AVAILABLE, station=station, occupied=occupied)
    return close_task(task, now), fixed


def mark_missing(bike: Bike, task_id: str, now: datetime, *, note: str = "") -> tuple[Bike, OperatorTask]:
    """Declare a bike missing (e.g. an overdue rental) and open a recovery task."""
    missing = transition(bike, S.MISSING, now, station_id=None)
    return missing, open_task("recover", task_id, now, bike_id=bike.bike_id, note=note, priority=1)


def recover_bike(
    task: OperatorTask,
    bike: Bike,
    now: datetime,
    *,
    station: Station,
    occupied: Mapping[str, int],
    needs_repair: bool = True,
) -> tuple[OperatorTask, Bike]:
    """A missing bike is found and brought to ``station``: in maintenance, or straight back in service."""
    _check_task(task, "recover", bike, ("open", "in_progress"))
    to = S.MAINTENANCE if needs_repair else S.AVAILABLE
    return close_task(task, now), move_bike(bike, now, status=to, station=station, occupied=occupied)


def overdue_rentals(rentals: Iterable[Rental], now: datetime, max_hours: float = 24.0) -> list[Rental]:
    """Active rentals older than ``max_hours`` (candidates for :func:`mark_missing`)."""
    limit = now - timedelta(hours=max_hours)
    return [r for r in rentals if r.status == "active" and r.start_time < limit]


def charging_tasks(
    bikes: Sequence[Bike],
    vehicle_types: Mapping[str, VehicleType],
    now: datetime,
    *,
    threshold: float = LOW_BATTERY,
    id_prefix: str = "charge",
) -> list[OperatorTask]:
    """Charge tasks for docked e-bikes under ``threshold``, lowest battery first."""
    low = [
        b
        for b in bikes
        if b.status in (S.AVAILABLE, S.RESERVED)
        and vehicle_types.get(b.vehicle_type_id) is not None
        and vehicle_types[b.vehicle_type_id].is_electric
        and (b.battery or 0.0) < threshold
    ]
    low.sort(key=lambda b: (b.battery or 0.0, b.bike_id))
    return [
        open_task(
            "charge",
            f"{id_prefix}-{b.bike_id}",
            now,
            bike_id=b.bike_id,
            station_id=b.station_id,
            priority=1 if (b.battery or 0.0) < MIN_BATTERY else 2,
        )
        for b in low
    ]


def _check_task(task: OperatorTask, kind: str, bike: Bike, statuses: tuple[str, ...]) -> None:
    if task.kind != kind or task.bike_id != bike.bike_id or task.status not in statuses:
        raise BikesError(
            N_("task {task} does not fit bike {bike}"),
            field="task_id",
            status=409,
            task=task.task_id,
            bike=bike.bike_id,
        )
