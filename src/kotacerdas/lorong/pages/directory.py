"""The public side: the directory of lorong (map, search by theme), each lorong's page, and food prices."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.core import charts
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import gettext
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import cities_and_current, render
from kotacerdas.lorong import foodprices, texts
from kotacerdas.lorong.services import areas as area_service
from kotacerdas.lorong.services import foodprices as price_service
from kotacerdas.lorong.services import programmes as prog_service
from kotacerdas.lorong.services import units as unit_service
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import LorongProgramme, LorongTheme

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 24


def programme_context(session: Session, city, code: str | None) -> tuple[list[LorongProgramme], LorongProgramme | None]:
    progs = prog_service.programmes(session, city.id) if city else []
    chosen = next((p for p in progs if p.code == code), progs[0] if progs else None)
    return progs, chosen


def theme_names(session: Session, programme_id: int, lang: str) -> dict[str, str]:
    return {t.code: t.name.get(lang) or t.name.get("id", t.code) for t in prog_service.themes(session, programme_id)}


def rupiah(value: int | None, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{value:,}"
    return "Rp " + (text.replace(",", ".") if lang == "id" else text)


def error_page(request: Request, principal, exc: KotacerdasError, lang: str):
    return render(
        request, "error.html", principal, status=exc.status, title=gettext("Not found", lang), detail=exc.render(lang)
    )


@router.get("/lorong", response_class=HTMLResponse)
def directory_page(
    request: Request,
    city: str | None = None,
    programme: str | None = None,
    theme: str | None = None,
    q: str | None = None,
    page: int = 1,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    lang = language(request)
    cities, current = cities_and_current(session, city or "73.71")
    progs, prog = programme_context(session, current, programme)
    ctx: dict = {
        "cities": cities,
        "city": current,
        "programmes": progs,
        "programme": prog,
        "theme": theme or "",
        "q": q or "",
    }
    if prog is not None and current is not None:
        stmt = unit_service.directory(session, prog, theme=theme, q=q)
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        page = max(1, page)
        rows = list(session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
        names = area_service.city_areas(session, current)
        themes_of = unit_service.unit_theme_codes(session, [u.id for u in rows])
        ctx.update(
            units=[unit_service.public_fields(u, themes_of[u.id], names) for u in rows],
            total=total,
            page=page,
            pages=max(1, -(-total // PAGE_SIZE)),
            theme_names=theme_names(session, prog.id, lang),
            theme_list=prog_service.themes(session, prog.id, active_only=True),
            staff=principal is not None and principal.can("lorong.read_private", current.id),
            coordinator=principal is not None and principal.can("lorong.report", current.id),
            verifier=principal is not None and principal.can("lorong.verify", current.id),
        )
    return render(request, "lorong/directory.html", principal, **ctx)


@router.get("/lorong/prices", response_class=HTMLResponse)
def prices_page(
    request: Request,
    city: str | None = None,
    commodity: str = "cabai-rawit",
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    lang = language(request)
    cities, current = cities_and_current(session, city or "73.71")
    if commodity not in foodprices.COMMODITIES:
        commodity = "cabai-rawit"
    ctx: dict = {"cities": cities, "city": current, "commodity": commodity}
    name = 0 if lang == "id" else 1
    ctx["commodities"] = [(code, v[name]) for code, v in foodprices.COMMODITIES.items()]
    if current is not None:
        try:
            idx = price_service.index(session, current.id, commodity)
        except KotacerdasError:
            idx = None
        ctx["index"] = idx
        if idx and idx["weeks"]:
            weeks = idx["weeks"]
            word = gettext("index", lang)
            ctx["chart"] = Markup(
                charts.category_chart(
                    [w["week"].strftime("%d/%m") for w in weeks],
                    [w["price"] for w in weeks],
                    kind="line",
                    title=f"{foodprices.COMMODITIES[commodity][name]} (Rp/{idx['unit']})",
                    y_title=f"Rp/{idx['unit']}",
                    x_title=gettext("Week", lang),
                    tips=[
                        f"{w['week'].isoformat()}: {rupiah(int(w['price']), lang)} · {word} {w['index']}" for w in weeks
                    ],
                    fmt=lambda v: f"{v:,.0f}".replace(",", "." if lang == "id" else ","),
                    css_class="lorong-prices",
                    chart_id="chart-prices",
                    max_labels=8,
                )
            )
            ctx["recent"] = [dict(w, price_text=rupiah(int(w["price"]), lang)) for w in weeks[-8:]][::-1]
        if principal is not None and principal.can("lorong.read_private", current.id):
            ctx["alerts"] = price_service.alerts(session, current.id)[:20]
            ctx["kecamatan_names"] = area_service.city_areas(session, current).kecamatan
            ctx["commodity_names"] = {code: v[name] for code, v in foodprices.COMMODITIES.items()}
    return render(request, "lorong/prices.html", principal, **ctx)


@router.get("/lorong/{city}/{slug}", response_class=HTMLResponse)
def unit_page(
    city: str,
    slug: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    lang = language(request)
    cities, current = cities_and_current(session, city)
    if current is None or current.code != city:
        return error_page(request, principal, KotacerdasError("No city with code {code}", status=404, code=city), lang)
    try:
        unit = unit_service.unit_by_slug(session, current.id, slug)
    except KotacerdasError as exc:
        return error_page(request, principal, exc, lang)
    prog = must_get(session, LorongProgramme, unit.programme_id)
    names = area_service.city_areas(session, current)
    tnames = theme_names(session, prog.id, lang)
    codes = {t.id: t.code for t in session.scalars(select(LorongTheme).where(LorongTheme.programme_id == prog.id))}
    acts = [unit_service.activity_fields(a, codes) for a in unit_service.activities(session, unit.id, public_only=True)]
    for a in acts:  # each text in the page's language, else in the other one with a note (lorong.texts)
        a["name_shown"] = texts.shown(a["name"], lang)
        a["description_shown"] = texts.shown(a["description"], lang)
        for p in a["products"]:
            p["name_shown"] = texts.shown(p["name"], lang)
            p["price_text"] = rupiah(p.get("price"), lang)
    from kotacerdas.lorong.services import access

    return render(
        request,
        "lorong/unit.html",
        principal,
        cities=cities,
        city=current,
        programme=prog,
        unit=unit_service.public_fields(unit, unit_service.unit_theme_codes(session, [unit.id])[unit.id], names),
        geometry=unit.geom.__geo_interface__,
        theme_names=tnames,
        activities=acts,
        photos=[p.id for p in unit_service.public_photos(session, unit.id)],
        can_edit=principal is not None
        and principal.can("lorong.report", current.id)
        and access.in_scope(session, principal, unit),
    )
