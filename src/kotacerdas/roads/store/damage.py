"""Damage records, captures and segment distress: the queries, the GeoJSON/CSV/KML of damages, the SDI refresh.

* :func:`damages_query` selects a city's damages with every filter in SQL (box, codes, minimum confidence, dates
  seen, statuses, vehicle) for the API to count and page and the CLI to export;
* :func:`damage_properties` are the public fields of a damage (no vehicle, no device, no user);
* :func:`refresh_distress` recomputes the SDI of segments from their damages and what officers entered
  (:mod:`kotacerdas.roads.sdi`), on the segments a capture covered, over the metres it covered;
* :func:`condition_query` / :func:`condition_features` give each segment's IRI, SDI and combined condition, by the
  one rule :func:`condition_of` (also behind :func:`combined_conditions` for the road page and
  :func:`segment_exports` for the segment downloads and the report);
* :class:`SegmentLocator` finds the segment a damage lies on (nearest within :data:`SEGMENT_RADIUS_M`).
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import shapely
from pyproj import Transformer
from shapely import STRtree
from shapely.geometry import LineString, Point
from shapely.ops import substring
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from kotacerdas.core import spatial
from kotacerdas.core.db import utcnow
from kotacerdas.core.errors import NotFound
from kotacerdas.core.geometry import BBox, feature
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.network.graph import utm_crs
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads import sdi as sdi_rules
from kotacerdas.roads.damage import NOT_SEEN_AGAIN, REJECTED, REPAIRED, STATUS_LABELS, STATUSES
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.models import DAMAGE_CODES
from kotacerdas.roads.store import condition, features
from kotacerdas.roads.store.damage_tables import (
    RoadCapture,
    RoadCaptureSegment,
    RoadDamage,
    RoadDamageSighting,
    RoadDamageStatus,
    RoadSegmentDistress,
)
from kotacerdas.roads.store.tables import RoadVehicle

SEGMENT_RADIUS_M = 15.0
_OTHER_CODE = re.compile(r"^D\d\d$")
SDI_PIECE_M = 100.0
CSV_COLUMNS = [
    "id",
    "code",
    "name",
    "status",
    "seen_state",
    "confidence",
    "area_m2",
    "first_seen",
    "last_seen",
    "sightings",
    "segment_id",
    "lon",
    "lat",
    "demo",
    "model",
]


def crop_url(sighting_id: int | None) -> str | None:
    """The public URL of a sighting's blurred crop."""
    return None if sighting_id is None else f"/api/v1/roads/damage-crops/{sighting_id}.jpg"


def parse_codes(text: str | None) -> list[str] | None:
    """Damage codes from ``D00,D40``: those of :data:`~kotacerdas.roads.models.DAMAGE_CODES`, or another road damage
    code ``Dnn`` a model may have; ``None`` for no filter."""
    if not text:
        return None
    codes = [c.strip().upper() for c in text.split(",") if c.strip()]
    bad = [c for c in codes if c not in DAMAGE_CODES and not _OTHER_CODE.match(c)]
    if bad:
        raise RoadsError(
            N_("unknown damage code {code}; codes are: {known} (or another Dnn code a model has)"),
            field="code",
            code=bad[0],
            known=", ".join(DAMAGE_CODES),
        )
    return codes


def city_codes(session: Session, city_id: int) -> list[str]:
    """The damage codes of a city's damage records, in order."""
    stmt = select(RoadDamage.code).where(RoadDamage.city_id == city_id).distinct()
    return sorted(session.scalars(stmt))


def parse_statuses(text: str | None) -> list[str] | None:
    """Statuses from ``detected,confirmed``; ``None`` for no filter."""
    if not text:
        return None
    wanted = [s.strip().lower() for s in text.split(",") if s.strip()]
    bad = [s for s in wanted if s not in STATUSES]
    if bad:
        raise RoadsError(
            N_("unknown damage status {wanted}; statuses are: {known}"),
            field="status",
            wanted=bad[0],
            known=", ".join(STATUSES),
        )
    return wanted


