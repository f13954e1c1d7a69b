"""``kotacerdas lorong ...``: programmes and themes, bulk import and export, templates, scores, rankings, the
dashboard and its Excel/PDF report, food-price alerts.

Every command prints text in the user's language, or JSON with ``--json``; bad input prints one
localised line and exits 2. The command line acts as the server's operator (every unit of the city).
"""

from __future__ import annotations

from pathlib import Path

import typer

from kotacerdas.console import AS_JSON, emit, fail, lang, run, tr, write
from kotacerdas.lorong import seeds

cli = typer.Typer(
    help="Lorong Wisata and other neighbourhood programmes: themes, units, reports, imports, exports, scores.",
    no_args_is_help=True,
)
PROGRAMME = typer.Option(seeds.DEFAULT_PROGRAMME, "--programme", "-p", help="Programme code")
CITY = typer.Option(None, "--city", "-c", help="City code (default: the city running the programme)")


def _programme(session, code: str, city: str | None):
    """The stored programme ``code`` (of ``city``), or ``None`` when no city has it yet."""
    from kotacerdas.core import accounts
    from kotacerdas.core.i18n import N_
    from kotacerdas.lorong.errors import LorongError
    from kotacerdas.lorong.services import programmes as svc

    if city:
        return svc.get_programme(session, accounts.get_city(session, city).id, code)
    found = svc.find_programme(session, code)
    if len(found) > 1:
        raise LorongError(N_("Several cities run {code}: say which with --city"), field="city", code=code)
    return found[0] if found else None


def _required(session, code: str, city: str | None):
    from kotacerdas.core.i18n import N_
    from kotacerdas.lorong.errors import LorongError

    prog = _programme(session, code, city)
    if prog is None:
        raise LorongError(N_("No city runs the programme {code} yet"), field="programme", status=404, code=code)
    return prog


@cli.command("themes")
def themes_cmd(programme: str = PROGRAMME, city: str | None = CITY, as_json: bool = AS_JSON) -> None:
    """List a programme's themes (Lorong Wisata by default) with their names in Bahasa Indonesia and English."""
    from kotacerdas.core.i18n import N_
    from kotacerdas.lorong.errors import LorongError
    from kotacerdas.lorong.services import programmes as svc

    def fn(s):
        prog = _programme(s, programme, city)
        if prog is not None:
            return [r.as_dict() for r in svc.theme_records(s, prog)]
        seed = seeds.PROGRAMMES.get(programme)
        if seed is None:
            raise LorongError(N_("No built-in programme {code}"), field="programme", status=404, code=programme)
        return [r.as_dict() for r in svc.seed_theme_records(seed)]

    rows = run(fn, as_json)
    key = "name_id" if lang() == "id" else "name_en"
    text = "\n".join(f"{i:>2}. {r['code']:<26} {r[key]}" for i, r in enumerate(rows, start=1))
    emit(rows, as_json, text)


@cli.command("programmes")
def programmes_cmd(as_json: bool = AS_JSON) -> None:
    """List the programmes stored, per city, and the built-in ones a city can start."""
    from kotacerdas.core.models import City
    from kotacerdas.lorong.services import programmes as svc

    def fn(s):
        codes = {c.id: c.code for c in s.query(City).all()}
        return [
            {"city": codes[p.city_id], "code": p.code, "name": p.name, "period": p.period, "is_demo": p.is_demo}
            for p in svc.programmes(s)
        ]

    from kotacerdas.lorong.periods import KIND_NAMES

    rows = run(fn, as_json)
    key = "id" if lang() == "id" else "en"
    text = "\n".join(
        f"{r['city']:<7} {r['code']:<16} {r['name'].get(key, '')} ({tr(KIND_NAMES.get(r['period'], r['period']))})"
        for r in rows
    )
    builtin = tr("Built-in programmes: {codes}", codes=", ".join(seeds.PROGRAMMES))
    emit({"stored": rows, "builtin": list(seeds.PROGRAMMES)}, as_json, (text + "\n" if text else "") + builtin)


@cli.command("start")
def start_cmd(
    city: str = typer.Option(..., "--city", "-c", help="City code"), programme: str = PROGRAMME, as_json: bool = AS_JSON
) -> None:
    """Start a built-in programme (lorong-wisata, smart-kampung) in a city, with its themes and indicators."""
    from kotacerdas.core import accounts
    from kotacerdas.core.i18n import N_
    from kotacerdas.lorong.errors import LorongError
    from kotacerdas.lorong.services import programmes as svc

    def fn(s):
        seed = seeds.PROGRAMMES.get(programme)
        if seed is None:
            raise LorongError(N_("No built-in programme {code}"), field="programme", status=404, code=programme)
        prog = svc.ensure_programme(s, accounts.get_city(s, city), seed)
        return {"city": city, "programme": prog.code, "themes": len(svc.themes(s, prog.id))}

    out = write(fn, as_json)
    emit(out, as_json, tr("{programme} runs in {city} with {themes} themes", **out))


