"""The one CSRF check of the platform: writes that ride on the session cookie must come from our own pages.

Two kinds of writes carry the web session cookie:

* API calls made by our own scripts (``fetch`` with the cookie): they send the ``kc_csrf``
  cookie's value in the ``X-CSRF-Token`` header, or come from our own origin;
* HTML forms posted by our own pages (sign-in, sign-out, operator forms): they carry the
  ``kc_csrf`` cookie's value in a hidden ``csrf`` field, and any ``Origin`` they send names
  this host.

Bearer-token calls carry no cookie and need no check.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi import Request

from kotacerdas.core.errors import PermissionDenied
from kotacerdas.core.i18n import N_

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_COOKIE = "kc_csrf"
CSRF_HEADER = "x-csrf-token"


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def same_origin(request: Request) -> bool:
    """True when the request names no other site in ``Origin`` (or ``Referer``)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return True
    parts = urlsplit(origin)
    return parts.netloc == request.url.netloc and parts.scheme == request.url.scheme


def check_cookie_write(request: Request) -> None:
    """Refuse an API write that rides on the session cookie from another site (403)."""
    if request.method in SAFE_METHODS or not request.url.path.startswith("/api/"):
        return
    if _same(request.headers.get(CSRF_HEADER), request.cookies.get(CSRF_COOKIE)):
        return
    if (request.headers.get("origin") or request.headers.get("referer")) and same_origin(request):
        return
    raise PermissionDenied(N_("This request comes from another site and was refused"))


def form_ok(request: Request, token: str | None) -> bool:
    """True when a posted form carries our CSRF token and names no other site."""
    return _same(token, request.cookies.get(CSRF_COOKIE)) and same_origin(request)
