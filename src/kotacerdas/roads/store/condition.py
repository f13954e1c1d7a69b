"""Road condition aggregates: per segment, per road, per kecamatan and per city.

The condition of a segment is what the most recent survey that measured it found
(:func:`kotacerdas.roads.services.surveys.refresh_segments`): the distance-weighted IRI of
exactly the metres of it that survey measured (intervals split at segment ends), with those
metres kept beside it (:class:`SegmentCondition`, :func:`segment_conditions`). Its class is
the one Bina Marga rule (:func:`kotacerdas.roads.bina_marga.classify`). Lengths per class
and the measured length count each segment with its *measured* metres (at most its length),
so a 250 m segment driven for 30 m adds 30 m to its class, not 250. Shares of *jalan mantap*
(Baik + Sedang) are over that measured length (:func:`kotacerdas.roads.bina_marga.mantap_share`).
A road is every active segment with the same name (``road_key``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point
from shapely.ops import linemerge
from sqlalchemy import Numeric, Select, case, cast, func, or_, select
from sqlalchemy.orm import Session, aliased

from kotacerdas.core.models import AdminArea
from kotacerdas.network.graph import utm_crs
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.bina_marga import RoadClass, length_by_class, mantap_share
from kotacerdas.roads.charts import Bar
from kotacerdas.roads.store.features import managed, parse_filters, segments_query
from kotacerdas.roads.store.tables import RoadInterval, RoadSegmentSurvey, RoadSurvey

CLASSES = [c.value for c in RoadClass]


@dataclass
class Totals:
    """Lengths (m) of a set of segments: network, measured, per class, and the mantap share."""

    network_m: float = 0.0
    measured_m: float = 0.0
    by_class: dict[str, float] = field(default_factory=lambda: {c: 0.0 for c in CLASSES})
    segments: int = 0
    iri_sum: float = 0.0

    def add(self, row: RoadSegmentRow) -> None:
        self.add_measure(row.length_m, row.latest_class, row.latest_iri, measured_metres(row))

    def add_measure(
        self, length_m: float, road_class: str | None, iri: float | None, measured_m: float | None = None
    ) -> None:
        """Count one segment of ``length_m`` with its class and IRI (``None``: not measured), measured on
        ``measured_m`` of its metres (its whole length when not known)."""
        self.segments += 1
        self.network_m += length_m
        if road_class:
            metres = length_m if measured_m is None else min(measured_m, length_m)
            self.measured_m += metres
            self.by_class[road_class] += metres
            self.iri_sum += metres * (iri or 0.0)

    @property
    def mantap(self) -> float | None:
        share = mantap_share(list(self.by_class.values()), list(self.by_class.keys()))
        return None if math.isnan(share) else share

    @property
    def mean_iri(self) -> float | None:
        return self.iri_sum / self.measured_m if self.measured_m > 0 else None

    def as_dict(self) -> dict:
        return {
            "network_km": round(self.network_m / 1000, 3),
            "measured_km": round(self.measured_m / 1000, 3),
            "km_by_class": {k: round(v / 1000, 3) for k, v in self.by_class.items()},
            "mantap_share": round(self.mantap, 4) if self.mantap is not None else None,
            "mean_iri": round(self.mean_iri, 3) if self.mean_iri is not None else None,
            "segments": self.segments,
        }


def measured_metres(row: RoadSegmentRow) -> float:
    """The metres of a segment its latest condition rests on, at most its length (its length for rows
    measured before the metres were kept)."""
    if row.latest_measured_m is None:
        return float(row.length_m)
    return float(min(row.latest_measured_m, row.length_m))


@dataclass(frozen=True)
class SegmentCondition:
    """A segment's latest condition, as other parts of Road Manager (e.g. the surface index) combine it.

    ``iri`` is the distance-weighted IRI (m/km) of exactly the ``measured_m`` metres of the
    segment the survey ``survey_id`` measured on ``measured_at``; ``share`` is those metres
    over ``length_m``; ``road_class`` the Bina Marga class of ``iri``.
    """

    segment_id: int
    segment_key: str
    iri: float
    road_class: str
    measured_m: float
    length_m: float
    share: float
    measured_at: datetime
    calibrated: bool
    survey_id: int | None


def segment_conditions(
    session: Session, city_id: int, segment_ids: list[int] | None = None
) -> dict[int, SegmentCondition]:
    """The latest measured condition of a city's active segments (or of ``segment_ids``), by segment row id."""
    seg = RoadSegmentRow
    latest = (
        select(
            RoadSegmentSurvey.segment_id,
            RoadSegmentSurvey.survey_id,
            func.row_number()
            .over(
                partition_by=RoadSegmentSurvey.segment_id,
                order_by=(RoadSegmentSurvey.driven_at.desc(), RoadSegmentSurvey.id.desc()),
            )
            .label("rn"),
        )
        .where(RoadSegmentSurvey.city_id == city_id, RoadSegmentSurvey.iri.is_not(None))
        .subquery("latest")
    )
    stmt = (
        select(seg, latest.c.survey_id)
        .outerjoin(latest, (latest.c.segment_id == seg.id) & (latest.c.rn == 1))
        .where(seg.city_id == city_id, managed(seg), seg.latest_iri.is_not(None))
    )
    if segment_ids is not None:
        stmt = stmt.where(seg.id.in_(list(segment_ids)))
    out: dict[int, SegmentCondition] = {}
    for row, survey_id in session.execute(stmt):
        metres = measured_metres(row)
        out[row.id] = SegmentCondition(
            segment_id=row.id,
            segment_key=row.segment_key,
            iri=float(row.latest_iri),
            road_class=str(row.latest_class),
            measured_m=metres,
            length_m=float(row.length_m),
            share=min(1.0, metres / row.length_m) if row.length_m > 0 else 0.0,
            measured_at=row.latest_at,
            calibrated=bool(row.latest_calibrated),
            survey_id=survey_id,
        )
    return out


