"""Projects: the public list and each project with its partners, indicators, live figures and documents; edits,
indicator values and document uploads by the city's own officer or the secretariat."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.ascn.api.deps import record_city_id
from kotacerdas.ascn.api.knowledge import embed_later
from kotacerdas.ascn.api.schemas import (
    DocumentOut,
    IndicatorOut,
    IndicatorValueIn,
    ProjectDetail,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
)
from kotacerdas.ascn.services import access, documents, registry
from kotacerdas.ascn.services.live import live_figures
from kotacerdas.ascn.store import records
from kotacerdas.ascn.store.tables import AscnCity, AscnDocument, AscnPartnership, AscnProject
from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import DB_SESSION, optional_principal
from kotacerdas.http.pagination import Page, Paged, page_params, paginate
from kotacerdas.http.schemas import Deleted, problems
from kotacerdas.http.uploads import received

router = APIRouter(tags=["ascn"])


@router.get("/ascn/projects", response_model=Paged[ProjectOut], summary="Projects of the network (public)")
def list_projects(
    request: Request,
    city: str | None = Query(None, description="Member city slug"),
    country: str | None = Query(None, description="ISO 3166-1 alpha-2"),
    status: str | None = Query(None),
    focus_area: str | None = Query(None),
    page: Page = Depends(page_params),
    session: Session = DB_SESSION,
) -> dict:
    """Projects filtered by city, country, status or focus area, oldest first; paginated."""
    stmt = select(AscnProject, AscnCity).join(AscnCity, AscnCity.id == AscnProject.city_pk).order_by(AscnProject.id)
    if city:
        stmt = stmt.where(AscnCity.slug == city)
    if country:
        stmt = stmt.where(AscnCity.country == country.upper())
    if status:
        stmt = stmt.where(AscnProject.status == status)
    rows_filter = focus_area
    if rows_filter:
        # JSON arrays are matched in SQL on both backends through their text form
        from sqlalchemy import String, cast

        stmt = stmt.where(cast(AscnProject.focus_areas, String).like(f'%"{rows_filter}"%'))
    return paginate(session, stmt, page, request, lambda row: records.project(row[0], row[1]), scalars=False)


def project_detail(session: Session, project: AscnProject) -> dict:
    city = session.get(AscnCity, project.city_pk)
    out = records.project(project, city)
    out["partnerships"] = records.partnerships(session, AscnPartnership.project_id == project.id)
    out["indicators"] = records.indicators(session, project.id)
    out["live"] = live_figures(session, city, project.systems)
    out["documents"] = [
        records.document(d)
        for d in session.scalars(
            select(AscnDocument).where(AscnDocument.project_id == project.id).order_by(AscnDocument.id)
        )
    ]
    return out


@router.get(
    "/ascn/projects/{project_id}", response_model=ProjectDetail, summary="One project (public)", responses=problems(404)
)
def get_project(project_id: int, session: Session = DB_SESSION) -> dict:
    """A project with its partnerships, indicators over time, live figures of the city systems it names
    (Road Manager, Bike Sharing ... when the city runs them here) and its documents."""
    return project_detail(session, registry.get_project(session, project_id))


@router.post(
    "/ascn/projects",
    status_code=201,
    response_model=ProjectDetail,
    summary="Add a project to a member city",
    responses=problems(400, 401, 403, 404, 422),
)
def create_project(
    body: ProjectIn,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """The city's officer or the secretariat adds a project; it is searchable at once, embedded just after."""
    city = registry.get_city(session, body.city)
    access.require_city_editor(session, principal, city)
    project = registry.create_project(session, city, body.model_dump(exclude={"city"}))
    seat = record_city_id(session, principal, city)  # read before the commit: after it no query may write
    accounts.audit(session, seat, principal.user_id, "ascn.project.create", str(project.id))
    session.commit()  # the embedding job reads what this request wrote
    embed_later(request, principal, seat)
    return project_detail(session, project)


