"""The rider's API: sign-up and sign-in by phone number, the account, reserve, rent, return, trips, reports.

A rider is any signed-in user with a rider account in the system; riders only ever see their own
rentals, wallet and payments. The rider transactions are :mod:`kotacerdas.bikes.services.rentals`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from kotacerdas.bikes.api import schemas as sc
from kotacerdas.bikes.api.deps import engine, page_of, system_for
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import rentals
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import DB_SESSION, client_address, current_principal, language, optional_principal
from kotacerdas.http.pagination import Page, Paged, page_params
from kotacerdas.http.problems import problem
from kotacerdas.http.schemas import problems

router = APIRouter()


@router.post(
    "/systems/{system_id}/riders",
    status_code=201,
    response_model=sc.Registered,
    summary="Register as a rider (phone + password)",
    responses=sc.RIDER,
)
def register(
    system_id: str,
    body: sc.RiderRegister,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    """Open a rider account: a new user named by the mobile number (``0812 3456 7890``, ``+62...``) with a
    password of at least 8 characters, answered with a bearer token; or, signed in, for the signed-in user
    (no token). A second account in the same system is a 409."""
    rider, token = rentals.register_rider(
        engine(request),
        system_id,
        phone=body.phone,
        password=body.password,
        name=body.name,
        language=body.language,
        user_id=principal.user_id if principal else None,
        address=client_address(request),
    )
    return {"rider": rider, "access_token": token, "token_type": "bearer" if token else None}


@router.post(
    "/riders/token",
    response_model=sc.Token,
    summary="Sign in as a rider with phone number and password",
    responses=problems(400, 401, 422, 429),
)
def rider_token(body: sc.RiderLogin, request: Request) -> dict:
    """A bearer token for the rider with this mobile number and password (401 when they do not match)."""
    token = rentals.rider_login(engine(request), body.phone, body.password, address=client_address(request))
    return {"access_token": token, "token_type": "bearer"}


@router.get(
    "/systems/{system_id}/me",
    response_model=sc.Account,
    summary="The rider's account: balance, debt, active rental, reservation",
    responses=sc.RIDER_READ,
)
def me(system_id: str, principal: Principal = Depends(current_principal), session: Session = DB_SESSION) -> dict:
    """The signed-in rider's balance and debt, the active rental, a live reservation and a valid day pass."""
    return rentals.rider_account(session, system_for(session, system_id), principal.user_id)


@router.get(
    "/systems/{system_id}/me/rentals",
    response_model=Paged[sc.Rental],
    summary="The rider's trip history",
    responses=sc.RIDER_READ,
)
def my_rentals(
    system_id: str,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal = Depends(current_principal),
    session: Session = DB_SESSION,
) -> dict:
    """The signed-in rider's rentals, the latest first, paged with ``limit`` and ``offset``."""
    listing = rentals.rider_rentals(session, system_for(session, system_id), principal.user_id)
    return page_of(session, listing, page, request)


@router.post(
    "/systems/{system_id}/me/reservation",
    status_code=201,
    response_model=sc.Reservation,
    summary="Hold a bike for a few minutes",
    responses=sc.RIDER,
)
def reserve(
    system_id: str, body: sc.ReserveBody, request: Request, principal: Principal = Depends(current_principal)
) -> dict:
    """Hold a docked, available bike (by ``bike_id``, or by the ``vehicle_id`` its station shows) for the
    system's reservation time (15 minutes by default): one reservation and one ride per rider, e-bikes with at
    least 20 % battery (409 otherwise)."""
    return rentals.reserve(engine(request), system_id, principal.user_id, body.bike_id, vehicle_id=body.vehicle_id)


@router.delete(
    "/systems/{system_id}/me/reservation",
    response_model=sc.Reservation,
    summary="Cancel the reservation",
    responses=problems(401, 403, 404, 409, 422),
)
def cancel(system_id: str, request: Request, principal: Principal = Depends(current_principal)) -> dict:
    """Cancel the rider's reservation and free the bike (404 when the rider holds none)."""
    return rentals.cancel_reservation(engine(request), system_id, principal.user_id)


@router.post(
    "/systems/{system_id}/me/rentals",
    status_code=201,
    response_model=sc.Rental,
    summary="Rent: a named bike, the reserved bike, or any available bike at a station",
    responses={**sc.RIDER, **problems(402)},
)
def rent(system_id: str, body: sc.RentBody, request: Request, principal: Principal = Depends(current_principal)):
    """Unlock a bike: the one named (``bike_id``, or the ``vehicle_id`` its station shows), the rider's reserved
    one (an empty body), or an available bike at ``station_id`` (of ``vehicle_type_id`` when given; else a
    classic bike first, then the best charged e-bike). 409 when the bike was taken a moment earlier or none is
    left at the station, 402 when the wallet cannot pay the unlock fee or the rider has debt."""
    bike_id = body.bike_id
    if bike_id is None and body.vehicle_id is not None:
        bike_id = rentals.bike_of_vehicle(engine(request), system_id, body.vehicle_id)
    return rentals.rent(
        engine(request),
        system_id,
        principal.user_id,
        bike_id=bike_id,
        station_id=body.station_id,
        vehicle_type_id=body.vehicle_type_id,
    )


@router.post(
    "/systems/{system_id}/me/rentals/current/end",
    response_model=sc.RideEnded,
    summary="End the ride at a station (409 at a full station, naming the nearest one with space)",
    responses=sc.RIDE_END,
)
def end(system_id: str, body: sc.EndBody, request: Request, principal: Principal = Depends(current_principal)):
    """Dock the bike at ``station_id``, price the ride and charge the wallet (what it cannot pay becomes debt).
    A full or closed station answers 409 with ``nearest_station_id``, ``distance_m`` and the free minutes
    granted to ride there (``credit_minutes``, once per full station)."""
    try:
        return rentals.end_rental(
            engine(request),
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
        return _full_station(request, exc, body.station_id)


def _full_station(request: Request, exc: BikesError, station_id: str) -> JSONResponse:
    """The 409 problem of a full station, with where to ride on (:data:`~kotacerdas.bikes.api.schemas.RIDE_END`)."""
    return problem(
        request,
        409,
        exc.render(language(request)),
        field="station_id",
        station_id=station_id,
        nearest_station_id=exc.params.get("nearest"),
        distance_m=exc.params.get("distance"),
        credit_minutes=exc.params.get("credit_minutes", 0),
        total_credit_minutes=exc.params.get("total_credit_minutes", 0),
    )


@router.post(
    "/systems/{system_id}/reports",
    status_code=201,
    response_model=sc.ReportMade,
    summary="Report a broken bike (any signed-in user)",
    responses=sc.RIDER,
)
def report(
    system_id: str, body: sc.ReportBody, request: Request, principal: Principal = Depends(current_principal)
) -> dict:
    """Report a docked bike broken: it is taken out of service and a priority-1 repair task opens."""
    return rentals.report_broken(engine(request), system_id, body.bike_id, user_id=principal.user_id, note=body.note)