def active_segments(session: Session, city_id: int) -> list[RoadSegmentRow]:
    return list(
        session.scalars(
            select(RoadSegmentRow).where(RoadSegmentRow.city_id == city_id, managed()).order_by(RoadSegmentRow.id)
        )
    )


def city_totals(session: Session, city_id: int) -> Totals:
    """Totals of the whole network of a city."""
    t = Totals()
    for row in active_segments(session, city_id):
        t.add(row)
    return t


def district_totals(session: Session, city_id: int) -> list[dict]:
    """Totals per kecamatan (code, name), then segments in no kecamatan (code ``None``)."""
    names = dict(
        session.execute(
            select(AdminArea.code, AdminArea.name).where(AdminArea.city_id == city_id, AdminArea.level == "district")
        ).all()
    )
    groups: dict[str | None, Totals] = {}
    for row in active_segments(session, city_id):
        groups.setdefault(row.district_code, Totals()).add(row)
    out = []
    for code in sorted(groups, key=lambda c: (c is None, c or "")):
        out.append({"code": code, "name": names.get(code, "") if code else "", **groups[code].as_dict()})
    return out


def _rounded_km(session: Session, metres):
    """``round(metres / 1000, 3)`` in SQL, as Python rounds the ``network_km`` it shows."""
    km = cast(metres, Numeric) / 1000 if session.get_bind().dialect.name == "postgresql" else metres / 1000.0
    return func.round(km, 3)


def _by_name(session: Session, column):
    """``column`` ordered by code point, as Python sorts text (PostgreSQL's collation would not)."""
    return column.collate("C") if session.get_bind().dialect.name == "postgresql" else column


#: The orders of the roads table: column, and whether the first rows are the largest.
ROAD_ORDERS = ("length", "name", "measured", "iri", "mantap")


