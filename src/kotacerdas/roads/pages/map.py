"""The road condition map: ``/roads?city=35.10``.

The segments coloured by Bina Marga class (by IRI, SDI or both combined), the events, the survey coverage and
the damage found by the camera (Leaflet, data from the public API; the damage layer is ``roads-damage.js``), with
filters by date, class, damage code (every code of the city's records and of the installed models), confidence,
status and (for the city's staff) vehicle that drive the map, the
figures beside it (the same ``/summary`` the API answers) and the downloads (Excel, CSV, GeoJSON) alike; the
kecamatan; the roads, searched, ordered and paged in SQL. Short help explains IRI, the Bina Marga classes and
*jalan mantap* in the page's language.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import cities_and_current, render
from kotacerdas.http.pagination import Page, fetch_page
from kotacerdas.network.labels import HIGHWAY_LABELS, highway_label
from kotacerdas.roads.bina_marga import BOUNDARIES_M_PER_KM
from kotacerdas.roads.charts import class_legend
from kotacerdas.roads.services.models import map_codes
from kotacerdas.roads.services.vehicles import city_vehicles
from kotacerdas.roads.store import condition
from kotacerdas.roads.store.features import parse_filters

router = APIRouter(include_in_schema=False)


def damage_legend(codes: list[str], lang: str) -> dict:
    """The damage codes (:func:`kotacerdas.roads.services.models.map_codes`) and statuses of the map's damage
    filter, labelled in ``lang`` (a code no name is known for shows as itself)."""
    from kotacerdas.core.i18n import gettext
    from kotacerdas.roads.damage import STATUS_LABELS
    from kotacerdas.roads.models import DAMAGE_CODES

    return {
        "damage_codes": [
            {"code": c, "label": gettext(DAMAGE_CODES[c], lang) if c in DAMAGE_CODES else ""} for c in codes
        ],
        "damage_statuses": [{"code": k, "label": gettext(v, lang)} for k, v in STATUS_LABELS.items()],
    }


ROADS_PER_PAGE = 25


def _filters(request: Request) -> dict[str, str | None]:
    q = request.query_params
    classes = q.getlist("class")
    return {
        "since": q.get("since") or None,
        "until": q.get("until") or None,
        "class": ",".join(classes) if classes and len(classes) < 5 else None,
        "district": q.get("district") or None,
    }


def _page_number(text: str | None) -> int:
    try:
        return max(1, int(text or 1))
    except ValueError:
        return 1


def _filter_query(filters: dict[str, str | None]) -> str:
    """The map's filters as the query of a link (``&since=...&class=baik&class=sedang``): what the table's sort and
    pager links keep, so a click never drops them."""
    pairs: list[tuple[str, str]] = []
    for key in ("since", "until", "district"):
        if filters.get(key):
            pairs.append((key, str(filters[key])))
    pairs.extend(("class", c) for c in (filters.get("class") or "").split(",") if c)
    return "".join(f"&{k}={quote(v, safe='')}" for k, v in pairs)


def roads_table(session: Session, city_id: int, request: Request, lang: str, filters: dict[str, Any]) -> dict:
    """One page of the roads table: the map's ``filters`` (parsed, as its figures take them), searched (``q``: a
    road's name or a kecamatan's), ordered (``sort``, ``dir``) and paged (``page``, kept within the pages there
    are) in SQL."""
    q = request.query_params
    search = (q.get("q") or "").strip()
    order = q.get("sort") if q.get("sort") in condition.ROAD_ORDERS else "length"
    direction = q.get("dir") if q.get("dir") in ("asc", "desc") else None
    stmt = condition.road_totals_query(
        session,
        city_id,
        search=search or None,
        order=order,
        descending=None if direction is None else direction == "desc",
        **filters,
    )
    number = _page_number(q.get("page"))
    rows, total = fetch_page(session, stmt, Page(ROADS_PER_PAGE, (number - 1) * ROADS_PER_PAGE), scalars=False)
    pages = max(1, -(-total // ROADS_PER_PAGE))
    if number > pages:  # past the last page (an old link, a hand-typed address): the last page
        number = pages
        rows, total = fetch_page(session, stmt, Page(ROADS_PER_PAGE, (number - 1) * ROADS_PER_PAGE), scalars=False)
    items = [condition.road_row(r) | {"highway_label": highway_label(r.highway, lang)} for r in rows]
    return {
        "items": items,
        "total": total,
        "page": number,
        "pages": pages,
        "q": search,
        "sort": order,
        "dir": direction,
        "filtered": any(v is not None for v in filters.values()),
    }


@router.get("/roads", response_class=HTMLResponse)
def roads_map(
    request: Request,
    city: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The map page of a city's road condition."""
    cities, current = cities_and_current(session, city, request)
    lang = language(request)
    filters = _filters(request)
    ctx: dict = {
        "cities": cities,
        "city": current,
        "classes": class_legend(lang),
        "filters": filters,
        "limits": BOUNDARIES_M_PER_KM,
        "chosen_classes": set((filters["class"] or "").split(",")) - {""},
        "highway_labels": {hw: highway_label(hw, lang) for hw in HIGHWAY_LABELS},
        **damage_legend(
            map_codes(session, current.id if current is not None else None, request.app.state.settings.data_dir),
            lang,
        ),
    }
    if current is not None:
        try:
            parsed = parse_filters(filters)
        except KotacerdasError as exc:  # a malformed or reversed date in the address: the whole network, and why
            parsed = {}
            ctx["filter_error"] = exc.render(lang)
        figures = condition.summary_figures(session, current, filters if parsed else {})
        ctx["figures"] = figures
        ctx["totals"] = figures
        ctx["districts"] = figures["districts"]
        ctx["roads"] = roads_table(session, current.id, request, lang, parsed)
        ctx["filter_query"] = _filter_query(filters) if parsed else ""
        ctx["has_network"] = condition.city_totals(session, current.id).segments > 0
        first, last = condition.survey_span(session, current.id)
        ctx["survey_span"] = (first, last)
        ctx["can_report"] = principal is not None and principal.can("roads.report", current.id)
        ctx["can_private"] = principal is not None and principal.can("roads.read_private", current.id)
        if ctx["can_private"]:
            ctx["vehicles"] = [v.code for v in city_vehicles(session, current.id)]
        ctx["can_manage"] = ctx["can_private"]
        ctx["can_import"] = principal is not None and principal.can("network.manage", current.id)
    return render(request, "roads/map.html", principal, **ctx)
