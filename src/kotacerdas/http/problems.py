"""Errors as RFC 9457 problem details, localised to the request's language; as an HTML page for a browser.

API clients (``Accept: application/json``, ``*/*`` ...) always get problem details; a person
who opens a URL in a browser (``Accept: text/html``), the API's and the feeds' included, gets
the same error as a page in their language (:func:`wants_html`), with a sign-in link where
signing in would help. A ``405`` names in ``Allow`` every method the path accepts.

A domain error's ``extra`` (:class:`~kotacerdas.core.errors.KotacerdasError`) adds public fields to
the document (``needed_minutes``, ``nearest`` ...); the document's own members (:data:`MEMBERS`)
are never replaced by them. The message's parameters stay out of the document.
"""

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
#: The members of a problem document that an error's ``extra`` fields never replace.
MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "field", "record", "errors"})
log = logging.getLogger("kotacerdas.http")

TITLES = {
    400: N_("Invalid input"),
    401: N_("Not authenticated"),
    402: N_("Payment required"),
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


def _http_detail(request: Request, exc: StarletteHTTPException, lang: str) -> str:
    """The words of an HTTP error raised by the framework (404, 405, 413), in ``lang``."""
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if exc.status_code == 404 and detail in ("Not Found", ""):
        return gettext("Nothing is here", lang)
    if detail == "Method Not Allowed":
        return gettext("This method is not allowed here", lang)
    if exc.status_code == 413:
        mb = request.app.state.settings.max_upload_mb
        return gettext("The request is larger than the limit of {mb} MB", lang).format(mb=f"{mb:g}")
    return detail


#: What a validation error of each pydantic type says, in the catalogue (the type's own ``msg`` is English only);
#: ``{...}`` are the error's context values. A type not listed keeps pydantic's text.
REASONS = {
    "missing": N_("it is required"),
    "json_invalid": N_("the body is not valid JSON"),
    "model_attributes_type": N_("it must be an object"),
    "dict_type": N_("it must be an object"),
    "list_type": N_("it must be a list"),
    "string_type": N_("it must be text"),
    "int_type": N_("it must be a whole number"),
    "int_parsing": N_("it must be a whole number"),
    "int_from_float": N_("it must be a whole number"),
    "float_type": N_("it must be a number"),
    "float_parsing": N_("it must be a number"),
    "finite_number": N_("it must be a finite number"),
    "bool_type": N_("it must be true or false"),
    "bool_parsing": N_("it must be true or false"),
    "string_too_short": N_("it must have at least {min_length} characters"),
    "string_too_long": N_("it may have at most {max_length} characters"),
    "too_short": N_("it must have at least {min_length} items"),
    "too_long": N_("it may have at most {max_length} items"),
    "greater_than": N_("it must be greater than {gt}"),
    "greater_than_equal": N_("it must be at least {ge}"),
    "less_than": N_("it must be less than {lt}"),
    "less_than_equal": N_("it must be at most {le}"),
    "string_pattern_mismatch": N_("it does not have the expected form"),
    "enum": N_("it must be one of: {expected}"),
    "literal_error": N_("it must be one of: {expected}"),
    "datetime_parsing": N_("it must be a date and time (ISO 8601)"),
    "datetime_from_date_parsing": N_("it must be a date and time (ISO 8601)"),
    "datetime_type": N_("it must be a date and time (ISO 8601)"),
    "date_parsing": N_("it must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("it must be a date (YYYY-MM-DD)"),
    "date_type": N_("it must be a date (YYYY-MM-DD)"),
    "timezone_aware": N_("it must carry its UTC offset"),
    "url_parsing": N_("it must be a web address"),
    "url_scheme": N_("it must be a web address"),
    "extra_forbidden": N_("this field is not known"),
}


def validation_reason(err: dict[str, Any], lang: str) -> str:
    """The reason of one pydantic validation error in ``lang`` (:data:`REASONS`)."""
    text = REASONS.get(str(err.get("type", "")))
    if text is None:
        return str(err.get("msg", ""))
    ctx = {k: v for k, v in (err.get("ctx") or {}).items()}
    try:
        return gettext(text, lang).format(**ctx)
    except (KeyError, IndexError, ValueError):
        return str(err.get("msg", ""))


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem details."""

    @app.exception_handler(KotacerdasError)
    async def _domain(request: Request, exc: KotacerdasError):
        lang = language(request)
        if wants_html(request):
            return error_page(request, exc.status, exc.render(lang), links=getattr(exc, "links", None))
        extra: dict[str, Any] = {k: v for k, v in exc.extra.items() if k not in MEMBERS and k != "headers"}
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
            errors.append({"field": ".".join(loc), "detail": validation_reason(err, lang)})
        first = errors[0] if errors else {"field": None, "detail": ""}
        detail = gettext("The field {field} is invalid: {reason}", lang).format(
            field=first["field"], reason=first["detail"]
        )
        if wants_html(request):
            return error_page(request, 422, detail)
        return problem(request, 422, detail, field=first["field"] or None, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = _http_detail(request, exc, language(request))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            from kotacerdas.http.methods import allowed_methods

            headers["Allow"] = ", ".join(allowed_methods(request.app.routes, request.url.path))
        if wants_html(request):
            page = error_page(request, exc.status_code, detail)
            page.headers.update(headers)
            return page
        return problem(request, exc.status_code, detail, headers=headers)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        if out_of_range(exc):  # a value of the request too large for its column: the request's fault, a 400
            detail = gettext("A value in the request is too large to be stored", language(request))
            if wants_html(request):
                return error_page(request, 400, detail)
            return problem(request, 400, detail)
        # Logged with its traceback by the server; the client gets problem details without internals.
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        detail = gettext("Something went wrong on the server; nothing was changed", language(request))
        if wants_html(request):
            return error_page(request, 500, detail)
        return problem(request, 500, detail)


def out_of_range(exc: BaseException) -> bool:
    """True for a value the database cannot hold as sent: an integer beyond 64 bits (SQLite's driver refuses
    to bind it), PostgreSQL's "numeric value out of range" (SQLSTATE 22003) or a text longer than its column
    (22001; the ORM's own check names the field first, :func:`kotacerdas.core.db._check_lengths`). The
    transaction was rolled back."""
    from sqlalchemy.exc import StatementError

    if isinstance(exc, OverflowError):  # the sqlite3 driver's own, unwrapped
        return "SQLite INTEGER" in str(exc)
    if not isinstance(exc, StatementError):
        return False
    orig = exc.orig
    if isinstance(orig, OverflowError):
        return True
    return getattr(orig, "sqlstate", None) in ("22001", "22003")  # too long, out of range


def wants_html(request: Request) -> bool:
    """A person in a browser: the request asks for ``text/html`` (a navigation), whatever the path.

    Scripts and API clients ask for JSON (or anything, ``*/*``) and keep problem details; the
    static files, the health check and the metrics never answer a page.
    """
    if request.url.path.startswith(("/static/", "/healthz", "/metrics")):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "application/xhtml+xml" in accept


def error_page(request: Request, status: int, detail: str, *, links: list[tuple[str, str]] | None = None):
    """The error as an HTML page in the request's language (with a way on: sign in, the home page, ``links``)."""
    from kotacerdas.http.pages import render

    lang = language(request)
    title = gettext(TITLES.get(status, N_("Error")), lang)
    principal = getattr(request.state, "principal", None) or None
    query = request.url.query
    here = request.url.path + (f"?{query}" if query else "")
    return render(
        request,
        "error.html",
        principal,
        status=status,
        title=title,
        detail=detail,
        links=links or [],
        here=here,
        error_status=status,
    )
