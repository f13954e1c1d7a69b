"""Double-entry ledger invariants (random operation sequences), payments and QRIS payloads."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.ledger import (
    PASSES,
    RIDES,
    Ledger,
    Posting,
    SandboxProvider,
    apply_payment_event,
    check_qris,
    crc16_ccitt,
    external,
    parse_tlv,
    qris_payload,
    receivable,
    wallet,
)
from kotacerdas.bikes.model import WIB

T0 = datetime(2025, 4, 14, 7, 0, tzinfo=WIB)


def test_crc16_ccitt_check_value():
    assert crc16_ccitt(b"123456789") == 0x29B1  # the published CRC-16/CCITT-FALSE check value
    assert crc16_ccitt(b"") == 0xFFFF


def test_topup_charge_refund_pass_withdraw():
    led = Ledger()
    led.top_up("r1", 50_000, provider="sandbox", idempotency_key="k1", at=T0)
    charge = led.charge("r1", 3_750, idempotency_key="k2", at=T0, reference="ren-1")
    led.buy_pass("r1", 15_000, idempotency_key="k3", at=T0)
    led.refund(charge.txn_id, 750, idempotency_key="k4", at=T0)
    led.withdraw("r1", 10_000, provider="sandbox", idempotency_key="k5", at=T0)
    assert led.wallet_balance("r1") == 50_000 - 3_750 - 15_000 + 750 - 10_000
    assert led.balance(RIDES) == 3_000 and led.balance(PASSES) == 15_000
    assert led.balance(external("sandbox")) == -40_000
    led.check()
    assert sum(led.accounts().values()) == 0


def test_balance_never_below_zero_and_debt():
    led = Ledger()
    led.top_up("r1", 2_000, provider="sandbox", idempotency_key="a", at=T0)
    with pytest.raises(BikesError) as err:
        led.charge("r1", 3_000, idempotency_key="b", at=T0)
    assert err.value.status == 402
    with pytest.raises(BikesError):
        led.buy_pass("r1", 15_000, idempotency_key="c", at=T0)
    with pytest.raises(BikesError):
        led.withdraw("r1", 2_001, provider="sandbox", idempotency_key="d", at=T0)
    # the end of a ride cannot be refused: the rest becomes debt
    led.charge("r1", 3_000, idempotency_key="e", at=T0, allow_debt=True)
    assert led.wallet_balance("r1") == 0 and led.debt("r1") == 1_000
    led.top_up("r1", 5_000, provider="sandbox", idempotency_key="f", at=T0)
    assert led.debt("r1") == 0 and led.wallet_balance("r1") == 4_000
    led.check()


def test_low_level_post_rejects_unbalanced_and_overdrawn():
    led = Ledger()
    with pytest.raises(BikesError):
        led.post("x", [Posting(wallet("r"), 10)], idempotency_key="a", at=T0)
    with pytest.raises(BikesError):  # a wallet would go negative
        led.post("x", [Posting(wallet("r"), -10), Posting(RIDES, 10)], idempotency_key="b", at=T0)
    with pytest.raises(BikesError):  # floats never touch money
        led.post("x", [Posting(wallet("r"), 1.5), Posting(RIDES, -1.5)], idempotency_key="c", at=T0)  # type: ignore[arg-type]
    with pytest.raises(BikesError):
        led.post("x", [Posting("bank:r", 1), Posting(RIDES, -1)], idempotency_key="d", at=T0)
    assert led.transactions == []


def test_idempotency():
    led = Ledger()
    first = led.top_up("r1", 10_000, provider="sandbox", idempotency_key="same", at=T0)
    again = led.top_up("r1", 10_000, provider="sandbox", idempotency_key="same", at=T0 + timedelta(minutes=1))
    assert again is first and led.wallet_balance("r1") == 10_000
    with pytest.raises(BikesError) as err:
        led.top_up("r1", 20_000, provider="sandbox", idempotency_key="same", at=T0)
    assert err.value.status == 409
    c1 = led.charge("r1", 3_000, idempotency_key="ride-1", at=T0)
    led.top_up("r1", 1_000, provider="sandbox", idempotency_key="more", at=T0)
    assert led.charge("r1", 3_000, idempotency_key="ride-1", at=T0) is c1
    r1 = led.refund(c1.txn_id, 1_000, idempotency_key="ref", at=T0)
    assert led.refund(c1.txn_id, 1_000, idempotency_key="ref", at=T0) is r1
    assert led.wallet_balance("r1") == 10_000 - 3_000 + 1_000 + 1_000


def test_refund_limits():
    led = Ledger()
    led.top_up("r1", 10_000, provider="sandbox", idempotency_key="a", at=T0)
    c = led.charge("r1", 4_000, idempotency_key="b", at=T0)
    led.refund(c.txn_id, 3_000, idempotency_key="c", at=T0)
    with pytest.raises(BikesError):
        led.refund(c.txn_id, 1_001, idempotency_key="d", at=T0)
    led.refund(c.txn_id, 1_000, idempotency_key="e", at=T0)
    assert led.balance(RIDES) == 0
    with pytest.raises(BikesError):
        led.refund(led.transactions[0].txn_id, 1, idempotency_key="f", at=T0)  # a top-up is no charge


@pytest.mark.parametrize("seed", range(12))
def test_random_operations_keep_every_invariant(seed):
    rng = random.Random(seed)
    led = Ledger()
    riders = [f"r{i}" for i in range(5)]
    paid_in = 0
    paid_out = 0
    charges: list[str] = []
    for step in range(300):
        rider = rng.choice(riders)
        op = rng.choice(["topup", "charge", "ride", "pass", "refund", "withdraw", "repeat"])
        key = f"k{step}"
        amount = rng.choice([0, 1, 250, 3_000, 5_000, 15_000, 50_000, rng.randint(1, 80_000)])
        before = dict(led.accounts())
        try:
            if op == "topup":
                led.top_up(rider, amount, provider=rng.choice(["sandbox", "qris"]), idempotency_key=key, at=T0)
                paid_in += amount
            elif op in ("charge", "ride"):
                charges.append(led.charge(rider, amount, idempotency_key=key, at=T0, allow_debt=op == "ride").txn_id)
            elif op == "pass":
                led.buy_pass(rider, amount, idempotency_key=key, at=T0)
            elif op == "refund" and charges:
                led.refund(rng.choice(charges), amount, idempotency_key=key, at=T0)
            elif op == "withdraw":
                led.withdraw(rider, amount, provider="sandbox", idempotency_key=key, at=T0)
                paid_out += amount
            elif op == "repeat" and led.transactions:
                old = rng.choice(led.transactions)
                led.post(
                    old.kind,
                    old.postings,
                    idempotency_key=old.idempotency_key,
                    at=T0,
                    reference=old.reference,
                )
        except BikesError:
            assert led.accounts() == before, "a refused operation changed balances"
        accounts = led.accounts()
        assert sum(accounts.values()) == 0
        for name, value in accounts.items():
            kind = name.partition(":")[0]
            assert value >= 0 if kind in ("wallet", "revenue") else value <= 0, (name, value)
        inside = sum(v for k, v in accounts.items() if not k.startswith("external:"))
        assert inside == paid_in - paid_out
    led.check()
    replay = Ledger(led.transactions)
    assert replay.accounts() == led.accounts()
    for r in riders:
        total = sum(amount for _, amount in led.entries(wallet(r)))
        assert total == led.wallet_balance(r)
        assert led.debt(r) == -led.balance(receivable(r))


def test_qris_payload_layout():
    payload = qris_payload(
        merchant_name="KOTACERDAS BIKE DEMO",
        merchant_city="BANYUWANGI",
        nmid="ID1234567890123",
        acquirer_domain="ID.EXAMPLE.WWW",
        merchant_pan="9360000000000000001",
        amount=25_000,
        reference="PI42",
        postal_code="68411",
    )
    fields = parse_tlv(payload)
    assert list(fields)[0] == "00" and fields["00"] == "01"
    assert fields["01"] == "12" and fields["53"] == "360" and fields["54"] == "25000" and fields["58"] == "ID"
    assert parse_tlv(fields["51"])["00"] == "ID.CO.QRIS.WWW" and parse_tlv(fields["51"])["02"] == "ID1234567890123"
    assert parse_tlv(fields["62"])["05"] == "PI42"
    assert list(fields)[-1] == "63" and payload[-8:-4] == "6304"
    assert check_qris(payload)
    tampered = payload.replace("25000", "95000")
    assert not check_qris(tampered)
    static = qris_payload(merchant_name="X", merchant_city="Y", nmid="N", acquirer_domain="D", merchant_pan="1")
    assert parse_tlv(static)["01"] == "11" and "54" not in parse_tlv(static) and check_qris(static)
    assert not check_qris("000201")


def test_sandbox_payment_flow_credits_once():
    provider = SandboxProvider()
    led = Ledger()
    intent = provider.create_intent("r1", 20_000, idempotency_key="topup-1", at=T0)
    assert provider.create_intent("r1", 20_000, idempotency_key="topup-1", at=T0) == intent
    with pytest.raises(BikesError):
        provider.create_intent("r1", 30_000, idempotency_key="topup-1", at=T0)
    assert check_qris(intent.qr_payload) and parse_tlv(intent.qr_payload)["54"] == "20000"
    body, signature = provider.pay(intent.intent_id, T0 + timedelta(minutes=2))
    event = provider.parse_webhook(body, signature)
    first = apply_payment_event(led, event, provider.intents)
    again = apply_payment_event(led, provider.parse_webhook(body, signature), provider.intents)
    assert first is again and led.wallet_balance("r1") == 20_000
    with pytest.raises(BikesError) as err:
        provider.parse_webhook(body.replace(b"20000", b"90000"), signature)
    assert err.value.status == 401


def test_sandbox_expired_intent_moves_no_money():
    provider = SandboxProvider(valid_minutes=15)
    led = Ledger()
    intent = provider.create_intent("r1", 20_000, idempotency_key="late", at=T0)
    body, sig = provider.pay(intent.intent_id, T0 + timedelta(minutes=16))
    event = provider.parse_webhook(body, sig)
    assert event.status == "expired"
    assert apply_payment_event(led, event, provider.intents) is None
    assert led.wallet_balance("r1") == 0
