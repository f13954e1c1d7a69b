"""The error type of the Bike Sharing domain.

Every rule the bike-share logic enforces (a bike that cannot be rented, a wallet
that would go below zero, a malformed pricing plan) raises :class:`BikesError`
with an English message id marked by :func:`kotacerdas.core.i18n.N_`; the
Bahasa Indonesia translation lives in ``locale/id/LC_MESSAGES/bikes.po``.
"""

from __future__ import annotations

from kotacerdas.core.errors import KotacerdasError


class BikesError(KotacerdasError):
    """A bike-share rule was broken (state machine, pricing, ledger, feeds).

    Raise with ``status=409`` when the request conflicts with the current state
    (bike already rented, duplicate idempotency key with other content) and
    ``status=404`` when a referenced record is missing; the default is 400.
    """

    title = "Bike sharing error"
