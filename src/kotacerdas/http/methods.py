"""What every route answers the same way, whatever its router: HEAD, OPTIONS, 405 with ``Allow``, open-data CORS.

* ``HEAD`` is answered for every ``GET`` route (RFC 9110 §9.3.2): the GET runs and its headers,
  ``Content-Length`` included, go back without the body.
* A ``405 Method Not Allowed`` names every method the path accepts in ``Allow``
  (:func:`allowed_methods` walks all routes: one path is often served by several).
* Open data (``/gbfs/...``) is readable from any web page: every answer, errors included,
  carries ``Access-Control-Allow-Origin: *`` and exposes its validators; a CORS preflight
  (``OPTIONS`` with ``Access-Control-Request-Method``) is answered ``204``. No credentials are
  ever allowed there.

:class:`MethodsMiddleware` is plain ASGI, outermost, so it sees the answers of every handler.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fastapi.routing import iter_route_contexts
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Paths whose answers any web page may read (open data without credentials).
OPEN_DATA_PREFIXES = ("/gbfs/",)
OPEN_DATA_METHODS = "GET, HEAD, OPTIONS"
OPEN_DATA_REQUEST_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
EXPOSED = "ETag, Last-Modified, Content-Language"
PREFLIGHT_MAX_AGE = "86400"


def is_open_data(path: str) -> bool:
    return path.startswith(OPEN_DATA_PREFIXES)


def allowed_methods(routes: Iterable, path: str) -> list[str]:
    """Every method some route accepts at ``path`` (``HEAD`` with ``GET``; ``OPTIONS`` on open data)."""
    methods: set[str] = set()
    for ctx in iter_route_contexts(list(routes)):
        regex: re.Pattern | None = getattr(ctx, "path_regex", None)
        found = getattr(ctx, "methods", None)
        if regex is not None and found and regex.match(path):
            methods |= set(found)
    if "GET" in methods:
        methods.add("HEAD")
    if methods and is_open_data(path):
        methods.add("OPTIONS")
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return sorted(methods, key=lambda m: (order.index(m) if m in order else len(order), m))


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


class MethodsMiddleware:
    """HEAD as GET without a body, CORS preflights and headers on open data (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        method = scope["method"]
        open_data = is_open_data(path)
        if open_data and method == "OPTIONS":
            await self._preflight(scope, send)
            return
        head = method == "HEAD"
        if head:
            scope = dict(scope, method="GET")

        async def sender(message: Message) -> None:
            if message["type"] == "http.response.start" and open_data:
                headers = [
                    (k, v) for k, v in message.get("headers", []) if not k.lower().startswith(b"access-control-")
                ]
                headers += [
                    (b"access-control-allow-origin", b"*"),
                    (b"access-control-expose-headers", EXPOSED.encode()),
                ]
                message = dict(message, headers=headers)
            if head and message["type"] == "http.response.body":
                if message.get("more_body"):
                    return  # the body is dropped; only its end is sent
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, sender)

    async def _preflight(self, scope: Scope, send: Send) -> None:
        asked = _headers(scope)
        headers = [
            (b"allow", OPEN_DATA_METHODS.encode()),
            (b"access-control-allow-origin", b"*"),
            (b"access-control-allow-methods", OPEN_DATA_METHODS.encode()),
            (
                b"access-control-allow-headers",
                (asked.get("access-control-request-headers") or OPEN_DATA_REQUEST_HEADERS).encode("latin-1"),
            ),
            (b"access-control-max-age", PREFLIGHT_MAX_AGE.encode()),
            (b"content-length", b"0"),
        ]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
