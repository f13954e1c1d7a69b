"""The Banyuwangi demo stored: the generated system of :mod:`kotacerdas.bikes.demo` written to the database.

Bulk inserts in the caller's transaction (about 5 s on SQLite for six weeks of trips), each trip
charged to its rider through the ledger's accounts, so the stored money balances as it would
after real rides.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.bikes import demo, pricing
from kotacerdas.bikes import ledger as ledgers
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import feed_cache
from kotacerdas.bikes.services.alerts import upsert_alert
from kotacerdas.bikes.services.plans import upsert_plan
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import (
    BikePosting,
    BikeRegion,
    BikeRental,
    BikeRider,
    BikeRow,
    BikeStation,
    BikeSystem,
    BikeTask,
    BikeTransaction,
    BikeVehicleType,
    BikeZone,
)
from kotacerdas.core.db import utcnow
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City


def load_demo(session: Session) -> dict[str, Any]:
    """The platform's demo step: the Banyuwangi system in city 35.10 (its cached feeds forgotten)."""
    out = store_demo(session)
    from kotacerdas.bikes.services import routes

    system = session.scalar(select(BikeSystem).where(BikeSystem.system_id == demo.SYSTEM_ID))
    if system is not None:
        out["tours"] = routes.load_demo(session, system)
    feed_cache.invalidate()
    return out


