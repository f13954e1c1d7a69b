"""Wallet money as database transactions: QRIS top-ups (sandbox provider and webhook), day passes, credits.

Postings are computed by :class:`kotacerdas.bikes.ledger.Ledger` on the rider's current
balances (:func:`kotacerdas.bikes.store.rows.rider_ledger`) and stored with the balance update in
one transaction (:func:`kotacerdas.bikes.store.rows.post_transaction`), under the rider's row
lock; idempotency keys are unique per system in the database, so a retried request or a
repeated webhook moves money once.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes import ledger as ledgers
from kotacerdas.bikes import pricing
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services.writes import now_or, run_write
from kotacerdas.bikes.store import queries
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeDayPass, BikePaymentIntent, BikeRider, BikeSystem
from kotacerdas.core.db import session_scope
from kotacerdas.core.i18n import N_


def sandbox_provider(secret_key: str) -> ledgers.SandboxProvider:
    """The sandbox payment provider, its webhook secret derived from the platform's secret key."""
    return ledgers.SandboxProvider(hashlib.sha256(b"kotacerdas-bikes-sandbox|" + secret_key.encode()).digest())


def intent_json(row: BikePaymentIntent) -> dict:
    return {
        "intent_id": row.intent_id,
        "provider": row.provider,
        "amount": row.amount,
        "currency": "IDR",
        "status": row.status,
        "qr_payload": row.qr_payload,
        "created_at": row.created_at.isoformat(),
        "expires_at": row.expires_at.isoformat(),
        "idempotency_key": row.idempotency_key,
    }


def create_topup(
    engine: Engine,
    provider: ledgers.SandboxProvider,
    system_id: str,
    user_id: int,
    amount: int,
    idempotency_key: str,
    now: datetime | None = None,
) -> dict:
    """A payment intent with a dynamic QRIS payload; the same key returns the same intent."""
    now = now_or(now)
    if not idempotency_key:
        raise BikesError(N_("an idempotency key is required"), field="idempotency_key")

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        rider = st.rider_of_user(s, system, user_id, lock=True)
        old = s.scalar(
            select(BikePaymentIntent).where(
                BikePaymentIntent.rider_pk == rider.id, BikePaymentIntent.idempotency_key == idempotency_key
            )
        )
        if old is not None:
            if old.amount != amount:
                raise BikesError(
                    N_("idempotency key {key} was already used for another request"),
                    field="idempotency_key",
                    status=409,
                    key=idempotency_key,
                )
            return intent_json(old)
        intent = provider.create_intent(
            rider.rider_id, amount, idempotency_key=f"{system_id}:{rider.rider_id}:{idempotency_key}", at=now
        )
        row = BikePaymentIntent(
            city_id=system.city_id,
            system_pk=system.id,
            intent_id=intent.intent_id,
            provider=intent.provider,
            rider_pk=rider.id,
            amount=intent.amount,
            idempotency_key=idempotency_key,
            qr_payload=intent.qr_payload,
            status="pending",
            created_at=now,
            expires_at=intent.expires_at,
        )
        s.add(row)
        s.flush()
        return intent_json(row)

    return run_write(engine, body)


def _intent_model(row: BikePaymentIntent, rider_id: str) -> ledgers.PaymentIntent:
    return ledgers.PaymentIntent(
        row.intent_id,
        row.provider,
        rider_id,
        row.amount,
        row.created_at,
        row.expires_at,
        row.idempotency_key,
        row.qr_payload,
        row.status,
    )


def confirm_payment(engine: Engine, provider: ledgers.SandboxProvider, body_bytes: bytes, signature: str) -> dict:
    """Apply a provider's webhook: verify the signature (401), credit a paid intent exactly once."""
    event = provider.parse_webhook(body_bytes, signature)
    sid: list[str] = []

    def body(s: Session) -> dict:
        row = s.scalar(
            select(BikePaymentIntent).where(BikePaymentIntent.intent_id == event.intent_id).with_for_update()
        )
        if row is None:
            raise BikesError(N_("unknown payment {intent}"), field="intent_id", status=404, intent=event.intent_id)
        system = s.get(BikeSystem, row.system_pk)
        sid.append(system.system_id)
        rider = s.scalar(select(BikeRider).where(BikeRider.id == row.rider_pk).with_for_update())
        if row.status == "paid" or event.status != "paid":
            if row.status == "pending" and event.status in ("expired", "failed"):
                row.status = event.status
            return {"intent_id": row.intent_id, "status": row.status, "balance": int(rider.wallet)}
        key = f"{row.provider}:{row.intent_id}:paid"
        if st.find_transaction(s, system, key) is None:
            txn = ledgers.apply_payment_event(
                st.rider_ledger(rider), event, {row.intent_id: _intent_model(row, rider.rider_id)}
            )
            if txn is not None:
                st.post_transaction(s, system, rider, txn)
                row.paid_txn_id = txn.idempotency_key
        row.status = "paid"
        return {"intent_id": row.intent_id, "status": row.status, "balance": int(rider.wallet)}

    return run_write(engine, body)


