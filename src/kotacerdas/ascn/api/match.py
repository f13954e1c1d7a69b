"""Matchmaking: partners and programmes that fit a city's need, and peer cities that solved a similar problem."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from kotacerdas.ascn.api.schemas import MatchIn, MatchOut
from kotacerdas.ascn.services import matchmaking
from kotacerdas.http.deps import DB_SESSION, language
from kotacerdas.http.schemas import problems

router = APIRouter(tags=["ascn"])


def run_match(session: Session, body: MatchIn, lang: str) -> dict:
    return matchmaking.run(
        session,
        project_id=body.project_id,
        text=body.text,
        focus_areas=body.focus_areas,
        support_types=body.support_types,
        city=body.city,
        limit=body.limit,
        lang=lang,
    )


@router.post("/ascn/match", response_model=MatchOut, summary="Rank partners, programmes and peer cities for a need")
def match(body: MatchIn, request: Request, session: Session = DB_SESSION) -> dict:
    """For a project of the registry or a free-text need (with focus areas, kinds of support wanted and the city),
    the partners and programmes that fit and the peer cities that solved a similar problem, each with reasons:
    past partnerships in the same focus area and country, offered support, text similarity."""
    return run_match(session, body, language(request))


@router.get(
    "/ascn/projects/{project_id}/matches",
    response_model=MatchOut,
    summary="Partners, programmes and peers for a project",
    responses=problems(404),
)
def project_matches(
    project_id: int,
    request: Request,
    support: list[str] = Query([], description="Kinds of support wanted (repeatable)"),
    limit: int = Query(5, ge=1, le=50),
    session: Session = DB_SESSION,
) -> dict:
    """The matchmaker for one project (its existing partnerships are left out of the evidence)."""
    return run_match(session, MatchIn(project_id=project_id, support_types=support, limit=limit), language(request))
