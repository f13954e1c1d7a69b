"""Matchmaking over the registry: builds the matcher's view of partners, programmes, past partnerships and
projects from the database, with their embeddings, and ranks them for a project or a free-text need."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.ascn import framework, matching
from kotacerdas.ascn.embedding import DEFAULT_MODEL, embedder, from_bytes, passages
from kotacerdas.ascn.errors import AscnError
from kotacerdas.ascn.services.knowledge import project_text
from kotacerdas.ascn.store.tables import (
    AscnCity,
    AscnEmbedding,
    AscnPartner,
    AscnPartnership,
    AscnProgramme,
    AscnProject,
    AscnSearchDoc,
)
from kotacerdas.core.i18n import N_


def _passage(model: str, text: str) -> np.ndarray:
    return passages(model, [text])[0]


@dataclass
class Registry:
    """The matcher's view of the registry (loaded once, reused for many needs by the bench)."""

    partners: list[matching.PartnerProfile]
    programmes: list[matching.ProgrammeProfile]
    history: list[tuple[int, int | None, matching.Past]]  # (partnership id, project id, past)
    projects: list[matching.PeerProject]
    project_rows: dict[int, AscnProject]
    cities: dict[int, AscnCity]
    partner_rows: dict[int, AscnPartner]
    programme_rows: dict[int, AscnProgramme]
    model: str

    def vector_of(self, project_id: int) -> np.ndarray | None:
        return next((p.vector for p in self.projects if p.id == project_id), None)


def load(session: Session, model: str = DEFAULT_MODEL) -> Registry:
    """Everything the matcher needs, with the stored project embeddings (missing ones computed now)."""
    cities = {c.id: c for c in session.scalars(select(AscnCity))}
    project_rows = {p.id: p for p in session.scalars(select(AscnProject).order_by(AscnProject.id))}
    stored = {
        ref: from_bytes(blob, dim)
        for ref, blob, dim in session.execute(
            select(AscnSearchDoc.ref_id, AscnEmbedding.vector, AscnEmbedding.dim)
            .join(AscnEmbedding, AscnEmbedding.doc_id == AscnSearchDoc.id)
            .where(AscnSearchDoc.kind == "project", AscnEmbedding.model == model)
        )
    }
    missing = [p for p in project_rows.values() if p.id not in stored]
    if missing:
        vectors = passages(model, [project_text(p)[1] for p in missing])
        stored.update({p.id: v for p, v in zip(missing, vectors, strict=True)})
    projects = [
        matching.PeerProject(p.id, p.city_pk, p.title, p.status, tuple(p.focus_areas), stored[p.id])
        for p in project_rows.values()
    ]
    partner_rows = {p.id: p for p in session.scalars(select(AscnPartner).where(AscnPartner.merged_into_id.is_(None)))}
    partners = [
        matching.PartnerProfile(
            p.id, p.name, tuple(p.offers), tuple(p.focus_areas), _passage(model, f"{p.name}. {p.description}")
        )
        for p in partner_rows.values()
    ]
    programme_rows = {g.id: g for g in session.scalars(select(AscnProgramme))}
    programmes = [
        matching.ProgrammeProfile(
            g.id,
            g.name,
            g.sponsor_id,
            tuple(g.support_types),
            tuple(g.focus_areas),
            _passage(model, f"{g.name}. {g.description}"),
        )
        for g in programme_rows.values()
    ]
    history = []
    for ps in session.scalars(select(AscnPartnership).order_by(AscnPartnership.id)):
        project = project_rows.get(ps.project_id) if ps.project_id else None
        city = cities[ps.city_pk]
        history.append(
            (
                ps.id,
                ps.project_id,
                matching.Past(
                    ps.partner_id,
                    ps.city_pk,
                    city.country,
                    tuple(project.focus_areas) if project else (),
                    ps.type,
                    stored.get(project.id) if project else None,
                ),
            )
        )
    return Registry(partners, programmes, history, projects, project_rows, cities, partner_rows, programme_rows, model)


