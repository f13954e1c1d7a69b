"""Road Manager web pages: the road condition map and a road's page with its IRI chart.

``/roads?city=35.10`` draws the segments coloured by Bina Marga class, the events and
the survey coverage (Leaflet, data from the public API), with filters by date and
class. ``/roads/road/<name or segment id>?city=35.10`` shows a road: an SVG chart of
IRI along its length (rendered on the server), its totals and its segments.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy.orm import Session

from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import NotFound
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import cities_and_current, render
from kotacerdas.roads.api.segments import chart_for
from kotacerdas.roads.bina_marga import RoadClass
from kotacerdas.roads.charts import CLASS_COLOURS
from kotacerdas.roads.store import condition

router = APIRouter(include_in_schema=False)


def _classes(lang: str) -> list[dict]:
    return [{"code": c.value, "label": c.label(lang), "colour": CLASS_COLOURS[c.value]} for c in RoadClass]


@router.get("/roads", response_class=HTMLResponse)
def roads_map(
    request: Request,
    city: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    cities, current = cities_and_current(session, city)
    lang = language(request)
    ctx: dict = {"cities": cities, "city": current, "classes": _classes(lang)}
    if current is not None:
        totals = condition.city_totals(session, current.id)
        ctx["totals"] = totals.as_dict()
        ctx["surveyed_km"] = condition.surveyed_km(session, current.id)
        ctx["roads"] = condition.road_totals(session, current.id)[:30]
        ctx["districts"] = condition.district_totals(session, current.id)
        ctx["can_report"] = principal is not None and principal.can("roads.report", current.id)
    return render(request, "roads/map.html", principal, **ctx)


@router.get("/roads/road/{key:path}", response_class=HTMLResponse)
def road_page(
    key: str,
    request: Request,
    city: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    cities, current = cities_and_current(session, city)
    prof = condition.road_profile(session, current.id, key) if current else None
    lang = language(request)
    if prof is None:
        detail = NotFound(N_("No road {road} in this city"), road=key).render(lang)
        return render(request, "error.html", principal, status=404, title=gettext("Not found", lang), detail=detail)
    chart = Markup(chart_for(prof, lang))  # built from escaped text only (see charts.iri_chart_svg)
    return render(
        request,
        "roads/road.html",
        principal,
        cities=cities,
        city=current,
        road=prof,
        totals=prof.totals.as_dict(),
        chart=chart,
        classes=_classes(lang),
        labels={c.value: c.label(lang) for c in RoadClass},
    )
