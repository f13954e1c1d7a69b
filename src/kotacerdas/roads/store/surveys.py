"""The read queries of a city's surveys (private): the list, one survey, its interval results.

Each ``*_query`` builds one ``select()`` for the API to count and page in the database
(:func:`kotacerdas.http.pagination.paginate`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kotacerdas.core.errors import NotFound
from kotacerdas.core.geometry import feature
from kotacerdas.core.i18n import N_
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.store.tables import RoadInterval, RoadSurvey, RoadVehicle


def surveys_query(city_id: int) -> Select:
    """The surveys of a city, newest drive first: rows of ``(survey, vehicle code)``."""
    return (
        select(RoadSurvey, RoadVehicle.code)
        .outerjoin(RoadVehicle, RoadVehicle.id == RoadSurvey.vehicle_id)
        .where(RoadSurvey.city_id == city_id)
        .order_by(RoadSurvey.started_at.desc(), RoadSurvey.id.desc())
    )


def city_survey(session: Session, city_id: int, survey_id: int) -> RoadSurvey:
    """The survey ``survey_id`` of a city; :class:`~kotacerdas.core.errors.NotFound` when it is another city's."""
    survey = session.get(RoadSurvey, survey_id)
    if survey is None or survey.city_id != city_id:
        raise NotFound(N_("No survey with id {id} in this city"), id=survey_id)
    return survey


def vehicle_code(session: Session, survey: RoadSurvey) -> str:
    """The code of the vehicle that drove ``survey`` (empty when unknown)."""
    vehicle = session.get(RoadVehicle, survey.vehicle_id)
    return vehicle.code if vehicle else ""


def intervals_query(survey_id: int) -> Select:
    """The interval results of a survey in driving order: rows of ``(interval, segment_key)``."""
    return (
        select(RoadInterval, RoadSegmentRow.segment_key)
        .outerjoin(RoadSegmentRow, RoadSegmentRow.id == RoadInterval.segment_id)
        .where(RoadInterval.survey_id == survey_id)
        .order_by(RoadInterval.idx, RoadInterval.id)
    )


def interval_feature(row: Any) -> dict[str, Any]:
    """A row of :func:`intervals_query` as a GeoJSON feature."""
    iv, segment_key = row
    return feature(
        iv.geom,
        {
            "index": iv.idx,
            "from_m": iv.from_m,
            "to_m": iv.to_m,
            "measured_at": iv.measured_at.isoformat(),
            "speed_kmh": iv.speed_kmh,
            "iri_m_per_km": iv.iri,
            "class": iv.road_class,
            "status": iv.status,
            "reason": iv.reason,
            "iri_sd": round(iv.iri_sd, 3) if iv.iri_sd is not None else None,
            "calibrated": iv.calibrated,
            "segment": iv.segment_id,
            "segment_id": segment_key,
        },
        fid=iv.id,
    )
