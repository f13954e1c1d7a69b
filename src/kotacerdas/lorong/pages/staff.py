"""The staff's pages: the coordinator's report form (a draft kept on the phone while offline, sent when the
network returns), the lurah's verification list, and the programme's dashboard with its choropleth."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.auth import Principal
from kotacerdas.core.db import utcnow
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import gettext
from kotacerdas.http.csrf import form_ok
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import PACKAGE, cities_and_current, render
from kotacerdas.lorong import jobs as lorong_jobs
from kotacerdas.lorong import periods
from kotacerdas.lorong.measures import unit_text
from kotacerdas.lorong.pages import forms
from kotacerdas.lorong.pages.directory import programme_context, theme_names
from kotacerdas.lorong.services import access, scores
from kotacerdas.lorong.services import dashboard as dash
from kotacerdas.lorong.services import reports as report_service
from kotacerdas.lorong.services import units as unit_service
from kotacerdas.lorong.services import wastebank as bank_service
from kotacerdas.lorong.services.programmes import indicators, themes
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import LorongProgramme, LorongReport, LorongUnit

router = APIRouter(include_in_schema=False)
SW = PACKAGE / "web" / "static" / "js" / "lorong-sw.js"


@router.get("/lorong/sw.js")
def service_worker() -> Response:
    """The report form's service worker, served under ``/lorong/`` so that it may keep the form for offline use."""
    return Response(SW.read_bytes(), media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.get("/lorong/report", response_class=HTMLResponse)
def report_form(
    request: Request,
    unit: int | None = None,
    period: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    lang = language(request)
    if principal is None:
        return forms.login(str(request.url.path) + (f"?unit={unit}" if unit else ""))
    cities = principal.cities_with("lorong.report")
    mine_stmt = select(LorongUnit).where(LorongUnit.coordinator_user_id == principal.user_id).order_by(LorongUnit.name)
    mine = list(session.scalars(mine_stmt))
    if unit is None and len(mine) == 1:
        unit = mine[0].id
    if unit is None:
        if not mine and not principal.is_superuser and not cities:
            return forms.forbidden(request, principal, lang)
        return render(request, "lorong/report_pick.html", principal, units=mine)
    try:
        u = unit_service.get_unit(session, unit)
        access.write_unit(session, principal, u)
    except KotacerdasError as exc:
        return forms.forbidden(request, principal, lang, exc)
    prog = must_get(session, LorongProgramme, u.programme_id)
    city = u.city_id
    today = utcnow().date()
    current = periods.containing(today, prog.period)
    choices = periods.last(4, prog.period, current)[::-1]
    chosen = periods.parse(period, prog.period) if period else current.previous()
    mine_themes = set(unit_service.unit_theme_codes(session, [u.id])[u.id])
    tnames = theme_names(session, prog.id, lang)
    groups = []
    by_theme: dict[int, list] = {}
    for ind in indicators(session, prog.id, active_only=True):
        by_theme.setdefault(ind.theme_id, []).append(ind)
    existing = session.scalar(
        select(LorongReport).where(LorongReport.unit_id == u.id, LorongReport.period == chosen.key)
    )
    values = report_service.values_of(session, existing.id) if existing else {}
    prefill = bank_service.circular_values(session, u, chosen.key) if prog.period == "month" else {}
    for t in themes(session, prog.id, active_only=True):
        if t.code not in mine_themes:
            continue
        inds = [
            {
                "code": i.code,
                "name": i.name.get(lang) or i.name.get("id"),
                "unit": unit_text(i.unit, lang),
                "target": i.target,
                "evidence": i.evidence_required,
                "due": chosen.closes(i.frequency),
                "value": values.get(i.code, prefill.get(i.code)),
                "from_bank": i.code in prefill and i.code not in values,
            }
            for i in by_theme.get(t.id, [])
        ]
        groups.append({"code": t.code, "name": tnames[t.code], "indicators": inds})
    history = [
        report_service.report_fields(session, r, u)
        for r in session.scalars(
            select(LorongReport).where(LorongReport.unit_id == u.id).order_by(LorongReport.period_start.desc()).limit(6)
        )
    ]
    return render(
        request,
        "lorong/report.html",
        principal,
        unit=u,
        programme=prog,
        period=chosen,
        choices=choices,
        groups=groups,
        report=report_service.report_fields(session, existing, u) if existing else None,
        history=history,
        city_id=city,
        mine=mine,
    )


@router.post("/lorong/report/{unit_id}")
async def report_post(
    unit_id: int,
    request: Request,
    background: BackgroundTasks,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The report form without JavaScript: the values are sent at once (no offline draft)."""
    from starlette.concurrency import run_in_threadpool

    lang = language(request)
    form = await request.form()

    def run():
        if principal is None:
            return forms.login(f"/lorong/report?unit={unit_id}")
        if not form_ok(request, str(form.get("csrf") or "")):
            return forms.expired(request, principal, lang)
        try:
            unit = unit_service.get_unit(session, unit_id)
            access.write_unit(session, principal, unit)
            values = {k[2:]: v for k, v in form.items() if k.startswith("v-") and str(v).strip() != ""}
            period = str(form.get("period") or "")
            report_service.save(session, unit, period, values, user_id=principal.user_id, submit=True)
            lorong_jobs.rescore_later(background, request, session, principal.user_id)
        except KotacerdasError as exc:
            return render(
                request,
                "error.html",
                principal,
                status=exc.status,
                title=gettext("Invalid input", lang),
                detail=exc.render(lang),
            )
        return RedirectResponse(f"/lorong/report?unit={unit_id}&period={period}", status_code=303)

    return await run_in_threadpool(run)


@router.get("/lorong/verify", response_class=HTMLResponse)
def verify_list(
    request: Request,
    city: str | None = None,
    done: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    lang = language(request)
    if principal is None:
        return forms.login("/lorong/verify" + (f"?city={city}" if city else ""))
    cities, current = cities_and_current(session, city or "73.71")
    if current is None or not principal.can("lorong.verify", current.id):
        return forms.forbidden(request, principal, lang)
    rows = session.execute(
        select(LorongReport, LorongUnit)
        .join(LorongUnit, LorongUnit.id == LorongReport.unit_id)
        .where(
            LorongReport.city_id == current.id,
            LorongReport.status == "submitted",
            access.unit_condition(session, principal, current.id),
        )
        .order_by(LorongReport.period_start.desc(), LorongUnit.name)
        .limit(50)
    ).all()
    names: dict[str, str] = {}
    for prog in session.scalars(select(LorongProgramme).where(LorongProgramme.city_id == current.id)):
        for i in indicators(session, prog.id):
            names[i.code] = f"{i.name.get(lang) or i.name.get('id')} ({unit_text(i.unit, lang)})"
    items = []
    for r, u in rows:
        item = report_service.report_fields(session, r, u)
        item["missing"] = report_service.missing_evidence(session, r)
        item["missing_names"] = [names.get(code, code) for code in item["missing"]]
        items.append(item)
    return render(
        request, "lorong/verify.html", principal, cities=cities, city=current, reports=items, names=names, done=done
    )


@router.post("/lorong/verify/{report_id}")
def verify_action(
    report_id: int,
    request: Request,
    background: BackgroundTasks,
    decision: str = Form(...),
    comment: str = Form(""),
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    lang = language(request)
    if principal is None:
        return forms.login("/lorong/verify")
    report = session.get(LorongReport, report_id)
    if report is None:
        return render(request, "error.html", principal, status=404, title=gettext("Not found", lang), detail="")
    from kotacerdas.core.models import City

    city = must_get(session, City, report.city_id)
    if not form_ok(request, csrf):
        return forms.expired(request, principal, lang)
    unit = must_get(session, LorongUnit, report.unit_id)
    try:
        access.verify_unit(session, principal, unit)
        if decision == "verify":
            report_service.verify(session, report, user_id=principal.user_id, comment=comment)
            lorong_jobs.rescore_later(background, request, session, principal.user_id)
        else:
            report_service.return_report(session, report, user_id=principal.user_id, comment=comment)
    except KotacerdasError as exc:
        return render(
            request,
            "error.html",
            principal,
            status=exc.status,
            title=gettext("Invalid input", lang),
            detail=exc.render(lang),
        )
    return RedirectResponse(f"/lorong/verify?city={city.code}&done={decision}", status_code=303)


@router.get("/lorong/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    city: str | None = None,
    programme: str | None = None,
    indicator: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    lang = language(request)
    if principal is None:
        return forms.login("/lorong/dashboard" + (f"?city={city}" if city else ""))
    cities, current = cities_and_current(session, city or "73.71")
    if current is None or not principal.can("lorong.read_private", current.id):
        return forms.forbidden(request, principal, lang)
    progs, prog = programme_context(session, current, programme)
    ctx: dict = {"cities": cities, "city": current, "programmes": progs, "programme": prog}
    if prog is not None:
        data = dash.dashboard(session, prog, n=12)
        figures = dash.charts_for(data, lang, indicator)
        ctx.update(
            data=data,
            charts={k: Markup(v) for k, v in figures.items() if k != "trend_indicator"},
            trend_indicator=figures.get("trend_indicator"),
            top_units=scores.rankings(session, prog, "city")[:15],
            top_kelurahan=scores.rankings(session, prog, "kelurahan")[:15],
            can_configure=principal.can("lorong.configure", current.id),
            name_key="name_id" if lang == "id" else "name_en",
        )
    return render(request, "lorong/dashboard.html", principal, **ctx)
