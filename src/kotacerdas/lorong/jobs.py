"""Background job kinds of the neighbourhood programmes: bulk imports of sheets, the dashboard's Excel and
PDF exports, and scoring every unit of a large programme again. The routes check the role, hand the upload over and
answer 202 with the job (or queue the scoring once their transaction is committed); the work runs here, off the web
server."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from kotacerdas.core import accounts
from kotacerdas.core.config import Settings
from kotacerdas.core.db import session_scope
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.jobs import JobContext, job
from kotacerdas.core.models import User
from kotacerdas.lorong.formats import dashboard_files
from kotacerdas.lorong.services import access, bulk, scores
from kotacerdas.lorong.services import dashboard as dash
from kotacerdas.lorong.services.programmes import get_programme

IMPORT = "lorong.import"
EXPORT = "lorong.dashboard_export"
RESCORE = "lorong.scores"
MEDIA = {"xlsx": bulk.XLSX, "pdf": "application/pdf"}


def export_path(settings: Settings, job_id: str, fmt: str) -> Path:
    """Where the file an export job made is kept (the job's own folder is removed when it ends)."""
    return settings.data_dir / "exports" / "lorong" / f"{job_id}.{fmt}"


@job(IMPORT, title=N_("Import of units, activities or report values"))
def import_sheet(
    ctx: JobContext, *, city: str, programme: str, path: str, filename: str, sha256: str = "", kind=None, lang="id"
) -> dict:
    """Import a CSV/XLSX sheet in one transaction with the scope of the user who sent it; bad rows are listed."""
    ctx.progress(0.05, N_("Reading the sheet"), force=True)
    data = Path(path).read_bytes()
    with session_scope(ctx.engine) as session:
        c = accounts.get_city(session, city)
        prog = get_programme(session, c.id, programme)
        user = session.get(User, ctx.user_id) if ctx.user_id else None
        who = accounts.principal_of(session, user) if user else None
        may_configure = who is None or who.can("lorong.configure", c.id)
        result = bulk.import_sheet(
            session,
            prog,
            data,
            filename=filename,
            kind=kind,
            user_id=ctx.user_id,
            may_write=lambda u: who is None or access.sees_all(who, c.id) or u.coordinator_user_id == who.user_id,
            may_configure=may_configure,
        )
        if not result.already_imported:
            accounts.audit(
                session, c.id, ctx.user_id, "lorong.import", filename, kind=result.kind, errors=len(result.errors)
            )
        out = result.as_dict()
        out["errors"] = [
            {"row": e["row"], "column": e["column"], "reason": e["error"].render(lang)} for e in result.errors
        ]
        return out


@job(EXPORT, title=N_("Dashboard export (Excel or PDF)"))
def dashboard_export(ctx: JobContext, *, city: str, programme: str, fmt: str, lang: str = "id") -> dict:
    """Write the dashboard of a programme as an Excel workbook or a PDF, in ``lang``."""
    ctx.progress(0.1, N_("Adding up the dashboard"), force=True)
    with session_scope(ctx.engine) as session:
        c = accounts.get_city(session, city)
        prog = get_programme(session, c.id, programme)
        data = dash.dashboard(session, prog)
        ranking = scores.rankings(session, prog, "city")
        title = dash.report_title(prog, data, lang)

    def t(message: str) -> str:
        return gettext(message, lang)

    ctx.progress(0.5, N_("Writing the file"), force=True)
    body = (
        dashboard_files.workbook(data, ranking, t, lang)
        if fmt == "xlsx"
        else dashboard_files.pdf(data, ranking, t, lang, title)
    )
    target = export_path(ctx.settings, ctx.job_id, fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    return {
        "format": fmt,
        "filename": f"{programme}-{city}-{data['periods'][-1]}.{fmt}",
        "size": len(body),
        "download": f"/api/v1/lorong/exports/files/{ctx.job_id}",
    }


@job(RESCORE, title=N_("Scoring every unit of a programme again"))
def rescore(ctx: JobContext, *, programme_id: int) -> dict:
    """Score every unit of the programme up to its newest verified period (as it is when the job runs)."""
    from kotacerdas.lorong.store.tables import LorongProgramme

    ctx.progress(0.1, N_("Scoring the units"), force=True)
    with session_scope(ctx.engine, write=True) as session:
        programme = session.get(LorongProgramme, programme_id)
        if programme is None:
            return {"units": 0}
        return scores.recompute(session, programme)


def queue_rescores(engine, settings: Settings, waiting: dict[int, int], user_id: int | None) -> list[str]:
    """Queue :data:`RESCORE` for each programme of ``waiting`` (id -> city id, from
    :func:`kotacerdas.lorong.services.scores.pending`); run after the request's transaction is committed."""
    from kotacerdas.core import jobs

    return [
        jobs.submit(engine, RESCORE, params={"programme_id": pid}, city_id=cid, user_id=user_id, settings=settings)[
            "id"
        ]
        for pid, cid in waiting.items()
    ]


def rescore_later(background, request, session, user_id: int | None) -> None:
    """After a route verified or reopened reports: queue the scoring :func:`scores.after_review` left to a job, as a
    background task of the response (it runs once the route's session is committed)."""
    waiting = scores.pending(session)
    if waiting:
        background.add_task(queue_rescores, request.app.state.engine, request.app.state.settings, waiting, user_id)


def export_job(session, job_id: str):
    """The finished export job ``job_id`` (404 for any other job)."""
    from kotacerdas.core.errors import NotFound
    from kotacerdas.core.models import Job

    row = session.scalar(select(Job).where(Job.id == job_id, Job.kind == EXPORT, Job.status == "done"))
    if row is None:
        raise NotFound(N_("No export with id {id}"), id=job_id)
    return row
