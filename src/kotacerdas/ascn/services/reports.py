"""The yearly monitoring-and-evaluation report of a member city or of the whole network: what it holds.

:func:`report_data` gathers it (figures computed and claimed, projects with their partners and
indicators, partnerships active in the year, the city's live figures); the PDF and Excel writers
in :mod:`kotacerdas.ascn.formats` lay it out. Generating it is heavy enough to run off the web
server's event loop (the routes are plain ``def`` routes, run in the thread pool).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kotacerdas.ascn import framework
from kotacerdas.ascn.services import figures as figure_service
from kotacerdas.ascn.services.live import live_figures
from kotacerdas.ascn.store import records
from kotacerdas.ascn.store.tables import AscnCity, AscnPartnership, AscnProject
from kotacerdas.core.db import utcnow


@dataclass
class ReportData:
    year: int
    lang: str
    scope: str  # "network" or a city slug
    title: str
    city: dict | None
    figures: list[dict]
    stats: dict
    budgets: dict[str, float]
    projects: list[dict] = field(default_factory=list)
    partnerships: list[dict] = field(default_factory=list)
    live: list[dict] = field(default_factory=list)
    has_demo: bool = False
    generated: str = ""


def _active(ps: dict, year: int) -> bool:
    start = int(ps["start_date"][:4]) if ps["start_date"] else None
    end = int(ps["end_date"][:4]) if ps["end_date"] else None
    return (start is None or start <= year) and (end is None or end >= year)


def report_data(session: Session, year: int, lang: str, city: AscnCity | None = None) -> ReportData:
    """Everything the report of ``year`` shows, for ``city`` or (``None``) the whole network."""
    from kotacerdas.core.i18n import gettext

    stmt = select(AscnProject).order_by(AscnProject.city_pk, AscnProject.id)
    if city is not None:
        stmt = stmt.where(AscnProject.city_pk == city.id)
    stmt = stmt.where(or_(AscnProject.start_date.is_(None), AscnProject.start_date <= date(year, 12, 31)))
    projects = records.projects(session, stmt)
    where = [AscnPartnership.city_pk == city.id] if city is not None else []
    partnerships = [p for p in records.partnerships(session, *where) if _active(p, year)]
    by_project: dict[int, list[str]] = {}
    for p in partnerships:
        if p["project_id"]:
            by_project.setdefault(p["project_id"], []).append(p["partner_name"])
    for pr in projects:
        pr["partners"] = by_project.get(pr["id"], [])
        pr["indicators"] = [
            {
                "name": ind["name"],
                "unit": ind["unit"],
                "value": next((v["value"] for v in reversed(ind["values"]) if v["observed_on"][:4] == str(year)), None),
                "previous": next(
                    (v["value"] for v in reversed(ind["values"]) if v["observed_on"][:4] == str(year - 1)), None
                ),
            }
            for ind in records.indicators(session, pr["id"])
        ]
    if city is None:
        title = gettext("ASCN monitoring and evaluation report {year}: the network", lang).format(year=year)
        figs = [f.as_dict() for f in figure_service.figures(session)]
        live = []
    else:
        title = gettext("ASCN monitoring and evaluation report {year}: {city}", lang).format(year=year, city=city.name)
        figs = [
            {"metric": "projects", "label": "Projects", "computed": {"value": len(projects)}, "claims": []},
            {"metric": "partnerships", "label": "Partnerships", "computed": {"value": len(partnerships)}, "claims": []},
        ]
        systems = sorted({s for pr in projects for s in pr["systems"]})
        live = live_figures(session, city, systems)
    for f in figs:
        f["label"] = gettext(f["label"], lang)
    stats = figure_service.stats(session, city.id if city else None)
    return ReportData(
        year=year,
        lang=lang,
        scope=city.slug if city else "network",
        title=title,
        city=records.city(city) if city else None,
        figures=figs,
        stats={k: [(framework.label(_vocab(k), c, lang), n) for c, n in rows] for k, rows in stats.items()},
        budgets={c: float(v) for c, v in figure_service.budgets(session, city.id if city else None).items()},
        projects=projects,
        partnerships=partnerships,
        live=live,
        has_demo=any(p["is_demo"] for p in projects) or any(p["is_demo"] for p in partnerships),
        generated=utcnow().strftime("%Y-%m-%d %H:%M UTC"),
    )


def _vocab(kind: str) -> dict[str, str]:
    return {
        "focus_area": framework.FOCUS_AREAS,
        "status": framework.PROJECT_STATUSES,
        "country": framework.ASEAN_COUNTRIES,
        "partnership_type": framework.PARTNERSHIP_TYPES,
    }[kind]
