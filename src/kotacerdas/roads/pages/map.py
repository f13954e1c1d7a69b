"""The road condition map: ``/roads?city=35.10``.

The segments coloured by Bina Marga class, the events and the survey coverage (Leaflet,
data from the public API), with filters by date and class, beside the city's totals, its
longest roads and its kecamatan.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import cities_and_current, render
from kotacerdas.roads.charts import class_legend
from kotacerdas.roads.store import condition

router = APIRouter(include_in_schema=False)
ROADS_LISTED = 30


@router.get("/roads", response_class=HTMLResponse)
def roads_map(
    request: Request,
    city: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The map page of a city's road condition."""
    cities, current = cities_and_current(session, city)
    lang = language(request)
    ctx: dict = {"cities": cities, "city": current, "classes": class_legend(lang)}
    if current is not None:
        totals = condition.city_totals(session, current.id)
        ctx["totals"] = totals.as_dict()
        ctx["surveyed_km"] = condition.surveyed_km(session, current.id)
        ctx["roads"] = condition.road_totals(session, current.id, limit=ROADS_LISTED)
        ctx["districts"] = condition.district_totals(session, current.id)
        ctx["can_report"] = principal is not None and principal.can("roads.report", current.id)
    return render(request, "roads/map.html", principal, **ctx)