def damages_query(
    session: Session,
    city_id: int,
    *,
    bbox: BBox | None = None,
    codes: list[str] | None = None,
    min_confidence: float | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    statuses: list[str] | None = None,
    vehicle_id: int | None = None,
    segment_id: int | None = None,
) -> Select:
    """A city's damages, filtered, ordered by id: rows of ``(damage, segment_key)``.

    ``since``/``until`` keep damages seen in that window (last seen on or after ``since``, first seen on or before
    ``until``); ``vehicle_id`` those a vehicle saw (private: the API checks the role first).
    """
    stmt = (
        select(RoadDamage, RoadSegmentRow.segment_key)
        .outerjoin(RoadSegmentRow, RoadSegmentRow.id == RoadDamage.segment_id)
        .where(RoadDamage.city_id == city_id)
    )
    if codes:
        stmt = stmt.where(RoadDamage.code.in_(codes))
    if min_confidence is not None:
        stmt = stmt.where(RoadDamage.confidence >= min_confidence)
    if since is not None:
        stmt = stmt.where(RoadDamage.last_seen >= since)
    if until is not None:
        stmt = stmt.where(RoadDamage.first_seen <= until)
    if statuses:
        stmt = stmt.where(RoadDamage.status.in_(statuses))
    if segment_id is not None:
        stmt = stmt.where(RoadDamage.segment_id == segment_id)
    if vehicle_id is not None:
        seen_by = select(RoadDamageSighting.damage_id).where(RoadDamageSighting.vehicle_id == vehicle_id)
        stmt = stmt.where(RoadDamage.id.in_(seen_by))
    if bbox:
        stmt = spatial.where_in_bbox(session, stmt, RoadDamage, bbox)
    return stmt.order_by(RoadDamage.id)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def damage_properties(d: RoadDamage, city_code: str, segment_key: str | None, lang: str = "id") -> dict[str, Any]:
    """The public properties of a damage (no vehicle, no device, no user)."""
    return {
        "id": d.id,
        "city": city_code,
        "code": d.code,
        "name": gettext(DAMAGE_CODES.get(d.code, d.code), lang),
        "status": d.status,
        "status_label": gettext(STATUS_LABELS.get(d.status, d.status), lang),
        "status_at": _iso(d.status_at),
        "seen_state": d.seen_state,
        "missed_at": _iso(d.missed_at),
        "confidence": round(d.confidence, 3),
        "area_m2": round(d.area_m2, 2),
        "first_seen": _iso(d.first_seen),
        "last_seen": _iso(d.last_seen),
        "sightings": d.sightings_count,
        "segment": d.segment_id,
        "segment_id": segment_key,
        "crop": crop_url(d.best_sighting_id),
        "demo": d.demo,
        "model": d.model,
    }


def damage_feature(row: Any, city_code: str, lang: str = "id") -> dict[str, Any]:
    """A row of :func:`damages_query` as a GeoJSON point feature."""
    d = row[0]
    return feature(d.geom, damage_properties(d, city_code, row[1], lang), fid=d.id)


def damage_of(session: Session, damage_id: int) -> tuple[RoadDamage, str]:
    """A damage record and its city's code, whichever city it is in; NotFound when there is none."""
    from kotacerdas.core.models import City

    found = session.execute(
        select(RoadDamage, City.code).join(City, City.id == RoadDamage.city_id).where(RoadDamage.id == damage_id)
    ).first()
    if found is None:
        raise NotFound(N_("No damage with id {id}"), id=damage_id)
    return found[0], found[1]


def city_damage(session: Session, city_id: int, damage_id: int) -> RoadDamage:
    """The damage ``damage_id`` of a city; NotFound when it is another city's."""
    d = session.get(RoadDamage, damage_id)
    if d is None or d.city_id != city_id:
        raise NotFound(N_("No damage with id {id} in this city"), id=damage_id)
    return d


