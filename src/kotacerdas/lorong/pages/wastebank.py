"""The waste bank page of a lorong's staff: the month's totals, the price list, residents' accounts and a resident's
monthly statement, with the forms its coordinator uses: record a deposit, open an account, pay a withdrawal, set a
price, record cash from a sale or the community's capital.

Each form posts to :mod:`kotacerdas.lorong.services.wastebank` after the same checks as the API
(``access.write_unit``: the unit's coordinator or an admin) and the CSRF check of every form. A refusal is the 403
page; bad input shows the page again with the error next to its form and what was typed kept, nothing stored.
Deposits, withdrawals and cash moves carry a key made when the form was shown, so a double tap counts once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import KotacerdasError, PermissionDenied
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.http.csrf import form_ok
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import render
from kotacerdas.lorong import periods
from kotacerdas.lorong import wastebank as rules
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.pages import forms
from kotacerdas.lorong.services import access
from kotacerdas.lorong.services import wastebank as svc
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import LorongUnit, LorongWasteAccount, LorongWasteBank

router = APIRouter(include_in_schema=False)
#: The forms of the page (their ids in the template) and what ``done=`` says once each has worked.
FORMS = ("deposit", "account", "withdrawal", "price", "cash")
DONE = {
    "deposit": N_("The deposit was recorded."),
    "account": N_("The account was opened."),
    "withdrawal": N_("The withdrawal was paid and recorded."),
    "price": N_("The price was saved."),
    "cash": N_("The cash was recorded."),
}
CASH_KINDS = {"sale": N_("Sale to a collector"), "capital": N_("Community capital")}
LINE_KINDS = {"deposit": N_("Deposit"), "withdrawal": N_("Withdrawal")}


def _banks(session: Session, principal: Principal) -> list[LorongWasteBank]:
    """The banks of the units ``principal`` looks after (its coordinator, its lurah, the admins)."""
    return [
        b
        for b in session.scalars(select(LorongWasteBank).order_by(LorongWasteBank.name))
        if access.in_scope(session, principal, must_get(session, LorongUnit, b.unit_id))
    ]


def _can_write(session: Session, principal: Principal, bank: LorongWasteBank) -> bool:
    try:
        access.write_unit(session, principal, must_get(session, LorongUnit, bank.unit_id))
    except KotacerdasError:
        return False
    return True


def _page(
    request: Request,
    principal: Principal,
    session: Session,
    bank_id: int | None,
    *,
    account: str | None = None,
    month: str | None = None,
    status: int = 200,
    error: KotacerdasError | None = None,
    error_at: str | None = None,
    typed: dict[str, Any] | None = None,
):
    lang = language(request)
    banks = _banks(session, principal)
    if bank_id is not None:
        try:
            svc.get_bank(session, bank_id)
        except KotacerdasError as exc:
            return forms.forbidden(request, principal, lang, exc)
        chosen = next((b for b in banks if b.id == bank_id), None)
    else:
        chosen = banks[0] if banks else None
    if chosen is None:
        return forms.forbidden(request, principal, lang)
    this_month = svc.current_month(session, chosen)
    price_list = svc.prices(session, chosen.id)
    accts = list(
        session.scalars(
            select(LorongWasteAccount)
            .where(LorongWasteAccount.bank_id == chosen.id)
            .order_by(LorongWasteAccount.account_no)
        )
    )
    ctx: dict[str, Any] = {
        "banks": banks,
        "bank": chosen,
        "city": must_get(session, City, chosen.city_id),
        "month": this_month,
        "totals": svc.month_totals(session, chosen, this_month),
        "last_month": svc.month_totals(session, chosen, periods.parse(this_month, "month").previous().key),
        "accounts": accts,
        "prices": sorted(price_list, key=lambda p: (p.material, p.valid_from)),
        "materials": {k: v[0 if lang == "id" else 1] for k, v in rules.MATERIALS.items()},
        "priced": sorted({p.material for p in price_list}),
        "cash_kinds": CASH_KINDS,
        "line_kinds": LINE_KINDS,
        "keys": {name: uuid.uuid4().hex for name in FORMS},
        "done": DONE.get(request.query_params.get("done") or ""),
        "done_no": request.query_params.get("no"),
        "can_write": _can_write(session, principal, chosen),
        "error": error.render(lang) if error is not None else None,
        "error_field": error.field if error is not None else None,
        "error_at": error_at,
        "typed": typed or {},
        "statement": None,
    }
    if account:
        try:
            acct = svc.get_account(session, chosen, account)
            wanted = month or this_month
            ctx["statement"] = svc.statement(session, chosen, acct, periods.parse(wanted, "month").key)
            ctx["statement_holder"] = acct.holder_name
        except KotacerdasError as exc:
            ctx.update(error=exc.render(lang), error_field=exc.field, error_at="statement", typed={"month": month})
            status = max(status, exc.status)
    return render(request, "lorong/wastebank.html", principal, status=status, **ctx)


@router.get("/lorong/wastebank", response_class=HTMLResponse)
def wastebank_page(
    request: Request,
    bank: int | None = None,
    account: str | None = None,
    month: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The chosen bank (or the first the user looks after); ``account`` and ``month`` show a resident's statement."""
    if principal is None:
        return forms.login("/lorong/wastebank" + (f"?bank={bank}" if bank else ""))
    return _page(request, principal, session, bank, account=account, month=month)


