"""The food-price recording page of the staff: a week's staple prices at one market, typed in one form.

The form posts to :func:`kotacerdas.lorong.services.foodprices.record_prices`, the service behind
``POST /api/v1/lorong/prices/{city}``, with the same checks (``lorong.report`` in the city; a coordinator only at
their own lorong's markets; an outlier only when an admin confirms it), all or nothing, and the CSRF check of every
form. A refused price shows the form again with the reason next to it and every typed price kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import KotacerdasError, PermissionDenied
from kotacerdas.core.i18n import N_
from kotacerdas.http.csrf import form_ok
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import cities_and_current, render
from kotacerdas.lorong import foodprices
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.pages import forms
from kotacerdas.lorong.services import access
from kotacerdas.lorong.services import foodprices as price_service

router = APIRouter(include_in_schema=False)
PERMISSION = "lorong.report"


@dataclass(frozen=True)
class Commodity:
    """A commodity's name as an error's parameter, in the reader's language."""

    code: str

    def render(self, lang: str | None) -> str:
        return foodprices.COMMODITIES[self.code][0 if lang == "id" else 1]


def _page(
    request: Request,
    principal: Principal,
    session: Session,
    city: str | None,
    market: str | None,
    day: date | None,
    *,
    status: int = 200,
    error: KotacerdasError | None = None,
    typed: dict[str, str] | None = None,
    bad: str | None = None,
    name_bad: bool = False,
):
    lang = language(request)
    cities, current = cities_and_current(session, city or "73.71")
    if current is None or not principal.can(PERMISSION, current.id):
        return forms.forbidden(request, principal, lang)
    markets = price_service.markets_for(session, principal, current.id)
    chosen = next((m for m in markets if m.code == market), markets[0] if markets else None)
    day = day or price_service.city_today(current)
    stored = price_service.week_prices(session, chosen, day) if chosen is not None else {}
    name = 0 if lang == "id" else 1
    rows = [
        {
            "code": code,
            "name": names[name],
            "unit": names[2],
            "value": (typed or {}).get(f"p-{code}", ""),
            "stored": stored.get(code),
        }
        for code, names in foodprices.COMMODITIES.items()
    ]
    ctx: dict[str, Any] = {
        "cities": cities,
        "city": current,
        "markets": markets,
        "market": chosen,
        "day": day,
        "week": foodprices.week_of(day),
        "rows": rows,
        "may_confirm": access.sees_all(principal, current.id),
        "confirm": bool((typed or {}).get("confirm")),
        "error": (f"{Commodity(bad).render(lang)}: " if bad else "") + error.render(lang)
        if error is not None
        else None,
        "error_field": error.field if error is not None else None,
        "bad": bad,
        "done": request.query_params.get("done") if error is None else None,
    }
    return render(request, "lorong/prices_record.html", principal, status=status, **ctx)


@router.get("/lorong/prices/record", response_class=HTMLResponse)
def record_page(
    request: Request,
    city: str | None = None,
    market: str | None = None,
    day: date | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The form for one market and week (default: the user's first market, this week in the city)."""
    if principal is None:
        return forms.login("/lorong/prices/record" + (f"?city={city}" if city else ""))
    return _page(request, principal, session, city, market, day)


def _entries(form: Any, confirm: bool) -> tuple[list[price_service.PriceInput], list[str]]:
    """The filled-in prices of the form (and their commodity codes, in order); at least one is needed."""
    market = forms.required(form, "market", N_("Market"))
    day = forms.day(form, "day", N_("Week of"))
    entries, codes = [], []
    for code in foodprices.COMMODITIES:
        if not forms.text(form, f"p-{code}"):
            continue
        codes.append(code)
        price = forms.rupiah(form, f"p-{code}", Commodity(code))
        entries.append(price_service.PriceInput(market, code, day, price, confirm))
    if not entries:
        raise LorongError(N_("Type at least one price"), field="price")
    return entries, codes


@router.post("/lorong/prices/record/{city}", response_class=HTMLResponse)
async def record_post(
    city: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Record the typed prices, all or nothing, and show the form again (with the reason if one was refused)."""
    lang = language(request)
    form = await request.form()

    def run():
        if principal is None:
            return forms.login(f"/lorong/prices/record?city={city}")
        if not form_ok(request, str(form.get("csrf") or "")):
            return forms.expired(request, principal, lang)
        typed = {k: str(v) for k, v in form.items() if k != "csrf"}
        market, day_text = forms.text(form, "market"), forms.text(form, "day")
        try:
            _cities, current = cities_and_current(session, city)
            if current is None or not principal.can(PERMISSION, current.id):
                raise PermissionDenied(N_("You do not have the role needed for this in this city"))
        except KotacerdasError as exc:
            return forms.forbidden(request, principal, lang, exc)
        codes: list[str] = []
        try:
            with session.begin_nested():  # all or nothing
                entries, codes = _entries(form, bool(form.get("confirm")))
                saved = price_service.record_prices(session, principal, current, entries)["saved"]
        except PermissionDenied as exc:
            return forms.forbidden(request, principal, lang, exc)
        except KotacerdasError as exc:
            # a price the service refused is named by its number among the typed ones; a cell that is not a number
            # by its field (and its message names the commodity already)
            numbered = isinstance(exc.record, int) and 0 < exc.record <= len(codes)
            bad = codes[exc.record - 1] if numbered else None
            if bad is None and exc.field and exc.field.startswith("p-"):
                bad = exc.field[2:]
            exc.record = None  # the form names the commodity itself
            try:
                shown = date.fromisoformat(day_text) if day_text else None
            except ValueError:
                shown = None
            return _page(
                request,
                principal,
                session,
                city,
                market,
                shown,
                status=exc.status,
                error=exc,
                typed=typed,
                bad=bad,
                name_bad=numbered,
            )
        target = f"/lorong/prices/record?city={current.code}&market={market}&day={day_text}&done={saved}"
        return RedirectResponse(target, status_code=303)

    return await run_in_threadpool(run)
