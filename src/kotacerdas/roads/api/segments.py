"""Road Manager HTTP API (mounted under ``/api/v1``).

Public (published road conditions): segments, events, coverage, summaries, a road's
IRI profile and chart. Private to the city: surveys, raw uploads and vehicles
(``roads.read_private``); uploading a survey needs ``roads.survey``; importing the
network, calibrating a vehicle and deleting a survey need ``roads.manage``; the Excel
report needs ``roads.report``. Each route checks once with
:func:`kotacerdas.http.deps.authorize` and calls a function of the domain.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import NotFound
from kotacerdas.core.geometry import BBox, feature, feature_collection
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.models import City
from kotacerdas.http.deps import DB_SESSION, authorize, language, optional_principal
from kotacerdas.http.pagination import Page, page_params
from kotacerdas.http.uploads import read_upload
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.bina_marga import RoadClass
from kotacerdas.roads.charts import iri_chart_svg
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.services import surveys as service
from kotacerdas.roads.services import vehicles
from kotacerdas.roads.services.report import report_workbook
from kotacerdas.roads.store import condition, features
from kotacerdas.roads.store.tables import RoadInterval, RoadSurvey, RoadVehicle

router = APIRouter(prefix="/roads", tags=["roads"])
GEOJSON = "application/geo+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class VehicleCreate(BaseModel):
    id: str = Field(min_length=1, max_length=80)
    name: str = ""


def _geojson(body: dict) -> JSONResponse:
    return JSONResponse(body, media_type=GEOJSON)


def _collection(request: Request, page: Page, items: list, make) -> JSONResponse:
    selected = items[page.offset : page.offset + page.limit]
    return _geojson(
        feature_collection(
            [make(i) for i in selected],
            numberMatched=len(items),
            numberReturned=len(selected),
            links=page.links(request, len(items)),
        )
    )


def _city(session: Session, code: str | None) -> City:
    if not code:
        raise RoadsError(N_("say which city (city=35.10)"), field="city")
    return accounts.get_city(session, code)


def raw_dir(request: Request, city: City) -> Path:
    """Where raw survey uploads of a city are kept (private)."""
    return Path(request.app.state.settings.data_dir) / "uploads" / "roads" / city.code


# --------------------------------------------------------------------------- public


@router.get(
    "/segments",
    summary="Road segments with their condition, as GeoJSON (public)",
    responses={200: {"content": {GEOJSON: {}}}},
)
def list_segments(
    request: Request,
    city: str = Query(..., description="City code, e.g. 35.10"),
    bbox: str | None = Query(None, description="west,south,east,north (WGS84)"),
    road_class: str | None = Query(None, alias="class", description="baik,sedang,rusak_ringan,rusak_berat,none"),
    since: str | None = Query(None, description="condition measured from this date (YYYY-MM-DD)"),
    until: str | None = Query(None, description="condition measured up to this date"),
    highway: str | None = Query(None, description="OSM highway classes, comma-separated"),
    road: str | None = Query(None, description="road name"),
    district: str | None = Query(None, description="kecamatan code"),
    page: Page = Depends(page_params),
    session: Session = DB_SESSION,
):
    c = _city(session, city)
    items = features.select_segments(
        session,
        c.id,
        c.code,
        bbox=BBox.parse(bbox) if bbox else None,
        classes=features.parse_classes(road_class),
        since=features.parse_when(since, "since"),
        until=features.parse_when(until, "until", end=True),
        highway=highway,
        road=road,
        district=district,
    )
    return _collection(request, page, items, lambda it: features.segment_feature(*it))


@router.get("/segments/{segment_id}", summary="One segment with its condition history (public)")
def get_segment(segment_id: int, session: Session = DB_SESSION):
    row = session.get(RoadSegmentRow, segment_id)
    if row is None:
        raise NotFound(N_("No road segment with id {id}"), id=segment_id)
    city = session.get(City, row.city_id)
    f = features.segment_feature(row, features.segment_properties(row, city.code))
    f["properties"]["history"] = condition.segment_history(session, row.id)
    return _geojson(f)


@router.get(
    "/events",
    summary="Potholes and bumps found by surveys, as GeoJSON (public)",
    responses={200: {"content": {GEOJSON: {}}}},
)
def list_events(
    request: Request,
    city: str = Query(...),
    bbox: str | None = Query(None),
    kind: str | None = Query(None, description="pothole, bump"),
    since: str | None = Query(None),
    until: str | None = Query(None),
    page: Page = Depends(page_params),
    session: Session = DB_SESSION,
):
    c = _city(session, city)
    rows = features.select_events(
        session,
        c.id,
        bbox=BBox.parse(bbox) if bbox else None,
        kind=kind,
        since=features.parse_when(since, "since"),
        until=features.parse_when(until, "until", end=True),
    )
    keys = dict(
        session.execute(
            select(RoadSegmentRow.id, RoadSegmentRow.segment_key).where(RoadSegmentRow.city_id == c.id)
        ).all()
    )
    return _collection(request, page, rows, lambda ev: features.event_feature(ev, c.code, keys.get(ev.segment_id)))


@router.get(
    "/coverage",
    summary="Segments driven by surveys: how often and when last (public)",
    responses={200: {"content": {GEOJSON: {}}}},
)
def list_coverage(
    request: Request,
    city: str = Query(...),
    bbox: str | None = Query(None),
    since: str | None = Query(None),
    until: str | None = Query(None),
    page: Page = Depends(page_params),
    session: Session = DB_SESSION,
):
    c = _city(session, city)
    cov = condition.coverage(
        session, c.id, features.parse_when(since, "since"), features.parse_when(until, "until", end=True)
    )
    stmt = select(RoadSegmentRow).where(RoadSegmentRow.city_id == c.id, RoadSegmentRow.id.in_(list(cov) or [-1]))
    from kotacerdas.core import spatial

    rows = (
        spatial.in_bbox(session, stmt, RoadSegmentRow, BBox.parse(bbox))
        if bbox
        else list(session.scalars(stmt.order_by(RoadSegmentRow.id)))
    )

    def make(row: RoadSegmentRow) -> dict:
        d = cov[row.id]
        return feature(
            row.geom,
            {
                "id": row.id,
                "segment_id": row.segment_key,
                "name": row.name,
                "surveys": d["surveys"],
                "first_driven": d["first_driven"].isoformat(),
                "last_driven": d["last_driven"].isoformat(),
            },
            fid=row.id,
        )

    return _collection(request, page, rows, make)


@router.get("/summary", summary="Network length, measured length, class lengths and jalan mantap (public)")
def summary(city: str = Query(...), session: Session = DB_SESSION) -> dict:
    c = _city(session, city)
    return {
        "city": c.code,
        **condition.city_totals(session, c.id).as_dict(),
        "surveyed_km": round(condition.surveyed_km(session, c.id), 3),
        "districts": condition.district_totals(session, c.id),
    }


@router.get("/roads", summary="Roads (segments by name) with their condition (public)")
def list_roads(
    request: Request, city: str = Query(...), page: Page = Depends(page_params), session: Session = DB_SESSION
) -> dict:
    c = _city(session, city)
    rows = condition.road_totals(session, c.id)
    return {
        "items": rows[page.offset : page.offset + page.limit],
        "total": len(rows),
        "links": page.links(request, len(rows)),
    }


def _profile(session: Session, city: str, road: str):
    c = _city(session, city)
    prof = condition.road_profile(session, c.id, road)
    if prof is None:
        raise NotFound(N_("No road {road} in this city"), road=road)
    return prof


@router.get("/road-profile", summary="IRI along a road: where each segment lies and its intervals (public)")
def road_profile(
    city: str = Query(...), road: str = Query(..., description="road name or segment id"), session: Session = DB_SESSION
) -> dict:
    prof = _profile(session, city, road)
    return {
        "road": prof.key,
        "length_m": round(prof.length_m, 1),
        "surveys": prof.surveys,
        "latest": prof.latest.isoformat() if prof.latest else None,
        **prof.totals.as_dict(),
        "segments": prof.segments,
        "intervals": [
            {"from_m": round(b.from_m, 1), "to_m": round(b.to_m, 1), "iri": round(b.iri, 3)} for b in prof.bars
        ],
    }


def chart_for(prof, lang: str) -> str:
    """The SVG chart of a road profile in ``lang``."""
    return iri_chart_svg(
        prof.bars,
        title=prof.key,
        x_label=gettext("distance along the road (m)", lang),
        y_label=gettext("IRI (m/km)", lang),
        empty_text=gettext("Not measured yet", lang),
        class_labels={c.value: c.label(lang) for c in RoadClass},
    )


@router.get(
    "/road-chart.svg",
    summary="IRI along a road as an SVG chart (public)",
    responses={200: {"content": {"image/svg+xml": {}}}},
)
def road_chart(request: Request, city: str = Query(...), road: str = Query(...), session: Session = DB_SESSION):
    return Response(chart_for(_profile(session, city, road), language(request)), media_type="image/svg+xml")


# --------------------------------------------------------------------------- private


def _survey(session: Session, city: City, survey_id: int) -> RoadSurvey:
    s = session.get(RoadSurvey, survey_id)
    if s is None or s.city_id != city.id:
        raise NotFound(N_("No survey with id {id} in this city"), id=survey_id)
    return s


@router.get("/cities/{code}/surveys", summary="Surveys of a city (private)")
def list_surveys(
    code: str,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    city = accounts.get_city(session, code)
    authorize(principal, "roads.read_private", city.id)
    total = session.scalar(select(func.count(RoadSurvey.id)).where(RoadSurvey.city_id == city.id)) or 0
    vehicles = dict(
        session.execute(select(RoadVehicle.id, RoadVehicle.code).where(RoadVehicle.city_id == city.id)).all()
    )
    rows = session.scalars(
        select(RoadSurvey)
        .where(RoadSurvey.city_id == city.id)
        .order_by(RoadSurvey.started_at.desc(), RoadSurvey.id.desc())
        .limit(page.limit)
        .offset(page.offset)
    )
    return {
        "items": [service.survey_json(s, vehicles.get(s.vehicle_id, "")) for s in rows],
        "total": total,
        "links": page.links(request, total),
    }


@router.get("/cities/{code}/surveys/{survey_id}", summary="One survey with its import report (private)")
def get_survey(
    code: str, survey_id: int, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
):
    city = accounts.get_city(session, code)
    authorize(principal, "roads.read_private", city.id)
    s = _survey(session, city, survey_id)
    vehicle = session.get(RoadVehicle, s.vehicle_id)
    track = service.track_of(s)
    return _geojson(feature(track, service.survey_json(s, vehicle.code if vehicle else ""), fid=s.id))


@router.get(
    "/cities/{code}/surveys/{survey_id}/intervals",
    summary="Interval results of a survey (private)",
    responses={200: {"content": {GEOJSON: {}}}},
)
def survey_intervals(
    code: str,
    survey_id: int,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    city = accounts.get_city(session, code)
    authorize(principal, "roads.read_private", city.id)
    s = _survey(session, city, survey_id)
    rows = list(session.scalars(select(RoadInterval).where(RoadInterval.survey_id == s.id).order_by(RoadInterval.idx)))
    keys = dict(
        session.execute(
            select(RoadSegmentRow.id, RoadSegmentRow.segment_key).where(RoadSegmentRow.city_id == city.id)
        ).all()
    )

    def make(iv: RoadInterval) -> dict:
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
                "calibrated": iv.calibrated,
                "segment": iv.segment_id,
                "segment_id": keys.get(iv.segment_id),
            },
            fid=iv.id,
        )

    return _collection(request, page, rows, make)


@router.get("/cities/{code}/surveys/{survey_id}/raw", summary="The raw uploaded survey file (private)")
def survey_raw(
    code: str,
    survey_id: int,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    city = accounts.get_city(session, code)
    authorize(principal, "roads.read_private", city.id)
    s = _survey(session, city, survey_id)
    path = raw_dir(request, city) / s.raw_path if s.raw_path else None
    if path is None or not path.is_file():
        raise NotFound(N_("The raw file of survey {id} is not kept"), id=survey_id)
    return FileResponse(path, filename=s.filename or path.name, media_type="application/octet-stream")


@router.post("/cities/{code}/surveys", status_code=201, summary="Upload a survey (roads.survey)")
async def upload_survey(
    code: str,
    request: Request,
    file: UploadFile = File(..., description="survey package zip, Sensor Logger / phyphox zip, GPX/NMEA + CSV zip"),
    vehicle: str = Form(..., description="vehicle id"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    city = accounts.get_city(session, code)
    authorize(principal, "roads.survey", city.id)
    data = await read_upload(file)
    result = service.import_survey_bytes(
        session,
        city,
        data,
        file.filename or "survey.zip",
        vehicle,
        user_id=principal.user_id,
        raw_dir=raw_dir(request, city),
    )
    if not result.already_imported:
        accounts.audit(
            session,
            city.id,
            principal.user_id,
            "roads.survey.import",
            file.filename or "",
            survey=result.survey_id,
            vehicle=result.vehicle,
        )
    return result.as_dict()


@router.delete("/cities/{code}/surveys/{survey_id}", summary="Delete a survey and its results (roads.manage)")
def remove_survey(
    code: str, survey_id: int, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> dict:
    city = accounts.get_city(session, code)
    authorize(principal, "roads.manage", city.id)
    s = _survey(session, city, survey_id)
    service.delete_survey(session, s)
    accounts.audit(session, city.id, principal.user_id, "roads.survey.delete", str(survey_id))
    return {"deleted": survey_id}


@router.get("/cities/{code}/vehicles", summary="Survey vehicles and their calibration (private)")
def list_vehicles(
    code: str, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> list[dict]:
    city = accounts.get_city(session, code)
    authorize(principal, "roads.read_private", city.id)
    rows = session.scalars(select(RoadVehicle).where(RoadVehicle.city_id == city.id).order_by(RoadVehicle.code))
    return [vehicles.vehicle_json(v) for v in rows]


@router.post("/cities/{code}/vehicles", status_code=201, summary="Register a survey vehicle (roads.manage)")
def create_vehicle(
    code: str,
    body: VehicleCreate,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    city = accounts.get_city(session, code)
    authorize(principal, "roads.manage", city.id)
    v = vehicles.ensure_vehicle(session, city.id, body.id, body.name)
    if body.name:
        v.name = body.name
    accounts.audit(session, city.id, principal.user_id, "roads.vehicle.create", v.code)
    return vehicles.vehicle_json(v)


@router.post(
    "/cities/{code}/vehicles/{vehicle_id}/calibration",
    summary="Calibrate a vehicle from a drive over a reference section (roads.manage)",
)
async def calibrate_vehicle(
    code: str,
    vehicle_id: str,
    survey: UploadFile = File(..., description="the calibration drive (a survey file)"),
    reference: UploadFile = File(..., description="CSV from_m,to_m,iri_m_per_km, or a profile (ERD or CSV)"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    city = accounts.get_city(session, code)
    authorize(principal, "roads.manage", city.id)
    drive, ref = await read_upload(survey), await read_upload(reference)
    with tempfile.TemporaryDirectory(prefix="kc-cal-") as tmp:
        dp = Path(tmp) / (Path(survey.filename or "drive.zip").name or "drive.zip")
        rp = Path(tmp) / ("ref-" + (Path(reference.filename or "reference.csv").name or "reference.csv"))
        dp.write_bytes(drive)
        rp.write_bytes(ref)
        cal = vehicles.calibrate_vehicle(session, city, vehicle_id, dp, rp)
    accounts.audit(
        session,
        city.id,
        principal.user_id,
        "roads.vehicle.calibrate",
        vehicle_id,
        rmse=cal.to_dict()["fit_rmse_m_per_km"],
        intervals=cal.n_intervals,
    )
    return cal.to_dict()


@router.get(
    "/cities/{code}/report.xlsx",
    summary="Excel report per kecamatan and road (roads.report)",
    responses={200: {"content": {XLSX: {}}}},
)
def report(
    code: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    city = accounts.get_city(session, code)
    authorize(principal, "roads.report", city.id)
    data = report_workbook(session, city, language(request))
    name = f"kondisi-jalan-{city.code}.xlsx"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})