def sandbox_pay(
    engine: Engine,
    provider: ledgers.SandboxProvider,
    system_id: str,
    user_id: int,
    intent_id: str,
    now: datetime | None = None,
) -> dict:
    """Play the rider's banking app on a sandbox intent, then deliver the webhook (development only)."""
    now = now_or(now)
    with session_scope(engine) as s:
        system = st.get_system(s, system_id)
        rider = st.rider_of_user(s, system, user_id)
        row = s.scalar(
            select(BikePaymentIntent).where(
                BikePaymentIntent.intent_id == intent_id, BikePaymentIntent.rider_pk == rider.id
            )
        )
        if row is None:
            raise BikesError(N_("unknown payment {intent}"), field="intent_id", status=404, intent=intent_id)
        provider.intents[row.intent_id] = _intent_model(row, rider.rider_id)
    body_bytes, signature = provider.pay(intent_id, now)
    return confirm_payment(engine, provider, body_bytes, signature)


def buy_pass(
    engine: Engine,
    system_id: str,
    user_id: int,
    plan_id: str,
    idempotency_key: str,
    now: datetime | None = None,
) -> dict:
    """Buy a day pass from the wallet (never on credit); the same key returns the same pass."""
    now = now_or(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        rider = st.rider_of_user(s, system, user_id, lock=True)
        plan = st.plan_model(st.get_plan(s, system, plan_id))
        key = f"pass:{rider.rider_id}:{idempotency_key}"
        earlier = st.find_transaction(s, system, key)
        if earlier is None:
            day_pass = pricing.buy_day_pass(plan, rider.rider_id, st.new_id("pass"), now)
            txn = st.rider_ledger(rider).buy_pass(
                rider.rider_id,
                int(plan.day_pass_price or 0),
                idempotency_key=key,
                at=now,
                reference=day_pass.pass_id,
            )
            st.post_transaction(s, system, rider, txn)
            s.add(
                BikeDayPass(
                    system_pk=system.id,
                    pass_id=day_pass.pass_id,
                    rider_pk=rider.id,
                    plan_id=plan_id,
                    purchased_at=now,
                    valid_until=day_pass.valid_until,
                )
            )
            pass_id = day_pass.pass_id
        else:
            pass_id = earlier.reference
        row = s.scalar(select(BikeDayPass).where(BikeDayPass.system_pk == system.id, BikeDayPass.pass_id == pass_id))
        return {
            "pass_id": row.pass_id,
            "plan_id": row.plan_id,
            "purchased_at": row.purchased_at.isoformat(),
            "valid_until": row.valid_until.isoformat(),
            "balance": int(rider.wallet),
        }

    return run_write(engine, body, system_id=system_id)


def credit(
    engine: Engine,
    system_id: str,
    rider_id: str,
    amount: int,
    *,
    idempotency_key: str,
    provider: str = "sandbox",
    now: datetime | None = None,
) -> int:
    """Top up a rider directly (demo data, tests, the CLI); returns the new balance."""
    now = now_or(now)

    def body(s: Session) -> int:
        system = st.get_system(s, system_id)
        rider = s.scalar(
            select(BikeRider).where(BikeRider.system_pk == system.id, BikeRider.rider_id == rider_id).with_for_update()
        )
        if rider is None:
            raise BikesError(N_("unknown rider {rider}"), field="rider_id", status=404, rider=rider_id)
        if st.find_transaction(s, system, idempotency_key) is None:
            txn = st.rider_ledger(rider).top_up(
                rider.rider_id, amount, provider=provider, idempotency_key=idempotency_key, at=now
            )
            st.post_transaction(s, system, rider, txn)
        return int(rider.wallet)

    return run_write(engine, body)


# -- the rider's own records (read) -----------------------------------------------------------


def get_intent(session: Session, system: BikeSystem, user_id: int, intent_id: str) -> dict:
    """One of the signed-in rider's payment intents (404 for anyone else's)."""
    rider = st.rider_of_user(session, system, user_id)
    row = session.scalar(
        select(BikePaymentIntent).where(
            BikePaymentIntent.intent_id == intent_id, BikePaymentIntent.rider_pk == rider.id
        )
    )
    if row is None:
        raise BikesError(N_("unknown payment {intent}"), field="intent_id", status=404, intent=intent_id)
    return intent_json(row)


def statement_json(row: Any) -> dict:
    """One movement of a wallet: a ``(BikeTransaction, amount)`` row."""
    t, amount = row
    return {
        "txn_id": t.txn_id,
        "kind": t.kind,
        "amount": int(amount),
        "reference": t.reference,
        "at": t.created_at.isoformat(),
    }


def statement(session: Session, system: BikeSystem, user_id: int) -> tuple[queries.Listing, int, int]:
    """The signed-in rider's wallet statement (the latest first), with the balance and the debt now."""
    rider = st.rider_of_user(session, system, user_id)
    listing = queries.Listing(queries.wallet_statement(rider), statement_json, scalars=False)
    return listing, int(rider.wallet), int(rider.debt)