def road_totals_query(
    session: Session,
    city_id: int,
    *,
    search: str | None = None,
    order: str = "length",
    descending: bool | None = None,
    **filters: Any,
) -> Select:
    """Totals per road (active segments sharing a name), longest first then by name: one row per road.

    ``filters`` are the map's (:func:`kotacerdas.roads.store.features.parse_filters`: ``since``,
    ``until``, ``classes``, ``district``) and select the segments counted as
    :func:`kotacerdas.roads.store.features.segments_query` selects them for the map and
    :func:`filtered` counts them for its figures: with dates a segment's condition is the latest
    one measured in that window, with classes only the segments of those classes count. ``search``
    keeps the segments whose road name contains it, and those lying in a kecamatan whose name
    contains it (any case): searching a kecamatan lists the roads in it, with their length there.
    ``order`` is one of :data:`ROAD_ORDERS` (``length`` and ``measured`` largest first, ``name``
    A to Z, ``iri`` and ``mantap`` worst first unless ``descending`` says otherwise). The sums of
    :class:`Totals` are taken in SQL (see :func:`road_row`), so the list of roads is filtered,
    searched, ordered, counted and paged in the database.
    """
    seg = RoadSegmentRow
    chosen = segments_query(session, city_id, **filters)
    cond = chosen.selected_columns
    rows = chosen.with_only_columns(
        seg.id, seg.road_key, seg.length_m, cond.iri, cond.road_class, cond.measured_m
    ).order_by(None)
    needle = (search or "").strip().lower()
    if needle:
        districts = select(AdminArea.code).where(
            AdminArea.city_id == city_id,
            AdminArea.level == "district",
            func.lower(AdminArea.name).contains(needle, autoescape=True),
        )
        rows = rows.where(
            or_(func.lower(seg.road_key).contains(needle, autoescape=True), seg.district_code.in_(districts))
        )
    r = rows.subquery("chosen")
    measured = r.c.road_class.is_not(None)
    metres = case(
        (r.c.measured_m.is_(None), r.c.length_m),
        (r.c.measured_m < r.c.length_m, r.c.measured_m),
        else_=r.c.length_m,
    )
    per_road = (
        select(
            r.c.road_key.label("road"),
            func.min(r.c.id).label("first_id"),
            func.count().label("segments"),
            func.sum(r.c.length_m).label("network_m"),
            func.sum(case((measured, metres), else_=0.0)).label("measured_m"),
            func.sum(case((measured, metres * func.coalesce(r.c.iri, 0.0)), else_=0.0)).label("iri_sum"),
            *(func.sum(case((r.c.road_class == c, metres), else_=0.0)).label(f"m_{c}") for c in CLASSES),
        )
        .group_by(r.c.road_key)
        .subquery("per_road")
    )
    first = aliased(RoadSegmentRow)
    stmt = select(per_road, first.highway).join(first, first.id == per_road.c.first_id)
    by_name = _by_name(session, per_road.c.road)
    c = per_road.c
    measured_m = func.nullif(c.measured_m, 0.0)
    keys = {
        "length": (_rounded_km(session, c.network_m), True),
        "name": (by_name, False),
        "measured": (_rounded_km(session, c.measured_m), True),
        "iri": (c.iri_sum / measured_m, True),
        "mantap": ((c.m_baik + c.m_sedang) / measured_m, False),
    }
    column, largest_first = keys.get(order, keys["length"])
    desc = largest_first if descending is None else descending
    first_key = column.desc() if desc else column.asc()
    if order in ("iri", "mantap"):  # unmeasured roads last, whichever way
        first_key = first_key.nulls_last()
    return stmt.order_by(first_key, by_name)


def road_row(row: Any) -> dict:
    """A row of :func:`road_totals_query` as the road's totals (``road``, ``highway`` and :meth:`Totals.as_dict`)."""
    totals = Totals(
        network_m=float(row.network_m or 0.0),
        measured_m=float(row.measured_m or 0.0),
        by_class={c: float(getattr(row, f"m_{c}") or 0.0) for c in CLASSES},
        segments=int(row.segments),
        iri_sum=float(row.iri_sum or 0.0),
    )
    return {"road": row.road, "highway": row.highway, **totals.as_dict()}


