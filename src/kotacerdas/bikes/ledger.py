"""Rider wallets as a double-entry ledger, and payments (sandbox, QRIS design).

Accounting
----------
The wallets are the platform's one double-entry ledger (:mod:`kotacerdas.core.ledger`):
every movement of money is a :class:`Transaction` made of :class:`Posting`
lines whose amounts (integer rupiah, positive = money *into* the account)
always sum to zero, so money is never created or lost inside the system.
An account's balance is the sum of its postings; nothing else is stored.

Accounts (names are ``kind:owner``):

==========================  ===============================================  =========
account                     holds                                            balance
==========================  ===============================================  =========
``wallet:<rider>``          the rider's prepaid credit                       >= 0
``receivable:<rider>``      minus what the rider owes (a ride overran)       <= 0
``revenue:rides``           fares earned                                     >= 0
``revenue:passes``          day passes sold                                  >= 0
``external:<provider>``     minus the money that came in through a provider  <= 0
==========================  ===============================================  =========

Operations: :meth:`Ledger.top_up` (provider -> debt first, then wallet),
:meth:`Ledger.charge` (wallet -> revenue; the unpaid rest of a ride fare may
become debt), :meth:`Ledger.refund` (revenue -> rider, never more than was
charged), :meth:`Ledger.buy_pass` (wallet -> passes, never on credit) and
:meth:`Ledger.withdraw` (wallet -> provider). Every operation takes an
*idempotency key*: repeating a request with the same key returns the first
transaction; the same key with other content is a conflict (409).

Payments and QRIS
-----------------
A :class:`PaymentProvider` turns a top-up request into a
:class:`PaymentIntent` and later confirms it through a signed webhook:

1. ``create_intent(rider, amount, idempotency_key)`` -> intent with a QR
   payload string (dynamic QRIS, merchant-presented mode);
2. the rider scans it with any QRIS banking / e-wallet app and pays;
3. the provider calls our webhook; ``parse_webhook(body, signature)`` checks
   the HMAC signature and returns a :class:`PaymentEvent`;
4. :func:`apply_payment_event` posts the top-up with the idempotency key
   ``<provider>:<intent>:paid`` so that repeated webhooks credit once.

The QR payload follows the EMVCo merchant-presented layout used by QRIS: a
string of TLV fields (two-digit tag, two-digit length, value) -- ``00``
payload format ``01``, ``01`` initiation ``12`` (dynamic) or ``11`` (static),
``26`` merchant account of the acquirer, ``51`` national merchant id (NMID)
under ``ID.CO.QRIS.WWW``, ``52`` merchant category, ``53`` currency ``360``
(IDR), ``54`` amount, ``58`` country ``ID``, ``59`` name, ``60`` city, ``61``
postal code, ``62`` additional data (reference label), and last ``63``: the
CRC-16/CCITT-FALSE checksum (poly 0x1021, init 0xFFFF) over the whole string
including ``"6304"``, as four upper-case hex digits. :class:`SandboxProvider`
produces such payloads with sandbox identifiers and pays them locally; a real
acquirer (a PJSP offering QRIS) plugs in behind the same protocol.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import check_aware, check_money
from kotacerdas.core import ledger as journal
from kotacerdas.core.formats import Quantity
from kotacerdas.core.i18n import N_
from kotacerdas.core.ledger import Posting, Transaction

RIDES = "revenue:rides"
PASSES = "revenue:passes"


def wallet(rider_id: str) -> str:
    """Name of a rider's wallet account."""
    return f"wallet:{rider_id}"


def receivable(rider_id: str) -> str:
    """Name of the account recording a rider's debt."""
    return f"receivable:{rider_id}"


def external(provider: str) -> str:
    """Name of the account mirroring money held at a payment provider."""
    return f"external:{provider}"


def account_kind(account: str) -> str:
    """The kind of an account name (``wallet``, ``revenue`` ...); raises for unknown kinds."""
    return Ledger.account_kind(account)


