"""Published road conditions: the queries of segments, events and coverage, and their GeoJSON features and CSV rows.

Each ``*_query`` builds one ``select()`` with every filter in SQL, for the API to count
and page in the database and for the CLI to export. Segments carry their attributes and
their condition. Without dates the condition is the latest measurement; with
``since``/``until`` it is the latest measurement by a survey in that window (segments not
measured then have no class), so the map can show the network as it was in a period.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from kotacerdas.core import spatial
from kotacerdas.core.csvfile import csv_text
from kotacerdas.core.geometry import BBox, feature, rfc7946
from kotacerdas.core.i18n import N_
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.bina_marga import RoadClass
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.store.tables import RoadEventRow, RoadSegmentSurvey

NONE_CLASS = "none"


def managed(seg: Any = RoadSegmentRow) -> Any:
    """The segments Road Manager grades and counts: the active ways for motor vehicles (the shared network also
    holds the cycleways, footpaths, steps and ferries of the bicycle routes, which no patrol car drives)."""
    return and_(seg.active.is_(True), seg.motor_vehicle.is_(True))


#: The condition columns of a row of :func:`segments_query`, after the segment.
CONDITION = ("iri", "road_class", "measured_at", "calibrated", "measured_m", "share")
#: A segment's SDI and combined condition (IRI x SDI) in its downloads, filled by
#: :func:`kotacerdas.roads.store.damage.segment_exports`: the SDI, its class and date, the combined class, what it
#: rests on (``basis``) and which of ``iri``/``sdi`` is ``missing`` or ``stale`` (older than a year).
COMBINED_COLUMNS = ("sdi", "sdi_class", "sdi_at", "combined_class", "basis", "missing", "stale")
CSV_COLUMNS = [
    "id",
    "segment_id",
    "osm_way_id",
    "name",
    "road",
    "highway",
    "surface",
    "lanes",
    "oneway",
    "length_m",
    "district_code",
    "village_code",
    "iri_m_per_km",
    "class",
    "measured_at",
    "calibrated",
    "surveys",
    "source",
    *COMBINED_COLUMNS,
    "wkt",
]


def parse_when(text: str | None, field: str, *, end: bool = False) -> datetime | None:
    """A date (``2025-05-01``, the whole day) or an ISO timestamp; UTC when no zone is given."""
    if not text:
        return None
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            return datetime.combine(d, time.max if end else time.min, tzinfo=UTC)
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RoadsError(N_("{name} must be a date (YYYY-MM-DD) or an ISO 8601 time"), field=field, name=field) from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_window(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """The dates of a filter: ``since`` from the start of its day, ``until`` to the end of its day
    (:func:`parse_when`); a window that ends before it starts is refused (400), never read as empty."""
    start, end = parse_when(since, "since"), parse_when(until, "until", end=True)
    if start is not None and end is not None and start > end:
        raise RoadsError(
            N_("the dates are the wrong way round: from {since} until {until}; the start must not come after the end"),
            field="since",
            since=since,
            until=until,
        )
    return start, end


def parse_classes(text: str | None) -> set[str] | None:
    """Class codes from ``baik,sedang`` (``none`` for not measured); ``None`` for no filter."""
    if not text:
        return None
    wanted = {c.strip().lower() for c in text.split(",") if c.strip()}
    known = {c.value for c in RoadClass} | {NONE_CLASS}
    bad = sorted(wanted - known)
    if bad:
        raise RoadsError(
            N_("unknown road class {value}; classes are: {known}"),
            field="class",
            value=bad[0],
            known=", ".join(sorted(known)),
        )
    return wanted


def parse_filters(given: dict[str, str | None]) -> dict[str, Any]:
    """The map's filters (``since``, ``until``, ``class``, ``district`` as given in a query), checked, as
    :func:`segments_query` takes them: what the map, its figures and the report all select."""
    since, until = parse_window(given.get("since"), given.get("until"))
    return {
        "since": since,
        "until": until,
        "classes": parse_classes(given.get("class")),
        "district": given.get("district") or None,
    }


def segment_properties(row: RoadSegmentRow, city_code: str, condition: dict | None = None) -> dict[str, Any]:
    """The public properties of a segment (``condition`` overrides the latest one)."""
    cond = (
        condition
        if condition is not None
        else {
            "iri": row.latest_iri,
            "class": row.latest_class,
            "measured_at": row.latest_at.isoformat() if row.latest_at else None,
            "calibrated": row.latest_calibrated,
            "measured_m": row.latest_measured_m,
            "share": row.latest_share,
        }
    )
    return {
        "id": row.id,
        "segment_id": row.segment_key,
        "city": city_code,
        "osm_way_id": row.osm_way_id,
        "name": row.name,
        "road": row.road_key,
        "highway": row.highway,
        "surface": row.surface,
        "lanes": row.lanes,
        "oneway": row.oneway,
        "length_m": round(row.length_m, 1),
        "district_code": row.district_code,
        "village_code": row.village_code,
        "iri_m_per_km": round(cond["iri"], 3) if cond["iri"] is not None else None,
        "class": cond["class"],
        "measured_at": cond["measured_at"],
        "calibrated": cond["calibrated"],
        "measured_m": round(cond["measured_m"], 1) if cond.get("measured_m") is not None else None,
        "measured_share": round(cond["share"], 3) if cond.get("share") is not None else None,
        "surveys": row.surveys_count,
        "source": row.source,
        "active": row.active,
    }


def _window_latest(city_id: int, since: datetime | None, until: datetime | None):
    """Per segment, the latest measurement by a survey driven in the window (``rn == 1``), as a subquery."""
    rss = RoadSegmentSurvey
    rank = func.row_number().over(partition_by=rss.segment_id, order_by=(rss.driven_at.desc(), rss.id.desc()))
    stmt = select(
        rss.segment_id,
        rss.iri,
        rss.road_class,
        rss.driven_at,
        rss.calibrated,
        rss.measured_m,
        rss.share,
        rank.label("rn"),
    ).where(rss.city_id == city_id, rss.iri.is_not(None))
    if since is not None:
        stmt = stmt.where(rss.driven_at >= since)
    if until is not None:
        stmt = stmt.where(rss.driven_at <= until)
    return stmt.subquery("window_latest")


def segments_query(
    session: Session,
    city_id: int,
    *,
    bbox: BBox | None = None,
    classes: set[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    highway: str | None = None,
    road: str | None = None,
    district: str | None = None,
    include_inactive: bool = False,
) -> Select:
    """The segments of a city, filtered, ordered by id: rows of ``(segment, iri, class, measured_at, calibrated)``.

    Without dates the condition is the segment's latest; with ``since``/``until`` it is the
    latest measurement by a survey in that window (none where no survey then measured it).
    Every filter, the class one included, is SQL, so the list is counted and paged in the
    database (:func:`kotacerdas.http.pagination.paginate_features`).
    """
    seg = RoadSegmentRow
    if since is not None or until is not None:
        w = _window_latest(city_id, since, until)
        cond = (w.c.iri, w.c.road_class, w.c.driven_at, w.c.calibrated, w.c.measured_m, w.c.share)
        stmt = select(seg, *(c.label(n) for c, n in zip(cond, CONDITION, strict=True))).outerjoin(
            w, and_(w.c.segment_id == seg.id, w.c.rn == 1)
        )
    else:
        cond = (
            seg.latest_iri,
            seg.latest_class,
            seg.latest_at,
            seg.latest_calibrated,
            seg.latest_measured_m,
            seg.latest_share,
        )
        stmt = select(seg, *(c.label(n) for c, n in zip(cond, CONDITION, strict=True)))
    stmt = stmt.where(seg.city_id == city_id)
    stmt = stmt.where(seg.motor_vehicle.is_(True) if include_inactive else managed(seg))
    if highway:
        stmt = stmt.where(seg.highway.in_([h.strip() for h in highway.split(",")]))
    if road:
        stmt = stmt.where(seg.road_key == road)
    if district:
        stmt = stmt.where(seg.district_code == district)
    if classes is not None:
        stmt = stmt.where(func.coalesce(cond[1], NONE_CLASS).in_(sorted(classes)))
    if bbox:
        stmt = spatial.where_in_bbox(session, stmt, seg, bbox)
    return stmt.order_by(seg.id)


def segment_row_properties(row: Any, city_code: str) -> dict[str, Any]:
    """The public properties of a row of :func:`segments_query`."""
    return segment_properties(
        row[0],
        city_code,
        {
            "iri": row.iri,
            "class": row.road_class,
            "measured_at": row.measured_at.isoformat() if row.measured_at else None,
            "calibrated": row.calibrated,
            "measured_m": row.measured_m,
            "share": row.share,
        },
    )


def select_segments(
    session: Session,
    city_id: int,
    city_code: str,
    **filters: Any,
) -> list[tuple[RoadSegmentRow, dict[str, Any]]]:
    """Every segment of :func:`segments_query` (same filters) with its public properties (exports)."""
    rows = session.execute(segments_query(session, city_id, **filters))
    return [(row[0], segment_row_properties(row, city_code)) for row in rows]


def segment_feature(row: RoadSegmentRow, props: dict[str, Any]) -> dict[str, Any]:
    """A segment as a GeoJSON feature with the given properties."""
    return feature(row.geom, props, fid=row.id)


def segments_csv(items: list[tuple[RoadSegmentRow, dict[str, Any]]]) -> str:
    """The segments as CSV (one row each, geometry as WKT; CRLF line ends, booleans true/false; ``missing`` and
    ``stale`` as ``iri;sdi``); the combined columns are empty for items without them."""
    rows = []
    for row, p in items:
        rows.append([*(p.get(c) for c in CSV_COLUMNS[:-1]), rfc7946(row.geom).wkt])
    return csv_text(CSV_COLUMNS, rows)


def events_query(
    session: Session,
    city_id: int,
    *,
    bbox: BBox | None = None,
    kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select:
    """Potholes and bumps of a city, filtered, ordered by id: rows of ``(event, segment_key)``."""
    stmt = (
        select(RoadEventRow, RoadSegmentRow.segment_key)
        .outerjoin(RoadSegmentRow, RoadSegmentRow.id == RoadEventRow.segment_id)
        .where(RoadEventRow.city_id == city_id)
    )
    if kind:
        stmt = stmt.where(RoadEventRow.kind.in_([k.strip() for k in kind.split(",")]))
    if since is not None:
        stmt = stmt.where(RoadEventRow.at >= since)
    if until is not None:
        stmt = stmt.where(RoadEventRow.at <= until)
    if bbox:
        stmt = spatial.where_in_bbox(session, stmt, RoadEventRow, bbox)
    return stmt.order_by(RoadEventRow.id)


def event_feature(ev: RoadEventRow, city_code: str, segment_key: str | None = None) -> dict[str, Any]:
    """A pothole or bump as a GeoJSON feature (with the stable id of the segment it lies on)."""
    return feature(
        ev.geom,
        {
            "id": ev.id,
            "city": city_code,
            "kind": ev.kind,
            "at": ev.at.isoformat(),
            "strength_ms2": ev.strength_ms2,
            "speed_kmh": ev.speed_kmh,
            "segment": ev.segment_id,
            "segment_id": segment_key,
        },
        fid=ev.id,
    )


def coverage_query(
    session: Session,
    city_id: int,
    *,
    bbox: BBox | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select:
    """Segments driven by surveys (within the dates), ordered by id: rows of
    ``(segment, surveys, first_driven, last_driven)``."""
    rss = RoadSegmentSurvey
    driven = select(
        rss.segment_id,
        func.count().label("surveys"),
        func.min(rss.driven_at).label("first_driven"),
        func.max(rss.driven_at).label("last_driven"),
    ).where(rss.city_id == city_id)
    if since is not None:
        driven = driven.where(rss.driven_at >= since)
    if until is not None:
        driven = driven.where(rss.driven_at <= until)
    d = driven.group_by(rss.segment_id).subquery("driven")
    stmt = (
        select(RoadSegmentRow, d.c.surveys, d.c.first_driven, d.c.last_driven)
        .join(d, d.c.segment_id == RoadSegmentRow.id)
        .where(RoadSegmentRow.city_id == city_id)
    )
    if bbox:
        stmt = spatial.where_in_bbox(session, stmt, RoadSegmentRow, bbox)
    return stmt.order_by(RoadSegmentRow.id)


def coverage_feature(row: Any) -> dict[str, Any]:
    """A row of :func:`coverage_query` as a GeoJSON feature."""
    seg = row[0]
    return feature(
        seg.geom,
        {
            "id": seg.id,
            "segment_id": seg.segment_key,
            "name": seg.name,
            "surveys": row.surveys,
            "first_driven": row.first_driven.isoformat(),
            "last_driven": row.last_driven.isoformat(),
        },
        fid=seg.id,
    )