def sightings_of(session: Session, damage_id: int, *, private: bool) -> list[dict[str, Any]]:
    """Every sighting of a damage, newest first: time, confidence, area, blurred crop; with ``private`` also the
    vehicle and device."""
    rows = session.execute(
        select(RoadDamageSighting, RoadVehicle.code)
        .outerjoin(RoadVehicle, RoadVehicle.id == RoadDamageSighting.vehicle_id)
        .where(RoadDamageSighting.damage_id == damage_id)
        .order_by(RoadDamageSighting.at.desc(), RoadDamageSighting.id.desc())
    )
    out = []
    for s, vehicle in rows:
        item: dict[str, Any] = {
            "id": s.id,
            "at": s.at.isoformat(),
            "code": s.code,
            "confidence": round(s.confidence, 3),
            "area_m2": round(s.area_m2, 2),
            "crop": crop_url(s.id) if s.crop_path else None,
            "capture": s.capture_id if private else None,
            "vehicle": vehicle if private else None,
            "device": s.device if private else None,
        }
        out.append(item)
    return out


def status_history(session: Session, damage_id: int, *, private: bool) -> list[dict[str, Any]]:
    """The status changes of a damage, oldest first (who changed it only with ``private``)."""
    from kotacerdas.core.models import User

    rows = session.execute(
        select(RoadDamageStatus, User.username)
        .outerjoin(User, User.id == RoadDamageStatus.user_id)
        .where(RoadDamageStatus.damage_id == damage_id)
        .order_by(RoadDamageStatus.at, RoadDamageStatus.id)
    )
    return [
        {
            "status": h.status,
            "previous": h.previous,
            "at": h.at.isoformat(),
            "by": (user or None) if private else None,
            "note": h.note if private else "",
        }
        for h, user in rows
    ]


def damages_csv(items: list[dict[str, Any]]) -> str:
    """Damage features as CSV (one row each, position as lon/lat)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for f in items:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"]
        w.writerow(
            [
                p["id"],
                p["code"],
                p["name"],
                p["status"],
                p["seen_state"],
                p["confidence"],
                p["area_m2"],
                p["first_seen"],
                p["last_seen"],
                p["sightings"],
                p["segment_id"] or "",
                round(lon, 7),
                round(lat, 7),
                p["demo"],
                p["model"],
            ]
        )
    return buf.getvalue()


def damages_kml(items: list[dict[str, Any]], title: str) -> str:
    """Damage features as KML 2.2 (a Placemark per damage with its fields as ExtendedData)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
        f"<name>{escape(title)}</name>",
    ]
    for f in items:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"]
        data = "".join(
            f'<Data name="{k}"><value>{escape(str(p[k]))}</value></Data>'
            for k in ("code", "status", "confidence", "area_m2", "first_seen", "last_seen", "sightings")
        )
        parts.append(
            f'<Placemark id="damage-{p["id"]}"><name>{escape(p["code"])} · {escape(p["name"])}</name>'
            f"<description>{escape(p['status_label'])}</description><ExtendedData>{data}</ExtendedData>"
            f"<Point><coordinates>{lon:.7f},{lat:.7f}</coordinates></Point></Placemark>"
        )
    parts.append("</Document></kml>")
    return "\n".join(parts) + "\n"


# -- segments: where a damage lies, and their surface distress -----------------------------------------------------
class SegmentLocator:
    """The nearest active segment of a city to a point (within :data:`SEGMENT_RADIUS_M`), in metres (UTM)."""

    def __init__(self, rows: list[RoadSegmentRow]) -> None:
        self.ids = [r.id for r in rows]
        self.lengths = {r.id: r.length_m for r in rows}
        if rows:
            lon, lat = rows[0].geom.coords[0]
            self.fwd = Transformer.from_crs("EPSG:4326", utm_crs(lon, lat), always_xy=True)
            fwd = self.fwd

            def project(xy: np.ndarray) -> np.ndarray:
                return np.column_stack(fwd.transform(xy[:, 0], xy[:, 1]))

            self.lines = [shapely.transform(r.geom, project) for r in rows]
            self.tree = STRtree(self.lines)
        else:
            self.lines = []

    @classmethod
    def of_city(cls, session: Session, city_id: int) -> SegmentLocator:
        return cls(condition.active_segments(session, city_id))

    def nearest(self, lon: float, lat: float, max_m: float = SEGMENT_RADIUS_M) -> int | None:
        """The id of the nearest segment within ``max_m``, or ``None``."""
        if not self.lines:
            return None
        x, y = self.fwd.transform(lon, lat)
        p = Point(x, y)
        k = self.tree.query_nearest(p, max_distance=max_m)
        if len(k) == 0:
            return None
        return self.ids[int(k[0])]

    def position(self, segment_id: int, lon: float, lat: float) -> float:
        """Metres along a segment of the point nearest ``(lon, lat)``."""
        x, y = self.fwd.transform(lon, lat)
        return float(self.lines[self.ids.index(segment_id)].project(Point(x, y)))


