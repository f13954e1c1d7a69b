"""The published road conditions (public): segments, events, coverage, the city's summary, roads, a road's
IRI profile and its chart.

Every list is a query of :mod:`kotacerdas.roads.store.features` or
:mod:`kotacerdas.roads.store.condition`, counted and paged in the database.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.errors import NotFound
from kotacerdas.core.geometry import BBox, feature_collection
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.http.deps import DB_SESSION, language
from kotacerdas.http.downloads import csv_response, filename, geojson_response
from kotacerdas.http.pagination import Page, Paged, page_params, paginate, paginate_features
from kotacerdas.http.schemas import GEOJSON, Feature, FeatureCollection, GeoJSONResponse, problems
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.api.schemas import (
    CitySummary,
    CoverageProperties,
    DownloadQuery,
    EventProperties,
    EventQuery,
    RoadProfile,
    RoadQuery,
    RoadsQuery,
    RoadTotals,
    SegmentDetailProperties,
    SegmentProperties,
    SegmentQuery,
    SummaryQuery,
    WindowQuery,
)
from kotacerdas.roads.charts import road_chart_svg
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.store import condition, damage, features
from kotacerdas.roads.store.features import parse_filters

router = APIRouter()
SVG = "image/svg+xml"


class SVGResponse(Response):
    """An SVG image."""

    media_type = SVG


def city_of(session: Session, code: str | None) -> City:
    """The city a public request names (``city=35.10``); 400 without one, 404 for an unknown code."""
    if not code:
        raise RoadsError(N_("say which city (city=35.10)"), field="city")
    return accounts.get_city(session, code)


def _bbox(text: str | None) -> BBox | None:
    return BBox.parse(text) if text else None


def _window(since: str | None, until: str | None) -> dict[str, Any]:
    """``since`` and ``until`` as the queries take them (400 when the window is reversed)."""
    start, end = features.parse_window(since, until)
    return {"since": start, "until": end}


@router.get(
    "/segments",
    response_model=FeatureCollection[SegmentProperties],
    response_class=GeoJSONResponse,
    summary="Road segments with their condition, as GeoJSON (public)",
    responses=problems(400, 404, 422),
)
def list_segments(
    request: Request,
    filters: Annotated[SegmentQuery, Query()],
    page: Page = Depends(page_params),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """The active road segments of a city with their attributes and their Bina Marga condition, filtered by box,
    class, dates, OSM highway class, road name and kecamatan, ordered by id and paged (``numberMatched``,
    ``links``).

    Without dates a segment's condition is its latest measurement; with ``since``/``until`` it is the latest
    measurement by a survey driven then, and a segment no survey measured then has no class (``class=none``
    selects those)."""
    city = city_of(session, filters.city)
    stmt = features.segments_query(
        session,
        city.id,
        bbox=_bbox(filters.bbox),
        classes=features.parse_classes(filters.road_class),
        **_window(filters.since, filters.until),
        highway=filters.highway,
        road=filters.road,
        district=filters.district,
    )
    out = paginate_features(
        session,
        stmt,
        page,
        request,
        lambda row: features.segment_feature(row[0], features.segment_row_properties(row, city.code)),
        scalars=False,
    )
    damage.with_combined(session, [f["properties"] for f in out["features"]])
    return out


@router.get(
    "/segments/download",
    response_class=Response,
    summary="Every road segment with its condition as one CSV or GeoJSON file (public download)",
    responses={
        200: {
            "description": "The whole filtered list as a file: CSV (geometry as WKT, CRLF, true/false) or GeoJSON",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                GEOJSON: {"schema": {"$ref": "#/components/schemas/FeatureCollection_SegmentProperties_"}},
            },
        },
        **problems(400, 404, 422),
    },
)
def download_segments(filters: Annotated[DownloadQuery, Query()], session: Session = DB_SESSION) -> Response:
    """The segments ``/segments`` lists, with the same filters, all in one file to download: ``format=csv`` (one
    row per segment, its geometry as WKT) or ``format=geojson`` (a FeatureCollection, RFC 7946)."""
    city = city_of(session, filters.city)
    items = damage.segment_exports(
        session,
        city.id,
        city.code,
        bbox=_bbox(filters.bbox),
        classes=features.parse_classes(filters.road_class),
        **_window(filters.since, filters.until),
        highway=filters.highway,
        road=filters.road,
        district=filters.district,
    )
    if filters.format == "geojson":
        collection = feature_collection([features.segment_feature(row, props) for row, props in items])
        return geojson_response(collection, filename("road-segments", city.code, ext="geojson"))
    return csv_response(features.segments_csv(items), filename("road-segments", city.code, ext="csv"))


@router.get(
    "/segments/{segment_id}",
    response_model=Feature[SegmentDetailProperties],
    response_class=GeoJSONResponse,
    summary="One segment with its condition history (public)",
    responses=problems(404, 422),
)
def get_segment(segment_id: int, session: Session = DB_SESSION) -> dict[str, Any]:
    """A road segment with its latest condition and, in ``history``, what every survey that drove it found there,
    newest first (no vehicle, no file: those are private)."""
    found = session.execute(
        select(RoadSegmentRow, City.code)
        .join(City, City.id == RoadSegmentRow.city_id)
        .where(RoadSegmentRow.id == segment_id)
    ).first()
    if found is None:
        raise NotFound(N_("No road segment with id {id}"), id=segment_id)
    row, city_code = found
    out = features.segment_feature(row, features.segment_properties(row, city_code))
    damage.with_combined(session, [out["properties"]])
    out["properties"]["history"] = condition.segment_history(session, row.id)
    return out


@router.get(
    "/events",
    response_model=FeatureCollection[EventProperties],
    response_class=GeoJSONResponse,
    summary="Potholes and bumps found by surveys, as GeoJSON (public)",
    responses=problems(400, 404, 422),
)
def list_events(
    request: Request,
    filters: Annotated[EventQuery, Query()],
    page: Page = Depends(page_params),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """The potholes and bumps the surveys of a city found, with the segment each lies on, filtered by box, kind and
    dates, ordered by id and paged."""
    city = city_of(session, filters.city)
    stmt = features.events_query(
        session,
        city.id,
        bbox=_bbox(filters.bbox),
        kind=filters.kind,
        **_window(filters.since, filters.until),
    )
    return paginate_features(
        session, stmt, page, request, lambda row: features.event_feature(row[0], city.code, row[1]), scalars=False
    )


@router.get(
    "/coverage",
    response_model=FeatureCollection[CoverageProperties],
    response_class=GeoJSONResponse,
    summary="Segments driven by surveys: how often and when last (public)",
    responses=problems(400, 404, 422),
)
def list_coverage(
    request: Request,
    filters: Annotated[WindowQuery, Query()],
    page: Page = Depends(page_params),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """The segments of a city that surveys drove (within the dates), with how many surveys drove each and when
    first and last, filtered by box, ordered by id and paged."""
    city = city_of(session, filters.city)
    stmt = features.coverage_query(session, city.id, bbox=_bbox(filters.bbox), **_window(filters.since, filters.until))
    return paginate_features(session, stmt, page, request, features.coverage_feature, scalars=False)


@router.get(
    "/summary",
    response_model=CitySummary,
    summary="Network length, measured length, class lengths and jalan mantap (public)",
    responses=problems(400, 404, 422),
)
def summary(filters: Annotated[SummaryQuery, Query()], session: Session = DB_SESSION) -> dict[str, Any]:
    """The length of a city's road network, the length measured and the length per Bina Marga class, the *jalan
    mantap* share (Baik + Sedang over the measured length), the length driven by surveys, and the same per
    kecamatan. The map's filters (``since``, ``until``, ``class``, ``district``) select the segments counted,
    with the condition measured in the window, as ``/segments`` draws them; ``first_survey`` and
    ``last_survey`` tell which dates hold any survey."""
    city = city_of(session, filters.city)
    first, last = condition.survey_span(session, city.id)
    given = {"since": filters.since, "until": filters.until, "class": filters.road_class, "district": filters.district}
    out = condition.summary_figures(session, city, given)
    return out | {
        "filters": {k: v for k, v in given.items() if v},
        "first_survey": first.isoformat() if first else None,
        "last_survey": last.isoformat() if last else None,
    }


@router.get(
    "/roads",
    response_model=Paged[RoadTotals],
    summary="Roads (segments by name) with their condition (public)",
    responses=problems(400, 404, 422),
)
def list_roads(
    request: Request,
    filters: Annotated[RoadsQuery, Query()],
    page: Page = Depends(page_params),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """The roads of a city (its active segments grouped by name) with their totals, longest first, paged. The map's
    filters (``since``, ``until``, ``class``, ``district``) select the segments counted, as the map draws them and
    the roads table of its page lists them; ``q`` keeps the roads whose name holds it and the roads in a kecamatan
    whose name holds it (their length there)."""
    city = city_of(session, filters.city)
    given = {"since": filters.since, "until": filters.until, "class": filters.road_class, "district": filters.district}
    stmt = condition.road_totals_query(session, city.id, search=filters.q, **parse_filters(given))
    return paginate(session, stmt, page, request, condition.road_row, scalars=False)


def road_profile_of(session: Session, city_code: str, road: str) -> condition.RoadProfile:
    """The profile of a road of a city; 404 when the city has no such road."""
    city = city_of(session, city_code)
    prof = condition.road_profile(session, city.id, road)
    if prof is None:
        raise NotFound(N_("No road {road} in this city"), road=road)
    return prof


@router.get(
    "/road-profile",
    response_model=RoadProfile,
    summary="IRI along a road: where each segment lies and its intervals (public)",
    responses=problems(400, 404, 422),
)
def road_profile(filters: Annotated[RoadQuery, Query()], session: Session = DB_SESSION) -> dict[str, Any]:
    """A road laid out along its length: its totals, where each of its segments lies with its latest measurement,
    and the latest interval measurements on each segment (metres from the road's start)."""
    prof = road_profile_of(session, filters.city, filters.road)
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


@router.get(
    "/road-chart.svg",
    response_class=SVGResponse,
    summary="IRI along a road as an SVG chart (public)",
    responses={
        200: {
            "description": "An SVG image: one bar per measured interval, coloured by class",
            "content": {SVG: {"schema": {"type": "string"}}},
        },
        **problems(400, 404, 422),
    },
)
def road_chart(
    request: Request,
    filters: Annotated[RoadQuery, Query()],
    width: int = Query(760, ge=320, le=1600, description="The width it is drawn at (px): the width it is shown at"),
    session: Session = DB_SESSION,
) -> Response:
    """The IRI along a road as an SVG chart in the request's language: one bar per measured interval, its colour
    the Bina Marga class, over the class bands (what the road page shows), its distance axis over the road's
    length. Drawn at ``width``, so a small picture (a map's popup) keeps readable ticks."""
    prof = road_profile_of(session, filters.city, filters.road)
    return SVGResponse(road_chart_svg(prof.key, prof.bars, language(request), length_m=prof.length_m, width=width))
