"""Pricing plans in integer rupiah: saving one (operators), reading a system's plans (everyone).

A plan is validated through :class:`kotacerdas.bikes.model.PricingPlan` (a float fare or a
negative amount is refused with the field at fault); fares themselves are
:mod:`kotacerdas.bikes.pricing`'s.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import PricingPlan, check_identifier, local, local_text
from kotacerdas.bikes.services.writes import audited
from kotacerdas.bikes.store import queries
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikePricingPlan, BikeSystem
from kotacerdas.core.i18n import N_


def upsert_plan(session: Session, system: BikeSystem, data: dict[str, Any]) -> BikePricingPlan:
    """Create or update a pricing plan (integer rupiah; a float raises 400)."""
    plan_id = str(data.get("plan_id", "")).strip()
    row = session.scalar(
        select(BikePricingPlan).where(BikePricingPlan.system_pk == system.id, BikePricingPlan.plan_id == plan_id)
    )
    base = st.plan_model(row) if row is not None else None
    fields = {
        k: data[k]
        for k in ("unlock_fee", "per_minute", "free_minutes", "day_pass_price", "pass_valid_minutes")
        if k in data
    }
    if "name" in data:
        fields["name"] = local_text(data["name"], "name")
    if "description" in data:
        fields["description"] = local_text(data["description"], "description")
    if "vehicle_type_ids" in data:
        fields["vehicle_type_ids"] = tuple(data["vehicle_type_ids"] or ())
    if not plan_id:
        raise BikesError(N_("{name} must not be empty"), field="plan_id", name="plan_id")
    check_identifier(plan_id, "plan_id")
    model = (
        replace(base, **fields)
        if base
        else PricingPlan(
            plan_id,
            **{
                "name": fields.pop("name", local(plan_id)),
                "description": fields.pop("description", local("")),
                **fields,
            },
        )
    )
    if row is None:
        row = BikePricingPlan(system_pk=system.id, plan_id=plan_id)
        session.add(row)
    row.name, row.description = dict(model.name), dict(model.description)
    row.unlock_fee, row.per_minute, row.free_minutes = model.unlock_fee, model.per_minute, model.free_minutes
    row.day_pass_price, row.pass_valid_minutes = model.day_pass_price, model.pass_valid_minutes
    row.vehicle_type_ids = list(model.vehicle_type_ids)
    row.is_active = bool(data.get("is_active", True if row.is_active is None else row.is_active))
    session.flush()
    return row


def plan_json(row: BikePricingPlan) -> dict[str, Any]:
    return {
        "plan_id": row.plan_id,
        "name": row.name,
        "description": row.description,
        "currency": "IDR",
        "unlock_fee": row.unlock_fee,
        "per_minute": row.per_minute,
        "free_minutes": row.free_minutes,
        "day_pass_price": row.day_pass_price,
        "pass_valid_minutes": row.pass_valid_minutes,
        "vehicle_type_ids": row.vehicle_type_ids or [],
        "is_active": row.is_active,
    }


def plans(session: Session, system: BikeSystem, *, active_only: bool = False) -> list[dict[str, Any]]:
    """The system's pricing plans (only those riders can buy or ride on), in the order they were added."""
    return [plan_json(p) for p in session.scalars(queries.plans(system, active_only=active_only))]


def save(engine: Engine, system_id: str, plan_id: str, data: dict[str, Any], *, user_id: int | None) -> dict:
    """Create the plan ``plan_id`` or change the fields given (audited)."""
    return audited(
        engine,
        system_id,
        user_id,
        "bikes.plan.save",
        plan_id,
        lambda s, system: plan_json(upsert_plan(s, system, data | {"plan_id": plan_id})),
    )
