"""The platform's own commands: serve, demo, worker, database, users, admin areas, open data.

Every command has ``--help``; errors print a clear, localised message and exit
non-zero; commands that print results accept ``--json``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from kotacerdas.cli.app import app
from kotacerdas.console import emit, engine, fail, lang, prepare
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Users and roles.", no_args_is_help=True)
admin_app = typer.Typer(help="Cities and admin areas.", no_args_is_help=True)
data_app = typer.Typer(help="Open data downloads (OpenStreetMap, HDX boundaries).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(admin_app, name="admin")
app.add_typer(data_app, name="data")


@db_app.command("upgrade")
def db_upgrade(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Create or migrate the database to the newest schema."""
    from kotacerdas.core import migrate

    eng = engine()
    before = migrate.current(eng)
    migrate.upgrade(eng)
    after = migrate.current(eng)
    url = eng.url.render_as_string(hide_password=True)
    emit(
        {"database": url, "from": before, "to": after},
        as_json,
        gettext("Database {url} is at revision {rev}", lang()).format(url=url, rev=after),
    )


@users_app.command("create")
def users_create(
    username: str,
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, envvar="KOTACERDAS_NEW_PASSWORD"
    ),
    role: list[str] = typer.Option([], "--role", help="CITY_CODE:ROLE, e.g. 35.10:road_officer (repeatable)"),
    full_name: str = typer.Option("", help="Full name"),
    superuser: bool = typer.Option(False, help="Platform administrator over every city"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create a user with roles in cities."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope

    pairs = []
    for item in role:
        code, _, name = item.partition(":")
        if not name:
            fail(KotacerdasError(N_("Role must be written CITY_CODE:ROLE, e.g. 35.10:road_officer"), field="role"))
        pairs.append((code, name))
    prepare()
    try:
        with session_scope() as session:
            user = accounts.create_user(
                session, username, password, full_name=full_name, superuser=superuser, roles=pairs
            )
            name = user.username
    except KotacerdasError as exc:
        fail(exc, as_json)
    emit(
        {"username": name, "roles": role, "superuser": superuser},
        as_json,
        gettext("User {username} created", lang()).format(username=name),
    )


@admin_app.command("create-city")
def admin_create_city(
    code: str = typer.Argument(..., help="Kemendagri code (35.10) or ISO 3166-2 code"),
    name: str = typer.Argument(...),
    kind: str = typer.Option("kota", help="kota, kabupaten or city"),
    timezone: str = typer.Option("Asia/Jakarta"),
    country: str = typer.Option("ID"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create a city (or update its name)."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope

    prepare()
    try:
        with session_scope() as session:
            city = accounts.ensure_city(session, code, name, kind=kind, timezone=timezone, country=country)
            out = {"code": city.code, "name": city.name}
    except KotacerdasError as exc:
        fail(exc, as_json)
    emit(out, as_json, f"{out['code']} {out['name']}")


@admin_app.command("import-areas")
def admin_import_areas(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="GeoJSON FeatureCollection"),
    city: str = typer.Option(..., "--city", help="City code, e.g. 35.10"),
    skip_invalid: bool = typer.Option(False, help="Import the valid features and list the others"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import admin areas (kecamatan, desa/kelurahan) of a city from GeoJSON."""
    from kotacerdas.core import accounts
    from kotacerdas.core.admin_areas import import_areas
    from kotacerdas.core.config import get_settings
    from kotacerdas.core.db import session_scope
    from kotacerdas.core.errors import PayloadTooLarge
    from kotacerdas.core.i18n import N_

    prepare()
    limit = get_settings().max_upload_bytes
    try:
        if file.stat().st_size > limit:
            raise PayloadTooLarge(
                N_("The file is larger than the limit of {mb} MB"), field="file", mb=get_settings().max_upload_mb
            )
        with session_scope() as session:
            target = accounts.get_city(session, city)
            result = import_areas(session, target, file.read_bytes(), filename=file.name, skip_invalid=skip_invalid)
            if not result.already_imported:
                accounts.audit(session, target.id, None, "admin_areas.import", file.name, source="cli")
            out = result.as_dict()
    except KotacerdasError as exc:
        fail(exc, as_json)
    if out["already_imported"]:
        text = gettext("Already imported: {file} (nothing changed)", lang()).format(file=file.name)
    else:
        text = gettext("{created} created, {updated} updated, {unchanged} unchanged, {skipped} skipped", lang()).format(
            created=out["created"], updated=out["updated"], unchanged=out["unchanged"], skipped=len(out["skipped"])
        )
    emit(out, as_json, text)


@data_app.command("fetch")
def data_fetch(
    source: str = typer.Argument(..., help="osm (OpenStreetMap extract of --bbox) or admin (HDX boundaries)"),
    bbox: str = typer.Option(None, help="west,south,east,north for osm"),
    url: str = typer.Option(None, help="Override the download URL (file:// works)"),
    sha256: str = typer.Option(None, help="Expected checksum"),
    refresh: bool = typer.Option(False, help="Download again even if cached"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Download open data into the cache (with checksums) for import."""
    from kotacerdas.core import fetch as fetching
    from kotacerdas.core.config import get_settings
    from kotacerdas.core.geometry import BBox
    from kotacerdas.core.i18n import N_

    try:
        if source == "osm":
            if not bbox and not url:
                raise KotacerdasError(N_("osm needs --bbox west,south,east,north"), field="bbox")
            box = BBox.parse(bbox) if bbox else None
            target_url = url or fetching.overpass_url(box)
            name = "osm-" + ("_".join(f"{v:.4f}" for v in box.as_list()) if box else Path(url).stem) + ".osm"
        elif source == "admin":
            target_url = url or fetching.HDX_ADMIN_URL
            name = Path(target_url.split("?")[0]).name or "admin.geojson"
        else:
            raise KotacerdasError(N_("Unknown source {source}; sources are: osm, admin"), field="source", source=source)
        got = fetching.fetch(
            target_url, get_settings().cache_dir, source, name, expected_sha256=sha256, refresh=refresh
        )
    except KotacerdasError as exc:
        fail(exc, as_json)
    from dataclasses import asdict

    state = gettext("cached", lang()) if got.cached else gettext("downloaded", lang())
    emit(asdict(got), as_json, f"{got.path} ({got.size} B, sha256 {got.sha256[:12]}…, {state})")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port"),
    workers: int = typer.Option(1, help="Worker processes"),
) -> None:
    """Serve the web app and the API."""
    import uvicorn

    prepare()
    typer.echo(gettext("kotacerdas is running at {url}", lang()).format(url=f"http://{host}:{port}"))
    uvicorn.run("kotacerdas.web.asgi:app", host=host, port=port, workers=workers, log_level="info")


@app.command()
def worker(threads: int = typer.Option(2, help="Jobs run at the same time by this worker")) -> None:
    """Run background jobs (imports, reports, detection) from the queue until stopped (Ctrl+C or SIGTERM).

    The web server runs a worker of its own by default (KOTACERDAS_JOBS_WORKER=inline); with
    KOTACERDAS_JOBS_WORKER=external on the servers, start as many of these as you need, on any machine
    that reaches the database, the queue (KOTACERDAS_JOBS_URL) and the data directory.
    """
    import logging

    from kotacerdas.core.config import get_settings
    from kotacerdas.core.db import get_engine
    from kotacerdas.core.jobs import consumer
    from kotacerdas.core.orphans import sweep_at_start

    prepare()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    sweep_at_start(get_engine(), settings)  # uploads a killed import left behind
    typer.echo(
        gettext("Worker started: {threads} threads, queue {queue}", lang()).format(
            threads=threads, queue=settings.jobs_url or "sqlite"
        )
    )
    consumer(settings, workers=threads).run()


@app.command()
def demo(
    serve_after: bool = typer.Option(True, "--serve/--no-serve", help="Serve the web app after loading"),
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Load the demo data (generated, offline) into the database, then serve the web app."""
    from kotacerdas.core.db import session_scope
    from kotacerdas.demo.load import DEMO_PASSWORD, load_demo

    prepare()
    try:
        with session_scope() as session:
            summary = load_demo(session)
    except KotacerdasError as exc:
        fail(exc, as_json)
    login = gettext("Demo login: {user} / {password} (every role: see docs)", lang()).format(
        user="admin", password=DEMO_PASSWORD
    )
    if as_json:
        emit(summary | {"login": {"username": "admin", "password": DEMO_PASSWORD}}, True, "")
    else:
        typer.echo(gettext("Demo data loaded", lang()))
        for part in summary.values():  # a domain's demo may say what it did (e.g. which road damage it made)
            for item in part.values() if isinstance(part, dict) else ():
                if isinstance(item, dict) and isinstance(item.get("note"), str):
                    typer.echo(gettext(item["note"], lang()).format(**item.get("note_params", {})))
        typer.echo(login)
    if serve_after:
        serve(host=host, port=port, workers=1)
