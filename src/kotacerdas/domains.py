"""The domains plugged into the platform, found by name.

Each domain package (``roads``, ``bikes``, ``lorong``, ``ascn``) may have a
``plugin.py`` that exposes any of:

``tables``
    its SQLAlchemy tables module (imported so that migrations and tests see them);
``api_router``
    a FastAPI router mounted under ``/api/v1``;
``public_router``
    a FastAPI router mounted at the root (feeds such as ``/gbfs/...``);
``pages_router``
    a FastAPI router of web pages;
``cli``
    a Typer app, mounted as ``kotacerdas <domain> ...``;
``home_figures(session, city) -> list[(label, value)]``
    live figures for the home page card;
``home_link``
    the path of the domain's main page;
``load_demo(session) -> dict``
    adds the domain's demo data.

The core never imports a domain directly: adding a domain is adding a package.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

DOMAINS: tuple[str, ...] = ("roads", "bikes", "lorong", "ascn")


@cache
def plugin(name: str) -> ModuleType | None:
    """The plugin module of domain ``name``, or ``None`` if it has none yet."""
    module_name = f"kotacerdas.{name}.plugin"
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None


def plugins() -> list[tuple[str, ModuleType]]:
    """Every domain that has a plugin, in the platform's order."""
    return [(name, mod) for name in DOMAINS if (mod := plugin(name)) is not None]