@router.patch(
    "/ascn/projects/{project_id}",
    response_model=ProjectDetail,
    summary="Change a project",
    responses=problems(400, 401, 403, 404, 422),
)
def update_project(
    project_id: int,
    body: ProjectPatch,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Only the project's own city (its officer) or the secretariat may change it; audited."""
    project = registry.get_project(session, project_id)
    city = session.get(AscnCity, project.city_pk)
    access.require_city_editor(session, principal, city)
    changes = body.model_dump(exclude_unset=True)
    registry.update_project(session, project, changes)
    seat = record_city_id(session, principal, city)  # read before the commit: after it no query may write
    accounts.audit(
        session,
        seat,
        principal.user_id,
        "ascn.project.update",
        str(project.id),
        fields=sorted(changes),
    )
    session.commit()  # the embedding job reads what this request wrote
    embed_later(request, principal, seat)
    return project_detail(session, project)


@router.delete(
    "/ascn/projects/{project_id}", response_model=Deleted, summary="Delete a project", responses=problems(401, 403, 404)
)
def delete_project(
    project_id: int, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> dict:
    """The city's officer or the secretariat deletes a project (its partnerships stay, without the project)."""
    project = registry.get_project(session, project_id)
    city = session.get(AscnCity, project.city_pk)
    access.require_city_editor(session, principal, city)
    registry.delete_project(session, project)
    accounts.audit(
        session, record_city_id(session, principal, city), principal.user_id, "ascn.project.delete", str(project_id)
    )
    return {"deleted": project_id}


@router.post(
    "/ascn/projects/{project_id}/indicators",
    status_code=201,
    response_model=list[IndicatorOut],
    summary="Record an indicator value of a project",
    responses=problems(400, 401, 403, 404, 422),
)
def add_indicator_value(
    project_id: int,
    body: IndicatorValueIn,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> list[dict]:
    """A value of one of the project's indicators on a date (the indicator is created on first use)."""
    project = registry.get_project(session, project_id)
    city = session.get(AscnCity, project.city_pk)
    access.require_city_editor(session, principal, city)
    registry.add_indicator_value(session, project, body.name, body.unit, body.observed_on, body.value, body.source)
    accounts.audit(
        session, record_city_id(session, principal, city), principal.user_id, "ascn.indicator.value", str(project_id)
    )
    return records.indicators(session, project.id)


@router.post(
    "/ascn/projects/{project_id}/documents",
    status_code=201,
    response_model=DocumentOut,
    summary="Attach a document or image to a project",
    responses=problems(400, 401, 403, 404, 413, 415),
)
async def upload_document(
    project_id: int,
    request: Request,
    file: UploadFile = File(..., description="PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG or WebP; at most 20 MB"),
    title: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """The file's size and real type (from its bytes, not its name) are checked before it is kept."""
    from starlette.concurrency import run_in_threadpool

    project = registry.get_project(session, project_id)
    city = session.get(AscnCity, project.city_pk)
    access.require_city_editor(session, principal, city)
    async with received(file, request) as upload:

        def run() -> dict:
            row = documents.store(
                session,
                request.app.state.settings.data_dir,
                upload.path,
                filename=upload.filename,
                size=upload.size,
                sha256=upload.sha256,
                title=title,
                user_id=principal.user_id,
                project_id=project.id,
            )
            accounts.audit(
                session, record_city_id(session, principal, city), principal.user_id, "ascn.document.add", row.filename
            )
            return records.document(row)

        return await run_in_threadpool(run)


@router.get(
    "/ascn/documents/{document_id}",
    summary="Download a document (public)",
    response_class=FileResponse,
    responses={**problems(404), 200: {"content": {"application/octet-stream": {}}}},
)
def download_document(document_id: int, request: Request, session: Session = DB_SESSION):
    """The stored file with its checked media type."""
    from pathlib import Path

    row = documents.get(session, document_id)
    path = Path(request.app.state.settings.data_dir) / row.path
    return FileResponse(path, media_type=row.media_type, filename=row.filename)
