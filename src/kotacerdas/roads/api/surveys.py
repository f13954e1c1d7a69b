"""A city's surveys (private, ``roads.read_private``): the list, one survey with its track and import report, its
interval results and the raw upload; uploading one (``roads.survey``) and deleting one (``roads.manage``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import NotFound
from kotacerdas.core.geometry import feature
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.http.deps import DB_SESSION, authorize, city_id_of, optional_principal
from kotacerdas.http.jobs import JobOut, start_job
from kotacerdas.http.pagination import Page, Paged, page_params, paginate, paginate_features
from kotacerdas.http.schemas import Deleted, Feature, FeatureCollection, GeoJSONResponse, problems
from kotacerdas.http.uploads import received
from kotacerdas.roads.api.schemas import IntervalProperties, Survey, SurveyImport
from kotacerdas.roads.services import surveys
from kotacerdas.roads.store.surveys import city_survey, interval_feature, intervals_query, surveys_query, vehicle_code

router = APIRouter()
OCTET_STREAM = "application/octet-stream"


def raw_dir(request: Request, city: City) -> Path:
    """Where raw survey uploads of a city are kept (private)."""
    return surveys.raw_folder(request.app.state.settings.data_dir, city.code)


def _private_city(session: Session, code: str, principal: Principal | None, permission: str) -> tuple[City, Principal]:
    """The city ``code`` and the user, who has ``permission`` there (401 or 403 otherwise)."""
    city = accounts.get_city(session, code)
    return city, authorize(principal, permission, city.id)


@router.get(
    "/cities/{code}/surveys",
    response_model=Paged[Survey],
    summary="Surveys of a city (private)",
    responses=problems(401, 403, 404, 422),
)
def list_surveys(
    code: str,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """The surveys of a city, newest drive first, with their vehicle, import report and summary; paged."""
    city, _user = _private_city(session, code, principal, "roads.read_private")
    return paginate(
        session,
        surveys_query(city.id),
        page,
        request,
        lambda row: surveys.survey_json(row[0], row[1] or ""),
        scalars=False,
    )


@router.get(
    "/cities/{code}/surveys/{survey_id}",
    response_model=Feature[Survey],
    response_class=GeoJSONResponse,
    summary="One survey with its import report (private)",
    responses=problems(401, 403, 404, 422),
)
def get_survey(
    code: str,
    survey_id: int,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """A survey as a GeoJSON feature: its simplified GPS track, and what its import read, left out and found."""
    city, _user = _private_city(session, code, principal, "roads.read_private")
    survey = city_survey(session, city.id, survey_id)
    return feature(surveys.track_of(survey), surveys.survey_json(survey, vehicle_code(session, survey)), fid=survey.id)


@router.get(
    "/cities/{code}/surveys/{survey_id}/intervals",
    response_model=FeatureCollection[IntervalProperties],
    response_class=GeoJSONResponse,
    summary="Interval results of a survey (private)",
    responses=problems(401, 403, 404, 422),
)
def survey_intervals(
    code: str,
    survey_id: int,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """The result of every interval (100 m) of a survey in driving order: its IRI and class, or why it was not
    measured, and the segment it lies on; paged."""
    city, _user = _private_city(session, code, principal, "roads.read_private")
    survey = city_survey(session, city.id, survey_id)
    return paginate_features(session, intervals_query(survey.id), page, request, interval_feature, scalars=False)


@router.get(
    "/cities/{code}/surveys/{survey_id}/raw",
    response_class=FileResponse,
    summary="The raw uploaded survey file (private)",
    responses={
        200: {
            "description": "The file as it was uploaded",
            "content": {OCTET_STREAM: {"schema": {"type": "string", "format": "binary"}}},
        },
        **problems(401, 403, 404, 422),
    },
)
def survey_raw(
    code: str,
    survey_id: int,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> FileResponse:
    """The survey file as it was uploaded (404 when the import did not keep it)."""
    city, _user = _private_city(session, code, principal, "roads.read_private")
    survey = city_survey(session, city.id, survey_id)
    path = raw_dir(request, city) / survey.raw_path if survey.raw_path else None
    if path is None or not path.is_file():
        raise NotFound(N_("The raw file of survey {id} is not kept"), id=survey_id)
    name = surveys.raw_download_name(survey.filename, survey.raw_path)
    return FileResponse(path, filename=name, media_type=OCTET_STREAM)


@router.post(
    "/cities/{code}/surveys",
    status_code=202,
    response_model=JobOut[SurveyImport],
    summary="Upload a survey (roads.survey): imported as a background job",
    responses=problems(400, 401, 403, 404, 413, 422),
)
async def upload_survey(
    code: str,
    request: Request,
    file: UploadFile = File(..., description="survey package zip, Sensor Logger / phyphox zip, GPX/NMEA + CSV zip"),
    vehicle: str = Form(..., description="vehicle id"),
    principal: Principal | None = Depends(optional_principal),
) -> JSONResponse:
    """Import a survey drive as a background job: answers 202 with the job (``Location``: its URL). The job reads
    and checks the drive (a clear error naming the file, row and reason, and nothing stored), computes the IRI per
    interval with the vehicle's calibration, matches it onto the network and stores the results; its result is a
    `SurveyImport`. The same drive twice is one survey (``already_imported``)."""
    city_id = await run_in_threadpool(city_id_of, request, code)
    who = authorize(principal, "roads.survey", city_id)
    async with received(file, request) as upload:
        return await run_in_threadpool(
            start_job,
            request,
            "roads.survey_import",
            {"city": code, "vehicle": vehicle},
            principal=who,
            city_id=city_id,
            upload=upload,
        )


@router.delete(
    "/cities/{code}/surveys/{survey_id}",
    response_model=Deleted,
    summary="Delete a survey and its results (roads.manage)",
    responses=problems(401, 403, 404, 422),
)
def remove_survey(
    code: str,
    survey_id: int,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """Delete a survey with its intervals, events and coverage; the segments it measured fall back to their
    previous measurement."""
    city, user = _private_city(session, code, principal, "roads.manage")
    surveys.delete_survey(session, city_survey(session, city.id, survey_id))
    accounts.audit(session, city.id, user.user_id, "roads.survey.delete", str(survey_id))
    return {"deleted": survey_id}