class Ledger(journal.Ledger):
    """The riders' money of one system: the platform's double-entry ledger with the bike-share accounts.

    Build it empty or from stored transactions (``Ledger(transactions)``); the platform persists
    :attr:`transactions` (one row per posting) and rebuilds.
    """

    SIGNS = {"wallet": 1, "revenue": 1, "receivable": -1, "external": -1}
    OWNED = frozenset(SIGNS)
    error = BikesError

    def __init__(self, transactions: Iterable[Transaction] = ()) -> None:
        self._refunded: dict[str, int] = defaultdict(int)
        super().__init__(transactions)

    # -- reading -----------------------------------------------------------
    def wallet_balance(self, rider_id: str) -> int:
        """Rupiah the rider can spend."""
        return self.balance(wallet(rider_id))

    def debt(self, rider_id: str) -> int:
        """Rupiah the rider owes (positive number)."""
        return -self.balance(receivable(rider_id))

    # -- writing -----------------------------------------------------------
    def top_up(
        self,
        rider_id: str,
        amount: int,
        *,
        provider: str,
        idempotency_key: str,
        at: datetime,
        reference: str | None = None,
    ) -> Transaction:
        """Money paid in through ``provider``: settles the rider's debt first, the rest to the wallet."""
        amount = self._positive(amount)
        lines = [Posting(external(provider), -amount), *self._credit_rider(rider_id, amount)]
        return self.post("topup", lines, idempotency_key=idempotency_key, at=at, reference=reference)

    def charge(
        self,
        rider_id: str,
        amount: int,
        *,
        idempotency_key: str,
        at: datetime,
        reference: str | None = None,
        revenue: str = RIDES,
        allow_debt: bool = False,
    ) -> Transaction:
        """Charge a fare from the wallet to ``revenue``.

        With ``allow_debt`` (the end of a ride, which cannot be refused) the
        part the wallet cannot cover is recorded as the rider's debt;
        otherwise an insufficient balance raises BikesError (402).
        """
        amount = check_money(amount, "amount")
        self.account_kind(revenue)
        earlier = self.earlier(idempotency_key)
        if earlier is not None and earlier.kind == "charge" and earlier.amount_to(revenue) == amount:
            return earlier  # a retried charge; the wallet may have changed since
        available = self.wallet_balance(rider_id)
        if amount > available and not allow_debt:
            raise BikesError(
                N_("Not enough balance: {balance} available, {amount} needed. Top up first."),
                field="amount",
                status=402,
                balance=Quantity(available, "rupiah"),
                amount=Quantity(amount, "rupiah"),
            )
        from_wallet = min(amount, available)
        lines = [Posting(revenue, amount), Posting(wallet(rider_id), -from_wallet)]
        if amount > from_wallet:
            lines.append(Posting(receivable(rider_id), -(amount - from_wallet)))
        return self.post("charge", lines, idempotency_key=idempotency_key, at=at, reference=reference)

    def buy_pass(
        self, rider_id: str, price: int, *, idempotency_key: str, at: datetime, reference: str | None = None
    ) -> Transaction:
        """Pay a day pass from the wallet (never on credit)."""
        return self.charge(rider_id, price, idempotency_key=idempotency_key, at=at, reference=reference, revenue=PASSES)

    def refund(
        self, charge_txn_id: str, amount: int, *, idempotency_key: str, at: datetime, memo: str = ""
    ) -> Transaction:
        """Give back up to what a charge took: from its revenue account to the rider (debt first).

        Raises
        ------
        BikesError
            If the transaction is not a charge, or refunds would exceed it.
        """
        amount = self._positive(amount)
        original = self.transaction(charge_txn_id)
        earlier = self.earlier(idempotency_key)
        if earlier is not None and earlier.kind == "refund" and earlier.reference == charge_txn_id:
            return earlier
        if original.kind != "charge":
            raise BikesError(N_("transaction {txn} is not a charge"), field="txn_id", txn=charge_txn_id)
        revenue = next((p.account for p in original.postings if p.amount > 0), RIDES)
        rider = next((p.account for p in original.postings if p.amount < 0), ":").partition(":")[2]
        left = original.amount_to(revenue) - self._refunded[charge_txn_id]
        if amount > left or not rider:
            raise BikesError(
                N_("refund of {amount} rupiah exceeds the {left} rupiah left to refund"),
                field="amount",
                amount=amount,
                left=left,
            )
        lines = [Posting(revenue, -amount), *self._credit_rider(rider, amount)]
        return self.post("refund", lines, idempotency_key=idempotency_key, at=at, reference=charge_txn_id, memo=memo)

    def withdraw(self, rider_id: str, amount: int, *, provider: str, idempotency_key: str, at: datetime) -> Transaction:
        """Pay wallet credit back out to the rider through ``provider``."""
        amount = self._positive(amount)
        if amount > self.wallet_balance(rider_id):
            raise BikesError(
                N_("Not enough balance: {balance} available, {amount} needed. Top up first."),
                field="amount",
                status=402,
                balance=Quantity(self.wallet_balance(rider_id), "rupiah"),
                amount=Quantity(amount, "rupiah"),
            )
        lines = [Posting(wallet(rider_id), -amount), Posting(external(provider), amount)]
        return self.post("withdrawal", lines, idempotency_key=idempotency_key, at=at)

    # -- internals ---------------------------------------------------------
    def _credit_rider(self, rider_id: str, amount: int) -> list[Posting]:
        settle = min(amount, self.debt(rider_id))
        lines = [Posting(wallet(rider_id), amount - settle)]
        if settle:
            lines.append(Posting(receivable(rider_id), settle))
        return lines

    @staticmethod
    def _positive(amount: int) -> int:
        amount = check_money(amount, "amount")
        if amount == 0:
            raise BikesError(N_("{name} must be more than zero"), field="amount", name="amount")
        return amount

    def applied(self, txn: Transaction) -> None:
        if txn.kind == "refund" and txn.reference:
            self._refunded[txn.reference] += sum(p.amount for p in txn.postings if p.amount > 0)


