"""A road's page: ``/roads/road/<name or segment id>?city=35.10``.

An SVG chart of IRI along the road's length (rendered on the server), its totals and its segments, each with its
IRI, its SDI and the combined class (IRI x SDI, :func:`kotacerdas.roads.store.damage.combined_conditions`) saying
what the class rests on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
from kotacerdas.roads.sdi import Condition
from kotacerdas.roads.store import condition, damage

router = APIRouter(include_in_schema=False)


def _with_condition(segment: dict[str, Any], c: Condition, lang: str) -> dict[str, Any]:
    """A row of the segment table: the segment with its SDI, its combined class and what that rests on."""
    return {
        **segment,
        "sdi": c.sdi,
        "sdi_class": c.sdi_class.value if c.sdi_class else None,
        "combined": c.road_class.value if c.road_class else None,
        "basis": c.basis,
        "notes": [gettext(n, lang) for n in c.notes()],
    }


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
    shown = {s["id"]: (s["iri"], datetime.fromisoformat(s["date"]) if s["date"] else None) for s in prof.segments}
    combined = damage.combined_conditions(session, shown)
    segments = [_with_condition(s, combined[s["id"]], lang) for s in prof.segments]
    return render(
        request,
        "roads/road.html",
        principal,
        cities=cities,
        city=current,
        road=prof,
        segments=segments,
        totals=prof.totals.as_dict(),
        chart=chart,
        classes=class_legend(lang),
        labels={c.value: c.label(lang) for c in RoadClass},
        limits=BOUNDARIES_M_PER_KM,
    )
