"""Figures for operators: the dashboard, demand forecasts, the rebalancing plan, the invariant check."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from kotacerdas.bikes.api import schemas as sc
from kotacerdas.bikes.api.deps import PRIVATE, system_for
from kotacerdas.bikes.services import insights
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import DB_SESSION, optional_principal

router = APIRouter()


@router.get(
    "/systems/{system_id}/dashboard",
    response_model=sc.Dashboard,
    summary="Operator figures: trips, revenue, empty/full stations",
    responses=sc.OPERATOR_READ,
)
def dashboard(
    system_id: str,
    days: int = Query(14, ge=1, le=90, description="Local days back from today"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Trips and revenue per local day, empty and full stations, bikes per status and those needing attention,
    open tasks per kind (``bikes.read_private``)."""
    return insights.dashboard(session, system_for(session, system_id, principal, PRIVATE), days=days)


@router.get(
    "/systems/{system_id}/forecast",
    response_model=sc.Forecast,
    summary="Expected pickups and returns per station and hour",
    responses=sc.OPERATOR_READ,
)
def forecast(
    system_id: str,
    hours: int = Query(6, ge=1, le=48, description="Hours ahead"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Pickups and returns expected per station for the next hours, from a Poisson model fitted on the stored
    trips of the last six weeks (``bikes.read_private``)."""
    return insights.forecast_json(session, system_for(session, system_id, principal, PRIVATE), hours=hours)


@router.get(
    "/systems/{system_id}/rebalancing",
    response_model=sc.RebalancingPlan,
    summary="Rebalancing plan: station needs and van routes",
    responses=sc.OPERATOR_READ,
)
def rebalancing(
    system_id: str,
    hours: int = Query(6, ge=1, le=24, description="Hours the plan should keep stations neither empty nor full"),
    trucks: int = Query(2, ge=1, le=10, description="Vans"),
    capacity: int = Query(14, ge=1, le=60, description="Bikes per van"),
    shift_minutes: int = Query(180, ge=30, le=720, description="Minutes of each van's shift"),
    depot: str | None = Query(None, description="Station the vans start from (default: the largest)"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Which stations need bikes brought or taken for the next hours (from the forecast) and van routes to do
    it, on the city's road network when it reaches every station, else on straight lines: ``distance_source``
    and ``distance_reason`` say which (``bikes.read_private``)."""
    return insights.rebalancing_plan(
        session,
        system_for(session, system_id, principal, PRIVATE),
        hours=hours,
        trucks=trucks,
        truck_capacity=capacity,
        shift_minutes=shift_minutes,
        depot=depot,
    )


@router.get(
    "/systems/{system_id}/invariants",
    response_model=sc.Invariants,
    summary="Recompute money, docks and rental invariants (operator)",
    responses=sc.OPERATOR_READ,
)
def invariants(
    system_id: str,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Every invariant recomputed from the rows: postings balance, wallets equal their postings, one active
    rental per bike, docks equal bikes (``bikes.read_private``)."""
    problems = insights.check_invariants(session, system_for(session, system_id, principal, PRIVATE))
    return {"ok": not problems, "problems": problems}
