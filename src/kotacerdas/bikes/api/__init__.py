"""HTTP API of Bike Sharing under ``/api/v1/bikes``: public station data, rider flows, operator tools.

Thin routes: they parse the request, check the role once with
:func:`kotacerdas.http.deps.authorize` (``bikes.manage`` / ``bikes.read_private`` in the
system's city) and call :mod:`~kotacerdas.bikes.services.rentals` (rider transactions),
:mod:`~kotacerdas.bikes.services.stations` (operator writes, run through
:func:`~kotacerdas.bikes.services.rentals.run_write`) or :mod:`~kotacerdas.bikes.services.insights`.
A rider is any signed-in user with a rider account in the system; riders only ever see
their own rentals, wallet and payments. The endpoint list is in ``docs/bikes.md``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, File, Header, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.bikes import ledger as ledgers
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import feed_cache, fleet, insights, payments
from kotacerdas.bikes.services import rentals as service
from kotacerdas.bikes.services import stations as manage
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import (
    BikeAlert,
    BikePaymentIntent,
    BikePosting,
    BikePricingPlan,
    BikeRental,
    BikeReport,
    BikeRow,
    BikeStation,
    BikeSystem,
    BikeTask,
    BikeTransaction,
    BikeVehicleType,
)
from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.geometry import feature, feature_collection
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.http.deps import DB_SESSION, authorize, current_principal, language, optional_principal
from kotacerdas.http.pagination import Page, page_params
from kotacerdas.http.problems import problem
from kotacerdas.http.uploads import read_upload

router = APIRouter(prefix="/bikes", tags=["bikes"])
MANAGE, PRIVATE = "bikes.manage", "bikes.read_private"


# -- bodies ------------------------------------------------------------------------------------------


class RiderRegister(BaseModel):
    phone: str | None = Field(None, description="Mobile number, e.g. 0812 3456 7890 (not needed when signed in)")
    password: str | None = Field(None, min_length=8)
    name: str = ""
    language: str = "id"


class RiderLogin(BaseModel):
    phone: str
    password: str


class TopUp(BaseModel):
    amount: int = Field(gt=0, le=10_000_000, description="Rupiah")
    idempotency_key: str | None = Field(None, max_length=120)


class PassBuy(BaseModel):
    plan_id: str
    idempotency_key: str = Field(min_length=1, max_length=120)


class ReserveBody(BaseModel):
    bike_id: str


class RentBody(BaseModel):
    bike_id: str | None = None
    station_id: str | None = None


class EndBody(BaseModel):
    station_id: str
    broken: bool = False
    battery: float | None = Field(None, ge=0, le=1)
    note: str = ""


class ReportBody(BaseModel):
    bike_id: str
    note: str = Field("", max_length=2000)


class SystemBody(BaseModel):
    city: str
    system_id: str
    name: dict[str, str] | str
    operator: dict[str, str] | str | None = None
    short_name: dict[str, str] | None = None
    feed_contact_email: str | None = None
    timezone: str | None = None
    opening_hours: str | None = None
    url: str | None = None
    email: str | None = None
    phone_number: str | None = None
    license_url: str | None = None
    reserve_minutes: int = Field(15, ge=1, le=120)
    redirect_credit_minutes: int = Field(15, ge=0, le=120)


class SystemPatch(BaseModel):
    name: dict[str, str] | str | None = None
    operator: dict[str, str] | str | None = None
    feed_contact_email: str | None = None
    opening_hours: str | None = None
    url: str | None = None
    email: str | None = None
    phone_number: str | None = None
    license_url: str | None = None
    reserve_minutes: int | None = Field(None, ge=1, le=120)
    redirect_credit_minutes: int | None = Field(None, ge=0, le=120)


class StationBody(BaseModel):
    station_id: str | None = None
    name: dict[str, str] | str | None = None
    short_name: dict[str, str] | str | None = None
    lat: float | None = None
    lon: float | None = None
    capacity: int | None = Field(None, ge=0, le=500)
    num_docks_disabled: int | None = Field(None, ge=0)
    address: str | None = None
    region_id: str | None = None
    nearby: list[str] | None = None
    opening_hours: str | None = None
    is_charging_station: bool | None = None
    is_installed: bool | None = None
    is_renting: bool | None = None
    is_returning: bool | None = None


class BikeBody(BaseModel):
    bike_id: str = Field(min_length=1, max_length=64)
    vehicle_type_id: str
    station_id: str
    battery: float | None = Field(None, ge=0, le=1)


class BikePatch(BaseModel):
    status: str | None = None
    station_id: str | None = None
    battery: float | None = Field(None, ge=0, le=1)


class PlanBody(BaseModel):
    name: dict[str, str] | str | None = None
    description: dict[str, str] | str | None = None
    unlock_fee: int | None = None
    per_minute: int | None = None
    free_minutes: int | None = None
    day_pass_price: int | None = None
    pass_valid_minutes: int | None = None
    vehicle_type_ids: list[str] | None = None
    is_active: bool | None = None


class AlertBody(BaseModel):
    alert_id: str | None = None
    type: str = "other"
    summary: dict[str, str] | str
    description: dict[str, str] | str | None = None
    times: list[dict[str, str | None]] = []
    station_ids: list[str] = []
    region_ids: list[str] = []


class TaskBody(BaseModel):
    kind: str
    bike_id: str | None = None
    station_id: str | None = None
    note: str = ""
    priority: int = Field(2, ge=1, le=3)


class TaskPatch(BaseModel):
    status: str


# -- helpers ------------------------------------------------------------------------------------------


def _engine(request: Request):
    return request.app.state.engine


def _provider(request: Request) -> ledgers.SandboxProvider:
    return payments.sandbox_provider(request.app.state.settings.secret_key)


def _system(
    session: Session, system_id: str, principal: Principal | None = None, permission: str | None = None
) -> BikeSystem:
    system = st.get_system(session, system_id)
    if permission:
        authorize(principal, permission, system.city_id)
    return system


def _city_code(session: Session, city_id: int) -> str:
    return session.scalar(select(City.code).where(City.id == city_id))


def _manage(request: Request, principal: Principal, system_id: str, action: str, target: str, fn) -> Any:
    """Run an operator write in its own transaction, audited, after the role check in the system's city."""

    def body(s: Session):
        system = _system(s, system_id, principal, MANAGE)
        out = fn(s, system)
        accounts.audit(s, system.city_id, principal.user_id, action, target)
        return out

    return service.run_write(_engine(request), body, system_id=system_id)