def road_totals(session: Session, city_id: int, limit: int | None = None, **filters: Any) -> list[dict]:
    """Totals per road (segments sharing a name), longest first; the first ``limit`` roads when given; ``filters``
    as :func:`road_totals_query` takes them."""
    stmt = road_totals_query(session, city_id, **filters)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [road_row(r) for r in session.execute(stmt)]


def segment_history(session: Session, segment_id: int) -> list[dict]:
    """What every survey that drove a segment found there, newest first (public: no vehicle, no file)."""
    rows = session.scalars(
        select(RoadSegmentSurvey)
        .where(RoadSegmentSurvey.segment_id == segment_id)
        .order_by(RoadSegmentSurvey.driven_at.desc(), RoadSegmentSurvey.id.desc())
    )
    return [
        {
            "survey": r.survey_id,
            "date": r.driven_at.isoformat(),
            "iri": r.iri,
            "class": r.road_class,
            "measured_m": r.measured_m,
            "share": r.share,
            "calibrated": r.calibrated,
        }
        for r in rows
    ]


def road_segment_rows(session: Session, city_id: int, key: str) -> list[RoadSegmentRow]:
    """The active segments of the road ``key`` (its name, ``way <id>``, or a segment id as digits)."""
    if key.isdigit():
        seg = session.get(RoadSegmentRow, int(key))
        if seg is None or seg.city_id != city_id:
            return []
        key = seg.road_key
    return list(
        session.scalars(
            select(RoadSegmentRow)
            .where(RoadSegmentRow.city_id == city_id, RoadSegmentRow.road_key == key, managed())
            .order_by(RoadSegmentRow.id)
        )
    )


@dataclass
class RoadProfile:
    """A road laid out along its length: where each segment lies and the IRI bars to draw."""

    key: str
    length_m: float
    segments: list[dict]
    bars: list[Bar]
    totals: Totals
    surveys: int
    latest: datetime | None


def _chain(lines: list[LineString]) -> LineString:
    merged = linemerge(lines)
    if isinstance(merged, LineString):
        return merged
    parts = list(merged.geoms)
    coords = np.concatenate([np.asarray(p.coords) for p in parts])
    centre = coords.mean(axis=0)
    _u, _s, vt = np.linalg.svd(coords - centre, full_matrices=False)
    axis = vt[0]
    parts.sort(key=lambda p: float(np.dot(np.asarray(p.coords).mean(axis=0) - centre, axis)))
    out: list[tuple[float, float]] = []
    for p in parts:
        c = list(p.coords)
        if np.dot(np.asarray(c[-1]) - np.asarray(c[0]), axis) < 0:
            c.reverse()
        out.extend(c)
    return LineString(out)


