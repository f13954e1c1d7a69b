"""The bike state machine: reservations, rentals, returns to full stations, repairs, missing bikes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from kotacerdas.bikes.demo import demo_plans, demo_stations, demo_vehicle_types
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import WIB, Bike, BikeStatus, Rental
from kotacerdas.bikes.operations import (
    TRANSITIONS,
    can_reserve,
    cancel_reservation,
    charging_tasks,
    close_task,
    end_rental,
    expire_reservations,
    finish_repair,
    mark_missing,
    move_bike,
    nearest_station_with_space,
    new_bike,
    occupancy,
    overdue_rentals,
    recover_bike,
    redirect_return,
    report_broken,
    reserve,
    start_rental,
    start_repair,
    transition,
    update_task,
)
from kotacerdas.bikes.pricing import buy_day_pass

T0 = datetime(2025, 4, 14, 7, 0, tzinfo=WIB)
STATIONS = {s.station_id: s for s in demo_stations()}
PLANS = {p.plan_id: p for p in demo_plans()}
TYPES = {t.vehicle_type_id: t for t in demo_vehicle_types()}
SRI = STATIONS["sritanjung"]


def bike(status=BikeStatus.AVAILABLE, station="sritanjung", kind="classic", battery=None, bid="b1") -> Bike:
    return Bike(bid, kind, status, station, battery=battery, last_reported=T0)


def test_transition_table_is_enforced():
    for start in BikeStatus:
        for target in BikeStatus:
            b = bike(start)
            if target in TRANSITIONS[start]:
                assert transition(b, target).status == target
            else:
                with pytest.raises(BikesError) as err:
                    transition(b, target)
                assert err.value.status == 409


def test_reserve_then_rent_then_return():
    b = bike()
    assert can_reserve(b, "r1", T0, station=SRI)
    b2, res = reserve(b, "r1", "res-1", T0, station=SRI)
    assert b2.status == BikeStatus.RESERVED and res.expires_at == T0 + timedelta(minutes=15)
    assert not can_reserve(b2, "r2", T0, station=SRI)
    with pytest.raises(BikesError):  # somebody else cannot take a reserved bike
        start_rental(b2, "r2", "ren-x", T0, station=SRI, plan=PLANS["pay-classic"], balance=10_000)
    b3, rental, converted = start_rental(
        b2,
        "r1",
        "ren-1",
        T0 + timedelta(minutes=5),
        station=SRI,
        plan=PLANS["pay-classic"],
        balance=10_000,
        reservation=res,
    )
    assert b3.status == BikeStatus.RENTED and b3.station_id is None and converted.status == "converted"
    occ = occupancy([b3])
    ended, b4, fare = end_rental(
        rental, b3, "blambangan", T0 + timedelta(minutes=50), stations=STATIONS, occupied=occ, plans=PLANS
    )
    assert ended.status == "ended" and ended.fare == fare.total == 3000 + 15 * 250
    assert b4.status == BikeStatus.AVAILABLE and b4.station_id == "blambangan"


def test_rider_rules():
    b = bike()
    active = Rental("ren-0", "r1", "b9", "pendopo", T0, "pay-classic")
    with pytest.raises(BikesError):
        reserve(b, "r1", "res", T0, station=SRI, rider_rentals=[active])
    with pytest.raises(BikesError) as err:
        start_rental(b, "r1", "ren", T0, station=SRI, plan=PLANS["pay-classic"], balance=2_999)
    assert err.value.status == 402
    with pytest.raises(BikesError):
        start_rental(b, "r1", "ren", T0, station=SRI, plan=PLANS["pay-classic"], balance=50_000, debt=500)
    day = buy_day_pass(PLANS["day-pass"], "r1", "pass-1", T0 - timedelta(hours=1))
    _, rental, _ = start_rental(b, "r1", "ren", T0, station=SRI, plan=PLANS["pay-classic"], balance=0, passes=[day])
    assert rental.pass_id == "pass-1"
    with pytest.raises(BikesError):  # wrong station
        start_rental(b, "r1", "ren", T0, station=STATIONS["ketapang"], plan=PLANS["pay-classic"], balance=9_000)
    closed = replace(SRI, is_renting=False)
    with pytest.raises(BikesError):
        reserve(b, "r1", "res", T0, station=closed)


def test_ebike_battery_rule():
    low = bike(kind="ebike", battery=0.1)
    ok = bike(kind="ebike", battery=0.8)
    assert not can_reserve(low, "r1", T0, station=SRI, vehicle_type=TYPES["ebike"])
    assert can_reserve(ok, "r1", T0, station=SRI, vehicle_type=TYPES["ebike"])
    tasks = charging_tasks([low, replace(ok, bike_id="b2")], TYPES, T0)
    assert [t.bike_id for t in tasks] == ["b1"] and tasks[0].kind == "charge" and tasks[0].priority == 1


def test_reservations_expire_and_cancel():
    b = bike()
    b2, res = reserve(b, "r1", "res-1", T0, station=SRI)
    expired, freed = expire_reservations([res], {b2.bike_id: b2}, T0 + timedelta(minutes=14))
    assert expired == [] and freed == []
    expired, freed = expire_reservations([res], {b2.bike_id: b2}, T0 + timedelta(minutes=15))
    assert expired[0].status == "expired" and freed[0].status == BikeStatus.AVAILABLE
    with pytest.raises(BikesError):  # an expired reservation no longer unlocks
        start_rental(
            b2,
            "r1",
            "ren",
            T0 + timedelta(minutes=16),
            station=SRI,
            plan=PLANS["pay-classic"],
            balance=10_000,
            reservation=res,
        )
    cancelled, freed_bike = cancel_reservation(res, b2, T0)
    assert cancelled.status == "cancelled" and freed_bike.status == BikeStatus.AVAILABLE
    with pytest.raises(BikesError):
        cancel_reservation(cancelled, freed_bike, T0)


def test_return_to_full_station_names_nearest_station_with_space():
    pendopo = STATIONS["pendopo"]
    docked = [bike(bid=f"p{i}", station="pendopo") for i in range(pendopo.capacity)]
    # Sritanjung (closest to the Pendopo) is full too
    docked += [bike(bid=f"s{i}", station="sritanjung") for i in range(SRI.capacity)]
    rented = bike(BikeStatus.RENTED, station=None, bid="r")
    rental = Rental("ren-1", "r1", "r", "ketapang", T0, "pay-classic")
    occ = occupancy(docked)
    with pytest.raises(BikesError) as err:
        end_rental(
            rental,
            rented,
            "pendopo",
            T0 + timedelta(minutes=20),
            stations=STATIONS,
            occupied=occ,
            plans=PLANS,
        )
    assert err.value.status == 409
    expected = min(
        (s for s in STATIONS.values() if s.station_id not in ("pendopo", "sritanjung")),
        key=lambda s: (s.lat - pendopo.lat) ** 2 + ((s.lon - pendopo.lon) * 0.99) ** 2,
    )
    assert err.value.params["nearest"] == expected.station_id == "masjid-agung"
    assert "masjid-agung" in str(err.value)
    credited, target, dist = redirect_return(rental, pendopo, STATIONS.values(), occ, credit_minutes=15)
    assert target.station_id == "masjid-agung" and 0 < dist < 300 and credited.credit_minutes == 15
    ended, _, fare = end_rental(
        credited,
        rented,
        "masjid-agung",
        T0 + timedelta(minutes=44),
        stations=STATIONS,
        occupied=occ,
        plans=PLANS,
    )
    assert fare.total == 3000  # 44 min - 30 free - 15 credit
    assert nearest_station_with_space([pendopo], occ, pendopo.lon, pendopo.lat) is None


def test_broken_report_and_repair_cycle():
    b = bike()
    broken, task = report_broken(b, "task-1", T0, note="rem blong")
    assert broken.status == BikeStatus.BROKEN and task.kind == "repair" and task.station_id == "sritanjung"
    with pytest.raises(BikesError):
        reserve(broken, "r1", "res", T0, station=SRI)
    with pytest.raises(BikesError):
        report_broken(bike(BikeStatus.RENTED, station=None), "task-2", T0)
    task2, in_shop = start_repair(task, broken, T0, to_workshop=True)
    assert task2.status == "in_progress" and in_shop.status == BikeStatus.MAINTENANCE and in_shop.station_id is None
    full = {"pendopo": STATIONS["pendopo"].capacity}
    with pytest.raises(BikesError):
        finish_repair(task2, in_shop, T0, station=STATIONS["pendopo"], occupied=full)
    done, fixed = finish_repair(task2, in_shop, T0 + timedelta(hours=2), station=SRI, occupied={})
    assert done.status == "done" and fixed.status == BikeStatus.AVAILABLE and fixed.station_id == "sritanjung"
    with pytest.raises(BikesError):
        close_task(done, T0)


def test_return_broken_and_missing_bikes():
    rented = bike(BikeStatus.RENTED, station=None)
    rental = Rental("ren-1", "r1", "b1", "sritanjung", T0, "pay-classic")
    _, docked, _ = end_rental(
        rental,
        rented,
        "pendopo",
        T0 + timedelta(minutes=5),
        stations=STATIONS,
        occupied={},
        plans=PLANS,
        broken=True,
    )
    assert docked.status == BikeStatus.BROKEN
    assert overdue_rentals([rental], T0 + timedelta(hours=23)) == []
    assert overdue_rentals([rental], T0 + timedelta(hours=25)) == [rental]
    lost, task = mark_missing(rented, "task-m", T0 + timedelta(hours=25))
    assert lost.status == BikeStatus.MISSING and task.kind == "recover"
    done, found = recover_bike(task, lost, T0 + timedelta(days=2), station=SRI, occupied={})
    assert found.status == BikeStatus.MAINTENANCE and found.station_id == "sritanjung" and done.status == "done"


def test_errors_render_in_both_languages():
    with pytest.raises(BikesError) as err:
        reserve(bike(BikeStatus.RENTED), "r1", "res", T0, station=SRI)
    en, id_ = err.value.render("en"), err.value.render("id")
    assert "b1" in en and "b1" in id_ and en != id_


def test_operator_moves_follow_the_state_machine_and_the_docks():
    b = bike()
    moved = move_bike(b, T0, station=STATIONS["pendopo"], occupied={})
    assert (moved.status, moved.station_id, moved.lat) == (BikeStatus.AVAILABLE, "pendopo", STATIONS["pendopo"].lat)
    full = {"pendopo": STATIONS["pendopo"].capacity}
    with pytest.raises(BikesError) as err:
        move_bike(b, T0, station=STATIONS["pendopo"], occupied=full)
    assert err.value.status == 409 and err.value.params["station"] == "pendopo"
    closed = replace(STATIONS["pendopo"], is_returning=False)
    assert move_bike(b, T0, station=closed, occupied={}).station_id == "pendopo"  # operators dock anywhere with room
    shop = move_bike(b, T0, status="maintenance", off_dock=True)
    assert shop.station_id is None and shop.status == BikeStatus.MAINTENANCE
    assert move_bike(b, T0, status="maintenance").station_id == "sritanjung"
    assert move_bike(b, T0, status="missing", station=SRI).station_id is None
    with pytest.raises(BikesError):
        move_bike(shop, T0, status="available")  # an available bike needs a dock
    refusals = (
        dict(status="rented"),
        dict(status="reserved"),  # a reservation is a rider's, with its record: never an operator's status
        dict(status="available", bike=bike(BikeStatus.RENTED, station=None)),
    )
    for refused in refusals:
        with pytest.raises(BikesError) as err:
            move_bike(refused.pop("bike", b), T0, **refused)
        assert err.value.status == 409
    with pytest.raises(BikesError):
        move_bike(bike(BikeStatus.BROKEN), T0, status="available")  # broken -> available is not a move
    assert move_bike(b, T0, battery=0.4).battery == 0.4 and move_bike(b, T0 + timedelta(hours=1)).last_reported > T0
    held = bike(BikeStatus.RESERVED)
    assert move_bike(held, T0, battery=0.9).status == BikeStatus.RESERVED  # a reading keeps the reservation
    assert move_bike(held, T0, status="available").status == BikeStatus.AVAILABLE  # an operator may release it


def test_a_new_bike_and_task_moves():
    ebike = new_bike("e9", TYPES["ebike"], SRI, T0, occupied={}, battery=0.8)
    classic = new_bike("c9", TYPES["classic"], SRI, T0, occupied={}, battery=0.8)
    assert (ebike.status, ebike.station_id, ebike.battery, classic.battery) == (
        BikeStatus.AVAILABLE,
        "sritanjung",
        0.8,
        None,
    )
    with pytest.raises(BikesError):
        new_bike("c10", TYPES["classic"], SRI, T0, occupied={"sritanjung": SRI.capacity})
    _b, task = report_broken(bike(), "t1", T0)
    started = update_task(task, "in_progress", T0)
    assert started.status == "in_progress" and update_task(started, "done", T0).closed_at == T0
    with pytest.raises(BikesError):
        update_task(task, "asleep", T0)
