"""Published road conditions as GeoJSON features and CSV rows (used by the API, the CLI and the pages).

Segments carry their attributes and their condition. Without dates the condition is
the latest measurement; with ``since``/``until`` it is the latest measurement by a
survey in that window (segments not measured then have no class), so the map can
show the network as it was in a period.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import spatial
from kotacerdas.core.geometry import BBox, feature
from kotacerdas.core.i18n import N_
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.bina_marga import RoadClass
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.store.tables import RoadEventRow, RoadSegmentSurvey

NONE_CLASS = "none"
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


def _window_condition(
    session: Session, city_id: int, since: datetime | None, until: datetime | None
) -> dict[int, RoadSegmentSurvey]:
    stmt = select(RoadSegmentSurvey).where(RoadSegmentSurvey.city_id == city_id, RoadSegmentSurvey.iri.is_not(None))
    if since is not None:
        stmt = stmt.where(RoadSegmentSurvey.driven_at >= since)
    if until is not None:
        stmt = stmt.where(RoadSegmentSurvey.driven_at <= until)
    out: dict[int, RoadSegmentSurvey] = {}
    for r in session.scalars(stmt.order_by(RoadSegmentSurvey.driven_at, RoadSegmentSurvey.id)):
        out[r.segment_id] = r
    return out


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
        "surveys": row.surveys_count,
        "source": row.source,
        "active": row.active,
    }


def select_segments(
    session: Session,
    city_id: int,
    city_code: str,
    *,
    bbox: BBox | None = None,
    classes: set[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    highway: str | None = None,
    road: str | None = None,
    district: str | None = None,
    include_inactive: bool = False,
) -> list[tuple[RoadSegmentRow, dict[str, Any]]]:
    """Segments of a city with their public properties, filtered; ordered by id."""
    stmt = select(RoadSegmentRow).where(RoadSegmentRow.city_id == city_id)
    if not include_inactive:
        stmt = stmt.where(RoadSegmentRow.active.is_(True))
    if highway:
        stmt = stmt.where(RoadSegmentRow.highway.in_([h.strip() for h in highway.split(",")]))
    if road:
        stmt = stmt.where(RoadSegmentRow.road_key == road)
    if district:
        stmt = stmt.where(RoadSegmentRow.district_code == district)
    rows = (
        spatial.in_bbox(session, stmt, RoadSegmentRow, bbox)
        if bbox
        else list(session.scalars(stmt.order_by(RoadSegmentRow.id)))
    )
    window = _window_condition(session, city_id, since, until) if (since or until) else None
    out = []
    for row in rows:
        cond = None
        if window is not None:
            w = window.get(row.id)
            cond = {
                "iri": w.iri if w else None,
                "class": w.road_class if w else None,
                "measured_at": w.driven_at.isoformat() if w else None,
                "calibrated": w.calibrated if w else None,
            }
        props = segment_properties(row, city_code, cond)
        if classes is not None and (props["class"] or NONE_CLASS) not in classes:
            continue
        out.append((row, props))
    return out


def segment_feature(row: RoadSegmentRow, props: dict[str, Any]) -> dict[str, Any]:
    return feature(row.geom, props, fid=row.id)


def segments_csv(items: list[tuple[RoadSegmentRow, dict[str, Any]]]) -> str:
    """The segments as CSV (one row each, geometry as WKT)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for row, p in items:
        w.writerow(
            [
                p["id"],
                p["segment_id"],
                p["osm_way_id"],
                p["name"] or "",
                p["road"],
                p["highway"],
                p["surface"] or "",
                "" if p["lanes"] is None else p["lanes"],
                p["oneway"],
                p["length_m"],
                p["district_code"] or "",
                p["village_code"] or "",
                "" if p["iri_m_per_km"] is None else p["iri_m_per_km"],
                p["class"] or "",
                p["measured_at"] or "",
                "" if p["calibrated"] is None else p["calibrated"],
                p["surveys"],
                p["source"],
                row.geom.wkt,
            ]
        )
    return buf.getvalue()


def select_events(
    session: Session,
    city_id: int,
    *,
    bbox: BBox | None = None,
    kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[RoadEventRow]:
    """Potholes and bumps of a city, filtered; ordered by id."""
    stmt = select(RoadEventRow).where(RoadEventRow.city_id == city_id)
    if kind:
        stmt = stmt.where(RoadEventRow.kind.in_([k.strip() for k in kind.split(",")]))
    if since is not None:
        stmt = stmt.where(RoadEventRow.at >= since)
    if until is not None:
        stmt = stmt.where(RoadEventRow.at <= until)
    if bbox:
        return spatial.in_bbox(session, stmt, RoadEventRow, bbox)
    return list(session.scalars(stmt.order_by(RoadEventRow.id)))


def event_feature(ev: RoadEventRow, city_code: str, segment_key: str | None = None) -> dict[str, Any]:
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