def store_demo(  # noqa: C901 (complexity baseline: split when next changed)
    session: Session, *, city_code: str = "35.10", now: datetime | None = None, weeks: int = 6
) -> dict[str, Any]:
    """Store the Banyuwangi demo system (``banyuwangi``, labelled demo) with bikes, riders, plans and trips.

    Idempotent: an existing demo system is left as it is. The trip history is the
    generated one of :func:`kotacerdas.bikes.demo.demo_trips`, shifted to end yesterday.
    """
    city = session.scalar(select(City).where(City.code == city_code))
    if city is None:
        raise BikesError(N_("unknown city {code}"), field="city", status=404, code=city_code)
    if session.scalar(select(BikeSystem.id).where(BikeSystem.system_id == demo.SYSTEM_ID)):
        return {"system_id": demo.SYSTEM_ID, "created": False}
    now = now or utcnow()
    system = demo.demo_system()
    row = BikeSystem(
        city_id=city.id,
        system_id=system.system_id,
        name=dict(system.name),
        short_name=dict(system.short_name or {}),
        operator=dict(system.operator),
        feed_contact_email=system.feed_contact_email,
        timezone=system.timezone,
        languages=["id", "en"],
        opening_hours=system.opening_hours,
        url=system.url,
        start_date=system.start_date,
        license_url=system.license_url,
        is_demo=True,
        reserve_minutes=15,
        redirect_credit_minutes=15,
        payment_provider="sandbox",
    )
    session.add(row)
    session.flush()
    for region in demo.demo_regions():
        session.add(BikeRegion(system_pk=row.id, region_id=region.region_id, name=dict(region.name)))
    session.flush()
    bikes = demo.demo_bikes(now)
    docked: dict[str, int] = {}
    for b in bikes:
        docked[b.station_id] = docked.get(b.station_id, 0) + 1
    stations: dict[str, int] = {}
    region_ids = {r.region_id for r in demo.demo_regions()}
    for s in demo.demo_stations():
        code, kname = st.kecamatan_at(session, city.id, s.lon, s.lat)
        # the GBFS region is the kecamatan the platform places the station in (its stored admin areas)
        region_id = code if code in region_ids else s.region_id
        srow = BikeStation(
            city_id=city.id,
            system_pk=row.id,
            station_id=s.station_id,
            name=dict(s.name),
            capacity=s.capacity,
            num_docks_disabled=0,
            docked=docked.get(s.station_id, 0),
            geom=Point(s.lon, s.lat),
            kecamatan_code=code,
            kecamatan_name=kname,
            region_id=region_id,
            nearby=[],
            opening_hours="Mo-Su 05:00-22:00",
            is_charging_station=s.is_charging_station,
            rental_methods=list(s.rental_methods),
        )
        session.add(srow)
        session.flush()
        stations[s.station_id] = srow.id
    types: dict[str, int] = {}
    for vt in demo.demo_vehicle_types():
        vrow = BikeVehicleType(
            system_pk=row.id,
            vehicle_type_id=vt.vehicle_type_id,
            name=dict(vt.name),
            propulsion_type=vt.propulsion_type,
            form_factor=vt.form_factor,
            max_range_meters=vt.max_range_meters,
            max_permitted_speed=vt.max_permitted_speed,
            default_reserve_time=vt.default_reserve_time,
            default_pricing_plan_id=vt.default_pricing_plan_id,
            pricing_plan_ids=list(vt.pricing_plan_ids),
        )
        session.add(vrow)
        session.flush()
        types[vt.vehicle_type_id] = vrow.id
    for p in demo.demo_plans():
        upsert_plan(
            session,
            row,
            {
                "plan_id": p.plan_id,
                "name": dict(p.name),
                "description": dict(p.description),
                "unlock_fee": p.unlock_fee,
                "per_minute": p.per_minute,
                "free_minutes": p.free_minutes,
                "day_pass_price": p.day_pass_price,
                "pass_valid_minutes": p.pass_valid_minutes,
                "vehicle_type_ids": list(p.vehicle_type_ids),
            },
        )
    session.execute(
        BikeRow.__table__.insert(),
        [
            {
                "city_id": city.id,
                "system_pk": row.id,
                "bike_id": b.bike_id,
                "vehicle_type_pk": types[b.vehicle_type_id],
                "status": str(b.status),
                "station_pk": stations[b.station_id],
                "lat": b.lat,
                "lon": b.lon,
                "battery": b.battery,
                "last_reported": b.last_reported,
            }
            for b in bikes
        ],
    )
    for a in demo.demo_alerts(now):
        upsert_alert(
            session,
            row,
            {
                "alert_id": a.alert_id,
                "type": a.type,
                "summary": dict(a.summary),
                "description": dict(a.description) if a.description else None,
                "times": [{"start": t.start.isoformat(), "end": t.end.isoformat() if t.end else None} for t in a.times],
                "station_ids": list(a.station_ids),
                "region_ids": list(a.region_ids),
            },
            now,
        )
    for z in demo.demo_zones():
        session.add(
            BikeZone(
                system_pk=row.id,
                zone_id=z.zone_id,
                name=dict(z.name),
                geom=z.geometry,
                rules=[
                    {
                        "ride_start_allowed": r.ride_start_allowed,
                        "ride_end_allowed": r.ride_end_allowed,
                        "ride_through_allowed": r.ride_through_allowed,
                        "maximum_speed_kph": r.maximum_speed_kph,
                        "station_parking": r.station_parking,
                        "vehicle_type_ids": list(r.vehicle_type_ids),
                    }
                    for r in z.rules
                ],
            )
        )
    riders = demo.demo_riders()
    trips = demo.demo_trips(weeks=weeks)
    shift = timedelta(days=((now.date() - timedelta(days=1)) - trips[-1].start_time.date()).days) if trips else None
    bike_type = {b.bike_id: b.vehicle_type_id for b in bikes}
    plans = {p.plan_id: p for p in demo.demo_plans()}
    plan_of = {vt.vehicle_type_id: vt.default_pricing_plan_id for vt in demo.demo_vehicle_types()}
    fares = []
    spent: dict[str, int] = {}
    for t in trips:
        plan = plans[plan_of[bike_type.get(t.bike_id, "classic")]]
        fare = pricing.ride_fare(plan, t.start_time, t.end_time).total
        fares.append((plan.plan_id, fare))
        spent[t.rider_id] = spent.get(t.rider_id, 0) + fare
    topup = {r.rider_id: 50_000 * (1 + spent.get(r.rider_id, 0) // 50_000) for r in riders}
    session.execute(
        BikeRider.__table__.insert(),
        [
            {
                "city_id": city.id,
                "system_pk": row.id,
                "rider_id": r.rider_id,
                "user_id": None,
                "phone": None,
                "name": r.name,
                "language": r.language,
                "wallet": topup[r.rider_id] - spent.get(r.rider_id, 0),
                "debt": 0,
                "is_demo": True,
                "created_at": now,
            }
            for r in riders
        ],
    )
    rider_pk = dict(
        session.execute(select(BikeRider.rider_id, BikeRider.id).where(BikeRider.system_pk == row.id)).all()
    )
    session.execute(
        BikeRental.__table__.insert(),
        [
            {
                "city_id": city.id,
                "system_pk": row.id,
                "rental_id": f"demo-{t.trip_id}",
                "rider_pk": rider_pk[t.rider_id],
                "bike_pk": None,
                "bike_code": t.bike_id,
                "vehicle_type_id": bike_type.get(t.bike_id),
                "start_station_id": t.start_station_id,
                "end_station_id": t.end_station_id,
                "start_time": t.start_time + shift,
                "end_time": t.end_time + shift,
                "status": "ended",
                "source": "demo",
                "credit_minutes": 0,
                "redirected_from": [],
                "plan_id": plan_id,
                "fare": fare,
            }
            for t, (plan_id, fare) in zip(trips, fares, strict=True)
        ],
    )
    # the money behind it: a top-up per rider and a charge per paid trip, one row per posting
    txns = [
        {
            "city_id": city.id,
            "system_pk": row.id,
            "txn_id": f"demo-topup-{r.rider_id}",
            "kind": "topup",
            "rider_pk": rider_pk[r.rider_id],
            "idempotency_key": f"demo:topup:{r.rider_id}",
            "reference": None,
            "memo": "demo",
            "created_at": now - timedelta(days=7 * weeks + 1),
        }
        for r in riders
    ]
    txns += [
        {
            "city_id": city.id,
            "system_pk": row.id,
            "txn_id": f"demo-fare-{t.trip_id}",
            "kind": "charge",
            "rider_pk": rider_pk[t.rider_id],
            "idempotency_key": f"fare:demo-{t.trip_id}",
            "reference": f"demo-{t.trip_id}",
            "memo": "demo",
            "created_at": t.end_time + shift,
        }
        for t, (_p, fare) in zip(trips, fares, strict=True)
        if fare > 0
    ]
    for k in range(0, len(txns), 5000):
        session.execute(BikeTransaction.__table__.insert(), txns[k : k + 5000])
    txn_pk = dict(
        session.execute(
            select(BikeTransaction.txn_id, BikeTransaction.id).where(BikeTransaction.system_pk == row.id)
        ).all()
    )
    postings = []
    for r in riders:
        pk = txn_pk[f"demo-topup-{r.rider_id}"]
        postings.append(
            {
                "transaction_pk": pk,
                "system_pk": row.id,
                "account": ledgers.wallet(r.rider_id),
                "amount": topup[r.rider_id],
            }
        )
        postings.append(
            {
                "transaction_pk": pk,
                "system_pk": row.id,
                "account": ledgers.external("sandbox"),
                "amount": -topup[r.rider_id],
            }
        )
    for t, (_p, fare) in zip(trips, fares, strict=True):
        if fare > 0:
            pk = txn_pk[f"demo-fare-{t.trip_id}"]
            postings.append({"transaction_pk": pk, "system_pk": row.id, "account": ledgers.RIDES, "amount": fare})
            postings.append(
                {
                    "transaction_pk": pk,
                    "system_pk": row.id,
                    "account": ledgers.wallet(t.rider_id),
                    "amount": -fare,
                }
            )
    for k in range(0, len(postings), 10000):
        session.execute(BikePosting.__table__.insert(), postings[k : k + 10000])
    tasks = 0
    for b in bikes:
        if b.status == "broken":
            session.add(
                BikeTask(
                    city_id=city.id,
                    system_pk=row.id,
                    task_id=f"demo-repair-{b.bike_id}",
                    kind="repair",
                    bike_id=b.bike_id,
                    station_id=b.station_id,
                    note=N_("Reported broken (demo data)"),
                    status="open",
                    priority=1,
                    created_at=now,
                )
            )
            tasks += 1
    session.flush()
    return {
        "system_id": row.system_id,
        "created": True,
        "stations": len(stations),
        "bikes": len(bikes),
        "riders": len(riders),
        "trips": len(trips),
        "tasks": tasks,
    }
