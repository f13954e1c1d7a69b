"""The command-line toolkit every command group uses: the language, output, errors, the database, transactions.

Domain command groups (``kotacerdas roads ...``) build on these so that every command
behaves the same: text in the user's language or JSON with ``--json``, a localised one-line
error and exit status 2 for bad input (1 for a server-side failure), the database migrated
before use.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import typer

from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import gettext, normalise_language

T = TypeVar("T")
AS_JSON = typer.Option(False, "--json", help="Print JSON.")


def lang() -> str:
    """The language of the command's output: ``KOTACERDAS_LANG``, else ``LANG``, else Bahasa Indonesia."""
    return normalise_language(os.environ.get("KOTACERDAS_LANG") or os.environ.get("LANG", "id")[:2])


def tr(message: str, **params: Any) -> str:
    """``message`` in the command's language, placeholders filled."""
    text = gettext(message, lang())
    return text.format(**params) if params else text


def fail(exc: KotacerdasError, as_json: bool = False) -> NoReturn:
    """Print ``exc`` as one localised line (or JSON) and exit: 2 for bad input, 1 for a server-side failure."""
    message = exc.render(lang())
    if as_json:
        typer.echo(json.dumps({"error": message, "field": exc.field, "record": exc.record}, default=str))
    else:
        typer.secho(gettext("Error", lang()) + ": " + message, fg="red", err=True)
    raise typer.Exit(2 if exc.status < 500 else 1)


def emit(data: Any, as_json: bool, text: str) -> None:
    """Print ``data`` as JSON with ``--json``, else ``text``."""
    typer.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False) if as_json else text)


def engine():
    """The engine of the configured database."""
    from kotacerdas.core.db import get_engine

    return get_engine()


def prepare() -> None:
    """Bring the configured database to the newest schema (quietly)."""
    from kotacerdas.core import migrate

    migrate.upgrade(engine())


def run(fn: Callable[[Any], T], as_json: bool = False, *, migrate: bool = True) -> T:
    """``fn(session)`` in one transaction of the migrated database; a user-facing error exits cleanly."""
    from kotacerdas.core.db import session_scope

    if migrate:
        prepare()
    try:
        with session_scope() as session:
            return fn(session)
    except KotacerdasError as exc:
        fail(exc, as_json)


def write(fn: Callable[[Any], T], as_json: bool = False, **options: Any) -> T:
    """``fn(session)`` in a write transaction retried on contention (:func:`kotacerdas.core.db.run_write`)."""
    from kotacerdas.core.db import run_write

    prepare()
    try:
        return run_write(engine(), fn, **options)
    except KotacerdasError as exc:
        fail(exc, as_json)