@cli.command("import")
def import_cmd(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="CSV or XLSX sheet"),
    programme: str = PROGRAMME,
    city: str | None = CITY,
    kind: str | None = typer.Option(None, "--kind", help="units, activities or values (default: from the columns)"),
    as_json: bool = AS_JSON,
) -> None:
    """Import units, activities or report values; bad rows are listed (row, column, reason), valid rows kept."""
    from kotacerdas.lorong.services import bulk

    data = file.read_bytes()

    def fn(s):
        prog = _required(s, programme, city)
        result = bulk.import_sheet(s, prog, data, filename=file.name, kind=kind)
        out = result.as_dict()
        out["errors"] = [
            {"row": e["row"], "column": e["column"], "reason": e["error"].render(lang())} for e in result.errors
        ]
        return out

    out = write(fn, as_json)
    if out["already_imported"]:
        text = tr("This file was already imported; nothing changed")
    else:
        text = tr(
            "{kind}: {created} created, {updated} updated, {unchanged} unchanged, {errors} rows refused",
            **{**out, "kind": tr(bulk.KIND_NAMES[out["kind"]]), "errors": len(out["errors"])},
        )
        text += "".join(
            "\n  "
            + tr("row {row}, column {column}: {reason}", row=e["row"], column=e["column"] or "-", reason=e["reason"])
            for e in out["errors"]
        )
    emit(out, as_json, text)
    if out["errors"] and not as_json:
        raise typer.Exit(2 if not (out["created"] or out["updated"] or out["unchanged"]) else 0)


@cli.command("export")
def export_cmd(
    programme: str = PROGRAMME,
    city: str | None = CITY,
    kind: str = typer.Option("units", "--kind", help="units, activities or values"),
    fmt: str = typer.Option("csv", "--format", "-f", help="csv or xlsx"),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default: standard output, CSV)"),
) -> None:
    """Export units, activities or report values in the template's columns (they import again unchanged)."""
    from kotacerdas.lorong.services import bulk

    body, _media = run(lambda s: bulk.export_file(s, _required(s, programme, city), kind, fmt))
    if output is None:
        if fmt != "csv":
            typer.echo(tr("Give --output for an XLSX file"), err=True)
            raise typer.Exit(2)
        typer.echo(body.decode("utf-8"), nl=False)
        return
    output.write_bytes(body)
    typer.echo(tr("Wrote {path}", path=str(output)))


@cli.command("template")
def template_cmd(
    kind: str = typer.Option("units", "--kind", help="units, activities or values"),
    fmt: str = typer.Option("xlsx", "--format", "-f", help="csv or xlsx"),
    output: Path = typer.Option(..., "--output", "-o"),
) -> None:
    """Write an empty import template."""
    from kotacerdas.core.errors import KotacerdasError
    from kotacerdas.lorong.services import bulk

    try:
        body, _m = bulk.template_file(kind, fmt)
    except KotacerdasError as exc:
        fail(exc)
    output.write_bytes(body)
    typer.echo(tr("Wrote {path}", path=str(output)))


@cli.command("scores")
def scores_cmd(
    programme: str = PROGRAMME,
    city: str | None = CITY,
    until: str | None = typer.Option(None, "--until", help="Last period of the window (default: newest verified)"),
    as_json: bool = AS_JSON,
) -> None:
    """Score every unit again from its verified values (after a change of weights, targets or grades)."""
    from kotacerdas.lorong.services import scores

    out = write(lambda s: scores.recompute(s, _required(s, programme, city), until=until), as_json)
    grades = ", ".join(f"{g}: {n}" for g, n in sorted(out["suggested_grades"].items()))
    emit(
        out, as_json, tr("{units} units scored up to {until}", units=out["units"], until=out["until"]) + f" ({grades})"
    )


@cli.command("rankings")
def rankings_cmd(
    programme: str = PROGRAMME,
    city: str | None = CITY,
    level: str = typer.Option("city", "--level", help="city, kecamatan or kelurahan"),
    area: str | None = typer.Option(
        None,
        "--area",
        help="Rank inside this kecamatan or kelurahan: its units, or with --level kelurahan a kecamatan's kelurahan",
    ),
    top: int = typer.Option(20, "--top"),
    as_json: bool = AS_JSON,
) -> None:
    """Units (or areas) ranked by score."""
    from kotacerdas.lorong.services import scores

    rows = run(
        lambda s: [r.__dict__ for r in scores.rankings(s, _required(s, programme, city), level, area)[:top]], as_json
    )
    text = "\n".join(f"{r['rank']:>4}. {r['score']:6.2f}  {r['name']}" for r in rows)
    emit(rows, as_json, text or tr("Nothing to rank: no unit here has a score yet (kotacerdas lorong scores)"))