def road_profile(session: Session, city_id: int, key: str, *, until: datetime | None = None) -> RoadProfile | None:
    """The road ``key`` along its length with the latest measured intervals on each segment.

    ``until`` draws the state at a date (surveys up to it). ``None`` when the road is unknown.
    """
    rows = road_segment_rows(session, city_id, key)
    if not rows:
        return None
    lon, lat = rows[0].geom.coords[0]
    fwd = Transformer.from_crs("EPSG:4326", utm_crs(lon, lat), always_xy=True)

    def proj(g):
        return shapely.transform(g, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))

    lines = [proj(r.geom) for r in rows]
    chain = _chain(lines)
    totals = Totals()
    seg_info = []
    bars: list[Bar] = []
    survey_ids: set[int] = set()
    latest_date: datetime | None = None
    for row, line in zip(rows, lines, strict=True):
        totals.add(row)
        a = chain.project(Point(line.coords[0]))
        b = chain.project(Point(line.coords[-1]))
        lo, hi = min(a, b), max(a, b)
        hist = select(RoadSegmentSurvey).where(
            RoadSegmentSurvey.segment_id == row.id, RoadSegmentSurvey.iri.is_not(None)
        )
        if until is not None:
            hist = hist.where(RoadSegmentSurvey.driven_at <= until)
        last = session.scalars(
            hist.order_by(RoadSegmentSurvey.driven_at.desc(), RoadSegmentSurvey.id.desc()).limit(1)
        ).first()
        seg_info.append(
            {
                "id": row.id,
                "segment_id": row.segment_key,
                "from_m": round(lo, 1),
                "to_m": round(hi, 1),
                "iri": last.iri if last else None,
                "class": last.road_class if last else None,
                "date": last.driven_at.isoformat() if last else None,
            }
        )
        if last is None:
            continue
        survey_ids.add(last.survey_id)
        latest_date = max(latest_date, last.driven_at) if latest_date else last.driven_at
        intervals = session.scalars(
            select(RoadInterval)
            .where(
                RoadInterval.segment_id == row.id,
                RoadInterval.survey_id == last.survey_id,
                RoadInterval.iri.is_not(None),
            )
            .order_by(RoadInterval.idx)
        )
        for iv in intervals:
            g = proj(iv.geom)
            p0, p1 = chain.project(Point(g.coords[0])), chain.project(Point(g.coords[-1]))
            f, t = max(min(p0, p1), lo), min(max(p0, p1), hi)
            if t - f < 1.0:
                f, t = max(lo, min(p0, p1)), max(lo, min(p0, p1)) + 1.0
            bars.append(Bar(f, t, float(iv.iri), row.name or row.segment_key))
    bars.sort(key=lambda b: b.from_m)
    seg_info.sort(key=lambda s: s["from_m"])
    return RoadProfile(
        key=rows[0].road_key,
        length_m=float(chain.length),
        segments=seg_info,
        bars=bars,
        totals=totals,
        surveys=len(survey_ids),
        latest=latest_date,
    )


def surveyed_km(session: Session, city_id: int) -> float:
    """Length (km) of the active segments driven by at least one survey."""
    driven = set(session.scalars(select(RoadSegmentSurvey.segment_id).where(RoadSegmentSurvey.city_id == city_id)))
    return sum(r.length_m for r in active_segments(session, city_id) if r.id in driven) / 1000.0


def survey_count(session: Session, city_id: int) -> int:
    """How many surveys a city has."""
    return int(session.scalar(select(func.count(RoadSurvey.id)).where(RoadSurvey.city_id == city_id)) or 0)


def class_lengths(rows: list[RoadSegmentRow]) -> dict[RoadClass, float]:
    """Length (m) per class of the given segments (the one rule's class of their latest IRI)."""
    return length_by_class([r.length_m for r in rows], [r.latest_class for r in rows])


@dataclass(frozen=True)
class SegmentIri:
    """A segment's latest IRI (m/km), the length it was measured on (m) and when."""

    iri: float
    measured_m: float
    at: datetime


def segment_iri(session: Session, segment_ids: list[int]) -> dict[int, SegmentIri]:
    """The latest measured IRI of each segment with its measured length and date (segments never measured are
    left out): what the segment's condition shows, from the survey that measured it last."""
    out: dict[int, SegmentIri] = {}
    ids = sorted(set(segment_ids))
    for k in range(0, len(ids), 500):
        chunk = ids[k : k + 500]
        rss = RoadSegmentSurvey
        rank = func.row_number().over(partition_by=rss.segment_id, order_by=(rss.driven_at.desc(), rss.id.desc()))
        latest = (
            select(rss.segment_id, rss.iri, rss.measured_m, rss.driven_at, rank.label("rn"))
            .where(rss.segment_id.in_(chunk), rss.iri.is_not(None))
            .subquery()
        )
        for row in session.execute(select(latest).where(latest.c.rn == 1)):
            out[row.segment_id] = SegmentIri(float(row.iri), float(row.measured_m or 0.0), row.driven_at)
    return out


