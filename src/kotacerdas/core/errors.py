"""The error type of the platform, and the base of each domain's own error type.

Every error a user can see carries a message id (English, with ``{placeholders}``),
its parameters, and where known the field and the record at fault. The message is
translated when it is shown (see :mod:`kotacerdas.core.i18n`), so the same error
reads in Bahasa Indonesia or English in the CLI, the API and the web pages.

Domains subclass :class:`KotacerdasError` once (``RoadsError``, ``BikesError`` ...)
and raise it with a message marked by :func:`kotacerdas.core.i18n.N_`.

The parameters fill the message only. What a client should also read as data (the least
budget that would do, the nearest place that can be reached ...) goes in ``extra``: public
fields the API adds to the problem document beside ``detail`` (JSON values; they never replace
the document's own members, see :mod:`kotacerdas.http.problems`).
"""

from __future__ import annotations

from typing import Any


class KotacerdasError(Exception):
    """A user-facing error: what went wrong, where, and which HTTP status fits.

    Parameters
    ----------
    message:
        English message id with ``{name}`` placeholders, marked with ``N_``.
    field:
        The input field at fault (``"geometry"``, ``"timestamp"``), if any.
    record:
        The record at fault (a row number, a feature index, an id), if any.
    status:
        HTTP status the API answers with (400 by default).
    extra:
        Public fields for the problem document (``{"needed_minutes": 35}``), JSON values; the members of
        the document itself (``type``, ``title``, ``status``, ``detail``, ``instance``, ``field``,
        ``record``, ``errors``) are never replaced by them.
    record_label:
        How the record is named before the message, a message id with ``{record}`` (``N_("Station {record}")``);
        ``Record {record}`` unless the error or its class says what kind of record it is.
    params:
        Values for the placeholders.
    """

    status: int = 400
    title: str = "Invalid input"
    record_label: str = "Record {record}"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        record: Any = None,
        status: int | None = None,
        extra: dict[str, Any] | None = None,
        record_label: str | None = None,
        **params: Any,
    ) -> None:
        self.message = message
        if record_label is not None:
            self.record_label = record_label
        self.field = field
        self.record = record
        self.extra: dict[str, Any] = dict(extra or {})
        self.params = params
        if status is not None:
            self.status = status
        super().__init__(self.render("en"))

    def render(self, lang: str = "en") -> str:
        """The message in ``lang``, placeholders filled, the record named."""
        from kotacerdas.core.i18n import gettext

        # a figure given as a kotacerdas.core.formats.Quantity is written in the reader's locale (Rp3.000 / Rp3,000)
        params = {
            k: v.render(lang) if hasattr(v, "render") and callable(v.render) else v for k, v in self.params.items()
        }
        text = gettext(self.message, lang).format(**params)
        if self.record is not None:
            prefix = gettext(self.record_label, lang).format(record=self.record)
            text = f"{prefix}: {text}"
        return text


class NotFound(KotacerdasError):
    """The resource does not exist, or the user may not see it."""

    status = 404
    title = "Not found"


class PermissionDenied(KotacerdasError):
    """The user is known but lacks the role, or acts outside their city."""

    status = 403
    title = "Forbidden"


class NotAuthenticated(KotacerdasError):
    """No valid session or token."""

    status = 401
    title = "Not authenticated"


class Conflict(KotacerdasError):
    """The request conflicts with what is stored (duplicate, stale state)."""

    status = 409
    title = "Conflict"


class PayloadTooLarge(KotacerdasError):
    """An upload over the configured limit."""

    status = 413
    title = "Payload too large"


class ServiceBusy(KotacerdasError):
    """The database is busy with other writes for longer than a request may wait: try again shortly (503).

    ``retry_after`` is the number of seconds the client is told to wait (``Retry-After``).
    """

    status = 503
    title = "Busy"
    retry_after: int = 1


class TooManyRequests(KotacerdasError):
    """Too many attempts in a short time (sign-in): try again after ``retry_after`` seconds (429)."""

    status = 429
    title = "Too many requests"
    retry_after: int = 60
