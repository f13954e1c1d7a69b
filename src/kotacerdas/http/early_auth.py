"""Who is asking, before an upload is read: anonymous and wrongly signed uploads are refused unread.

FastAPI reads (and spools to disk) a multipart body before it runs a route's dependencies, so a route's own
sign-in check comes too late to save the server from a large anonymous upload. :class:`EarlyAuth`, an ASGI
middleware, looks at every multipart request to the API first: without a bearer token or a session cookie,
with a token that is unknown, expired or revoked, or with a cookie write from another site, it answers 401
(or 403) as problem details at once, and the body is never read. A signed-in user is kept in the request's
state, where :func:`kotacerdas.http.deps.optional_principal` finds it.

How much of a body is read at all is the application's ``max_body_size`` (FastAPI's own limit, set to the
upload limit plus the multipart framing): a body whose ``Content-Length`` is over it is refused before a byte
is read, whoever sends it, and reading stops at the limit when there is no ``Content-Length``. Starlette
answers that refusal in plain text; :class:`LimitProblems` turns it into problem details like every error.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kotacerdas.core.errors import KotacerdasError, NotAuthenticated
from kotacerdas.core.i18n import N_

#: Bytes a multipart body may add to the file it carries (boundaries, part headers, small form fields).
MULTIPART_MARGIN = 1 << 20


class EarlyAuth:
    """Resolve the principal of a multipart API request before its body is read; refuse the anonymous."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_upload(scope):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            principal = await run_in_threadpool(_principal, request)
            if principal is None:
                raise NotAuthenticated(N_("Sign in to do this"))
        except KotacerdasError as exc:
            from kotacerdas.http.deps import language
            from kotacerdas.http.problems import problem

            response = problem(request, exc.status, exc.render(language(request)), field=exc.field)
            response.headers["Connection"] = "close"  # the unread body is not drained: this connection ends
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _is_upload(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
        return False
    if not scope["path"].startswith("/api/"):
        return False
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.split(b";", 1)[0].strip().lower() == b"multipart/form-data"
    return False


def _principal(request: Request):
    from kotacerdas.http.deps import optional_principal

    return optional_principal(request)  # type: ignore[call-arg]  (the security schemes only document the API)


class LimitProblems:
    """Wraps the whole application: Starlette's plain-text 413 (a body over ``max_body_size``) as problem details."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        replacing = False

        async def sending(message: Message) -> None:
            nonlocal replacing
            if message["type"] == "http.response.start" and message["status"] == 413 and _plain(message):
                replacing = True
                return
            if not replacing:
                await send(message)
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                await _too_large(scope)(scope, receive, send)

        await self.app(scope, receive, sending)


def _plain(message: Message) -> bool:
    return any(k == b"content-type" and v.startswith(b"text/plain") for k, v in message.get("headers", []))


def _too_large(scope: Scope):
    from kotacerdas.core.i18n import gettext
    from kotacerdas.http.deps import language
    from kotacerdas.http.problems import problem

    request = Request(scope)
    mb = request.app.state.settings.max_upload_mb
    detail = gettext("The request is larger than the limit of {mb} MB", language(request)).format(mb=f"{mb:g}")
    response = problem(request, 413, detail)
    response.headers["Connection"] = "close"
    return response
