"""The public portal: the network's map and figures, each member city, project and partner, statistics with
charts, the knowledge base with search, and the matchmaker, in Bahasa Indonesia and English."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.ascn import framework
from kotacerdas.ascn.errors import AscnError
from kotacerdas.ascn.pages.view import bar_chart, labels, line_chart, number
from kotacerdas.ascn.services import access, knowledge, matchmaking, partners, registry
from kotacerdas.ascn.services import figures as figure_service
from kotacerdas.ascn.services.live import live_figures
from kotacerdas.ascn.store import records
from kotacerdas.ascn.store.tables import AscnCity, AscnDocument, AscnPartnership, AscnPractice, AscnProject
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import render

router = APIRouter()


def page(request: Request, name: str, principal: Principal | None, **ctx) -> HTMLResponse:
    lang = language(request)
    return render(
        request,
        name,
        principal,
        labels=labels(lang),
        number=lambda v: number(v, lang),
        is_secretariat=access.is_secretariat(principal),
        country_lang=framework.COUNTRY_LANGUAGES,
        **ctx,
    )


def not_found(request: Request, principal: Principal | None, exc: KotacerdasError) -> HTMLResponse:
    lang = language(request)
    return render(
        request, "error.html", principal, status=exc.status, title=gettext("Not found", lang), detail=exc.render(lang)
    )


@router.get("/ascn/fonts/{name}.ttf")
def font_file(name: str):
    """The Thai and Khmer Noto fonts from their PyPI packages, for browsers without them (cached a year)."""
    from fastapi.responses import FileResponse

    from kotacerdas.ascn.formats.fonts import faces
    from kotacerdas.core.errors import NotFound
    from kotacerdas.core.i18n import N_

    face = next((f for f in faces() if f.name == name and name in ("NotoSansThai", "NotoSansKhmer")), None)
    if face is None:
        raise NotFound(N_("Nothing is here"))
    return FileResponse(face.path, media_type="font/ttf", headers={"Cache-Control": "public, max-age=31536000"})


@router.get("/ascn", response_class=HTMLResponse)
def overview(
    request: Request, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
):
    lang = language(request)
    figs = figure_service.figures(session)
    cities = records.cities(session)
    countries: dict[str, list[dict]] = {}
    for c in cities:
        countries.setdefault(c["country"], []).append(c)
    practices = list(
        session.scalars(select(AscnPractice).where(AscnPractice.is_demo.is_(False)).order_by(AscnPractice.id))
    )
    return page(
        request,
        "ascn/overview.html",
        principal,
        figures=[f.as_dict() | {"label": gettext(f.label, lang)} for f in figs],
        countries=countries,
        featured=practices,
        page_id="overview",
    )


@router.get("/ascn/cities/{slug}", response_class=HTMLResponse)
def city_page(
    slug: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    try:
        city = registry.get_city(session, slug)
    except KotacerdasError as exc:
        return not_found(request, principal, exc)
    projects = records.projects(
        session, select(AscnProject).where(AscnProject.city_pk == city.id).order_by(AscnProject.id)
    )
    systems = sorted({s for p in projects for s in p["systems"]})
    return page(
        request,
        "ascn/city.html",
        principal,
        member=records.city_detail(session, city),
        projects=projects,
        partnerships=records.partnerships(session, AscnPartnership.city_pk == city.id),
        practices=[
            records.practice(p, city)
            for p in session.scalars(select(AscnPractice).where(AscnPractice.city_pk == city.id))
        ],
        live=live_figures(session, city, systems),
        can_edit=access.can_edit_city(session, principal, city),
        can_read_contacts=access.can_read_contacts(session, principal, city),
        contacts=records.contacts(city) if access.can_read_contacts(session, principal, city) else None,
        page_id="cities",
    )


@router.get("/ascn/projects/{project_id}", response_class=HTMLResponse)
def project_page(
    project_id: int,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    lang = language(request)
    try:
        project = registry.get_project(session, project_id)
    except KotacerdasError as exc:
        return not_found(request, principal, exc)
    city = session.get(AscnCity, project.city_pk)
    indicators = records.indicators(session, project.id)
    for i, ind in enumerate(indicators):
        ind["chart"] = line_chart(
            [(v["observed_on"][:4], v["value"]) for v in ind["values"]],
            ind["name"],
            ind["unit"],
            lang,
            f"indicator-{i}",
        )
    docs = [
        records.document(d)
        for d in session.scalars(
            select(AscnDocument).where(AscnDocument.project_id == project.id).order_by(AscnDocument.id)
        )
    ]
    return page(
        request,
        "ascn/project.html",
        principal,
        project=records.project(project, city),
        member=records.city(city),
        partnerships=records.partnerships(session, AscnPartnership.project_id == project.id),
        indicators=indicators,
        live=live_figures(session, city, project.systems),
        documents=docs,
        can_edit=access.can_edit_city(session, principal, city),
        page_id="cities",
    )


@router.get("/ascn/partners", response_class=HTMLResponse)
def partners_page(
    request: Request, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
):
    return page(
        request,
        "ascn/partners.html",
        principal,
        partners=records.partners(session),
        programmes=records.programmes(session),
        page_id="partners",
    )


@router.get("/ascn/partners/{slug}", response_class=HTMLResponse)
def partner_page(
    slug: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    try:
        partner = registry.get_partner(session, slug)
    except KotacerdasError as exc:
        return not_found(request, principal, exc)
    return page(
        request,
        "ascn/partner.html",
        principal,
        partner=records.partner(partner, partners.aliases(session, partner.id)),
        partnerships=records.partnerships(session, AscnPartnership.partner_id == partner.id),
        can_edit=access.can_edit_partner(session, principal, partner),
        saved=request.query_params.get("saved") == "1",
        page_id="partners",
    )


@router.get("/ascn/stats", response_class=HTMLResponse)
def stats_page(
    request: Request, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
):
    lang = language(request)
    t = lambda m: gettext(m, lang)  # noqa: E731
    raw = figure_service.stats(session)
    vocab = {
        "focus_area": (framework.FOCUS_AREAS, "Projects by focus area", "Projects"),
        "status": (framework.PROJECT_STATUSES, "Projects by status", "Projects"),
        "country": (framework.ASEAN_COUNTRIES, "Projects by country", "Projects"),
        "partnership_type": (framework.PARTNERSHIP_TYPES, "Partnerships by type", "Partnerships"),
    }
    blocks = []
    for key, (vocabulary, title, y) in vocab.items():
        rows = [(framework.label(vocabulary, c, lang), n) for c, n in raw[key]]
        short = [c for c, _ in raw[key]] if key == "country" else None
        chart = bar_chart(rows, t(title), t(y), lang, f"chart-{key}", short)
        blocks.append({"id": key, "title": t(title), "rows": rows, "chart": chart})
    return page(
        request,
        "ascn/stats.html",
        principal,
        blocks=blocks,
        figures=[f.as_dict() | {"label": gettext(f.label, lang)} for f in figure_service.figures(session)],
        budgets=figure_service.budgets(session),
        page_id="stats",
    )


@router.get("/ascn/knowledge", response_class=HTMLResponse)
def knowledge_page(
    request: Request,
    q: str = "",
    mode: str = knowledge.DEFAULT_MODE,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    lang = language(request)
    hits, error = [], None
    if q.strip():
        try:
            hits = knowledge.search(session, q, mode=mode, limit=10)
        except AscnError as exc:
            error = exc.render(lang)
    cities = {c.id: c for c in session.scalars(select(AscnCity))}
    practices = [
        records.practice(p, cities.get(p.city_pk))
        for p in session.scalars(select(AscnPractice).order_by(AscnPractice.is_demo, AscnPractice.title))
    ]
    return page(
        request,
        "ascn/knowledge.html",
        principal,
        q=q,
        mode=mode,
        modes=knowledge.MODES,
        hits=hits,
        error=error,
        practices=practices,
        page_id="knowledge",
    )


@router.get("/ascn/knowledge/{slug}", response_class=HTMLResponse)
def practice_page(
    slug: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    try:
        p = knowledge.get_practice(session, slug)
    except KotacerdasError as exc:
        return not_found(request, principal, exc)
    city = session.get(AscnCity, p.city_pk) if p.city_pk else None
    docs = [records.document(d) for d in session.scalars(select(AscnDocument).where(AscnDocument.practice_id == p.id))]
    return page(
        request,
        "ascn/practice.html",
        principal,
        practice=records.practice(p, city),
        documents=docs,
        page_id="knowledge",
    )


@router.get("/ascn/match", response_class=HTMLResponse)
def match_page(
    request: Request,
    project: str = "",
    text: str = "",
    support: list[str] = Query([]),
    focus_areas: list[str] = Query([]),
    city: str = "",
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The matchmaker's form: a project of the registry, or a need in free text with its focus areas, the member
    city and the support wanted (the form's empty project choice means "the text below")."""
    lang = language(request)
    result, error, chosen = None, None, None
    support = [s for s in support if s in framework.PARTNERSHIP_TYPES]
    focus = [f for f in focus_areas if f in framework.FOCUS_AREAS]
    try:
        project_id = _project_choice(project)
        if project_id is not None:
            chosen = registry.get_project(session, project_id)
            result = matchmaking.run(session, project_id=project_id, support_types=support, lang=lang)
        elif text.strip():
            result = matchmaking.run(
                session, text=text, focus_areas=focus, support_types=support, city=city or None, lang=lang
            )
    except KotacerdasError as exc:
        error = exc.render(lang)
    return page(
        request,
        "ascn/match.html",
        principal,
        result=result,
        error=error,
        projects=records.projects(session),
        cities=records.cities(session),
        chosen=chosen.id if chosen else None,
        text=text,
        support=support,
        focus=focus,
        city=city,
        page_id="match",
    )


def _project_choice(value: str) -> int | None:
    """The project picked in the form: none for the empty choice, else its id (a clear error for anything else)."""
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise AscnError(N_("No project with id {id}"), field="project", id=value, status=404)
    return int(value)
