"""What every Bike Sharing route gets from one place: the engine, the payment provider, the system (with the
role check done once), and a page of a list.

The role names are the platform's (:data:`kotacerdas.core.auth.PERMISSIONS`): ``bikes.manage``
for an operator's writes, ``bikes.read_private`` for their reads, in the system's city.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes import ledger
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import payments, systems
from kotacerdas.bikes.store.queries import Listing
from kotacerdas.bikes.store.tables import BikeSystem
from kotacerdas.core.auth import Principal
from kotacerdas.core.i18n import N_
from kotacerdas.http.deps import authorize
from kotacerdas.http.pagination import Page, paginate

MANAGE, PRIVATE = "bikes.manage", "bikes.read_private"


def engine(request: Request) -> Engine:
    """The application's database engine (services run their own write transactions on it)."""
    return request.app.state.engine


def provider(request: Request) -> ledger.SandboxProvider:
    """The payment provider, its webhook secret derived from the platform's secret key.

    The sandbox (a pretend bank that pays every intent) exists only where the server is configured for it
    (``KOTACERDAS_PAYMENTS_SANDBOX=1``: the demo and the tests); elsewhere every sandbox call is refused (403).
    """
    settings = request.app.state.settings
    if not settings.payments_sandbox:
        raise BikesError(
            N_("sandbox payments are turned off on this server; top-ups need a real payment provider"),
            field="provider",
            status=403,
        )
    return payments.sandbox_provider(settings.secret_key)


def system_for(
    session: Session, system_id: str, principal: Principal | None = None, permission: str | None = None
) -> BikeSystem:
    """The system ``system_id`` (404 unknown), after checking ``permission`` in its city when one is named."""
    system = systems.get_system(session, system_id)
    if permission:
        authorize(principal, permission, system.city_id)
    return system


def manager(session: Session, system_id: str, principal: Principal | None) -> Principal:
    """The signed-in user, after checking ``bikes.manage`` in the city of the system ``system_id`` (404 unknown)."""
    return authorize(principal, MANAGE, systems.get_system(session, system_id).city_id)


def page_of(session: Session, listing: Listing, page: Page, request: Request) -> dict[str, Any]:
    """One page of a service's list, counted and sliced in SQL (``items``, ``total``, ``links``)."""
    return paginate(session, listing.statement, page, request, listing.item, scalars=listing.scalars)
