"""``kotacerdas ascn ...``: member cities, projects, knowledge-base search, matchmaking, spreadsheet imports,
duplicate partners, embeddings, M&E reports and open exports.

Every command prints text, or JSON with ``--json``; errors print a localised message and exit 2.
The command line is the server's operator: it acts with the secretariat's rights.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from kotacerdas.console import emit, engine, fail, lang, prepare, run, tr, write

app = typer.Typer(
    help="ASCN network: member cities, projects, partners, knowledge-base search, matchmaking, imports, reports.",
    no_args_is_help=True,
)
AS_JSON = typer.Option(False, "--json", help="Print JSON.")


@app.command("cities")
def cities(as_json: bool = AS_JSON) -> None:
    """List the member cities with their country and the year they joined."""
    from kotacerdas.ascn.store import records

    rows = run(records.cities, as_json)
    text = "\n".join(f"{r['name']:<22} {r['country']}  {r['year_joined']}  {r['projects']:>3}" for r in rows)
    emit(rows, as_json, text)


@app.command("projects")
def projects(city: str = typer.Option(None, "--city", help="Member city slug"), as_json: bool = AS_JSON) -> None:
    """List the projects (of one member city with --city)."""
    from sqlalchemy import select

    from kotacerdas.ascn.services import registry
    from kotacerdas.ascn.store import records
    from kotacerdas.ascn.store.tables import AscnProject

    def fn(s):
        stmt = select(AscnProject).order_by(AscnProject.id)
        if city:
            stmt = stmt.where(AscnProject.city_pk == registry.get_city(s, city).id)
        return records.projects(s, stmt)

    rows = run(fn, as_json)
    text = "\n".join(f"{r['id']:>4}  {r['city_name']:<20} {r['status']:<18} {r['title']}" for r in rows)
    emit(rows, as_json, text or tr("No project yet"))


@app.command("city-editors")
def city_editors(
    city: str = typer.Argument(..., help="Member city slug, e.g. hanoi"),
    add: list[str] = typer.Option([], "--add", help="Username to name an editor of the city (repeatable)"),
    remove: list[str] = typer.Option([], "--remove", help="Username who no longer edits the city (repeatable)"),
    as_json: bool = AS_JSON,
) -> None:
    """List, name or remove the editors of a member city: its officers when it runs no kotacerdas here."""
    from sqlalchemy import select

    from kotacerdas.ascn.services import registry
    from kotacerdas.core import accounts
    from kotacerdas.core.models import City

    def fn(s):
        member = registry.get_city(s, city)
        seat = member.city_id or s.scalar(select(City.id).order_by(City.id).limit(1))
        for username in add:
            registry.add_city_editor(s, member, username)
            accounts.audit(s, seat, None, "ascn.city.editor.add", member.slug, username=username, source="cli")
        for username in remove:
            registry.remove_city_editor(s, member, username)
            accounts.audit(s, seat, None, "ascn.city.editor.remove", member.slug, username=username, source="cli")
        return {"city": member.slug, "editors": registry.city_editors(s, member)}

    out = write(fn, as_json) if add or remove else run(fn, as_json)
    emit(out, as_json, "\n".join(out["editors"]) or tr("No named editor"))


@app.command("search")
def search(
    query: str = typer.Argument(..., help="What to look for, in any language"),
    mode: str = typer.Option("semantic", help="semantic, hybrid or fulltext"),
    limit: int = typer.Option(10, min=1, max=50),
    as_json: bool = AS_JSON,
) -> None:
    """Search the knowledge base and the projects, best first."""
    from kotacerdas.ascn.services import knowledge

    rows = run(lambda s: [h.as_dict() for h in knowledge.search(s, query, mode=mode, limit=limit)], as_json)
    text = "\n".join(f"{r['score']:.3f}  {r['kind']:<8} {r['title']}  ({r['url']})" for r in rows)
    emit(rows, as_json, text or tr("Nothing found"))


@app.command("match")
def match(
    project_id: int = typer.Argument(..., help="A project's id (see: kotacerdas ascn projects)"),
    support: list[str] = typer.Option([], "--support", help="Kind of support wanted (repeatable)"),
    limit: int = typer.Option(5, min=1, max=50),
    as_json: bool = AS_JSON,
) -> None:
    """Rank partners, programmes and peer cities for a project, with the reasons."""
    from kotacerdas.ascn.api.match import run_match
    from kotacerdas.ascn.api.schemas import MatchIn

    out = run(
        lambda s: run_match(s, MatchIn(project_id=project_id, support_types=support, limit=limit), lang()), as_json
    )
    lines = [tr("Partners")]
    lines += [f"  {r['score']:.3f}  {r['name']}: {'; '.join(r['reasons'])}" for r in out["partners"]]
    lines.append(tr("Programmes"))
    lines += [f"  {r['score']:.3f}  {r['name']}: {'; '.join(r['reasons'])}" for r in out["programmes"]]
    lines.append(tr("Peer cities"))
    lines += [f"  {r['score']:.3f}  {r['name']}: {'; '.join(r['reasons'])}" for r in out["peers"]]
    emit(out, as_json, "\n".join(lines))


@app.command("import")
def import_file(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help=".xlsx workbook or .csv file"),
    seat: str = typer.Option(..., "--seat", help="Platform city code whose import record keeps this file, e.g. 35.10"),
    kind: str = typer.Option(None, help="For a CSV file: partners, projects or partnerships"),
    skip_invalid: bool = typer.Option(False, help="Import the valid rows and list the others"),
    as_json: bool = AS_JSON,
) -> None:
    """Import partners, projects and partnerships; bad rows are named (sheet, row, column) and nothing is written."""
    from kotacerdas.ascn.errors import ImportProblems
    from kotacerdas.ascn.services import imports, knowledge
    from kotacerdas.core import accounts
    from kotacerdas.core.config import get_settings
    from kotacerdas.core.errors import KotacerdasError, PayloadTooLarge
    from kotacerdas.core.i18n import N_

    if file.stat().st_size > get_settings().max_upload_bytes:
        fail(
            PayloadTooLarge(
                N_("The file is larger than the limit of {mb} MB"), field="file", mb=get_settings().max_upload_mb
            ),
            as_json,
        )

    def fn(s):
        city = accounts.get_city(s, seat)
        result = imports.import_file(
            s, file.read_bytes(), file.name, scope=imports.Scope(None, True), record_city_id=city.id, kind=kind,
            skip_invalid=skip_invalid, lang=lang(),
        )  # fmt: skip
        if not result.already_imported:
            accounts.audit(s, city.id, None, "ascn.import", file.name, source="cli", created=result.created)
        return result.as_dict(lang())

    from kotacerdas.core.db import run_write

    prepare()
    try:
        out = run_write(engine(), fn)
    except ImportProblems as exc:
        rows = [{"record": p["record"], "column": p["field"], "error": p["error"].render(lang())} for p in exc.problems]
        if as_json:
            typer.echo(json.dumps({"error": exc.render(lang()), "errors": rows}, ensure_ascii=False))
        else:
            typer.secho(tr("Error") + ": " + exc.render(lang()), fg="red", err=True)
            for r in rows:
                typer.echo(f"  {r['record']}, {r['column']}: {r['error']}", err=True)
        raise typer.Exit(2) from exc
    except KotacerdasError as exc:
        fail(exc, as_json)
    knowledge.refresh_embeddings(engine())
    if out["already_imported"]:
        text = tr("Already imported: {file} (nothing changed)", file=file.name)
    else:
        text = tr(
            "Created {partners} partners, {projects} projects, {partnerships} partnerships; {dups} possible duplicates",
            dups=len(out["duplicates"]),
            **out["created"],
        )
    emit(out, as_json, text)


@app.command("duplicates")
def duplicates(as_json: bool = AS_JSON) -> None:
    """List partners that may be recorded twice, with the reasons (nothing is merged)."""
    from sqlalchemy import select

    from kotacerdas.ascn.services import partners
    from kotacerdas.ascn.store.tables import AscnPartner
    from kotacerdas.core.i18n import gettext

    def fn(s):
        slugs = dict(s.execute(select(AscnPartner.id, AscnPartner.slug)).all())
        return [
            {"a": slugs[c.a], "b": slugs[c.b], "names": list(c.names), "score": c.score,
             "reasons": [gettext(r, lang()) for r in c.reasons]}
            for c in partners.duplicates(s)
        ]  # fmt: skip

    rows = run(fn, as_json)
    text = "\n".join(f"{r['score']:.2f}  {r['names'][0]}  ~  {r['names'][1]}: {'; '.join(r['reasons'])}" for r in rows)
    emit(rows, as_json, text or tr("No possible duplicates"))


@app.command("merge")
def merge(
    keep: str = typer.Argument(..., help="Slug of the partner that stays"),
    drop: str = typer.Argument(..., help="Slug of the partner merged into it"),
    as_json: bool = AS_JSON,
) -> None:
    """Merge one partner record into another (the secretariat's decision)."""
    from kotacerdas.ascn.services import partners, registry

    out = write(
        lambda s: partners.merge(
            s, registry.get_partner(s, keep, follow=False), registry.get_partner(s, drop, follow=False), None
        ),
        as_json,
    )
    emit(out, as_json, tr("{merged} merged into {kept}", merged=out["merged"], kept=out["kept"]))


@app.command("embed")
def embed(as_json: bool = AS_JSON) -> None:
    """Embed the knowledge base and the projects whose text changed (for semantic search)."""
    from kotacerdas.ascn.services import knowledge

    prepare()
    out = knowledge.refresh_embeddings(engine())
    emit(out, as_json, tr("{embedded} embedded, {documents} documents", **out))


@app.command("report")
def report(
    year: int = typer.Argument(..., min=2018, max=2100),
    city: str = typer.Option(None, "--city", help="Member city slug (default: the whole network)"),
    fmt: str = typer.Option("pdf", "--format", help="pdf or xlsx"),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the report"),
    as_json: bool = AS_JSON,
) -> None:
    """Write the yearly monitoring-and-evaluation report (PDF or Excel) in the command's language."""
    from kotacerdas.ascn.errors import AscnError
    from kotacerdas.ascn.formats import report_pdf, report_xlsx
    from kotacerdas.ascn.services import registry, reports
    from kotacerdas.core.i18n import N_

    if fmt not in ("pdf", "xlsx"):
        fail(AscnError(N_("{value} is not one of: {choices}"), field="format", value=fmt, choices="pdf, xlsx"), as_json)

    def fn(s):
        data = reports.report_data(s, year, lang(), registry.get_city(s, city) if city else None)
        return report_pdf.render(data) if fmt == "pdf" else report_xlsx.render(data)

    body = run(fn, as_json)
    output.write_bytes(body)
    emit({"path": str(output), "bytes": len(body)}, as_json, tr("Report written: {path}", path=str(output)))


@app.command("export")
def export(
    dataset: str = typer.Argument(
        ..., help="cities, projects, partners, programmes, partnerships, indicators, practices"
    ),
    fmt: str = typer.Option("csv", "--format", help="csv or json"),
    output: Path = typer.Option(..., "--output", "-o"),
    as_json: bool = AS_JSON,
) -> None:
    """Write an open data export (public fields only)."""
    from kotacerdas.ascn.formats import exports
    from kotacerdas.ascn.services import opendata

    rows = run(lambda s: opendata.dataset_rows(s, dataset), as_json)
    body = exports.to_csv(rows) if fmt == "csv" else exports.to_json(rows, dataset)
    output.write_bytes(body)
    emit(
        {"path": str(output), "rows": len(rows)},
        as_json,
        tr("{rows} rows written to {path}", rows=len(rows), path=str(output)),
    )
