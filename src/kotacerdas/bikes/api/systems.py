"""Bike-share systems: the list and one system (public), creating and changing one (operators)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from kotacerdas.bikes.api import schemas as sc
from kotacerdas.bikes.api.deps import MANAGE, engine, manager, system_for
from kotacerdas.bikes.services import systems
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import READ_SESSION, authorize, optional_principal
from kotacerdas.http.schemas import problems

router = APIRouter()


@router.get("/systems", response_model=list[sc.System], summary="Bike-share systems (public)", responses=problems(422))
def list_systems(
    city: str | None = Query(None, description="Only the systems of this city (code, e.g. 35.10)"),
    session: Session = READ_SESSION,
) -> list[dict]:
    """Every bike-share system on the platform, or those of one city, by system id."""
    return systems.systems(session, city)


@router.get(
    "/systems/{system_id}",
    response_model=sc.SystemDetail,
    summary="One system with live totals (public)",
    responses=sc.PUBLIC,
)
def get_system(system_id: str, session: Session = READ_SESSION) -> dict:
    """A system with its number of stations, the bikes available now and its vehicle types."""
    return systems.system_detail(session, system_for(session, system_id))


@router.post(
    "/systems",
    status_code=201,
    response_model=sc.System,
    summary="Create a system in a city (operator)",
    responses=sc.OPERATOR_WRITE,
)
def create_system(
    body: sc.SystemBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """A new system in the city ``city`` (``bikes.manage`` there): ``system_id`` lower-case letters, digits,
    ``-`` and ``_``, unique on the platform (409 when taken); audited, and in the GBFS manifest at once."""
    city = systems.city_of(session, body.city)
    user = authorize(principal, MANAGE, city.id)
    return systems.create(engine(request), city.code, body.model_dump(), user_id=user.user_id)


@router.patch(
    "/systems/{system_id}",
    response_model=sc.System,
    summary="Change a system (operator)",
    responses=sc.OPERATOR_WRITE,
)
def patch_system(
    system_id: str,
    body: sc.SystemPatch,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Change the fields given of a system (``bikes.manage`` in its city); audited."""
    user = manager(session, system_id, principal)
    return systems.change(engine(request), system_id, body.model_dump(exclude_none=True), user_id=user.user_id)