def _paged(request: Request, page: Page, total: int, items: list) -> dict:
    return {"items": items, "total": total, "links": page.links(request, total)}


# -- public ---------------------------------------------------------------------------------------------


@router.get("/systems", summary="Bike-share systems (public)")
def list_systems(city: str | None = Query(None), session: Session = DB_SESSION) -> list[dict]:
    stmt = select(BikeSystem, City.code).join(City, City.id == BikeSystem.city_id).order_by(BikeSystem.system_id)
    if city:
        stmt = stmt.where(City.code == city)
    return [manage.system_json(s, code) for s, code in session.execute(stmt)]


@router.get("/systems/{system_id}", summary="One system with live totals (public)")
def get_system(system_id: str, session: Session = DB_SESSION) -> dict:
    system = st.get_system(session, system_id)
    out = manage.system_json(system, _city_code(session, system.city_id))
    out["stations"] = session.scalar(select(func.count()).where(BikeStation.system_pk == system.id))
    out["bikes_available"] = session.scalar(
        select(func.count()).where(BikeRow.system_pk == system.id, BikeRow.status == "available")
    )
    out["vehicle_types"] = [
        st.vehicle_type_model(v).__dict__ | {"name": v.name}
        for v in session.scalars(
            select(BikeVehicleType).where(BikeVehicleType.system_pk == system.id).order_by(BikeVehicleType.id)
        )
    ]
    return out