# ---------------------------------------------------------------------------
# QRIS payloads (EMVCo merchant-presented mode)
# ---------------------------------------------------------------------------


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    """One EMVCo TLV field: two-digit tag, two-digit length, value (at most 99 characters)."""
    if len(tag) != 2 or not tag.isdigit() or len(value) > 99:
        raise BikesError(N_("QR field {tag} is not a valid TLV field"), field="qr_payload", tag=tag)
    return f"{tag}{len(value):02d}{value}"


def parse_tlv(payload: str) -> dict[str, str]:
    """Split a TLV string into ``{tag: value}`` (one level; parse templates again).

    Raises
    ------
    BikesError
        If a length runs past the end of the string.
    """
    fields: dict[str, str] = {}
    i = 0
    while i < len(payload):
        tag, length = payload[i : i + 2], payload[i + 2 : i + 4]
        if len(tag) < 2 or not length.isdigit() or i + 4 + int(length) > len(payload):
            raise BikesError(N_("QR field {tag} is not a valid TLV field"), field="qr_payload", tag=tag)
        fields[tag] = payload[i + 4 : i + 4 + int(length)]
        i += 4 + int(length)
    return fields


def qris_payload(
    *,
    merchant_name: str,
    merchant_city: str,
    nmid: str,
    acquirer_domain: str,
    merchant_pan: str,
    amount: int | None = None,
    reference: str | None = None,
    postal_code: str | None = None,
    mcc: str = "4111",
    criteria: str = "UMI",
) -> str:
    """Build a QRIS merchant-presented payload string with its CRC.

    Parameters
    ----------
    merchant_name, merchant_city:
        Printed by the payer's app (cut to 25 and 15 characters).
    nmid:
        National Merchant ID issued through the QRIS repository.
    acquirer_domain, merchant_pan:
        The acquirer's reverse domain and the merchant's PAN at that acquirer.
    amount:
        Integer rupiah for a dynamic QR (initiation ``12``); ``None`` for a static QR.
    reference:
        Reference label (tag 62 / 05), e.g. the payment intent id.
    mcc:
        Merchant category code (4111: local passenger transport).
    criteria:
        QRIS merchant criteria (``UMI``, ``UKE``, ``UME``, ``UBE``).

    Returns
    -------
    str
        The payload ending in ``63`` + ``04`` + four hex digits of CRC-16/CCITT-FALSE.
    """
    parts = [tlv("00", "01"), tlv("01", "11" if amount is None else "12")]
    parts.append(tlv("26", tlv("00", acquirer_domain) + tlv("01", merchant_pan) + tlv("03", criteria)))
    parts.append(tlv("51", tlv("00", "ID.CO.QRIS.WWW") + tlv("02", nmid) + tlv("03", criteria)))
    parts += [tlv("52", mcc), tlv("53", "360")]
    if amount is not None:
        parts.append(tlv("54", str(check_money(amount, "amount"))))
    parts += [tlv("58", "ID"), tlv("59", merchant_name[:25]), tlv("60", merchant_city[:15])]
    if postal_code:
        parts.append(tlv("61", postal_code))
    if reference:
        parts.append(tlv("62", tlv("05", reference[:25])))
    body = "".join(parts) + "6304"
    return body + f"{crc16_ccitt(body.encode('ascii')):04X}"


