"""The road condition map: ``/roads?city=35.10``.

The segments coloured by Bina Marga class (by IRI, SDI or both combined), the events, the survey coverage and
the damage found by the camera (Leaflet, data from the public API; the damage layer is ``roads-damage.js``), with
filters by date, class, damage code, confidence, status and (for the city's staff) vehicle, beside the city's
totals, its longest roads and its kecamatan.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import cities_and_current, render
from kotacerdas.roads.charts import class_legend
from kotacerdas.roads.services.vehicles import city_vehicles
from kotacerdas.roads.store import condition

router = APIRouter(include_in_schema=False)
SHOWN_CODES = ("D00", "D10", "D20", "D40")


def damage_legend(lang: str) -> dict:
    """The damage codes and statuses of the map's damage filter, labelled in ``lang``."""
    from kotacerdas.core.i18n import gettext
    from kotacerdas.roads.damage import STATUS_LABELS
    from kotacerdas.roads.models import DAMAGE_CODES

    return {
        "damage_codes": [{"code": c, "label": gettext(DAMAGE_CODES[c], lang)} for c in SHOWN_CODES],
        "damage_statuses": [{"code": k, "label": gettext(v, lang)} for k, v in STATUS_LABELS.items()],
    }


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
    ctx: dict = {"cities": cities, "city": current, "classes": class_legend(lang), **damage_legend(lang)}
    if current is not None:
        totals = condition.city_totals(session, current.id)
        ctx["totals"] = totals.as_dict()
        ctx["surveyed_km"] = condition.surveyed_km(session, current.id)
        ctx["roads"] = condition.road_totals(session, current.id, limit=ROADS_LISTED)
        ctx["districts"] = condition.district_totals(session, current.id)
        ctx["can_report"] = principal is not None and principal.can("roads.report", current.id)
        ctx["can_private"] = principal is not None and principal.can("roads.read_private", current.id)
        if ctx["can_private"]:
            ctx["vehicles"] = [v.code for v in city_vehicles(session, current.id)]
    return render(request, "roads/map.html", principal, **ctx)