@router.get(
    "/systems/{system_id}/stations",
    summary="Stations with live counts as GeoJSON (public map data)",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def list_stations(system_id: str, session: Session = DB_SESSION):
    system = st.get_system(session, system_id)
    avail = insights.available_by_station(session, system)
    rows = session.scalars(
        select(BikeStation).where(BikeStation.system_pk == system.id).order_by(BikeStation.station_id)
    )
    feats = [feature(r.geom, manage.station_json(r, avail.get(r.id, {})), fid=r.station_id) for r in rows]
    return JSONResponse(feature_collection(feats), media_type="application/geo+json")


@router.get("/systems/{system_id}/stations/{station_id}", summary="One station with live counts (public)")
def get_station(system_id: str, station_id: str, session: Session = DB_SESSION) -> dict:
    system = st.get_system(session, system_id)
    row = st.get_station(session, system, station_id)
    out = manage.station_json(row, insights.available_by_station(session, system).get(row.id, {}))
    out["bikes"] = [
        {"bike_id": b.bike_id, "vehicle_type_id": vt, "status": b.status, "battery": b.battery}
        for b, vt in session.execute(
            select(BikeRow, BikeVehicleType.vehicle_type_id)
            .join(BikeVehicleType, BikeVehicleType.id == BikeRow.vehicle_type_pk)
            .where(BikeRow.station_pk == row.id, BikeRow.status == "available")
            .order_by(BikeRow.bike_id)
        )
    ]
    return out


@router.get("/systems/{system_id}/plans", summary="Pricing plans in rupiah (public)")
def list_plans(system_id: str, session: Session = DB_SESSION) -> list[dict]:
    system = st.get_system(session, system_id)
    return [
        manage.plan_json(p)
        for p in session.scalars(
            select(BikePricingPlan).where(BikePricingPlan.system_pk == system.id).order_by(BikePricingPlan.id)
        )
    ]


@router.get("/systems/{system_id}/alerts", summary="Alerts to riders (public, as in GBFS)")
def list_alerts(system_id: str, session: Session = DB_SESSION) -> list[dict]:
    system = st.get_system(session, system_id)
    return [
        manage.alert_json(a)
        for a in session.scalars(select(BikeAlert).where(BikeAlert.system_pk == system.id).order_by(BikeAlert.id))
    ]


# -- riders ------------------------------------------------------------------------------------------------


@router.post("/systems/{system_id}/riders", status_code=201, summary="Register as a rider (phone + password)")
def register(
    system_id: str,
    body: RiderRegister,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    rider, token = service.register_rider(
        _engine(request),
        system_id,
        phone=body.phone,
        password=body.password,
        name=body.name,
        language=body.language,
        user_id=principal.user_id if principal else None,
    )
    return {"rider": rider, "access_token": token, "token_type": "bearer" if token else None}


@router.post("/riders/token", summary="Sign in as a rider with phone number and password")
def rider_token(body: RiderLogin, request: Request) -> dict:
    return {
        "access_token": service.rider_login(_engine(request), body.phone, body.password),
        "token_type": "bearer",
    }


@router.get("/systems/{system_id}/me", summary="The rider's account: balance, debt, active rental, reservation")
def me(system_id: str, principal: Principal = Depends(current_principal), session: Session = DB_SESSION) -> dict:
    system = st.get_system(session, system_id)
    rider = st.rider_of_user(session, system, principal.user_id)
    out = service.rider_json(rider)
    active = session.scalar(select(BikeRental).where(BikeRental.rider_pk == rider.id, BikeRental.status == "active"))
    out["active_rental"] = service.rental_json(active) if active else None
    rentals, reservations, _ids, passes = service._rider_records(session, system, rider)
    now = datetime.now().astimezone()
    live = [r for r in reservations if r.expires_at > now]
    out["reservation"] = service.reservation_json(live[0]) if live else None
    valid = [p for p in passes if p.covers(now)]
    out["day_pass"] = (
        {
            "pass_id": valid[0].pass_id,
            "plan_id": valid[0].plan_id,
            "valid_until": valid[0].valid_until.isoformat(),
        }
        if valid
        else None
    )
    return out


@router.get("/systems/{system_id}/me/rentals", summary="The rider's trip history")
def my_rentals(
    system_id: str,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal = Depends(current_principal),
    session: Session = DB_SESSION,
) -> dict:
    system = st.get_system(session, system_id)
    rider = st.rider_of_user(session, system, principal.user_id)
    stmt = select(BikeRental).where(BikeRental.rider_pk == rider.id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(BikeRental.start_time.desc(), BikeRental.id.desc()).limit(page.limit).offset(page.offset)
    )
    return _paged(request, page, total, [service.rental_json(r) for r in rows])


@router.get("/systems/{system_id}/me/transactions", summary="The rider's wallet statement")
def my_transactions(
    system_id: str,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal = Depends(current_principal),
    session: Session = DB_SESSION,
) -> dict:
    system = st.get_system(session, system_id)
    rider = st.rider_of_user(session, system, principal.user_id)
    stmt = (
        select(BikeTransaction, BikePosting.amount)
        .join(BikePosting, BikePosting.transaction_pk == BikeTransaction.id)
        .where(BikeTransaction.rider_pk == rider.id, BikePosting.account == ledgers.wallet(rider.rider_id))
    )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(stmt.order_by(BikeTransaction.id.desc()).limit(page.limit).offset(page.offset))
    items = [
        {
            "txn_id": t.txn_id,
            "kind": t.kind,
            "amount": int(a),
            "reference": t.reference,
            "at": t.created_at.isoformat(),
        }
        for t, a in rows
    ]
    out = _paged(request, page, total, items)
    out["balance"], out["debt"] = int(rider.wallet), int(rider.debt)
    return out


@router.post("/systems/{system_id}/me/topups", status_code=201, summary="Top up: a payment intent with a QRIS code")
def create_topup(
    system_id: str,
    body: TopUp,
    request: Request,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
    principal: Principal = Depends(current_principal),
) -> dict:
    key = body.idempotency_key or idempotency_key
    if not key:
        raise BikesError(N_("an idempotency key is required"), field="idempotency_key")
    return payments.create_topup(_engine(request), _provider(request), system_id, principal.user_id, body.amount, key)


@router.get("/systems/{system_id}/me/topups/{intent_id}", summary="One of the rider's payment intents")
def get_topup(
    system_id: str,
    intent_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = DB_SESSION,
) -> dict:
    system = st.get_system(session, system_id)
    rider = st.rider_of_user(session, system, principal.user_id)
    row = session.scalar(
        select(BikePaymentIntent).where(
            BikePaymentIntent.intent_id == intent_id, BikePaymentIntent.rider_pk == rider.id
        )
    )
    if row is None:
        raise BikesError(N_("unknown payment {intent}"), field="intent_id", status=404, intent=intent_id)
    return payments.intent_json(row)


@router.post(
    "/systems/{system_id}/me/topups/{intent_id}/sandbox-pay",
    summary="Sandbox only: pay the intent as the banking app would, then deliver the webhook",
)
def sandbox_pay(
    system_id: str, intent_id: str, request: Request, principal: Principal = Depends(current_principal)
) -> dict:
    return payments.sandbox_pay(_engine(request), _provider(request), system_id, principal.user_id, intent_id)


@router.post("/payments/sandbox/webhook", summary="Payment provider webhook (HMAC-SHA256 in X-Signature)")
async def payment_webhook(request: Request, x_signature: str = Header("", alias="X-Signature")) -> dict:
    from starlette.concurrency import run_in_threadpool

    raw = await request.body()
    return await run_in_threadpool(payments.confirm_payment, _engine(request), _provider(request), raw, x_signature)


@router.post("/systems/{system_id}/me/passes", status_code=201, summary="Buy a day pass from the wallet")
def buy_pass(system_id: str, body: PassBuy, request: Request, principal: Principal = Depends(current_principal)):
    return payments.buy_pass(_engine(request), system_id, principal.user_id, body.plan_id, body.idempotency_key)


@router.post("/systems/{system_id}/me/reservation", status_code=201, summary="Hold a bike for a few minutes")
def reserve(
    system_id: str, body: ReserveBody, request: Request, principal: Principal = Depends(current_principal)
) -> dict:
    return service.reserve(_engine(request), system_id, principal.user_id, body.bike_id)


@router.delete("/systems/{system_id}/me/reservation", summary="Cancel the reservation")
def cancel(system_id: str, request: Request, principal: Principal = Depends(current_principal)) -> dict:
    return service.cancel_reservation(_engine(request), system_id, principal.user_id)


@router.post(
    "/systems/{system_id}/me/rentals",
    status_code=201,
    summary="Rent: a named bike, the reserved bike, or any available bike at a station",
)
def rent(system_id: str, body: RentBody, request: Request, principal: Principal = Depends(current_principal)):
    return service.rent(
        _engine(request), system_id, principal.user_id, bike_id=body.bike_id, station_id=body.station_id
    )


@router.post(
    "/systems/{system_id}/me/rentals/current/end",
    summary="End the ride at a station (409 at a full station, naming the nearest one with space)",
)
def end(system_id: str, body: EndBody, request: Request, principal: Principal = Depends(current_principal)):
    try:
        return service.end_rental(
            _engine(request),
            system_id,
            principal.user_id,
            body.station_id,
            broken=body.broken,
            battery=body.battery,
            note=body.note,
        )
    except BikesError as exc:
        if exc.status != 409 or "nearest" not in exc.params:
            raise
        lang = language(request)
        return problem(
            request,
            409,
            exc.render(lang),
            field="station_id",
            station_id=body.station_id,
            nearest_station_id=exc.params.get("nearest"),
            distance_m=exc.params.get("distance"),
            credit_minutes=exc.params.get("credit_minutes", 0),
            total_credit_minutes=exc.params.get("total_credit_minutes", 0),
        )


@router.post("/systems/{system_id}/reports", status_code=201, summary="Report a broken bike (any signed-in user)")
def report(
    system_id: str, body: ReportBody, request: Request, principal: Principal = Depends(current_principal)
) -> dict:
    return service.report_broken(_engine(request), system_id, body.bike_id, user_id=principal.user_id, note=body.note)


# -- operators ------------------------------------------------------------------------------------------------


@router.post("/systems", status_code=201, summary="Create a system in a city (operator)")
def create_system(body: SystemBody, request: Request, principal: Principal | None = Depends(optional_principal)):
    def fn(s: Session):
        city = accounts.get_city(s, body.city)
        authorize(principal, MANAGE, city.id)
        row = manage.create_system(s, city, body.model_dump())
        accounts.audit(s, city.id, principal.user_id, "bikes.system.create", row.system_id)
        return manage.system_json(row, city.code)

    out = service.run_write(_engine(request), fn, system_id=body.system_id)
    feed_cache.invalidate("__manifest__")
    return out


@router.patch("/systems/{system_id}", summary="Change a system (operator)")
def patch_system(
    system_id: str,
    body: SystemPatch,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    out = _manage(
        request,
        principal,
        system_id,
        "bikes.system.update",
        system_id,
        lambda s, system: manage.system_json(
            manage.update_system(s, system, body.model_dump(exclude_none=True)), _city_code(s, system.city_id)
        ),
    )
    feed_cache.invalidate("__manifest__")
    return out


@router.post("/systems/{system_id}/stations", status_code=201, summary="Create or replace a station (operator)")
def post_station(
    system_id: str,
    body: StationBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    data = body.model_dump(exclude_unset=True)
    return _manage(
        request,
        principal,
        system_id,
        "bikes.station.save",
        str(data.get("station_id")),
        lambda s, system: manage.station_json(manage.upsert_station(s, system, data)[0]),
    )


@router.patch("/systems/{system_id}/stations/{station_id}", summary="Change a station (operator)")
def patch_station(
    system_id: str,
    station_id: str,
    body: StationBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    data = body.model_dump(exclude_unset=True) | {"station_id": station_id}

    def fn(s: Session, system: BikeSystem):
        st.get_station(s, system, station_id)
        return manage.station_json(manage.upsert_station(s, system, data)[0])

    return _manage(request, principal, system_id, "bikes.station.save", station_id, fn)


@router.delete("/systems/{system_id}/stations/{station_id}", status_code=204, summary="Remove an empty station")
def delete_station(
    system_id: str,
    station_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
):
    _manage(
        request,
        principal,
        system_id,
        "bikes.station.delete",
        station_id,
        lambda s, system: manage.delete_station(s, system, station_id),
    )
    return JSONResponse(None, status_code=204)


@router.post("/systems/{system_id}/stations/import", summary="Import stations from CSV or GeoJSON (operator)")
async def import_stations(
    system_id: str,
    request: Request,
    file: UploadFile = File(...),
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    from starlette.concurrency import run_in_threadpool

    data = await read_upload(file)
    return await run_in_threadpool(
        _manage,
        request,
        principal,
        system_id,
        "bikes.stations.import",
        file.filename or "",
        lambda s, system: manage.import_stations(s, system, data, file.filename or ""),
    )


@router.get("/systems/{system_id}/bikes", summary="Every bike with status and battery (operator)")
def list_bikes(
    system_id: str,
    request: Request,
    status: str | None = None,
    station_id: str | None = None,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    system = _system(session, system_id, principal, PRIVATE)
    sid = st.station_ids(session, system)
    stmt = (
        select(BikeRow, BikeVehicleType.vehicle_type_id)
        .join(BikeVehicleType, BikeVehicleType.id == BikeRow.vehicle_type_pk)
        .where(BikeRow.system_pk == system.id)
    )
    if status:
        stmt = stmt.where(BikeRow.status == status)
    if station_id:
        stmt = stmt.where(BikeRow.station_pk == st.get_station(session, system, station_id).id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(stmt.order_by(BikeRow.bike_id).limit(page.limit).offset(page.offset))
    items = [
        {
            "bike_id": b.bike_id,
            "vehicle_type_id": vt,
            "status": b.status,
            "station_id": sid.get(b.station_pk),
            "battery": b.battery,
            "lat": b.lat,
            "lon": b.lon,
            "last_reported": b.last_reported.isoformat(),
        }
        for b, vt in rows
    ]
    return _paged(request, page, total, items)


@router.post("/systems/{system_id}/bikes", status_code=201, summary="Put a new bike into service (operator)")
def add_bike(
    system_id: str,
    body: BikeBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    with request.app.state.sessions() as s:
        _system(s, system_id, principal, MANAGE)
    return fleet.add_bike(
        _engine(request), system_id, body.bike_id, body.vehicle_type_id, body.station_id, battery=body.battery
    )


@router.patch("/systems/{system_id}/bikes/{bike_id}", summary="Change a bike's status, station or battery")
def patch_bike(
    system_id: str,
    bike_id: str,
    body: BikePatch,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    with request.app.state.sessions() as s:
        system = _system(s, system_id, principal, MANAGE)
        city_id = system.city_id
    out = fleet.set_bike(
        _engine(request),
        system_id,
        bike_id,
        status=body.status,
        station_id=body.station_id,
        battery=body.battery,
    )
    with request.app.state.sessions() as s:
        accounts.audit(
            s, city_id, principal.user_id, "bikes.bike.update", bike_id, **body.model_dump(exclude_none=True)
        )
        s.commit()
    return out


@router.put("/systems/{system_id}/plans/{plan_id}", summary="Create or change a pricing plan (operator)")
def put_plan(
    system_id: str,
    plan_id: str,
    body: PlanBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    data = body.model_dump(exclude_unset=True) | {"plan_id": plan_id}
    return _manage(
        request,
        principal,
        system_id,
        "bikes.plan.save",
        plan_id,
        lambda s, system: manage.plan_json(manage.upsert_plan(s, system, data)),
    )


@router.post("/systems/{system_id}/alerts", status_code=201, summary="Publish or change an alert (operator)")
def post_alert(
    system_id: str,
    body: AlertBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    return _manage(
        request,
        principal,
        system_id,
        "bikes.alert.save",
        body.alert_id or "",
        lambda s, system: manage.alert_json(manage.upsert_alert(s, system, body.model_dump())),
    )


@router.delete("/systems/{system_id}/alerts/{alert_id}", status_code=204, summary="Withdraw an alert (operator)")
def delete_alert(
    system_id: str, alert_id: str, request: Request, principal: Principal | None = Depends(optional_principal)
):
    _manage(
        request,
        principal,
        system_id,
        "bikes.alert.delete",
        alert_id,
        lambda s, system: manage.delete_alert(s, system, alert_id),
    )
    return JSONResponse(None, status_code=204)


@router.get("/systems/{system_id}/tasks", summary="Field team tasks (operator)")
def list_tasks(
    system_id: str,
    request: Request,
    status: str | None = None,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    system = _system(session, system_id, principal, PRIVATE)
    stmt = select(BikeTask).where(BikeTask.system_pk == system.id)
    if status:
        stmt = stmt.where(BikeTask.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(BikeTask.status, BikeTask.priority, BikeTask.created_at).limit(page.limit).offset(page.offset)
    )
    return _paged(request, page, total, [fleet.task_json(t) for t in rows])


@router.post("/systems/{system_id}/tasks", status_code=201, summary="Open a task (operator)")
def post_task(
    system_id: str,
    body: TaskBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    with request.app.state.sessions() as s:
        _system(s, system_id, principal, MANAGE)
    return fleet.create_task(
        _engine(request),
        system_id,
        body.kind,
        bike_id=body.bike_id,
        station_id=body.station_id,
        note=body.note,
        priority=body.priority,
    )


@router.patch("/systems/{system_id}/tasks/{task_id}", summary="Start or close a task (operator)")
def patch_task(
    system_id: str,
    task_id: str,
    body: TaskPatch,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    with request.app.state.sessions() as s:
        _system(s, system_id, principal, MANAGE)
    return fleet.update_task(_engine(request), system_id, task_id, body.status)


@router.get("/systems/{system_id}/reports", summary="Broken-bike reports (operator)")
def list_reports(
    system_id: str,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    system = _system(session, system_id, principal, PRIVATE)
    stmt = (
        select(BikeReport, BikeRow.bike_id)
        .join(BikeRow, BikeRow.id == BikeReport.bike_pk)
        .where(BikeReport.system_pk == system.id)
    )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(stmt.order_by(BikeReport.id.desc()).limit(page.limit).offset(page.offset))
    return _paged(
        request,
        page,
        total,
        [{"bike_id": b, "note": r.note, "task_id": r.task_id, "at": r.created_at.isoformat()} for r, b in rows],
    )


@router.get("/systems/{system_id}/rentals", summary="Every rental and imported trip (operator)")
def list_rentals(
    system_id: str,
    request: Request,
    status: str | None = None,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    system = _system(session, system_id, principal, PRIVATE)
    stmt = select(BikeRental).where(BikeRental.system_pk == system.id)
    if status:
        stmt = stmt.where(BikeRental.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(BikeRental.start_time.desc(), BikeRental.id.desc()).limit(page.limit).offset(page.offset)
    )
    return _paged(request, page, total, [service.rental_json(r) for r in rows])


@router.post("/systems/{system_id}/trips/import", summary="Import a trip history CSV (operator, idempotent)")
async def import_trips(
    system_id: str,
    request: Request,
    file: UploadFile = File(...),
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    from starlette.concurrency import run_in_threadpool

    data = await read_upload(file)
    return await run_in_threadpool(
        _manage,
        request,
        principal,
        system_id,
        "bikes.trips.import",
        file.filename or "",
        lambda s, system: manage.import_trips(s, system, data, file.filename or "", principal.user_id),
    )


@router.get("/systems/{system_id}/dashboard", summary="Operator figures: trips, revenue, empty/full stations")
def dashboard(
    system_id: str,
    days: int = Query(14, ge=1, le=90),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    system = _system(session, system_id, principal, PRIVATE)
    return insights.dashboard(session, system, days=days)


@router.get("/systems/{system_id}/forecast", summary="Expected pickups and returns per station and hour")
def forecast(
    system_id: str,
    hours: int = Query(6, ge=1, le=48),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    system = _system(session, system_id, principal, PRIVATE)
    return insights.forecast_json(session, system, hours=hours)


@router.get("/systems/{system_id}/rebalancing", summary="Rebalancing plan: station needs and van routes")
def rebalancing(
    system_id: str,
    hours: int = Query(6, ge=1, le=24),
    trucks: int = Query(2, ge=1, le=10),
    capacity: int = Query(14, ge=1, le=60),
    shift_minutes: int = Query(180, ge=30, le=720),
    depot: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    system = _system(session, system_id, principal, PRIVATE)
    return insights.rebalancing_plan(
        session,
        system,
        hours=hours,
        trucks=trucks,
        truck_capacity=capacity,
        shift_minutes=shift_minutes,
        depot=depot,
    )


@router.get("/systems/{system_id}/invariants", summary="Recompute money, docks and rental invariants (operator)")
def invariants(
    system_id: str,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    system = _system(session, system_id, principal, PRIVATE)
    problems = st.check_invariants(session, system)
    return {"ok": not problems, "problems": problems}
