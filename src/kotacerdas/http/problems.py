"""Errors as RFC 9457 problem details, localised to the request's language."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.http.deps import language
from kotacerdas.http.schemas import PROBLEM_JSON

PROBLEM_TYPE = "https://kotacerdas.org/problems/"
log = logging.getLogger("kotacerdas.http")

TITLES = {
    400: N_("Invalid input"),
    401: N_("Not authenticated"),
    403: N_("Forbidden"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("Payload too large"),
    422: N_("Invalid input"),
    429: N_("Too many requests"),
    500: N_("Internal error"),
    503: N_("Busy"),
}


def problem(
    request: Request,
    status: int,
    detail: str,
    *,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    lang = language(request)
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + str(status),
        "title": gettext(TITLES.get(status, "Error"), lang),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if field:
        body["field"] = field
    body.update(extra)
    headers = dict(headers or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers or None)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem details."""

    @app.exception_handler(KotacerdasError)
    async def _domain(request: Request, exc: KotacerdasError):
        lang = language(request)
        extra: dict[str, Any] = {}
        if exc.record is not None:
            extra["record"] = exc.record
        problems = getattr(exc, "problems", None)
        if problems:
            extra["errors"] = [
                {"record": p["record"], "field": p["field"], "detail": p["error"].render(lang)} for p in problems
            ]
        headers = {"Retry-After": str(getattr(exc, "retry_after", 1))} if exc.status in (429, 503) else None
        return problem(request, exc.status, exc.render(lang), field=exc.field, headers=headers, **extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        lang = language(request)
        errors = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
            errors.append({"field": ".".join(loc), "detail": err.get("msg", "")})
        first = errors[0] if errors else {"field": None, "detail": ""}
        detail = gettext("The field {field} is invalid: {reason}", lang).format(
            field=first["field"], reason=first["detail"]
        )
        return problem(request, 422, detail, field=first["field"] or None, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        lang = language(request)
        detail = exc.detail if isinstance(exc.detail, str) else ""
        if exc.status_code == 404 and detail in ("Not Found", ""):
            detail = gettext("Nothing is here", lang)
        elif detail == "Method Not Allowed":
            detail = gettext("This method is not allowed here", lang)
        elif exc.status_code == 413:
            mb = request.app.state.settings.max_upload_mb
            detail = gettext("The request is larger than the limit of {mb} MB", lang).format(mb=f"{mb:g}")
        if wants_html(request):
            from kotacerdas.http.pages import render

            title = gettext(TITLES.get(exc.status_code, "Error"), lang)
            page = render(request, "error.html", None, status=exc.status_code, title=title, detail=detail)
            page.headers.update(exc.headers or {})
            return page
        return problem(request, exc.status_code, detail, headers=dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        # Logged with its traceback by the server; the client gets problem details without internals.
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem(
            request, 500, gettext("Something went wrong on the server; nothing was changed", language(request))
        )


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not the API, not a feed)."""
    path = request.url.path
    if path.startswith(("/api/", "/gbfs/", "/static/", "/healthz", "/metrics")):
        return False
    return "text/html" in request.headers.get("accept", "")