def check_qris(payload: str) -> bool:
    """True when ``payload`` parses as TLV, ends with the CRC field and its CRC matches."""
    try:
        fields = parse_tlv(payload)
    except BikesError:
        return False
    if list(fields)[-1:] != ["63"] or len(fields["63"]) != 4:
        return False
    return f"{crc16_ccitt(payload[:-4].encode('ascii')):04X}" == payload[-4:].upper()


# ---------------------------------------------------------------------------
# Payment providers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentIntent:
    """A top-up waiting to be paid: ``status`` is ``pending``, ``paid``, ``expired`` or ``failed``."""

    intent_id: str
    provider: str
    rider_id: str
    amount: int
    created_at: datetime
    expires_at: datetime
    idempotency_key: str
    qr_payload: str
    status: str = "pending"
    currency: str = "IDR"


@dataclass(frozen=True)
class PaymentEvent:
    """A provider's confirmed word about an intent (from a verified webhook)."""

    event_id: str
    provider: str
    intent_id: str
    status: str
    amount: int
    at: datetime


class PaymentProvider(Protocol):
    """What a payment provider (sandbox, or a QRIS acquirer) offers the platform."""

    name: str

    def create_intent(self, rider_id: str, amount: int, *, idempotency_key: str, at: datetime) -> PaymentIntent:
        """Open a payment for ``amount`` rupiah; the same key returns the same intent."""
        ...

    def parse_webhook(self, body: bytes, signature: str) -> PaymentEvent:
        """Verify a webhook's signature and read the event (BikesError 401 if forged)."""
        ...


