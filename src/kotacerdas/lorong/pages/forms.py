"""What the staff pages' forms share: the sign-in redirect, the refusal and expired-form pages, and reading what
was typed into a form (numbers, whole rupiah, days) with an error that names the field."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.http.pages import render
from kotacerdas.lorong.errors import LorongError


def login(path: str) -> RedirectResponse:
    """To the sign-in page, coming back to ``path`` afterwards."""
    return RedirectResponse("/login?next=" + quote(path, safe="/?=&"), status_code=303)


def forbidden(request: Request, principal, lang: str, exc: KotacerdasError | None = None) -> HTMLResponse:
    """The refusal page (403, or the error's own status: 404 for a record that is not there)."""
    detail = exc.render(lang) if exc else gettext("You do not have the role needed for this in this city", lang)
    status = exc.status if exc is not None and exc.status in (401, 403, 404) else 403
    title = gettext("Not found", lang) if status == 404 else gettext("Forbidden", lang)
    return render(request, "error.html", principal, status=status, title=title, detail=detail)


def expired(request: Request, principal, lang: str) -> HTMLResponse:
    """A form without our CSRF token (an old page, another site): 400, nothing done."""
    return render(
        request,
        "error.html",
        principal,
        status=400,
        title=gettext("Invalid input", lang),
        detail=gettext("The form has expired; please try again", lang),
    )


@dataclass(frozen=True)
class Label:
    """A form field's label as an error's parameter: written in the reader's language when the error is shown."""

    message: str

    def render(self, lang: str | None) -> str:
        return gettext(self.message, lang)

    def __str__(self) -> str:
        return self.render("en")


def text(form: Any, name: str) -> str:
    return str(form.get(name) or "").strip()


def _label(label: Any) -> Any:
    return Label(label) if isinstance(label, str) else label


def required(form: Any, name: str, label: Any) -> str:
    """The field ``name``, which must not be empty (``label``: its label, a message marked with ``N_``, or anything
    with ``render(lang)``)."""
    value = text(form, name)
    if not value:
        raise LorongError(N_("{name} is required"), field=name, name=_label(label))
    return value


def number(form: Any, name: str, label: Any) -> float:
    """A number typed with a decimal point or comma (``2,5`` kg)."""
    raw = required(form, name, label)
    try:
        value = float(raw.replace(",", "."))
    except ValueError as exc:
        raise LorongError(N_("{value} is not a number"), field=name, value=raw) from exc
    if not math.isfinite(value):
        raise LorongError(N_("{value} is not a number"), field=name, value=raw)
    return value


def rupiah(form: Any, name: str, label: Any) -> int:
    """Whole rupiah, typed with or without thousands dots (``15.000``, ``Rp 15000``)."""
    raw = required(form, name, label)
    digits = raw.removeprefix("Rp").removeprefix("rp").strip().replace(".", "").replace(" ", "")
    if not digits.isdigit():
        raise LorongError(N_("{name} must be a whole number of rupiah"), field=name, name=_label(label))
    return int(digits)


def day(form: Any, name: str, label: Any) -> date:
    raw = required(form, name, label)
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise LorongError(N_("{value} is not a date (YYYY-MM-DD)"), field=name, value=raw) from exc
