"""The rider's wallet: the statement, QRIS top-ups (sandbox payment and the provider's webhook), day passes.

The money moves in :mod:`kotacerdas.bikes.services.payments`; every request that moves money
carries an idempotency key, so a retry or a repeated webhook moves it once.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Header, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.bikes.api import schemas as sc
from kotacerdas.bikes.api.deps import engine, page_of, provider, system_for
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import payments
from kotacerdas.core.auth import Principal
from kotacerdas.core.i18n import N_
from kotacerdas.http.deps import DB_SESSION, current_principal
from kotacerdas.http.pagination import Page, page_params
from kotacerdas.http.schemas import problems

router = APIRouter()
#: The schema of the provider's notification (the body is read raw: its signature covers the bytes).
NOTICE = sc.PaymentNotice.model_json_schema()


@router.get(
    "/systems/{system_id}/me/transactions",
    response_model=sc.Statement,
    summary="The rider's wallet statement",
    responses=sc.RIDER_READ,
)
def my_transactions(
    system_id: str,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal = Depends(current_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Every movement of the signed-in rider's wallet, the latest first, paged, with the balance and debt now."""
    listing, balance, debt = payments.statement(session, system_for(session, system_id), principal.user_id)
    return page_of(session, listing, page, request) | {"balance": balance, "debt": debt}


@router.post(
    "/systems/{system_id}/me/topups",
    status_code=201,
    response_model=sc.Intent,
    summary="Top up: a payment intent with a QRIS code",
    responses=sc.RIDER,
)
def create_topup(
    system_id: str,
    body: sc.TopUp,
    request: Request,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
    principal: Principal = Depends(current_principal),
) -> dict:
    """A payment intent for ``amount`` rupiah with a dynamic QRIS payload, valid 15 minutes. The idempotency
    key (in the body or the ``Idempotency-Key`` header) is required: the same key returns the same intent,
    the same key for another amount is a 409."""
    key = body.idempotency_key or idempotency_key
    if not key:
        raise BikesError(N_("an idempotency key is required"), field="idempotency_key")
    return payments.create_topup(engine(request), provider(request), system_id, principal.user_id, body.amount, key)


@router.get(
    "/systems/{system_id}/me/topups/{intent_id}",
    response_model=sc.Intent,
    summary="One of the rider's payment intents",
    responses=sc.RIDER_READ,
)
def get_topup(
    system_id: str,
    intent_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = DB_SESSION,
) -> dict:
    """One of the signed-in rider's payment intents (404 for anyone else's)."""
    return payments.get_intent(session, system_for(session, system_id), principal.user_id, intent_id)


@router.post(
    "/systems/{system_id}/me/topups/{intent_id}/sandbox-pay",
    response_model=sc.PaymentResult,
    summary="Sandbox only: pay the intent as the banking app would, then deliver the webhook",
    responses=problems(401, 403, 404, 409, 422),
)
def sandbox_pay(
    system_id: str, intent_id: str, request: Request, principal: Principal = Depends(current_principal)
) -> dict:
    """Play the rider's banking app on a sandbox intent and deliver the provider's signed notification: the
    wallet is credited once. Only on a server configured for sandbox payments (403 elsewhere)."""
    return payments.sandbox_pay(engine(request), provider(request), system_id, principal.user_id, intent_id)


@router.post(
    "/payments/sandbox/webhook",
    response_model=sc.PaymentResult,
    summary="Payment provider webhook (HMAC-SHA256 in X-Signature)",
    responses=problems(400, 401, 403, 404, 409, 422),
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": NOTICE}}}},
)
async def payment_webhook(request: Request, x_signature: str = Header("", alias="X-Signature")) -> dict:
    """The provider's notification of a payment: the raw body's HMAC-SHA256 must be in ``X-Signature`` (401
    otherwise, whatever the header holds); a paid intent credits the wallet exactly once, however often it is
    delivered. A server without sandbox payments refuses it (403)."""
    sandbox = provider(request)
    raw = await request.body()
    return await run_in_threadpool(payments.confirm_payment, engine(request), sandbox, raw, x_signature)


@router.post(
    "/systems/{system_id}/me/passes",
    status_code=201,
    response_model=sc.PassBought,
    summary="Buy a day pass from the wallet",
    responses={**sc.RIDER, **problems(402)},
)
def buy_pass(system_id: str, body: sc.PassBuy, request: Request, principal: Principal = Depends(current_principal)):
    """Buy a day pass of ``plan_id`` from the wallet (never on credit: 402 when the balance is short); the same
    idempotency key returns the same pass."""
    return payments.buy_pass(engine(request), system_id, principal.user_id, body.plan_id, body.idempotency_key)