def _segment_damages(session: Session, segment_ids: list[int]) -> dict[int, list[RoadDamage]]:
    out: dict[int, list[RoadDamage]] = {}
    rows = session.scalars(
        select(RoadDamage).where(
            RoadDamage.segment_id.in_(segment_ids),
            RoadDamage.status.not_in((REPAIRED, REJECTED)),
            RoadDamage.seen_state != NOT_SEEN_AGAIN,
        )
    )
    for d in rows:
        out.setdefault(int(d.segment_id or 0), []).append(d)
    return out


def _sdi_input(length: float, width: float, damages: list[RoadDamage], entered: RoadSegmentDistress | None):
    cracks = sum(d.area_m2 for d in damages if d.code in sdi_rules.CRACK_CODES)
    holes = sum(1 for d in damages if d.code == sdi_rules.POTHOLE_CODE)
    return sdi_rules.SdiInput(
        length_m=max(length, 1.0),
        width_m=width,
        crack_area_m2=cracks,
        potholes=holes,
        crack_width_mm=entered.crack_width_mm if entered else None,
        rut_depth_mm=entered.rut_depth_mm if entered else None,
    )


def segment_width(seg: RoadSegmentRow, entered: RoadSegmentDistress | None) -> float:
    """The carriageway width of a segment: entered by an officer, else OSM ``width``, else from OSM ``lanes``, else
    the default."""
    if entered is not None and entered.width_m:
        return float(entered.width_m)
    return sdi_rules.carriageway_width(seg.width_m, seg.lanes)


def covered_length(segment_length_m: float, covered_m: float | None) -> float:
    """The metres of a segment its SDI rests on: the most any one capture covered (a capture's frames on it × its
    frame spacing, :class:`~kotacerdas.roads.store.damage_tables.RoadCaptureSegment`), at most the segment's length.
    Drives that covered the same stretch twice do not add up; the whole length only when no coverage is known."""
    if covered_m is None or covered_m <= 0:
        return segment_length_m
    return min(segment_length_m, covered_m)


