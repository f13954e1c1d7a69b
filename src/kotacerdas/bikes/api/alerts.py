"""Alerts to riders: a system's alerts (public, as in GBFS), publishing and withdrawing one (operators)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from kotacerdas.bikes.api import schemas as sc
from kotacerdas.bikes.api.deps import engine, manager, system_for
from kotacerdas.bikes.services import alerts
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import READ_SESSION, optional_principal
from kotacerdas.http.schemas import problems

router = APIRouter()


@router.get(
    "/systems/{system_id}/alerts",
    response_model=list[sc.Alert],
    summary="Alerts to riders (public, as in GBFS)",
    responses=sc.PUBLIC,
)
def list_alerts(system_id: str, session: Session = READ_SESSION) -> list[dict]:
    """Every alert of the system, in the order they were published."""
    return alerts.alerts(session, system_for(session, system_id))


@router.post(
    "/systems/{system_id}/alerts",
    status_code=201,
    response_model=sc.Alert,
    summary="Publish or change an alert (operator)",
    responses=sc.OPERATOR_WRITE,
)
def post_alert(
    system_id: str,
    body: sc.AlertBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Publish an alert (``type``: ``system_closure``, ``station_closure``, ``station_move``, ``other``), or
    change the one named by ``alert_id`` (``bikes.manage``); closures close stations in the feeds; audited."""
    user = manager(session, system_id, principal)
    return alerts.publish(engine(request), system_id, body.model_dump(), user_id=user.user_id)


@router.delete(
    "/systems/{system_id}/alerts/{alert_id}",
    status_code=204,
    response_class=Response,
    summary="Withdraw an alert (operator)",
    responses=problems(401, 403, 404, 422),
)
def delete_alert(
    system_id: str,
    alert_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> Response:
    """Withdraw an alert (``bikes.manage``); audited. Answers 204 with no body."""
    user = manager(session, system_id, principal)
    alerts.withdraw(engine(request), system_id, alert_id, user_id=user.user_id)
    return Response(status_code=204)
