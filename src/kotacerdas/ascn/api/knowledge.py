"""The knowledge base: good practices, search over practices and projects (semantic, hybrid or full text), and
the embedding job."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.ascn.api.deps import record_city_id
from kotacerdas.ascn.api.schemas import EmbedOut, PracticeIn, PracticeOut, SearchOut
from kotacerdas.ascn.errors import AscnError
from kotacerdas.ascn.services import access, knowledge, registry
from kotacerdas.ascn.store import records
from kotacerdas.ascn.store.tables import AscnCity, AscnPractice
from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.i18n import N_
from kotacerdas.http.deps import DB_SESSION, optional_principal
from kotacerdas.http.jobs import JobOut, start_job
from kotacerdas.http.schemas import problems

router = APIRouter(tags=["ascn"])


def _practice(session: Session, p: AscnPractice) -> dict:
    return records.practice(p, session.get(AscnCity, p.city_pk) if p.city_pk else None)


@router.get("/ascn/practices", response_model=list[PracticeOut], summary="Good practices (public)")
def list_practices(city: str | None = None, session: Session = DB_SESSION) -> list[dict]:
    """The knowledge base's practices and case studies, newest first; for one member city with ``city``."""
    stmt = select(AscnPractice).order_by(AscnPractice.year.desc(), AscnPractice.id)
    if city:
        stmt = stmt.where(AscnPractice.city_pk == registry.get_city(session, city).id)
    return [_practice(session, p) for p in session.scalars(stmt)]


@router.get(
    "/ascn/practices/{practice}",
    response_model=PracticeOut,
    summary="One good practice (public)",
    responses=problems(404),
)
def get_practice(practice: str, session: Session = DB_SESSION) -> dict:
    """A practice with its lessons learned and its links to a city and a project."""
    return _practice(session, knowledge.get_practice(session, practice))


@router.post(
    "/ascn/practices",
    status_code=201,
    response_model=PracticeOut,
    summary="Add or update a good practice",
    responses=problems(400, 401, 403, 404, 422),
)
def save_practice(
    body: PracticeIn,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """A city's officer adds their city's practices; the secretariat any. Embedded right after the response."""
    city = registry.get_city(session, body.city) if body.city else None
    if city is not None:
        access.require_city_editor(session, principal, city)
    else:
        access.require_secretariat(principal)
    if body.project_id is not None:
        project = registry.get_project(session, body.project_id)
        if city is None or project.city_pk != city.id:
            raise AscnError(N_("The project belongs to another city"), field="project_id")
    practice = knowledge.save_practice(session, knowledge.PracticeInput(**body.model_dump()), city)
    seat = record_city_id(session, principal, city)  # read before the commit: after it no query may write
    accounts.audit(session, seat, principal.user_id, "ascn.practice.save", practice.slug)
    session.commit()  # the job reads what this request wrote
    embed_later(request, principal, seat)
    return _practice(session, practice)


@router.get("/ascn/search", response_model=SearchOut, summary="Search the knowledge base and the projects (public)")
def search(
    q: str = Query(..., min_length=1, max_length=500, description="What to look for, in any language"),
    mode: str = Query(knowledge.DEFAULT_MODE, description="semantic, hybrid or fulltext"),
    kind: str | None = Query(None, description="practice or project (default: both)"),
    limit: int = Query(10, ge=1, le=50),
    session: Session = DB_SESSION,
) -> dict:
    """Best matches first. Semantic search finds a practice written in another language (an Indonesian query
    finds an English practice); full text finds exact words; hybrid mixes both."""
    kinds = (kind,) if kind else ("practice", "project")
    if kind and kind not in ("practice", "project"):
        raise AscnError(N_("{value} is not one of: {choices}"), field="kind", value=kind, choices="practice, project")
    hits = knowledge.search(session, q, mode=mode, kinds=kinds, limit=limit)
    return {"query": q, "mode": mode, "results": [h.as_dict() for h in hits]}


@router.post(
    "/ascn/embeddings",
    status_code=202,
    response_model=JobOut[EmbedOut],
    summary="Embed the documents whose text changed (secretariat): a background job",
    responses=problems(401, 403),
)
def refresh_embeddings(request: Request, principal: Principal | None = Depends(optional_principal)) -> JSONResponse:
    """Answers 202 with the job; each batch is written in its own short transaction."""
    access.require_secretariat(principal)
    return start_job(request, "ascn.embed", {}, principal=principal, city_id=None)


def embed_later(request: Request, principal: Principal | None, city_id: int | None) -> None:
    """Queue the embedding of what a write changed (the write is searchable by full text at once)."""
    from kotacerdas.core import jobs

    jobs.submit(
        request.app.state.engine,
        "ascn.embed",
        city_id=city_id,
        user_id=principal.user_id if principal else None,
        settings=request.app.state.settings,
    )
