"""Wallet money as database transactions: sandbox QRIS top-ups and their webhook, day passes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.ledger import check_qris
from kotacerdas.bikes.services import payments
from kotacerdas.bikes.services import rentals as service
from kotacerdas.core.db import utcnow

from ..factories import SYSTEM, invariants, make_riders


def test_topup_through_sandbox_qris_and_webhook_credits_once(system):
    (u,) = make_riders(system, 1, balance=0)
    provider = payments.sandbox_provider("secret")
    intent = payments.create_topup(system, provider, SYSTEM, u, 25000, "k1")
    assert intent["status"] == "pending" and intent["qr_payload"].startswith("000201010212")
    assert check_qris(intent["qr_payload"])
    assert payments.create_topup(system, provider, SYSTEM, u, 25000, "k1")["intent_id"] == intent["intent_id"]
    with pytest.raises(BikesError):
        payments.create_topup(system, provider, SYSTEM, u, 30000, "k1")
    paid = payments.sandbox_pay(system, provider, SYSTEM, u, intent["intent_id"])
    assert paid["status"] == "paid" and paid["balance"] == 25000
    body, sig = provider.pay(intent["intent_id"], utcnow())  # the provider sends the webhook again
    assert payments.confirm_payment(system, provider, body, sig)["balance"] == 25000  # repeated webhook
    with pytest.raises(BikesError) as err:
        payments.confirm_payment(system, provider, body, "0" * 64)
    assert err.value.status == 401
    assert invariants(system) == []


def test_day_pass_is_paid_once_and_rides_use_its_terms(system):
    (u,) = make_riders(system, 1, balance=20000)
    t0 = utcnow()
    p1 = payments.buy_pass(system, SYSTEM, u, "day", "pass-1", now=t0)
    p2 = payments.buy_pass(system, SYSTEM, u, "day", "pass-1", now=t0)
    assert p1["pass_id"] == p2["pass_id"] and p2["balance"] == 5000
    service.rent(system, SYSTEM, u, bike_id="uji-alpha-0", now=t0 + timedelta(minutes=1))
    out = service.end_rental(system, SYSTEM, u, "alpha", now=t0 + timedelta(minutes=50))
    assert out["fare"] == 0 and out["pass_id"] == p1["pass_id"]
    with pytest.raises(BikesError) as err:
        payments.buy_pass(system, SYSTEM, u, "day", "pass-2", now=t0)
    assert err.value.status == 402