def _key(form: Any) -> str:
    """The idempotency key of a money form (made when the page was shown): a double tap counts once."""
    return "page-" + forms.required(form, "key", N_("Form key"))


async def _post(
    request: Request,
    bank_id: int,
    principal: Principal | None,
    session: Session,
    form_id: str,
    action: Callable[[LorongWasteBank, Principal, Any], str | None],
):
    """Check the sign-in, the form's token and the role, run ``action(bank, principal, form)`` in a savepoint, and
    go back to the page (``action`` may return an account number to name); bad input shows the page again."""
    lang = language(request)
    form = await request.form()

    def run():
        if principal is None:
            return forms.login(f"/lorong/wastebank?bank={bank_id}")
        if not form_ok(request, str(form.get("csrf") or "")):
            return forms.expired(request, principal, lang)
        try:
            bank = svc.get_bank(session, bank_id)
            p = access.write_unit(session, principal, must_get(session, LorongUnit, bank.unit_id))
        except KotacerdasError as exc:
            return forms.forbidden(request, principal, lang, exc)
        try:
            with session.begin_nested():  # bad input leaves nothing behind
                named = action(bank, p, form)
        except PermissionDenied as exc:
            return forms.forbidden(request, principal, lang, exc)
        except KotacerdasError as exc:
            typed = {k: str(v) for k, v in form.items() if k != "csrf"}
            return _page(
                request, principal, session, bank_id, status=exc.status, error=exc, error_at=form_id, typed=typed
            )
        more = f"&no={named}" if named else ""
        return RedirectResponse(f"/lorong/wastebank?bank={bank_id}&done={form_id}{more}", status_code=303)

    return await run_in_threadpool(run)


@router.post("/lorong/wastebank/{bank_id}/deposit")
async def wastebank_deposit(
    bank_id: int,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Record a deposit: one material's kg, valued at the bank's price of the day."""

    def action(bank, p, form):
        account = svc.get_account(session, bank, forms.required(form, "account_no", N_("Account")))
        items = [(forms.required(form, "material", N_("Material")), forms.number(form, "kg", N_("Weight (kg)")))]
        svc.deposit(session, bank, account, items, key=_key(form), user_id=p.user_id)
        return None

    return await _post(request, bank_id, principal, session, "deposit", action)


@router.post("/lorong/wastebank/{bank_id}/accounts")
async def wastebank_open_account(
    bank_id: int,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Open a resident's savings account (its number made from the bank's code when left empty)."""

    def action(bank, p, form):
        holder = forms.required(form, "holder_name", N_("Holder"))
        no = forms.text(form, "account_no") or None
        acct = svc.open_account(session, bank, holder, forms.text(form, "phone"), no)
        accounts.audit(session, bank.city_id, p.user_id, "lorong.wastebank.account", bank.code, account=acct.account_no)
        return acct.account_no

    return await _post(request, bank_id, principal, session, "account", action)


@router.post("/lorong/wastebank/{bank_id}/withdrawals")
async def wastebank_withdraw(
    bank_id: int,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Pay a resident cash from their savings: never more than they saved or the cash in the box."""

    def action(bank, p, form):
        account = svc.get_account(session, bank, forms.required(form, "account_no", N_("Account")))
        amount = forms.rupiah(form, "amount", N_("Amount (Rp)"))
        svc.withdraw(session, bank, account, amount, key=_key(form), user_id=p.user_id)
        return account.account_no

    return await _post(request, bank_id, principal, session, "withdrawal", action)


@router.post("/lorong/wastebank/{bank_id}/prices")
async def wastebank_price(
    bank_id: int,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Set a material's price per kg from a day on; deposits before that day keep their price."""

    def action(bank, p, form):
        material = forms.required(form, "material", N_("Material"))
        valid_from = forms.day(form, "valid_from", N_("From"))
        svc.set_price(session, bank, material, valid_from, forms.rupiah(form, "rupiah_per_kg", N_("Rupiah per kg")))
        accounts.audit(session, bank.city_id, p.user_id, "lorong.wastebank.price", bank.code, material=material)
        return None

    return await _post(request, bank_id, principal, session, "price", action)


@router.post("/lorong/wastebank/{bank_id}/cash")
async def wastebank_cash(
    bank_id: int,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Record cash put into the box: from selling to a collector, or the community's capital."""

    def action(bank, p, form):
        kind = forms.required(form, "kind", N_("Where the cash comes from"))
        if kind not in CASH_KINDS:
            raise LorongError(
                N_("{name} must be one of: {allowed}"), field="kind", name="kind", allowed="sale, capital"
            )
        amount = forms.rupiah(form, "amount", N_("Amount (Rp)"))
        move = svc.sell if kind == "sale" else svc.add_capital
        move(session, bank, amount, key=_key(form), memo=forms.text(form, "memo")[:200], user_id=p.user_id)
        return None

    return await _post(request, bank_id, principal, session, "cash", action)
