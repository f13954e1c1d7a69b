"""The ``kotacerdas`` command itself: the platform's commands and one group per domain, loaded lazily.

A domain's command group (``kotacerdas roads ...``) is named in its description (see
:mod:`kotacerdas.core.registry`) and imported only when that group is run or asked for its
own ``--help``; ``kotacerdas --help`` lists every group from the registry without importing
any of them, so it loads no web framework and no model runtime.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from kotacerdas.core.errors import KotacerdasError


class DomainGroups(TyperGroup):
    """The top-level group: the platform's commands plus each domain's group, imported on first use."""

    _listing = False

    def _domains(self) -> dict[str, Any]:
        from kotacerdas.core.registry import domains

        return {d.name: d for d in domains() if d.cli}

    def list_commands(self, ctx: Any) -> list[str]:
        own = list(super().list_commands(ctx))
        return own + [name for name in self._domains() if name not in own]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        domain = self._domains().get(cmd_name)
        if domain is None:
            return None
        if self._listing:  # only the help line is needed: do not import the domain
            return TyperGroup(name=cmd_name, help=domain.cli_help or domain.title, short_help=domain.cli_help)
        group = typer.main.get_command(domain.load("cli"))
        group.name = cmd_name
        return group

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    cls=DomainGroups,
    help="kotacerdas: smart-city platform (Road Manager, Bike Sharing, Lorong Wisata, ASCN).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Console entry point (``kotacerdas`` and ``python -m kotacerdas``)."""
    from kotacerdas.console import lang

    try:
        app()
    except KotacerdasError as exc:
        typer.secho(exc.render(lang()), fg="red", err=True)
        sys.exit(2)
