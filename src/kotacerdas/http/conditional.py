"""Conditional GET (RFC 9110 §13): validators out (``ETag``, ``Last-Modified``), ``304 Not Modified`` in answer.

:func:`not_modified` evaluates ``If-None-Match`` (``*``, a list of entity tags, weak ``W/"…"``
ones compared weakly, as §13.1.2 asks for GET and HEAD) and, only when the request has no
``If-None-Match``, ``If-Modified-Since`` against the representation's last modification (to the
second, the precision of an HTTP date). :func:`validators` writes the two headers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request


def _opaque(tag: str) -> str:
    """An entity tag without its weakness marker (weak comparison, RFC 9110 §8.8.3.2)."""
    tag = tag.strip()
    return tag[2:] if tag[:2] in ("W/", "w/") else tag


def etag_matches(header: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` value names ``etag``: ``*``, or any tag of the list compared weakly."""
    header = header.strip()
    if header == "*":
        return True
    wanted = _opaque(etag)
    return any(_opaque(part) == wanted for part in _split_tags(header))


def _split_tags(header: str) -> list[str]:
    """The entity tags of a list (commas may appear inside quotes, so split outside them)."""
    out, cur, quoted = [], [], False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return [t.strip() for t in out if t.strip()]


def http_date(when: datetime) -> str:
    """An HTTP date (IMF-fixdate, always GMT)."""
    return format_datetime(when.astimezone(UTC).replace(microsecond=0), usegmt=True)


def _parse_http_date(text: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def not_modified(request: Request, etag: str | None, last_modified: datetime | None = None) -> bool:
    """True when a GET or HEAD may be answered ``304``: the client's copy is still the current one."""
    if request.method not in ("GET", "HEAD"):
        return False
    inm = request.headers.get("if-none-match")
    if inm is not None:
        return etag is not None and etag_matches(inm, etag)
    ims = request.headers.get("if-modified-since")
    if ims and last_modified is not None:
        since = _parse_http_date(ims)
        return since is not None and last_modified.astimezone(UTC).replace(microsecond=0) <= since
    return False


def validators(etag: str | None, last_modified: datetime | None) -> dict[str, str]:
    """The ``ETag`` and ``Last-Modified`` headers of a representation."""
    out = {}
    if etag:
        out["ETag"] = etag
    if last_modified is not None:
        out["Last-Modified"] = http_date(last_modified)
    return out