@dataclass
class Filtered:
    """The figures of the segments a filter selects (the map's filters): the city, per kecamatan, per road.

    With dates, a segment's condition is the latest measured by a survey in that window (as the map
    draws it); with classes, only segments of those classes count (``none``: not measured).
    """

    totals: Totals
    districts: list[dict]
    roads: list[dict]
    surveyed_km: float
    measured_in_window: int
    filters: dict[str, Any]


def filtered(session: Session, city_id: int, **filters: Any) -> Filtered:
    """The figures of :func:`kotacerdas.roads.store.features.segments_query` with the same filters."""
    names = dict(
        session.execute(
            select(AdminArea.code, AdminArea.name).where(AdminArea.city_id == city_id, AdminArea.level == "district")
        ).all()
    )
    totals = Totals()
    per_district: dict[str | None, Totals] = {}
    per_road: dict[str, tuple[str, Totals]] = {}
    ids: set[int] = set()
    measured = 0
    for row in session.execute(segments_query(session, city_id, **filters)):
        seg = row[0]
        ids.add(seg.id)
        measured += 1 if row.road_class else 0
        for t in (totals, per_district.setdefault(seg.district_code, Totals())):
            t.add_measure(seg.length_m, row.road_class, row.iri, row.measured_m)
        per_road.setdefault(seg.road_key, (seg.highway, Totals()))[1].add_measure(
            seg.length_m, row.road_class, row.iri, row.measured_m
        )
    districts = [
        {"code": code, "name": names.get(code, "") if code else "", **per_district[code].as_dict()}
        for code in sorted(per_district, key=lambda c: (c is None, c or ""))
    ]
    roads = sorted(
        ({"road": k, "highway": hw, **t.as_dict()} for k, (hw, t) in per_road.items()),
        key=lambda r: (-r["network_km"], r["road"]),
    )
    driven = select(RoadSegmentSurvey.segment_id).where(RoadSegmentSurvey.city_id == city_id)
    if filters.get("since") is not None:
        driven = driven.where(RoadSegmentSurvey.driven_at >= filters["since"])
    if filters.get("until") is not None:
        driven = driven.where(RoadSegmentSurvey.driven_at <= filters["until"])
    surveyed = set(session.scalars(driven.distinct())) & ids
    lengths = {r.id: r.length_m for r in session.scalars(select(RoadSegmentRow).where(RoadSegmentRow.id.in_(surveyed)))}
    return Filtered(
        totals=totals,
        districts=districts,
        roads=roads,
        surveyed_km=sum(lengths.values()) / 1000.0,
        measured_in_window=measured,
        filters={k: v for k, v in filters.items() if v is not None},
    )


def survey_span(session: Session, city_id: int) -> tuple[datetime | None, datetime | None]:
    """The first and last drive of the city's surveys (what a date filter can find)."""
    first, last = session.execute(
        select(func.min(RoadSegmentSurvey.driven_at), func.max(RoadSegmentSurvey.driven_at)).where(
            RoadSegmentSurvey.city_id == city_id
        )
    ).one()
    return first, last


def summary_figures(session: Session, city: Any, given: dict[str, str | None]) -> dict[str, Any]:
    """The city's figures (the ``/summary`` of the API, the map page's): its whole network, or with the map's
    filters (``since``, ``until``, ``class``, ``district`` as given in a query) the segments they select."""
    parsed = parse_filters(given)
    if not any(v is not None for v in parsed.values()):
        return {
            "city": city.code,
            **city_totals(session, city.id).as_dict(),
            "surveyed_km": round(surveyed_km(session, city.id), 3),
            "districts": district_totals(session, city.id),
        }
    found = filtered(session, city.id, **parsed)
    return {
        "city": city.code,
        **found.totals.as_dict(),
        "surveyed_km": round(found.surveyed_km, 3),
        "districts": found.districts,
    }
