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
            accounts.audit(session, None, None, "users.create", name, source="cli", roles=role, superuser=superuser)
    except KotacerdasError as exc:
        fail(exc, as_json)
    emit(
        {"username": name, "roles": role, "superuser": superuser},
        as_json,
        gettext("User {username} created", lang()).format(username=name),
    )


tokens_app = typer.Typer(help="A user's API tokens and web sessions.", no_args_is_help=True)
users_app.add_typer(tokens_app, name="tokens")


def _token_rows(session, user_id: int, include_dead: bool) -> list[dict]:
    from kotacerdas.core import accounts

    return [
        {
            "id": r.id,
            "kind": r.kind,
            "label": r.label,
            "created_at": r.created_at.isoformat(timespec="seconds"),
            "expires_at": r.expires_at.isoformat(timespec="seconds") if r.expires_at else None,
            "revoked": r.revoked,
        }
        for r in accounts.tokens_of(session, user_id, include_dead=include_dead)
    ]


def _user_named(session, username: str):
    from sqlalchemy import select

    from kotacerdas.core.errors import NotFound
    from kotacerdas.core.models import User

    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(N_("No user named {username}"), field="username", username=username)
    return user


@tokens_app.command("list")
def tokens_list(
    username: str,
    include_dead: bool = typer.Option(False, "--all", help="Also the revoked and expired ones"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List a user's live tokens (API clients) and web sessions, the newest first."""
    from kotacerdas.core.db import session_scope

    prepare()
    try:
        with session_scope() as session:
            rows = _token_rows(session, _user_named(session, username).id, include_dead)
    except KotacerdasError as exc:
        fail(exc, as_json)
    lines = [
        f"{r['id']}\t{r['kind']}\t{r['label']}\t{r['created_at']}\t{r['expires_at'] or '-'}"
        + ("\t" + gettext("revoked", lang()) if r["revoked"] else "")
        for r in rows
    ]
    emit(rows, as_json, "\n".join(lines) or gettext("No live tokens", lang()))


@tokens_app.command("revoke")
def tokens_revoke(
    username: str,
    token_id: list[int] = typer.Option([], "--id", help="The token's id (from tokens list); repeatable"),
    every: bool = typer.Option(False, "--all", help="Every live token and web session of the user"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Revoke some or all of a user's tokens and web sessions: they stop working at once."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope

    prepare()
    try:
        if not token_id and not every:
            raise KotacerdasError(N_("Name the tokens to revoke with --id, or give --all"), field="id")
        with session_scope(write=True) as session:
            user = _user_named(session, username)
            if every:
                count = accounts.revoke_all_tokens(session, user.id)
            else:
                for tid in token_id:
                    accounts.revoke_token_id(session, user.id, tid)
                count = len(token_id)
            accounts.audit(session, None, None, "users.tokens.revoke", username, source="cli", revoked=count)
    except KotacerdasError as exc:
        fail(exc, as_json)
    emit({"revoked": count}, as_json, gettext("{n} tokens revoked", lang()).format(n=count))


@users_app.command("set-password")
def users_set_password(
    username: str,
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, envvar="KOTACERDAS_NEW_PASSWORD"
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Give a user a new password: every token and web session of theirs is revoked."""
    from kotacerdas.core import accounts
    from kotacerdas.core.auth import hash_password
    from kotacerdas.core.db import session_scope

    prepare()
    try:
        new_hash = hash_password(password)
        with session_scope(write=True) as session:
            user = _user_named(session, username)
            count = accounts.set_password(session, user, new_hash)
            accounts.audit(session, None, None, "users.set_password", username, source="cli", revoked=count)
    except KotacerdasError as exc:
        fail(exc, as_json)
    emit(
        {"username": username, "revoked": count},
        as_json,
        gettext("Password changed; {n} tokens revoked", lang()).format(n=count),
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
            session.flush()
            accounts.audit(session, city.id, None, "cities.create", code, source="cli", name=name)
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
    from kotacerdas.core.jobs import Housekeeping, consumer, watch_parent
    from kotacerdas.core.orphans import sweep_at_start

    prepare()
    watch_parent()  # a web server's own worker stops when that server is gone
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    sweep_at_start(get_engine(), settings)  # uploads a killed import left behind
    Housekeeping(get_engine(), settings).start()  # lost jobs back on the queue, orphaned uploads swept
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
        # The demo's riders top up with the sandbox bank: turned on for this server only (never by default).
        import os

        from kotacerdas.core.config import get_settings

        os.environ["KOTACERDAS_PAYMENTS_SANDBOX"] = "1"
        get_settings.cache_clear()
        serve(host=host, port=port, workers=1)