def refresh_distress(session: Session, segment_ids: list[int]) -> None:
    """Recompute the SDI of segments: over those a capture covered, from their current damages (not repaired, not
    rejected, not missed by a later drive) over the metres the camera covered (:func:`covered_length`) and the
    widths and ruts entered; a segment no capture covered keeps no SDI."""
    ids = sorted(set(segment_ids))
    if not ids:
        return
    segs = {s.id: s for s in session.scalars(select(RoadSegmentRow).where(RoadSegmentRow.id.in_(ids)))}
    coverage = {
        sid: (at, metres)
        for sid, at, metres in session.execute(
            select(
                RoadCaptureSegment.segment_id, func.max(RoadCaptureSegment.at), func.max(RoadCaptureSegment.covered_m)
            )
            .where(RoadCaptureSegment.segment_id.in_(ids))
            .group_by(RoadCaptureSegment.segment_id)
        ).all()
    }
    demo_only = {
        sid
        for sid, n_real in session.execute(
            select(RoadCaptureSegment.segment_id, func.sum(case((RoadCapture.demo.is_(False), 1), else_=0)))
            .join(RoadCapture, RoadCapture.id == RoadCaptureSegment.capture_id)
            .where(RoadCaptureSegment.segment_id.in_(ids))
            .group_by(RoadCaptureSegment.segment_id)
        ).all()
        if not n_real
    }
    rows = {
        r.segment_id: r
        for r in session.scalars(select(RoadSegmentDistress).where(RoadSegmentDistress.segment_id.in_(ids)))
    }
    damages = _segment_damages(session, ids)
    for sid in ids:
        seg = segs.get(sid)
        if seg is None:
            continue
        row = rows.get(sid)
        if sid not in coverage:
            if row is not None:
                row.sdi = row.sdi_class = row.sdi_at = None
                row.details = {}
            continue
        if row is None:
            row = RoadSegmentDistress(city_id=seg.city_id, segment_id=sid, details={})
            session.add(row)
        at, metres = coverage[sid]
        result = sdi_rules.surface_distress_index(
            _sdi_input(covered_length(seg.length_m, metres), segment_width(seg, row), damages.get(sid, []), row)
        )
        row.sdi = result.sdi
        row.sdi_class = result.road_class.value
        row.sdi_at = at
        row.demo = sid in demo_only
        row.details = result.as_dict()
    session.flush()


