"""A road's page: ``/roads/road/<name or segment id>?city=35.10``.

An SVG chart of IRI along the road's length (rendered on the server), its totals and its segments.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy.orm import Session

from kotacerdas.core.auth import Principal
from kotacerdas.core.charts import responsive
from kotacerdas.core.errors import NotFound
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import cities_and_current, render
from kotacerdas.roads.bina_marga import BOUNDARIES_M_PER_KM, RoadClass
from kotacerdas.roads.charts import class_legend, road_chart_svg
from kotacerdas.roads.store import condition

router = APIRouter(include_in_schema=False)


@router.get("/roads/road/{key:path}", response_class=HTMLResponse)
def road_page(
    key: str,
    request: Request,
    city: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The page of one road (404 page when the city has no such road)."""
    cities, current = cities_and_current(session, city, request)
    prof = condition.road_profile(session, current.id, key) if current else None
    lang = language(request)
    if prof is None:
        detail = NotFound(N_("No road {road} in this city"), road=key).render(lang)
        return render(request, "error.html", principal, status=404, title=gettext("Not found", lang), detail=detail)
    chart = Markup(  # numbers and escaped text only (core.charts)
        responsive(
            lambda width, chart_id: road_chart_svg(
                prof.key, prof.bars, lang, length_m=prof.length_m, width=width, chart_id=chart_id
            ),
            wide=760,
            chart_id="iri-chart",
        )
    )
    return render(
        request,
        "roads/road.html",
        principal,
        cities=cities,
        city=current,
        road=prof,
        totals=prof.totals.as_dict(),
        chart=chart,
        classes=class_legend(lang),
        labels={c.value: c.label(lang) for c in RoadClass},
        limits=BOUNDARIES_M_PER_KM,
    )
