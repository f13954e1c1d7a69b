"""The server's public address, for every absolute link it writes (feeds, pagination, downloads).

A link is built from ``KOTACERDAS_BASE_URL`` when it is set; otherwise from the request's own
address, but only when its ``Host`` is one of ``KOTACERDAS_TRUSTED_HOSTS``. A request naming any
other host gets no link on that host: :func:`public_base` refuses it (400) and
:func:`public_url` falls back to a path relative to the server, so ``Host: attacker.example``
never ends up in a feed, a page or a cache.
"""

from __future__ import annotations

from fastapi import Request

from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_


def trusted(request: Request) -> bool:
    """Whether the request's ``Host`` is one the server may write into links."""
    host = (request.url.hostname or "").strip("[]").lower()
    return host in request.app.state.settings.trusted_host_names


def base_or_none(request: Request) -> str | None:
    """The public base URL (no trailing slash), or ``None`` when the request's host is not trusted."""
    configured = request.app.state.settings.base_url.rstrip("/")
    if configured:
        return configured
    if trusted(request):
        return str(request.base_url).rstrip("/")
    return None


def public_base(request: Request) -> str:
    """The public base URL; 400 when none is configured and the request names an untrusted host."""
    base = base_or_none(request)
    if base is None:
        raise KotacerdasError(
            N_("This server does not publish links for the host {host}; set KOTACERDAS_BASE_URL"),
            field="host",
            host=request.url.hostname or "",
        )
    return base


def public_url(request: Request, path_and_query: str) -> str:
    """An absolute URL of a path of this server, or the path itself when the host is not trusted."""
    base = base_or_none(request)
    return (base or "") + path_and_query


def request_url(request: Request) -> str:
    """The request's own URL as a public link (its path and query on the public base)."""
    query = request.url.query
    return public_url(request, request.url.path + (f"?{query}" if query else ""))
