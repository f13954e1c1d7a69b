"""Who verifies where: the programme admin (``lorong.configure``) assigns kelurahan to the city's lurah; audited."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import DB_SESSION, authorize, optional_principal
from kotacerdas.http.schemas import problems
from kotacerdas.lorong.api import schemas
from kotacerdas.lorong.services import officers as svc

router = APIRouter(tags=["lorong: programmes"])


@router.get(
    "/lorong/officers/{city}",
    response_model=list[schemas.Officer],
    summary="The lurah of the city and the kelurahan each verifies (programme admin)",
    responses=problems(401, 403, 404),
)
def list_officers(
    city: str, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> list[dict]:
    """Every user with kelurahan assigned in the city, by username."""
    c = accounts.get_city(session, city)
    authorize(principal, "lorong.configure", c.id)
    return [o.as_dict() for o in svc.officers(session, c)]


@router.put(
    "/lorong/officers/{city}/{username}",
    response_model=schemas.Officer,
    summary="Set the kelurahan a lurah verifies (programme admin)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
def put_officer(
    city: str,
    username: str,
    body: schemas.OfficerSave,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """The kelurahan given replace those the user had. The user must hold the ``lurah`` role in the city (409
    otherwise); every code must be a kelurahan of the city. Audited as ``lorong.officer.assign``."""
    c = accounts.get_city(session, city)
    p = authorize(principal, "lorong.configure", c.id)
    return svc.assign(session, c, username, body.kelurahan_codes, by=p.user_id).as_dict()


@router.delete(
    "/lorong/officers/{city}/{username}",
    response_model=schemas.OfficerRemoved,
    summary="Take kelurahan (or all) from a lurah (programme admin)",
    responses=problems(401, 403, 404),
)
def delete_officer(
    city: str,
    username: str,
    kelurahan: list[str] | None = Query(None, description="Kelurahan codes to take; none: every one"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """The reports of those kelurahan are no longer theirs to verify. Audited as ``lorong.officer.remove``."""
    c = accounts.get_city(session, city)
    p = authorize(principal, "lorong.configure", c.id)
    return {"username": username, "removed": svc.remove(session, c, username, kelurahan, by=p.user_id)}
