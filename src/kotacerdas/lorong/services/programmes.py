"""Programmes, their themes and indicators: seeding a programme into a city, reading it, and editing it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.lorong import scoring, seeds
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.scoring import IndicatorRule, ScoringRules
from kotacerdas.lorong.store.tables import LorongIndicator, LorongProgramme, LorongTheme

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
THEME_FIELDS = ("name", "description", "keywords", "weight", "position", "is_active")
INDICATOR_FIELDS = (
    "name",
    "unit",
    "frequency",
    "target",
    "time_agg",
    "area_agg",
    "higher_is_better",
    "evidence_required",
    "weight",
    "position",
    "is_active",
)


def check_code(code: str, field: str = "code") -> str:
    if not CODE.match(code or ""):
        raise LorongError(N_("A code has 2 to 64 lower-case letters, digits or dashes"), field=field)
    return code


def bilingual(value: Any, field: str) -> dict[str, str]:
    """``{"id": ..., "en": ...}`` with both languages filled: a text in one language only is refused (the error
    names ``<field>.id`` or ``<field>.en``), never copied into the other."""
    if not isinstance(value, dict):
        raise LorongError(N_("{name} needs a text in Bahasa Indonesia (id) and English (en)"), field=field, name=field)
    out = {lang: str(value.get(lang) or "").strip() for lang in ("id", "en")}
    for lang, text in out.items():
        if not text:
            raise LorongError(
                N_("{name} needs a text in Bahasa Indonesia (id) and English (en)"), field=f"{field}.{lang}", name=field
            )
    return out


def ensure_programme(
    session: Session, city: City, seed: seeds.ProgrammeSeed, *, is_demo: bool = False
) -> LorongProgramme:
    """Create ``seed`` in ``city`` if it is not there yet; an existing programme (edited or not) is left alone."""
    prog = session.scalar(
        select(LorongProgramme).where(LorongProgramme.city_id == city.id, LorongProgramme.code == seed.code)
    )
    if prog is not None:
        return prog
    prog = LorongProgramme(
        city_id=city.id,
        code=seed.code,
        name={"id": seed.name_id, "en": seed.name_en},
        description={"id": seed.description_id, "en": seed.description_en},
        unit_label={"id": seed.unit_label_id, "en": seed.unit_label_en},
        unit_level=seed.unit_level,
        period=seed.period,
        grades=[[g.grade, g.min_score] for g in seed.grades],
        due_days=seed.due_days,
        score_periods=seed.score_periods,
        is_demo=is_demo,
    )
    session.add(prog)
    session.flush()
    for pos, t in enumerate(seed.themes, start=1):
        theme = LorongTheme(
            programme_id=prog.id,
            code=t.code,
            position=pos,
            name={"id": t.name_id, "en": t.name_en},
            description={"id": t.description_id, "en": t.description_en},
            keywords=list(t.keywords),
            weight=t.weight,
            named_in_reports=t.named_in_reports,
        )
        session.add(theme)
        session.flush()
        for ipos, i in enumerate(t.indicators, start=1):
            session.add(
                LorongIndicator(
                    programme_id=prog.id,
                    theme_id=theme.id,
                    code=i.code,
                    position=pos * 100 + ipos,
                    name={"id": i.name_id, "en": i.name_en},
                    unit=i.unit,
                    frequency=i.frequency,
                    target=float(i.target),
                    time_agg=i.time_agg,
                    area_agg=i.area_agg,
                    higher_is_better=i.higher_is_better,
                    evidence_required=i.evidence_required,
                    weight=i.weight,
                )
            )
    session.flush()
    return prog


def programmes(session: Session, city_id: int | None = None) -> list[LorongProgramme]:
    stmt = select(LorongProgramme).order_by(LorongProgramme.city_id, LorongProgramme.code)
    if city_id is not None:
        stmt = stmt.where(LorongProgramme.city_id == city_id)
    return list(session.scalars(stmt))


def get_programme(session: Session, city_id: int, code: str) -> LorongProgramme:
    prog = session.scalar(
        select(LorongProgramme).where(LorongProgramme.city_id == city_id, LorongProgramme.code == code)
    )
    if prog is None:
        raise LorongError(N_("No programme {code} in this city"), field="programme", status=404, code=code)
    return prog


def find_programme(session: Session, code: str) -> list[LorongProgramme]:
    """Every city's programme with ``code``."""
    return list(
        session.scalars(select(LorongProgramme).where(LorongProgramme.code == code).order_by(LorongProgramme.id))
    )