@cli.command("dashboard")
def dashboard_cmd(
    programme: str = PROGRAMME,
    city: str | None = CITY,
    periods: int = typer.Option(12, "--periods"),
    as_json: bool = AS_JSON,
) -> None:
    """The city dashboard's figures: units, grades, reports on time, trends."""
    from kotacerdas.lorong.services import dashboard

    data = run(lambda s: dashboard.dashboard(s, _required(s, programme, city), n=periods), as_json)
    last = data["reports"][-1]
    text = tr(
        "{units} units; period {period}: {submitted} reports, {on_time} on time, {verified} verified",
        units=data["units"],
        period=last["period"],
        submitted=last["submitted"],
        on_time=last["on_time"],
        verified=last["verified"],
    )
    emit(data, as_json, text)


@cli.command("report")
def report_cmd(
    programme: str = PROGRAMME,
    city: str | None = CITY,
    fmt: str = typer.Option("pdf", "--format", "-f", help="pdf or xlsx"),
    output: Path = typer.Option(..., "--output", "-o"),
) -> None:
    """Write the dashboard for the mayor's office as a PDF or an Excel workbook, in the user's language."""
    from kotacerdas.core.i18n import gettext
    from kotacerdas.lorong.formats import dashboard_files
    from kotacerdas.lorong.services import dashboard, scores

    def fn(s):
        prog = _required(s, programme, city)
        data = dashboard.dashboard(s, prog)
        ranking = scores.rankings(s, prog, "city")
        ln = lang()
        t = lambda m: gettext(m, ln)  # noqa: E731
        if fmt == "xlsx":
            return dashboard_files.workbook(data, ranking, t, ln)
        return dashboard_files.pdf(data, ranking, t, ln, dashboard.report_title(prog, data, ln))

    output.write_bytes(run(fn))
    typer.echo(tr("Wrote {path}", path=str(output)))


@cli.command("price-alerts")
def price_alerts_cmd(
    city: str = typer.Option(..., "--city", "-c"),
    as_json: bool = AS_JSON,
) -> None:
    """Weeks whose staple price rose by more than the city's alert share."""
    from kotacerdas.core import accounts
    from kotacerdas.lorong.services import foodprices

    def fn(s):
        c = accounts.get_city(s, city)
        return [
            {
                "commodity": a.commodity,
                "area": a.area,
                "week": a.week.isoformat(),
                "previous": a.previous,
                "price": a.price,
                "change": a.change,
            }
            for a in foodprices.alerts(s, c.id)
        ]

    rows = run(fn, as_json)
    emit(
        rows,
        as_json,
        "\n".join(f"{r['week']} {r['commodity']:<22} {r['area']:<9} {r['change'] * 100:+.1f} %" for r in rows),
    )


officer_cli = typer.Typer(help="Who verifies where: the kelurahan each lurah of a city verifies.", no_args_is_help=True)
cli.add_typer(officer_cli, name="officer")
OFFICER_CITY = typer.Option(..., "--city", "-c", help="City code, e.g. 73.71")
KELURAHAN = typer.Option(None, "--kelurahan", "-k", help="Kemendagri kelurahan code (repeat for several)")


def _officer_text(o: dict) -> str:
    return f"{o['username']:<24} " + (", ".join(o["kelurahan_codes"]) or "-")


@officer_cli.command("add")
def officer_add_cmd(
    username: str = typer.Argument(..., help="A user with the lurah role in the city"),
    city: str = OFFICER_CITY,
    kelurahan: list[str] | None = KELURAHAN,
    as_json: bool = AS_JSON,
) -> None:
    """Give a lurah kelurahan to verify (in addition to those they have); audited."""
    from kotacerdas.core import accounts
    from kotacerdas.lorong.services import officers

    out = write(
        lambda s: officers.assign(
            s, accounts.get_city(s, city), username, list(kelurahan or []), by=None, replace=False
        ).as_dict(),
        as_json,
    )
    emit(out, as_json, _officer_text(out))


@officer_cli.command("remove")
def officer_remove_cmd(
    username: str = typer.Argument(...),
    city: str = OFFICER_CITY,
    kelurahan: list[str] | None = KELURAHAN,
    as_json: bool = AS_JSON,
) -> None:
    """Take kelurahan from a lurah (without --kelurahan: every one); audited."""
    from kotacerdas.core import accounts
    from kotacerdas.lorong.services import officers

    gone = write(
        lambda s: officers.remove(s, accounts.get_city(s, city), username, list(kelurahan or []), by=None), as_json
    )
    text = tr("{username} no longer verifies: {codes}", username=username, codes=", ".join(gone) or "-")
    emit({"username": username, "removed": gone}, as_json, text)


@officer_cli.command("list")
def officer_list_cmd(city: str = OFFICER_CITY, as_json: bool = AS_JSON) -> None:
    """The lurah of a city and the kelurahan each verifies."""
    from kotacerdas.core import accounts
    from kotacerdas.lorong.services import officers

    rows = run(lambda s: [o.as_dict() for o in officers.officers(s, accounts.get_city(s, city))], as_json)
    emit(rows, as_json, "\n".join(_officer_text(o) for o in rows) or tr("No lurah has a kelurahan assigned yet"))
