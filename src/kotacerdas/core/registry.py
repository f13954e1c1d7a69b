"""The domains of the platform and what each one plugs in, named by dotted paths and imported only when used.

A domain (``roads``, ``bikes``, ``lorong``, ``ascn``) describes itself once, in its
package's ``__init__`` as ``DOMAIN = Domain(...)``, with *dotted names* instead of
objects: ``"kotacerdas.roads.api:router"``. Nothing behind a name is imported until
something asks for it, so ``import kotacerdas.tables`` loads only tables and
``kotacerdas --help`` loads no web framework and no model runtime.

What a domain may name (every one optional):

``tables``
    the module(s) holding its SQLAlchemy tables (migrations and tests need them);
``api``
    a FastAPI router mounted under ``/api/v1``;
``public``
    a FastAPI router mounted at the root (feeds such as ``/gbfs/...``);
``pages``
    a FastAPI router of web pages;
``cli``
    a Typer app, mounted as ``kotacerdas <domain> ...``;
``demo``
    ``load_demo(session) -> dict`` adding the domain's demo data;
``home``
    ``home_figures(session, city) -> list[(label, value)]`` for the home page card (values are
    :class:`kotacerdas.core.formats.Quantity` or counts, written in the reader's locale by the page;
    an empty list when the city has nothing yet, and ``home_empty`` then says what is missing and
    who can add it);
``jobs``
    module(s) defining background job kinds (imported by the worker);
``uploads``
    ``kept_uploads(session, data_dir) -> KeptUploads``: its upload folder and the files its rows
    reference, so that :func:`kotacerdas.core.orphans.sweep` removes the others at start-up;
``tags``
    the OpenAPI tags of its routes with their descriptions, ``(("bikes", "..."), ...)``;
``staff``
    the screens of its staff, ``((permission, label, "/path?city={city}"), ...)``: the navigation
    links a signed-in user with that permission gets (after signing in, on every page);
``staff_cities``
    ``cities(session) -> set[int]``: the cities where those screens have something to open (the cities
    with a bike-share system); a user holding the permission only elsewhere gets no link. Without it,
    every city.

The list of domains is :data:`DOMAIN_NAMES`, written here once; adding a domain is
adding its package and its name here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

#: Every domain of the platform, in the order of the home page, the API and the command line.
DOMAIN_NAMES: tuple[str, ...] = ("roads", "bikes", "lorong", "ascn")

#: Tables below the domains (the platform's own and the shared road network), loaded before any domain's.
PLATFORM_TABLES: tuple[str, ...] = ("kotacerdas.core.models", "kotacerdas.network.tables")


@dataclass(frozen=True)
class Domain:
    """What one domain plugs into the platform, as dotted names (``module`` or ``module:attribute``)."""

    name: str
    title: str
    summary: str
    tables: tuple[str, ...] = ()
    api: str | None = None
    public: str | None = None
    pages: str | None = None
    cli: str | None = None
    cli_help: str = ""
    demo: str | None = None
    home: str | None = None
    home_link: str | None = None
    home_empty: str = ""
    jobs: tuple[str, ...] = ()
    uploads: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    staff: tuple[tuple[str, str, str], ...] = ()
    staff_cities: str | None = None
    templates: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    def load(self, part: str) -> Any:
        """The object behind one of this domain's names (``"api"``, ``"cli"`` ...), or ``None`` if it has none."""
        dotted = getattr(self, part) if part in _PARTS else self.extra.get(part)
        return resolve(dotted) if dotted else None


_PARTS = frozenset({"api", "public", "pages", "cli", "demo", "home", "uploads"})


def resolve(dotted: str) -> Any:
    """Import ``package.module`` or ``package.module:attribute`` and return it."""
    module_name, _, attribute = dotted.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


@cache
def domain(name: str) -> Domain | None:
    """The description of domain ``name`` (its package's ``DOMAIN``), or ``None`` if it has none yet."""
    if name not in DOMAIN_NAMES:
        return None
    package = importlib.import_module(f"kotacerdas.{name}")
    return getattr(package, "DOMAIN", None)


def domains() -> list[Domain]:
    """Every domain that describes itself, in the platform's order."""
    return [d for name in DOMAIN_NAMES if (d := domain(name)) is not None]


def load_tables() -> None:
    """Import the platform's tables and every domain's, so that the metadata is complete."""
    for dotted in PLATFORM_TABLES:
        resolve(dotted)
    for d in domains():
        for dotted in d.tables:
            resolve(dotted)


def load_jobs() -> None:
    """Import every module that defines a job kind (the worker needs them all)."""
    for d in domains():
        for dotted in d.jobs:
            resolve(dotted)


def lazy_exports(module_name: str, exports: dict[str, str]):
    """``__all__``, ``__getattr__`` and ``__dir__`` for a package whose public names load on first use.

    ``exports`` maps each public name to the module that defines it (``{"classify":
    "kotacerdas.roads.bina_marga"}``); ``from kotacerdas.roads import classify`` imports that module
    then, and ``import kotacerdas.roads`` stays cheap.
    """
    names = sorted(exports)

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        return getattr(importlib.import_module(exports[name]), name)

    def __dir__() -> list[str]:
        return names

    return names, __getattr__, __dir__