def themes(session: Session, programme_id: int, *, active_only: bool = False) -> list[LorongTheme]:
    stmt = (
        select(LorongTheme)
        .where(LorongTheme.programme_id == programme_id)
        .order_by(LorongTheme.position, LorongTheme.id)
    )
    if active_only:
        stmt = stmt.where(LorongTheme.is_active.is_(True))
    return list(session.scalars(stmt))


def indicators(session: Session, programme_id: int, *, active_only: bool = False) -> list[LorongIndicator]:
    stmt = (
        select(LorongIndicator)
        .where(LorongIndicator.programme_id == programme_id)
        .order_by(LorongIndicator.position, LorongIndicator.id)
    )
    if active_only:
        stmt = stmt.where(LorongIndicator.is_active.is_(True))
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class ThemeRecord:
    """A theme as the command line and the API list it."""

    code: str
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    keywords: tuple[str, ...]
    weight: float
    named_in_reports: bool
    indicators: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name_id": self.name_id,
            "name_en": self.name_en,
            "description_id": self.description_id,
            "description_en": self.description_en,
            "keywords": list(self.keywords),
            "weight": self.weight,
            "named_in_reports": self.named_in_reports,
            "indicators": self.indicators,
        }


def theme_records(session: Session, programme: LorongProgramme) -> list[ThemeRecord]:
    counts: dict[int, int] = {}
    for ind in indicators(session, programme.id, active_only=True):
        counts[ind.theme_id] = counts.get(ind.theme_id, 0) + 1
    return [
        ThemeRecord(
            t.code,
            t.name.get("id", ""),
            t.name.get("en", ""),
            t.description.get("id", ""),
            t.description.get("en", ""),
            tuple(t.keywords or ()),
            t.weight,
            t.named_in_reports,
            counts.get(t.id, 0),
        )
        for t in themes(session, programme.id, active_only=True)
    ]


def seed_theme_records(seed: seeds.ProgrammeSeed) -> list[ThemeRecord]:
    """The themes of a built-in seed, for a database that has not stored the programme yet."""
    return [
        ThemeRecord(
            t.code,
            t.name_id,
            t.name_en,
            t.description_id,
            t.description_en,
            t.keywords,
            t.weight,
            t.named_in_reports,
            len(t.indicators),
        )
        for t in seed.themes
    ]


def _set(row: Any, fields: tuple[str, ...], changes: dict[str, Any]) -> dict[str, Any]:
    done = {}
    for key, value in changes.items():
        if key not in fields or value is None:
            continue
        if key in ("name", "description"):
            value = bilingual(value, key)
        if key == "weight" and float(value) < 0:
            raise LorongError(N_("A weight must not be negative"), field="weight")
        setattr(row, key, value)
        done[key] = value
    return done


def update_programme(session: Session, programme: LorongProgramme, changes: dict[str, Any]) -> dict[str, Any]:
    """Edit a programme's names, grades (``[[grade, min score], ...]``), deadline and scoring window."""
    done: dict[str, Any] = {}
    for key in ("name", "description", "unit_label"):
        if changes.get(key) is not None:
            setattr(programme, key, bilingual(changes[key], key))
            done[key] = getattr(programme, key)
    if changes.get("grades") is not None:
        programme.grades = scoring.check_grades(changes["grades"])
        done["grades"] = programme.grades
    for key, low, high in (("due_days", 0, 365), ("score_periods", 1, 60)):
        if changes.get(key) is not None:
            value = int(changes[key])
            if not low <= value <= high:
                raise LorongError(
                    N_("{name} must be between {low} and {high}"), field=key, name=key, low=low, high=high
                )
            setattr(programme, key, value)
            done[key] = value
    if changes.get("is_active") is not None:
        programme.is_active = bool(changes["is_active"])
        done["is_active"] = programme.is_active
    session.flush()
    return done