class SandboxProvider:
    """A local payment provider for development and tests; nothing leaves the machine.

    Intents get dynamic QRIS payloads with sandbox identifiers; :meth:`pay`
    plays the rider's banking app and returns the signed webhook the
    provider would send (HMAC-SHA256 of the body with ``secret``).
    """

    def __init__(
        self,
        secret: bytes = b"kotacerdas-sandbox",
        *,
        name: str = "sandbox",
        valid_minutes: int = 15,
        merchant_name: str = "KOTACERDAS BIKE DEMO",
        merchant_city: str = "BANYUWANGI",
    ) -> None:
        self.name = name
        self.secret = secret
        self.valid_minutes = valid_minutes
        self.merchant_name = merchant_name
        self.merchant_city = merchant_city
        self.intents: dict[str, PaymentIntent] = {}
        self._by_key: dict[str, str] = {}

    def create_intent(self, rider_id: str, amount: int, *, idempotency_key: str, at: datetime) -> PaymentIntent:
        """Open a sandbox intent with a dynamic QRIS payload (same key: same intent)."""
        check_aware(at, "created_at")
        amount = check_money(amount, "amount")
        if amount == 0:
            raise BikesError(N_("{name} must be more than zero"), field="amount", name="amount")
        if idempotency_key in self._by_key:
            intent = self.intents[self._by_key[idempotency_key]]
            if intent.amount != amount or intent.rider_id != rider_id:
                raise BikesError(
                    N_("idempotency key {key} was already used for another request"),
                    field="idempotency_key",
                    status=409,
                    key=idempotency_key,
                )
            return intent
        digest = hashlib.sha256(f"{self.name}|{idempotency_key}".encode()).hexdigest()
        intent_id = f"PI{digest[:16].upper()}"
        payload = qris_payload(
            merchant_name=self.merchant_name,
            merchant_city=self.merchant_city,
            nmid="ID0000SANDBOX00",
            acquirer_domain="ID.KOTACERDAS.SANDBOX",
            merchant_pan="9360000000000000001",
            amount=amount,
            reference=intent_id,
        )
        intent = PaymentIntent(
            intent_id,
            self.name,
            rider_id,
            amount,
            at,
            at + timedelta(minutes=self.valid_minutes),
            idempotency_key,
            payload,
        )
        self.intents[intent_id] = intent
        self._by_key[idempotency_key] = intent_id
        return intent

    def sign(self, body: bytes) -> str:
        """HMAC-SHA256 hex signature of a webhook body."""
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest()

    def pay(self, intent_id: str, at: datetime) -> tuple[bytes, str]:
        """Pay an intent as the rider's app would; returns the webhook ``(body, signature)``.

        An intent paid after ``expires_at`` yields an ``expired`` event.
        """
        intent = self._intent(intent_id)
        status = "paid" if at < intent.expires_at else "expired"
        self.intents[intent_id] = replace(intent, status=status)
        body = json.dumps(
            {
                "event_id": f"EV{intent_id[2:]}{status[0].upper()}",
                "intent_id": intent_id,
                "status": status,
                "amount": intent.amount,
                "at": at.isoformat(),
            },
            sort_keys=True,
        ).encode()
        return body, self.sign(body)

    def parse_webhook(self, body: bytes, signature: str) -> PaymentEvent:
        """Check the signature and read the event."""
        # Compared as bytes: any header value (non-ASCII, too long, empty) is simply not the signature (401).
        given = (signature or "").encode("utf-8", "replace")
        if not hmac.compare_digest(self.sign(body).encode(), given):
            raise BikesError(N_("the payment notification signature is invalid"), field="signature", status=401)
        try:
            data = json.loads(body)
            return PaymentEvent(
                str(data["event_id"]),
                self.name,
                str(data["intent_id"]),
                str(data["status"]),
                int(data["amount"]),
                check_aware(datetime.fromisoformat(data["at"]), "at"),
            )
        except (ValueError, TypeError, KeyError) as exc:
            raise BikesError(
                N_("the payment notification is not a payment event: {reason}"), field="body", reason=str(exc)[:200]
            ) from None

    def _intent(self, intent_id: str) -> PaymentIntent:
        if intent_id not in self.intents:
            raise BikesError(N_("unknown payment {intent}"), field="intent_id", status=404, intent=intent_id)
        return self.intents[intent_id]


def apply_payment_event(
    ledger: Ledger, event: PaymentEvent, intents: Mapping[str, PaymentIntent]
) -> Transaction | None:
    """Credit a paid intent to the rider, exactly once however often the webhook comes.

    Returns
    -------
    Transaction or None
        The top-up transaction, or ``None`` for events that move no money
        (expired, failed).

    Raises
    ------
    BikesError
        Unknown intent (404), or an amount that differs from the intent.
    """
    if event.intent_id not in intents:
        raise BikesError(N_("unknown payment {intent}"), field="intent_id", status=404, intent=event.intent_id)
    intent = intents[event.intent_id]
    if event.status != "paid":
        return None
    if event.amount != intent.amount or event.provider != intent.provider:
        raise BikesError(
            N_("payment {intent} was confirmed for {paid} rupiah, not {amount}"),
            field="amount",
            status=409,
            intent=intent.intent_id,
            paid=event.amount,
            amount=intent.amount,
        )
    return ledger.top_up(
        intent.rider_id,
        intent.amount,
        provider=intent.provider,
        idempotency_key=f"{intent.provider}:{intent.intent_id}:paid",
        at=event.at,
        reference=intent.intent_id,
    )
