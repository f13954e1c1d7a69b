"""Member cities: the public list and map, each city's profile and projects, its private contacts, and edits by
the city's own officer or the secretariat."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from kotacerdas.ascn.api.deps import record_city_id
from kotacerdas.ascn.api.schemas import CityEditors, CityOut, CityPatch, Contacts, ProjectOut
from kotacerdas.ascn.services import access, registry
from kotacerdas.ascn.store import records
from kotacerdas.ascn.store.tables import AscnProject
from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.geometry import feature_collection
from kotacerdas.http.deps import DB_SESSION, optional_principal
from kotacerdas.http.schemas import FeatureCollection, GeoJSONResponse, problems

router = APIRouter(tags=["ascn"])


class CityProperties(CityOut):
    """The properties of a member city on the map."""


@router.get("/ascn/cities", response_model=list[CityOut], summary="Member cities of the network (public)")
def list_cities(session: Session = DB_SESSION) -> list[dict]:
    """The 31 (or more) member cities with their country, year joined and number of projects, by country."""
    return records.cities(session)


@router.get(
    "/ascn/cities.geojson",
    response_class=GeoJSONResponse,
    response_model=FeatureCollection[CityProperties],
    summary="Member cities as GeoJSON points (public)",
)
def cities_map(session: Session = DB_SESSION) -> dict:
    """Every member city with a location, as a GeoJSON FeatureCollection of points (WGS84)."""
    features = [
        {
            "type": "Feature",
            "id": c["slug"],
            "geometry": {"type": "Point", "coordinates": [c["lon"], c["lat"]]},
            "properties": c,
        }
        for c in records.cities(session)
        if c["lon"] is not None and c["lat"] is not None
    ]
    return feature_collection(features, numberMatched=len(features), numberReturned=len(features))


@router.get(
    "/ascn/cities/{member}", response_model=CityOut, summary="One member city (public)", responses=problems(404)
)
def get_city(member: str, session: Session = DB_SESSION) -> dict:
    """A member city's public profile (its contacts are private: see ``/contacts``)."""
    city = registry.get_city(session, member)
    return records.city_detail(session, city)


@router.get(
    "/ascn/cities/{member}/projects",
    response_model=list[ProjectOut],
    summary="A member city's projects (public)",
    responses=problems(404),
)
def city_projects(member: str, session: Session = DB_SESSION) -> list[dict]:
    """The city's projects, oldest first."""
    from sqlalchemy import select

    city = registry.get_city(session, member)
    return records.projects(session, select(AscnProject).where(AscnProject.city_pk == city.id).order_by(AscnProject.id))


@router.get(
    "/ascn/cities/{member}/contacts",
    response_model=Contacts,
    summary="A member city's contacts (private)",
    responses=problems(401, 403, 404),
)
def city_contacts(
    member: str, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> dict:
    """The Chief Smart City Officer and National Representative: for the city's officer and the secretariat."""
    city = registry.get_city(session, member)
    access.require_contacts_reader(session, principal, city)
    return records.contacts(city)


@router.patch(
    "/ascn/cities/{member}",
    response_model=CityOut,
    summary="Change a member city's profile and contacts",
    responses=problems(400, 401, 403, 404, 422),
)
def update_city(
    member: str,
    body: CityPatch,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """The city's own smart-city officer (or administrator) or the secretariat edits the profile; audited."""
    city = registry.get_city(session, member)
    access.require_city_editor(session, principal, city)
    changes = body.model_dump(exclude_unset=True)
    registry.update_city(session, city, changes)
    accounts.audit(
        session,
        record_city_id(session, principal, city),
        principal.user_id,
        "ascn.city.update",
        member,
        fields=sorted(changes),
    )
    return records.city_detail(session, city)


@router.get(
    "/ascn/cities/{member}/editors",
    response_model=CityEditors,
    summary="The users named editors of a member city (secretariat)",
    responses=problems(401, 403, 404),
)
def list_city_editors(
    member: str, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> dict:
    """Named editors edit their member city as its officer does (profile, contacts, projects, imports of its rows),
    without a role in a platform city: the officers of a member city that runs no kotacerdas here."""
    access.require_secretariat(principal)
    city = registry.get_city(session, member)
    return {"city": city.slug, "editors": registry.city_editors(session, city)}


@router.put(
    "/ascn/cities/{member}/editors/{username}",
    response_model=CityEditors,
    summary="Name a user an editor of a member city (secretariat)",
    responses=problems(401, 403, 404),
)
def add_city_editor(
    member: str,
    username: str,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """The user may then edit this member city, and only this one; idempotent; audited."""
    who = access.require_secretariat(principal)
    city = registry.get_city(session, member)
    editors = registry.add_city_editor(session, city, username)
    accounts.audit(
        session, record_city_id(session, who, city), who.user_id, "ascn.city.editor.add", member,
        username=username,
    )  # fmt: skip
    return {"city": city.slug, "editors": editors}


@router.delete(
    "/ascn/cities/{member}/editors/{username}",
    response_model=CityEditors,
    summary="A user no longer edits a member city (secretariat)",
    responses=problems(401, 403, 404),
)
def remove_city_editor(
    member: str,
    username: str,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """The user's edits so far stay; audited."""
    who = access.require_secretariat(principal)
    city = registry.get_city(session, member)
    editors = registry.remove_city_editor(session, city, username)
    accounts.audit(
        session, record_city_id(session, who, city), who.user_id, "ascn.city.editor.remove", member,
        username=username,
    )  # fmt: skip
    return {"city": city.slug, "editors": editors}