def get_theme(session: Session, programme_id: int, code: str) -> LorongTheme:
    theme = session.scalar(
        select(LorongTheme).where(LorongTheme.programme_id == programme_id, LorongTheme.code == code)
    )
    if theme is None:
        raise LorongError(N_("No theme {code} in this programme"), field="theme", status=404, code=code)
    return theme


def get_indicator(session: Session, programme_id: int, code: str) -> LorongIndicator:
    ind = session.scalar(
        select(LorongIndicator).where(LorongIndicator.programme_id == programme_id, LorongIndicator.code == code)
    )
    if ind is None:
        raise LorongError(N_("No indicator {code} in this programme"), field="indicator", status=404, code=code)
    return ind


def save_theme(session: Session, programme: LorongProgramme, code: str, changes: dict[str, Any]) -> LorongTheme:
    """Create the theme ``code`` or edit it (names, description, keywords, weight, position, active)."""
    check_code(code)
    theme = session.scalar(
        select(LorongTheme).where(LorongTheme.programme_id == programme.id, LorongTheme.code == code)
    )
    if theme is None:
        if changes.get("name") is None:
            raise LorongError(
                N_("{name} needs a text in Bahasa Indonesia (id) and English (en)"), field="name", name="name"
            )
        position = max((t.position for t in themes(session, programme.id)), default=0) + 1
        theme = LorongTheme(
            programme_id=programme.id, code=code, position=position, name={}, description={}, keywords=[]
        )
        session.add(theme)
    _set(theme, THEME_FIELDS, changes)
    session.flush()
    return theme


def save_indicator(session: Session, programme: LorongProgramme, code: str, changes: dict[str, Any]) -> LorongIndicator:
    """Create the indicator ``code`` under ``changes["theme"]`` or edit it."""
    check_code(code)
    ind = session.scalar(
        select(LorongIndicator).where(LorongIndicator.programme_id == programme.id, LorongIndicator.code == code)
    )
    if ind is None:
        if changes.get("name") is None or not changes.get("theme"):
            raise LorongError(N_("A new indicator needs a theme and a name"), field="theme")
        ind = LorongIndicator(programme_id=programme.id, code=code, name={})
    if changes.get("theme"):
        ind.theme_id = get_theme(session, programme.id, changes["theme"]).id
    for key, allowed in (
        ("frequency", seeds.FREQUENCIES),
        ("time_agg", seeds.TIME_AGGREGATIONS),
        ("area_agg", seeds.AREA_AGGREGATIONS),
    ):
        if changes.get(key) is not None and changes[key] not in allowed:
            raise LorongError(N_("{name} must be one of: {allowed}"), field=key, name=key, allowed=", ".join(allowed))
    _set(ind, INDICATOR_FIELDS, changes)
    session.add(ind)
    session.flush()
    return ind


def scoring_rules(session: Session, programme: LorongProgramme) -> ScoringRules:
    """The programme's scoring configuration as the pure scoring module takes it."""
    active_themes = {t.id: t for t in themes(session, programme.id, active_only=True)}
    rules = tuple(
        IndicatorRule(
            key=i.id,
            theme=i.theme_id,
            target=i.target,
            time_agg=i.time_agg,
            higher_is_better=i.higher_is_better,
            weight=i.weight,
            frequency=i.frequency,
        )
        for i in indicators(session, programme.id, active_only=True)
        if i.theme_id in active_themes
    )
    return ScoringRules(
        indicators=rules,
        theme_weights={tid: t.weight for tid, t in active_themes.items()},
        grades=tuple((str(g), float(m)) for g, m in programme.grades),
    )