def need_for_project(reg: Registry, project_id: int, support_types: Sequence[str] = ()) -> matching.Need:
    project = reg.project_rows.get(project_id)
    if project is None:
        raise AscnError(N_("No project with id {id}"), field="project", id=project_id, status=404)
    city = reg.cities[project.city_pk]
    return matching.Need(
        text=project_text(project)[1],
        focus_areas=tuple(project.focus_areas),
        support_types=tuple(support_types),
        country=city.country,
        city_id=city.id,
        vector=reg.vector_of(project_id),
    )


def need_for_text(
    reg: Registry,
    text: str,
    focus_areas: Sequence[str] = (),
    support_types: Sequence[str] = (),
    city: AscnCity | None = None,
) -> matching.Need:
    if not text.strip():
        raise AscnError(N_("Describe the need or name a project"), field="text")
    return matching.Need(
        text=text,
        focus_areas=tuple(framework.check_codes(framework.FOCUS_AREAS, focus_areas, "focus_areas")),
        support_types=tuple(framework.check_codes(framework.PARTNERSHIP_TYPES, support_types, "support_types")),
        country=city.country if city else None,
        city_id=city.id if city else None,
        vector=embedder(reg.model).queries([text])[0],
    )


def match(
    reg: Registry, need: matching.Need, *, limit: int = 5, exclude: Collection[int] = ()
) -> dict[str, list[matching.Ranked]]:
    """Partners, programmes and peer cities for ``need``; ``exclude`` drops partnerships from the history."""
    history = [past for pid, _, past in reg.history if pid not in exclude]
    partners = matching.rank_partners(need, reg.partners, history)
    scores = {r.id: r.score for r in partners}
    programmes = matching.rank_programmes(need, reg.programmes, scores)
    peers = matching.rank_peers(need, reg.projects)
    return {"partners": partners[:limit], "programmes": programmes[:limit], "peers": peers[:limit]}


def as_json(reg: Registry, result: dict[str, list[matching.Ranked]], lang: str = "en") -> dict:
    """The ranking as the API and the CLI give it: names, scores, signals and reasons in ``lang``."""

    def reasons(r: matching.Ranked) -> list[str]:
        return [x.render(lang) for x in r.reasons]

    return {
        "partners": [
            {
                "slug": reg.partner_rows[r.id].slug,
                "name": reg.partner_rows[r.id].name,
                "score": r.score,
                "signals": {k: round(v, 4) for k, v in r.signals.items()},
                "reasons": reasons(r),
            }
            for r in result["partners"]
        ],
        "programmes": [
            {
                "slug": reg.programme_rows[r.id].slug,
                "name": reg.programme_rows[r.id].name,
                "score": r.score,
                "reasons": reasons(r),
            }
            for r in result["programmes"]
        ],
        "peers": [
            {
                "slug": reg.cities[r.id].slug,
                "name": reg.cities[r.id].name,
                "country": reg.cities[r.id].country,
                "project_id": r.detail.get("project_id"),
                "score": r.score,
                "reasons": reasons(r),
            }
            for r in result["peers"]
        ],
    }


def run(
    session: Session,
    *,
    project_id: int | None = None,
    text: str = "",
    focus_areas: Sequence[str] = (),
    support_types: Sequence[str] = (),
    city: str | None = None,
    limit: int = 5,
    lang: str = "en",
) -> dict:
    """The matchmaker for a project of the registry (its own partnerships left out of the evidence) or a
    free-text need, as JSON in ``lang``."""
    from kotacerdas.ascn.services import registry

    reg = load(session)
    exclude: set[int] = set()
    if project_id is not None:
        registry.get_project(session, project_id)
        need = need_for_project(reg, project_id, support_types)
        exclude = {pid for pid, pr, _ in reg.history if pr == project_id}
    else:
        member = registry.get_city(session, city) if city else None
        need = need_for_text(reg, text, focus_areas, support_types, member)
    return as_json(reg, match(reg, need, limit=limit, exclude=exclude), lang)
