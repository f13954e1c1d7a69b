"""The ``kotacerdas`` command line: :data:`app` with the platform's commands and the domains' groups."""

from kotacerdas.cli import platform  # noqa: F401  (registers the platform's commands on app)
from kotacerdas.cli.app import app, main

__all__ = ["app", "main"]
