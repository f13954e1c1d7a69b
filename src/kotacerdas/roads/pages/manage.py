"""Road Manager's screens for the city's staff: surveys, vehicles and the road network; one survey's import report.

``/roads/manage?city=35.10`` (``roads.read_private``: city admin, road officer, field surveyor)
    Upload a survey drive (the API's ``POST .../surveys`` answers 202 with a job: the page shows its
    progress and, once done, the link to the survey's report), the surveys (newest first, paged),
    the vehicles with their calibration, registering one and calibrating it (``roads.manage``), and
    importing the road network (``network.manage``). The uploads are sent by the page's script with
    the session cookie and its CSRF token (:func:`kotacerdas.http.csrf.check_cookie_write`).
``/roads/manage/surveys/{id}?city=35.10``
    What the import of one survey read (its format and streams named in the page's language), left
    out (per reason, with the first rows) and found, and its raw file.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from kotacerdas.core import jobs
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.models import City
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.jobs import job_url
from kotacerdas.http.pages import cities_and_current, login_url, render
from kotacerdas.http.pagination import Page, fetch_page
from kotacerdas.http.problems import error_page
from kotacerdas.roads.roughness import REASONS as NOT_MEASURED
from kotacerdas.roads.services import surveys, vehicles
from kotacerdas.roads.store.surveys import city_survey, surveys_query, vehicle_code

router = APIRouter(include_in_schema=False)
PERMISSION = "roads.read_private"
SURVEYS_PER_PAGE = 20
#: What a survey's reader may leave out, as a reader calls it (the codes are the import report's).
EXCLUDED = {
    "duplicate_timestamp": N_("repeated timestamp"),
    "truncated_last_row": N_("cut-off last row"),
    "gps_jump": N_("GPS jump"),
    "bad_checksum": N_("bad NMEA checksum"),
    "no_fix": N_("no GPS fix"),
    "no_date": N_("NMEA sentence without a date"),
    "gyroscope_missing": N_("gyroscope samples missing"),
    "outside_gravity_span": N_("outside the span of the gravity sensor"),
}
#: What each survey format (``roads_surveys.format``, the reader that read it) is called.
FORMATS = {
    "kotacerdas-survey": N_("kotacerdas survey package"),
    "sensor-logger": N_("Sensor Logger (phone app)"),
    "phyphox": N_("phyphox (phone app)"),
    "gpx+csv": N_("GPX track with an accelerometer CSV"),
    "nmea+csv": N_("NMEA track with an accelerometer CSV"),
    "track+csv": N_("GPS track with an accelerometer CSV"),
    "simulated": N_("simulated drive (demo)"),
}
#: What each stream a survey's reader counts is called (a stream not listed keeps its name).
STREAMS = {
    "location": N_("location (GPS)"),
    "accelerometer": N_("accelerometer"),
    "gyroscope": N_("gyroscope"),
    "gravity": N_("gravity sensor"),
    "totalacceleration": N_("accelerometer (with gravity)"),
}
JOB_KINDS = ("roads.survey_import", "roads.calibrate", "network.import")


def _city_or_response(
    request: Request, session: Session, principal: Principal | None, city: str | None
) -> City | Response:
    """The city whose screens the user may open (their own when none is named), or the page to answer."""
    if principal is None:
        return RedirectResponse(login_url(request), status_code=303)
    cities, current = cities_and_current(session, city, request)
    if city is None:
        mine = [c for c in cities if principal.can(PERMISSION, c.id)]
        current = mine[0] if mine else current
    if current is None or not principal.can(PERMISSION, current.id):
        lang = language(request)
        return error_page(
            request, 403, gettext("Only the city's road officers, surveyors and administrators open this screen", lang)
        )
    return current


def _recent_jobs(session: Session, principal: Principal, city: City, lang: str) -> list[dict]:
    rows = [r for r in jobs.jobs_of(session, principal.user_id) if r.kind in JOB_KINDS and r.city_id == city.id]
    return [jobs.job_json(r, lang) | {"title": jobs.kind(r.kind).title, "url": job_url(r.id)} for r in rows[:10]]


@router.get("/roads/manage", response_class=HTMLResponse)
def manage(
    request: Request,
    city: str | None = None,
    page: int = 1,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The staff's screen of surveys, vehicles and the road network of a city."""
    current = _city_or_response(request, session, principal, city)
    if isinstance(current, Response):
        return current
    assert principal is not None
    lang = language(request)
    number = max(1, page)
    rows, total = fetch_page(
        session, surveys_query(current.id), Page(SURVEYS_PER_PAGE, (number - 1) * SURVEYS_PER_PAGE), scalars=False
    )
    cities, _ = cities_and_current(session, current.code)
    return render(
        request,
        "roads/manage.html",
        principal,
        cities=[c for c in cities if principal.can(PERMISSION, c.id)],
        city=current,
        surveys=[surveys.survey_json(s, code or "") for s, code in rows],
        survey_total=total,
        page=number,
        pages=max(1, -(-total // SURVEYS_PER_PAGE)),
        vehicles=[vehicles.vehicle_json(v) for v in vehicles.city_vehicles(session, current.id)],
        can_survey=principal.can("roads.survey", current.id),
        can_manage=principal.can("roads.manage", current.id),
        can_network=principal.can("network.manage", current.id),
        recent_jobs=_recent_jobs(session, principal, current, lang),
    )


@router.get("/roads/manage/surveys/{survey_id}", response_class=HTMLResponse)
def survey_page(
    survey_id: int,
    request: Request,
    city: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """One survey: what its import read, left out and found (the import report), and its raw file."""
    current = _city_or_response(request, session, principal, city)
    if isinstance(current, Response):
        return current
    lang = language(request)
    try:
        survey = city_survey(session, current.id, survey_id)
    except KotacerdasError as exc:
        return error_page(request, exc.status, exc.render(lang))
    data = surveys.survey_json(survey, vehicle_code(session, survey))
    return render(
        request,
        "roads/survey.html",
        principal,
        city=current,
        survey=data,
        excluded={k: gettext(v, lang) for k, v in EXCLUDED.items()},
        format_name=gettext(FORMATS[data["format"]], lang) if data["format"] in FORMATS else data["format"],
        streams={k: gettext(v, lang) for k, v in STREAMS.items()},
        not_measured={k: gettext(v, lang) for k, v in NOT_MEASURED.items()},
        raw_name=surveys.raw_download_name(survey.filename, survey.raw_path) if survey.raw_path else None,
    )
