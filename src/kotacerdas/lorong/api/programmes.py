"""Programmes, themes and indicators: public to read; the programme admin (``lorong.configure``) edits them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.http.deps import DB_SESSION, authorize, optional_principal
from kotacerdas.http.schemas import problems
from kotacerdas.lorong import seeds
from kotacerdas.lorong.api import schemas
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.measures import unit_text
from kotacerdas.lorong.services import programmes as svc
from kotacerdas.lorong.store.tables import LorongIndicator, LorongProgramme

router = APIRouter(tags=["lorong: programmes"])


def programme_of(session: Session, city_code: str, code: str) -> tuple[City, LorongProgramme]:
    city = accounts.get_city(session, city_code)
    return city, svc.get_programme(session, city.id, code)


def programme_json(p: LorongProgramme, city_code: str) -> dict[str, Any]:
    return {
        "code": p.code,
        "city": city_code,
        "name": p.name,
        "description": p.description or {"id": "", "en": ""},
        "unit_label": p.unit_label or {"id": "", "en": ""},
        "unit_level": p.unit_level,
        "period": p.period,
        "grades": [tuple(g) for g in p.grades],
        "due_days": p.due_days,
        "score_periods": p.score_periods,
        "is_demo": p.is_demo,
    }


def indicator_json(i: LorongIndicator, theme_codes: dict[int, str]) -> dict[str, Any]:
    return {
        "code": i.code,
        "theme": theme_codes.get(i.theme_id, ""),
        "name": i.name,
        "unit": i.unit,
        "unit_en": unit_text(i.unit, "en"),
        "frequency": i.frequency,
        "target": i.target,
        "time_agg": i.time_agg,
        "area_agg": i.area_agg,
        "higher_is_better": i.higher_is_better,
        "evidence_required": i.evidence_required,
        "weight": i.weight,
    }


@router.get("/lorong/programmes", response_model=list[schemas.Programme], summary="Neighbourhood programmes (public)")
def list_programmes(city: str | None = None, session: Session = DB_SESSION) -> list[dict]:
    """Every programme, or those of one city (``city=73.71``)."""
    city_id = accounts.get_city(session, city).id if city else None
    codes = {c.id: c.code for c in session.query(City).all()}
    return [programme_json(p, codes[p.city_id]) for p in svc.programmes(session, city_id)]


@router.post(
    "/lorong/programmes/{city}",
    status_code=201,
    response_model=schemas.Programme,
    summary="Start a programme in a city from a built-in seed",
    responses=problems(400, 401, 403, 404, 409),
)
def create_programme(
    city: str,
    body: schemas.ProgrammeCreate,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Create Lorong Wisata or Smart Kampung (with its themes and indicators) in the city (``lorong.configure``)."""
    c = accounts.get_city(session, city)
    principal = authorize(principal, "lorong.configure", c.id)
    seed = seeds.PROGRAMMES.get(body.code)
    if seed is None:
        raise LorongError(N_("No built-in programme {code}"), field="code", status=404, code=body.code)
    if any(p.code == body.code for p in svc.programmes(session, c.id)):
        raise LorongError(N_("The programme {code} already exists here"), field="code", status=409, code=body.code)
    prog = svc.ensure_programme(session, c, seed)
    accounts.audit(session, c.id, principal.user_id, "lorong.programme.create", prog.code)
    return programme_json(prog, c.code)


@router.get(
    "/lorong/programmes/{city}/{code}",
    response_model=schemas.ProgrammeDetail,
    summary="A programme with its themes and indicators (public)",
    responses=problems(404),
)
def get_programme(city: str, code: str, session: Session = DB_SESSION) -> dict:
    """The programme, its active themes (names in both languages) and its indicators with their targets."""
    c, prog = programme_of(session, city, code)
    themes = svc.themes(session, prog.id, active_only=True)
    theme_codes = {t.id: t.code for t in themes}
    return {
        **programme_json(prog, c.code),
        "themes": [r.as_dict() for r in svc.theme_records(session, prog)],
        "indicators": [
            indicator_json(i, theme_codes)
            for i in svc.indicators(session, prog.id, active_only=True)
            if i.theme_id in theme_codes
        ],
    }


@router.get(
    "/lorong/programmes/{city}/{code}/themes",
    response_model=list[schemas.Theme],
    summary="A programme's themes in both languages (public)",
    responses=problems(404),
)
def list_themes(city: str, code: str, session: Session = DB_SESSION) -> list[dict]:
    """Each active theme with ``name_id`` and ``name_en``, as ``kotacerdas lorong themes --json`` prints them."""
    _c, prog = programme_of(session, city, code)
    return [r.as_dict() for r in svc.theme_records(session, prog)]


@router.patch(
    "/lorong/programmes/{city}/{code}",
    response_model=schemas.Saved,
    summary="Edit a programme: names, grades, deadline, scoring window",
    responses=problems(400, 401, 403, 404, 422),
)
def update_programme(
    city: str,
    code: str,
    body: schemas.ProgrammeUpdate,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Change the grades (pairs of a grade and its lowest score), the days a report stays on time after its
    period, or the periods a score looks back over (``lorong.configure``); audited."""
    c, prog = programme_of(session, city, code)
    principal = authorize(principal, "lorong.configure", c.id)
    changed = svc.update_programme(session, prog, body.model_dump(exclude_none=True))
    accounts.audit(session, c.id, principal.user_id, "lorong.programme.update", prog.code, fields=sorted(changed))
    return {"code": prog.code, "changed": changed}


@router.put(
    "/lorong/programmes/{city}/{code}/themes/{theme}",
    response_model=schemas.Saved,
    summary="Add or edit a theme (names, description, keywords, weight)",
    responses=problems(400, 401, 403, 404, 422),
)
def save_theme(
    city: str,
    code: str,
    theme: str,
    body: schemas.ThemeSave,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Create the theme ``theme`` or change it; ``is_active=false`` retires it (``lorong.configure``)."""
    c, prog = programme_of(session, city, code)
    principal = authorize(principal, "lorong.configure", c.id)
    changes = body.model_dump(exclude_none=True)
    row = svc.save_theme(session, prog, theme, changes)
    accounts.audit(
        session, c.id, principal.user_id, "lorong.theme.save", f"{prog.code}/{row.code}", fields=sorted(changes)
    )
    return {"code": row.code, "changed": changes}


@router.put(
    "/lorong/programmes/{city}/{code}/indicators/{indicator}",
    response_model=schemas.Saved,
    summary="Add or edit an indicator (target, aggregation, direction, evidence, weight)",
    responses=problems(400, 401, 403, 404, 422),
)
def save_indicator(
    city: str,
    code: str,
    indicator: str,
    body: schemas.IndicatorSave,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Create the indicator under ``theme`` or change it (``lorong.configure``); scores use it from the next run."""
    c, prog = programme_of(session, city, code)
    principal = authorize(principal, "lorong.configure", c.id)
    changes = body.model_dump(exclude_none=True)
    row = svc.save_indicator(session, prog, indicator, changes)
    accounts.audit(
        session, c.id, principal.user_id, "lorong.indicator.save", f"{prog.code}/{row.code}", fields=sorted(changes)
    )
    return {"code": row.code, "changed": changes}
