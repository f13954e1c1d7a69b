"""Pricing plans: a system's plans (public), creating or changing one (operators)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from kotacerdas.bikes.api import schemas as sc
from kotacerdas.bikes.api.deps import engine, manager, system_for
from kotacerdas.bikes.services import plans
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import READ_SESSION, optional_principal

router = APIRouter()


@router.get(
    "/systems/{system_id}/plans",
    response_model=list[sc.Plan],
    summary="Pricing plans in rupiah (public)",
    responses=sc.PUBLIC,
)
def list_plans(system_id: str, session: Session = READ_SESSION) -> list[dict]:
    """Every pricing plan of the system (also the inactive ones, marked ``is_active: false``)."""
    return plans.plans(session, system_for(session, system_id))


@router.put(
    "/systems/{system_id}/plans/{plan_id}",
    response_model=sc.Plan,
    summary="Create or change a pricing plan (operator)",
    responses=sc.OPERATOR_WRITE,
)
def put_plan(
    system_id: str,
    plan_id: str,
    body: sc.PlanBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Create the plan ``plan_id`` or change the fields given (``bikes.manage``); amounts are whole rupiah
    (a fraction is refused); audited."""
    user = manager(session, system_id, principal)
    data = body.model_dump(exclude_unset=True)
    return plans.save(engine(request), system_id, plan_id, data, user_id=user.user_id)
