"""The error type of the Bike Sharing domain, and what its messages call the fields and records they name.

Every rule the bike-share logic enforces (a bike that cannot be rented, a wallet
that would go below zero, a malformed pricing plan) raises :class:`BikesError`
with an English message id marked by :func:`kotacerdas.core.i18n.N_`; the
Bahasa Indonesia translation lives in ``locale/id/LC_MESSAGES/bikes.po``.

A message that names its field (``{name} must not be empty`` with ``field="capacity", name="capacity"``)
reads the field's label in the reader's language (*kapasitas tidak boleh kosong*), from
:data:`FIELD_LABELS`; a field without a label keeps its code. A station's errors name the station
(*Stasiun b4: ...*, :data:`STATION_RECORD`) rather than a bare record.
"""

from __future__ import annotations

from typing import Any

from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_

#: What the operators' forms and the API call a field, by its code.
FIELD_LABELS: dict[str, str] = {
    "station_id": N_("station id"),
    "name": N_("name"),
    "short_name": N_("short name"),
    "lat": N_("latitude"),
    "lon": N_("longitude"),
    "capacity": N_("capacity"),
    "num_docks_disabled": N_("disabled docks"),
    "address": N_("address"),
    "opening_hours": N_("opening hours"),
    "region_id": N_("region"),
    "plan_id": N_("plan id"),
    "unlock_fee": N_("unlock fee"),
    "per_minute": N_("price per minute"),
    "free_minutes": N_("free minutes"),
    "day_pass_price": N_("day pass price"),
    "pass_valid_minutes": N_("day pass length"),
    "bike_id": N_("bike id"),
    "vehicle_type_id": N_("bike type"),
    "battery": N_("battery"),
    "amount": N_("amount"),
    "phone": N_("phone number"),
    "alert_id": N_("alert id"),
    "description": N_("description"),
}
#: How a station at fault is named before the message.
STATION_RECORD = N_("Station {record}")


class FieldName:
    """A field's code as a message parameter, written as its label (:data:`FIELD_LABELS`) in the reader's
    language; as plain text (a stored job's parameters) it is the code."""

    def __init__(self, code: str) -> None:
        self.code = code

    def render(self, lang: str = "id") -> str:
        from kotacerdas.core.i18n import gettext

        label = FIELD_LABELS.get(self.code)
        return gettext(label, lang) if label else self.code

    def __str__(self) -> str:
        return self.code


class BikesError(KotacerdasError):
    """A bike-share rule was broken (state machine, pricing, ledger, feeds).

    Raise with ``status=409`` when the request conflicts with the current state
    (bike already rented, duplicate idempotency key with other content) and
    ``status=404`` when a referenced record is missing; the default is 400.
    A ``name`` parameter that names the error's ``field`` is written as the field's label.
    """

    title = "Bike sharing error"

    def __init__(self, message: str, **kwargs: Any) -> None:
        name = kwargs.get("name")
        if isinstance(name, str) and name == kwargs.get("field") and name in FIELD_LABELS:
            kwargs["name"] = FieldName(name)
        super().__init__(message, **kwargs)
