"""The ASCN background jobs: spreadsheet imports, the yearly M&E reports and embedding the knowledge base.

Each runs on the platform's queue (:mod:`kotacerdas.core.jobs`), never on the web server's event
loop; the routes that start them answer 202 with the job's URL.
"""

from __future__ import annotations

from pathlib import Path

from kotacerdas.ascn.errors import AscnError
from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.core.i18n import N_
from kotacerdas.core.jobs import JobContext, job

MEDIA = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def reports_dir(data_dir: Path) -> Path:
    """Where finished reports are kept for their download."""
    return Path(data_dir) / "ascn" / "reports"


@job("ascn.import", title=N_("ASCN spreadsheet import"))
def import_job(
    ctx: JobContext,
    *,
    path: str,
    filename: str,
    sha256: str = "",
    cities: list[str] | None = None,
    partners: bool = True,
    seat: int,
    kind: str | None = None,
    skip_invalid: bool = False,
    lang: str = "en",
) -> dict:
    """Import partners, projects and partnerships; a bad row fails the job with every row named."""
    from kotacerdas.ascn.services import imports, knowledge

    ctx.progress(0.05, N_("Reading the spreadsheet"), force=True)
    data = Path(path).read_bytes()
    with session_scope(ctx.engine, write=True) as session:
        scope = imports.Scope(cities=set(cities) if cities is not None else None, partners=partners)
        result = imports.import_file(
            session, data, filename, scope=scope, record_city_id=seat, user_id=ctx.user_id, kind=kind,
            skip_invalid=skip_invalid, lang=lang,
        )  # fmt: skip
        if not result.already_imported:
            accounts.audit(session, seat, ctx.user_id, "ascn.import", filename, created=result.created)
        out = result.as_dict(lang)
    ctx.progress(0.8, N_("Embedding the new texts for semantic search"), force=True)
    knowledge.refresh_embeddings(ctx.engine)
    return out


@job("ascn.report", title=N_("ASCN monitoring and evaluation report"))
def report_job(ctx: JobContext, *, year: int, fmt: str, lang: str, city: str | None = None) -> dict:
    """Write the yearly M&E report of the network or of one member city (PDF or Excel)."""
    from kotacerdas.ascn.formats import report_pdf, report_xlsx
    from kotacerdas.ascn.services import registry, reports

    if fmt not in MEDIA:
        raise AscnError(N_("{value} is not one of: {choices}"), field="format", value=fmt, choices="pdf, xlsx")
    ctx.progress(0.1, N_("Gathering the year's figures"), force=True)
    with session_scope(ctx.engine) as session:
        data = reports.report_data(session, year, lang, registry.get_city(session, city) if city else None)
    ctx.progress(0.5, N_("Writing the report"), force=True)
    body = report_pdf.render(data) if fmt == "pdf" else report_xlsx.render(data)
    filename = f"ascn-{data.scope}-{year}-{lang}.{fmt}"
    folder = reports_dir(ctx.settings.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{ctx.job_id}-{filename}").write_bytes(body)
    return {
        "filename": filename,
        "media_type": MEDIA[fmt],
        "size": len(body),
        "download": f"/api/v1/ascn/reports/files/{ctx.job_id}",
    }


@job("ascn.embed", title=N_("Embedding the knowledge base"))
def embed_job(ctx: JobContext) -> dict:
    """Embed every practice and project whose text changed since it was last embedded."""
    from kotacerdas.ascn.services import knowledge

    ctx.progress(0.1, N_("Embedding the new texts for semantic search"), force=True)
    return knowledge.refresh_embeddings(ctx.engine)