def sdi_pieces(session: Session, segment: RoadSegmentRow, piece_m: float = SDI_PIECE_M) -> list[dict[str, Any]]:
    """The SDI of every ``piece_m`` (100 m) of a segment from the damages on it (the last piece may be shorter)."""
    entered = session.scalar(select(RoadSegmentDistress).where(RoadSegmentDistress.segment_id == segment.id))
    locator = SegmentLocator([segment])
    width = segment_width(segment, entered)
    length = segment.length_m
    n = max(1, int(np.ceil(length / piece_m - 1e-9)))
    buckets: list[list[RoadDamage]] = [[] for _ in range(n)]
    line = locator.lines[0]
    scale = length / line.length if line.length > 0 else 1.0
    for d in _segment_damages(session, [segment.id]).get(segment.id, []):
        at = locator.position(segment.id, d.geom.x, d.geom.y) * scale
        buckets[min(n - 1, int(at // piece_m))].append(d)
    out = []
    for k, items in enumerate(buckets):
        a, b = k * piece_m, min(length, (k + 1) * piece_m)
        result = sdi_rules.surface_distress_index(_sdi_input(b - a, width, items, entered))
        piece = substring(segment.geom, a / length, b / length, normalized=True) if length > 0 else segment.geom
        out.append(
            feature(
                piece if isinstance(piece, LineString) else segment.geom,
                {"from_m": round(a, 1), "to_m": round(b, 1), "damages": len(items), **result.as_dict()},
            )
        )
    return out


def enter_distress(
    session: Session,
    segment: RoadSegmentRow,
    *,
    user_id: int | None,
    crack_width_mm: float | None,
    rut_depth_mm: float | None,
    width_m: float | None,
) -> RoadSegmentDistress:
    """Store what an officer measured on a segment (crack width, rut depth, carriageway width) and refresh its SDI."""
    for name, value, hi in (("crack_width_mm", crack_width_mm, 200.0), ("rut_depth_mm", rut_depth_mm, 300.0)):
        if value is not None and not 0 <= value <= hi:
            raise RoadsError(N_("{name} is out of range"), field=name, name=name)
    if width_m is not None and not 1.0 <= width_m <= 60.0:
        raise RoadsError(N_("{name} is out of range"), field="width_m", name="width_m")
    row = session.scalar(select(RoadSegmentDistress).where(RoadSegmentDistress.segment_id == segment.id))
    if row is None:
        row = RoadSegmentDistress(city_id=segment.city_id, segment_id=segment.id, details={})
        session.add(row)
    row.crack_width_mm, row.rut_depth_mm, row.width_m = crack_width_mm, rut_depth_mm, width_m
    row.entered_by, row.entered_at = user_id, utcnow()
    session.flush()
    refresh_distress(session, [segment.id])
    return row


def distress_json(row: RoadSegmentDistress | None) -> dict[str, Any]:
    """A segment's SDI and entered values (public)."""
    if row is None:
        return {
            "sdi": None,
            "sdi_class": None,
            "sdi_at": None,
            "crack_width_mm": None,
            "rut_depth_mm": None,
            "width_m": None,
            "details": {},
            "demo": False,
        }
    return {
        "sdi": None if row.sdi is None else round(row.sdi, 2),
        "sdi_class": row.sdi_class,
        "sdi_at": _iso(row.sdi_at),
        "crack_width_mm": row.crack_width_mm,
        "rut_depth_mm": row.rut_depth_mm,
        "width_m": row.width_m,
        "details": row.details or {},
        "demo": row.demo,
    }


# -- the combined condition of segments ---------------------------------------------------------------------------
def condition_query(session: Session, city_id: int, *, bbox: BBox | None = None) -> Select:
    """The managed segments of a city (:func:`~kotacerdas.roads.store.features.managed`) with their distress row:
    rows of ``(segment, distress or None)``."""
    stmt = (
        select(RoadSegmentRow, RoadSegmentDistress)
        .outerjoin(RoadSegmentDistress, RoadSegmentDistress.segment_id == RoadSegmentRow.id)
        .where(RoadSegmentRow.city_id == city_id, features.managed())
    )
    if bbox:
        stmt = spatial.where_in_bbox(session, stmt, RoadSegmentRow, bbox)
    return stmt.order_by(RoadSegmentRow.id)


def condition_of(
    iri: float | None, iri_at: datetime | None, dist: RoadSegmentDistress | None, now: datetime
) -> sdi_rules.Condition:
    """A segment's combined condition (:func:`kotacerdas.roads.sdi.segment_condition`) from the IRI it shows (and
    when it was measured) and its distress row (its SDI), as of ``now``: the one rule of the map, the road page,
    the segment exports and the report."""
    return sdi_rules.segment_condition(
        iri,
        dist.sdi if dist is not None else None,
        iri_at=iri_at,
        sdi_at=dist.sdi_at if dist is not None else None,
        now=now,
    )


def distress_rows(session: Session, segment_ids: list[int]) -> dict[int, RoadSegmentDistress]:
    """The distress rows (SDI) of segments, by segment row id (segments without one are left out)."""
    ids = sorted(set(segment_ids))
    out: dict[int, RoadSegmentDistress] = {}
    for k in range(0, len(ids), 500):
        chunk = ids[k : k + 500]
        for d in session.scalars(select(RoadSegmentDistress).where(RoadSegmentDistress.segment_id.in_(chunk))):
            out[d.segment_id] = d
    return out


def combined_conditions(
    session: Session,
    shown: dict[int, tuple[float | None, datetime | None]],
    *,
    now: datetime | None = None,
) -> dict[int, sdi_rules.Condition]:
    """The combined condition of segments, by segment row id, from the IRI each shows with when it was measured
    (``shown``: a page or an export may show a window's IRI, not the latest) and its stored SDI."""
    dist = distress_rows(session, list(shown))
    when = now or datetime.now(UTC)
    return {sid: condition_of(iri, at, dist.get(sid), when) for sid, (iri, at) in shown.items()}


def combined_properties(c: sdi_rules.Condition) -> dict[str, Any]:
    """The SDI and the combined condition of a segment as its export carries them: the class codes, ``basis``
    (``iri_sdi``, ``iri_only``, ``sdi_only``, ``none``), and which of ``iri``/``sdi`` is ``missing`` or ``stale``."""
    d = c.as_dict()
    return {
        "sdi": d["sdi"],
        "sdi_class": d["sdi_class"],
        "sdi_at": d["sdi_at"],
        "combined_class": d["class"],
        "basis": d["basis"],
        "missing": d["missing"],
        "stale": d["stale"],
    }


def with_combined(
    session: Session, props: list[dict[str, Any]], *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Segment properties (:func:`kotacerdas.roads.store.features.segment_properties`) with their SDI and combined
    condition added (:data:`kotacerdas.roads.store.features.COMBINED_COLUMNS`), in place and returned. The combined
    class rests on the IRI the properties show (a window's, with dates) and the segment's current SDI."""
    shown = {
        p["id"]: (p["iri_m_per_km"], datetime.fromisoformat(p["measured_at"]) if p["measured_at"] else None)
        for p in props
    }
    conditions = combined_conditions(session, shown, now=now)
    for p in props:
        p.update(combined_properties(conditions[p["id"]]))
    return props


def segment_exports(
    session: Session, city_id: int, city_code: str, *, now: datetime | None = None, **filters: Any
) -> list[tuple[RoadSegmentRow, dict[str, Any]]]:
    """Every segment :func:`kotacerdas.roads.store.features.select_segments` selects (same filters) with its public
    properties, its SDI and combined condition included (:func:`with_combined`): what the segment CSV and GeoJSON
    downloads and the report's segment sheet hold."""
    items = features.select_segments(session, city_id, city_code, **filters)
    with_combined(session, [p for _row, p in items], now=now)
    return items


def condition_features(
    session: Session, rows: list[Any], city_code: str, *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Rows of :func:`condition_query` as GeoJSON features with the IRI, the SDI and the combined condition (the IRI
    read through :func:`kotacerdas.roads.store.condition.segment_iri`)."""
    iri = condition.segment_iri(session, [r[0].id for r in rows])
    now = now or datetime.now(UTC)
    out = []
    for seg, dist in rows:
        measured = iri.get(seg.id)
        c = condition_of(measured.iri if measured else None, measured.at if measured else None, dist, now)
        props = {
            "id": seg.id,
            "segment_id": seg.segment_key,
            "city": city_code,
            "name": seg.name,
            "road": seg.road_key,
            "length_m": round(seg.length_m, 1),
            **c.as_dict(),
            "iri_measured_m": None if measured is None else round(measured.measured_m, 1),
            "sdi_demo": bool(dist.demo) if dist is not None else False,
        }
        out.append(feature(seg.geom, props, fid=seg.id))
    return out


def capture_json(c: RoadCapture, vehicle: str | None, lang: str = "id") -> dict[str, Any]:
    """A capture as the private API shows it; why it failed (``error``) and why each failed frame did (``reason``
    in its report's ``failed_frames``) in ``lang``."""
    from kotacerdas.roads.errors import stored_text

    report = dict(c.report or {})
    if report.get("failed_frames"):
        report["failed_frames"] = [
            # a report stored before reasons were kept as message ids holds the text as "reason"
            {**f, "reason": stored_text(f.get("message", f.get("reason", "")), f.get("params"), lang)}
            for f in report["failed_frames"]
        ]
    error = report.get("error")
    return {
        "id": c.id,
        "kind": c.kind,
        "filename": c.filename,
        "vehicle": vehicle,
        "survey": c.survey_id,
        "model": c.model,
        "device": c.device,
        "status": c.status,
        "started_at": _iso(c.started_at),
        "ended_at": _iso(c.ended_at),
        "offset_s": c.offset_s,
        "every_m": c.every_m,
        "frames_total": c.frames_total,
        "frames_done": c.frames_done,
        "frames_failed": c.frames_failed,
        "demo": c.demo,
        "error": stored_text(error, report.get("error_params"), lang) if error else None,
        "report": report,
        "imported_at": c.created_at.isoformat(),
    }


def captures_query(city_id: int) -> Select:
    """A city's captures, newest first: rows of ``(capture, vehicle code)``."""
    return (
        select(RoadCapture, RoadVehicle.code)
        .outerjoin(RoadVehicle, RoadVehicle.id == RoadCapture.vehicle_id)
        .where(RoadCapture.city_id == city_id)
        .order_by(RoadCapture.created_at.desc(), RoadCapture.id.desc())
    )


def median_area(values: list[float]) -> float:
    return float(statistics.median(values)) if values else 0.0
