"""The operator's fleet: bikes (list, new, change), the field team's tasks, broken-bike reports."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from kotacerdas.bikes.api import schemas as sc
from kotacerdas.bikes.api.deps import PRIVATE, engine, manager, page_of, system_for
from kotacerdas.bikes.services import fleet
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import READ_SESSION, optional_principal
from kotacerdas.http.pagination import Page, Paged, page_params

router = APIRouter()


@router.get(
    "/systems/{system_id}/bikes",
    response_model=Paged[sc.Bike],
    summary="Every bike with status and battery (operator)",
    responses=sc.OPERATOR_READ,
)
def list_bikes(
    system_id: str,
    request: Request,
    status: str | None = Query(None, description="Only bikes with this status (available, broken ...)"),
    station_id: str | None = Query(None, description="Only bikes at this station"),
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """The system's bikes by bike id, with status, station, battery and last position (``bikes.read_private``)."""
    system = system_for(session, system_id, principal, PRIVATE)
    return page_of(session, fleet.bikes(session, system, status=status, station_id=station_id), page, request)


@router.post(
    "/systems/{system_id}/bikes",
    status_code=201,
    response_model=sc.BikeChanged,
    summary="Put a new bike into service (operator)",
    responses=sc.OPERATOR_WRITE,
)
def add_bike(
    system_id: str,
    body: sc.BikeBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """A new bike, available in a free dock of ``station_id`` (``bikes.manage``; 409 for a taken bike id or a
    full station); audited."""
    user = manager(session, system_id, principal)
    return fleet.add_bike(
        engine(request),
        system_id,
        body.bike_id,
        body.vehicle_type_id,
        body.station_id,
        battery=body.battery,
        user_id=user.user_id,
    )


@router.patch(
    "/systems/{system_id}/bikes/{bike_id}",
    response_model=sc.BikeChanged,
    summary="Change a bike's status, station or battery",
    responses=sc.OPERATOR_WRITE,
)
def patch_bike(
    system_id: str,
    bike_id: str,
    body: sc.BikePatch,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Change a bike's status (the state machine of ``operations.py``), move it to a station with a free dock,
    or record its battery (``bikes.manage``). A rented bike changes only by ending its rental (409); audited."""
    user = manager(session, system_id, principal)
    return fleet.set_bike(
        engine(request),
        system_id,
        bike_id,
        status=body.status,
        station_id=body.station_id,
        battery=body.battery,
        user_id=user.user_id,
    )


@router.get(
    "/systems/{system_id}/tasks",
    response_model=Paged[sc.Task],
    summary="Field team tasks (operator)",
    responses=sc.OPERATOR_READ,
)
def list_tasks(
    system_id: str,
    request: Request,
    status: str | None = Query(None, description="Only tasks with this status (open, in_progress, done)"),
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """The field team's tasks by status, priority and age (``bikes.read_private``)."""
    system = system_for(session, system_id, principal, PRIVATE)
    return page_of(session, fleet.tasks(session, system, status=status), page, request)


@router.post(
    "/systems/{system_id}/tasks",
    status_code=201,
    response_model=sc.Task,
    summary="Open a task (operator)",
    responses=sc.OPERATOR_WRITE,
)
def post_task(
    system_id: str,
    body: sc.TaskBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """A new task (``kind``: ``repair``, ``recover``, ``rebalance``, ``charge``) on a bike or a station of the
    system (``bikes.manage``); audited."""
    user = manager(session, system_id, principal)
    return fleet.create_task(
        engine(request),
        system_id,
        body.kind,
        bike_id=body.bike_id,
        station_id=body.station_id,
        note=body.note,
        priority=body.priority,
        user_id=user.user_id,
    )


@router.patch(
    "/systems/{system_id}/tasks/{task_id}",
    response_model=sc.Task,
    summary="Start or close a task (operator)",
    responses=sc.OPERATOR_WRITE,
)
def patch_task(
    system_id: str,
    task_id: str,
    body: sc.TaskPatch,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Move a task to ``open``, ``in_progress`` or ``done`` (``bikes.manage``; 409 when it is already done);
    audited."""
    user = manager(session, system_id, principal)
    return fleet.update_task(engine(request), system_id, task_id, body.status, user_id=user.user_id)


@router.get(
    "/systems/{system_id}/reports",
    response_model=Paged[sc.Report],
    summary="Broken-bike reports (operator)",
    responses=sc.OPERATOR_READ,
)
def list_reports(
    system_id: str,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Broken-bike reports of riders and staff, the latest first (``bikes.read_private``)."""
    system = system_for(session, system_id, principal, PRIVATE)
    return page_of(session, fleet.reports(session, system), page, request)
