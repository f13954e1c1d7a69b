"""The stored road network of a city: OSM import into road segments, and the graph built from them.

:func:`import_network` reads an OpenStreetMap extract with
:func:`kotacerdas.network.osm.import_osm` and writes one row per segment (way piece
between junctions) with its admin area (kecamatan and desa, from the city's stored
admin areas). Segments are keyed by their stable OSM id (``w<way>:n<from>-n<to>``):
re-importing a newer extract updates them in place, adds the new ones and marks the
ones no longer present as inactive (their survey history is kept).

:func:`city_graph` builds a :class:`kotacerdas.network.graph.RoadGraph` from the
stored active segments of a city; Road Manager's map matching and bike routing use
the same function.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.core.admin_areas import city_extent
from kotacerdas.core.i18n import N_
from kotacerdas.core.imports import find_import, keyed, record_import, sha256_file
from kotacerdas.core.models import AdminArea, City, ImportBatch
from kotacerdas.network.errors import NetworkError
from kotacerdas.network.graph import RoadGraph, build_graph
from kotacerdas.network.osm import RoadSegment, import_osm
from kotacerdas.network.tables import RoadSegmentRow

NETWORK_KIND = "roads.network"


@dataclass
class NetworkImportResult:
    """What a network import did."""

    filename: str
    sha256: str
    already_imported: bool = False
    segments: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    ways_read: int = 0
    excluded: dict[str, int] = field(default_factory=dict)
    length_km: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def road_key(name: str | None, osm_way_id: int) -> str:
    """The key grouping segments into one road: its name, or ``way <id>`` when unnamed."""
    return name.strip() if name and name.strip() else f"way {osm_way_id}"


def assign_areas(session: Session, city_id: int, geoms: list) -> list[tuple[str | None, str | None]]:
    """(kecamatan code, desa code) holding the midpoint of each geometry, ``None`` where no area does."""
    out: list[tuple[str | None, str | None]] = [(None, None)] * len(geoms)
    if not geoms:
        return out
    mids = shapely.line_interpolate_point(np.array(geoms, dtype=object), 0.5, normalized=True)
    result = [[None, None] for _ in geoms]
    for slot, level in ((0, "district"), (1, "village")):
        areas = list(
            session.execute(
                select(AdminArea.code, AdminArea.geom)
                .where(AdminArea.city_id == city_id, AdminArea.level == level)
                .order_by(AdminArea.code)
            )
        )
        if not areas:
            continue
        tree = shapely.STRtree([a.geom for a in areas])
        pt_idx, area_idx = tree.query(mids, predicate="within")
        for p, a in zip(pt_idx, area_idx, strict=True):
            if result[p][slot] is None:
                result[p][slot] = areas[a].code
    return [(r[0], r[1]) for r in result]


def import_network(
    session: Session,
    city: City,
    path: str | Path,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    user_id: int | None = None,
    filename: str | None = None,
    source: str | None = None,
    force: bool = False,
) -> NetworkImportResult:
    """Import (or update) the road network of ``city`` from an OSM extract.

    Parameters
    ----------
    session:
        Open session; the caller commits (the import is one transaction).
    city:
        The city the segments belong to.
    path:
        ``.osm.pbf`` or ``.osm`` XML file (``.gz``/``.bz2`` too).
    bbox:
        Optional ``(west, south, east, north)``: only segments touching it are kept.
    filename, source:
        Recorded with the import and on each segment (``source`` defaults to ``osm:<filename>``).
    force:
        Import an extract none of whose roads touch the city (see :func:`check_overlap`).

    Returns
    -------
    NetworkImportResult
        Counts; ``already_imported`` when the same file (SHA-256) with the same box was imported before.
    """
    path = Path(path)
    name = filename or path.name
    if not path.is_file():
        raise NetworkError(N_("OpenStreetMap file {file} does not exist"), field="file", file=name)
    key = keyed(sha256_file(path), bbox)
    result = NetworkImportResult(filename=name, sha256=key)
    seen = find_import(session, city.id, NETWORK_KIND, key)
    if seen is not None:
        result.already_imported = True
        result.segments = int(seen.summary.get("segments", 0))
        return result
    osm = import_osm(path, bbox=bbox, include_tracks=True, include_bike_paths=True)
    if not osm.segments:
        raise NetworkError(N_("{file} holds no road that can be imported"), field="file", file=name)
    if not force:
        check_overlap(session, city, osm.segments, name)
    result.ways_read = osm.ways_read
    result.excluded = dict(osm.excluded)
    src = source or f"osm:{name}"
    existing = {
        row.segment_key: row for row in session.scalars(select(RoadSegmentRow).where(RoadSegmentRow.city_id == city.id))
    }
    areas = assign_areas(session, city.id, [s.geometry for s in osm.segments])
    keys = set()
    for seg, (district, village) in zip(osm.segments, areas, strict=True):
        keys.add(seg.segment_id)
        values = {
            "osm_way_id": seg.osm_way_id,
            "from_node": seg.from_node,
            "to_node": seg.to_node,
            "name": seg.name,
            "road_key": road_key(seg.name, seg.osm_way_id),
            "highway": seg.highway,
            "surface": seg.surface,
            "lanes": seg.lanes,
            "oneway": seg.oneway,
            "oneway_bicycle": seg.oneway_bicycle,
            "motor_vehicle": seg.motor_vehicle,
            "bicycle": seg.bicycle,
            "length_m": round(seg.length_m, 3),
            "district_code": district,
            "village_code": village,
            "source": src[:200],
            "active": True,
            "smoothness": seg.smoothness,
            "lit": seg.lit,
            "cycleway": seg.cycleway,
            "bicycle_access": seg.bicycle_access,
            "access": seg.access,
            "push": seg.push,
            "width_m": seg.width_m,
        }
        row = existing.get(seg.segment_id)
        if row is None:
            session.add(
                RoadSegmentRow(
                    city_id=city.id, segment_key=seg.segment_id, geom=seg.geometry, surveys_count=0, **values
                )
            )
            result.created += 1
            continue
        same_geom = row.geom is not None and row.geom.equals_exact(seg.geometry, 1e-9)
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        if changed.keys() - {"source"} or not same_geom:
            for k, v in changed.items():
                setattr(row, k, v)
            if not same_geom:
                row.geom = seg.geometry
                row.elevation = row.climb_m = row.descent_m = None  # sampled along the old line
            result.updated += 1
        else:
            row.source = values["source"]
            result.unchanged += 1
    for k, row in existing.items():
        if k not in keys and row.active:
            row.active = False
            result.retired += 1
    result.segments = len(osm.segments)
    result.length_km = round(sum(s.length_m for s in osm.segments) / 1000.0, 3)
    record_import(
        session,
        city.id,
        NETWORK_KIND,
        key,
        filename=name,
        user_id=user_id,
        summary={k: v for k, v in result.as_dict().items() if k not in ("sha256",)},
    )
    _GRAPH_CACHE.clear()
    return result


ELEVATION_KIND = "network.elevation"


@dataclass
class ElevationImportResult:
    """What an elevation import did: segments given a profile, segments the DEM does not cover."""

    filename: str
    sha256: str
    already_imported: bool = False
    segments: int = 0
    outside: int = 0
    climb_km: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def import_elevation(
    session: Session, city: City, path: str | Path, *, user_id: int | None = None, filename: str | None = None
) -> ElevationImportResult:
    """Sample a DEM GeoTIFF along every active segment of ``city`` and store the profiles (one transaction,
    the caller commits; the same file twice on the same network changes nothing)."""
    from kotacerdas.network.elevation import Dem, segment_profiles

    path = Path(path)
    name = filename or path.name
    if not path.is_file():
        raise NetworkError(N_("elevation model {file} does not exist"), field="file", file=name)
    rows = list(
        session.scalars(
            select(RoadSegmentRow)
            .where(RoadSegmentRow.city_id == city.id, RoadSegmentRow.active.is_(True))
            .order_by(RoadSegmentRow.id)
        )
    )
    if not rows:
        raise NetworkError(N_("the city has no road network to add elevations to"), field="city", status=404)
    state = session.scalar(
        select(func.max(ImportBatch.id)).where(ImportBatch.city_id == city.id, ImportBatch.kind == NETWORK_KIND)
    )
    key = keyed(sha256_file(path), [state or 0])
    result = ElevationImportResult(filename=name, sha256=key)
    if find_import(session, city.id, ELEVATION_KIND, key) is not None:
        result.already_imported = True
        return result
    dem = Dem(path)
    profiles = segment_profiles([to_segment(r) for r in rows], dem)
    for row in rows:
        prof = profiles.profiles.get(row.segment_key)
        row.elevation = prof.as_json() if prof else None
        row.climb_m = round(prof.climb_m, 2) if prof else None
        row.descent_m = round(prof.descent_m, 2) if prof else None
    result.segments = len(profiles.profiles)
    result.outside = profiles.outside
    result.climb_km = round(sum(p.climb_m for p in profiles.profiles.values()) / 1000.0, 3)
    record_import(session, city.id, ELEVATION_KIND, key, filename=name, user_id=user_id, summary=result.as_dict())
    _GRAPH_CACHE.clear()
    return result


def check_overlap(session: Session, city: City, segments: list, name: str) -> None:
    """Refuse an extract none of whose segments touch the city's extent (an extract of another city)."""
    extent = city_extent(session, city)
    if extent is None:
        return
    hit = shapely.intersects(np.array([s.geometry for s in segments], dtype=object), shapely.box(*extent))
    if hit.any():
        return
    west, south, east, north = shapely.total_bounds(np.array([s.geometry for s in segments], dtype=object))
    raise NetworkError(
        N_(
            "{file} covers {bbox}, which does not overlap city {city} ({extent}); "
            "if it is the right extract, import it with force"
        ),
        field="file",
        record=name,
        file=name,
        bbox=f"{west:.3f},{south:.3f},{east:.3f},{north:.3f}",
        city=city.code,
        extent=",".join(f"{v:.3f}" for v in extent),
    )


def to_segment(row: RoadSegmentRow) -> RoadSegment:
    """The :class:`~kotacerdas.network.osm.RoadSegment` of a stored row (``segment_id`` = stable key)."""
    return RoadSegment(
        segment_id=row.segment_key,
        osm_way_id=int(row.osm_way_id),
        from_node=int(row.from_node),
        to_node=int(row.to_node),
        name=row.name,
        highway=row.highway,
        surface=row.surface,
        lanes=row.lanes,
        oneway=int(row.oneway),
        length_m=float(row.length_m),
        geometry=row.geom,
        motor_vehicle=bool(row.motor_vehicle),
        bicycle=bool(row.bicycle),
        oneway_bicycle=int(row.oneway_bicycle),
        smoothness=row.smoothness,
        lit=row.lit,
        cycleway=row.cycleway,
        bicycle_access=row.bicycle_access,
        push=bool(row.push),
        access=row.access,
        elevation=tuple((float(d), float(z)) for d, z in row.elevation) if row.elevation else None,
        width_m=row.width_m,
    )


def stored_segments(session: Session, city_id: int, *, active_only: bool = True) -> list[RoadSegment]:
    """The stored segments of a city as :class:`~kotacerdas.network.osm.RoadSegment`, ordered by row id."""
    stmt = select(RoadSegmentRow).where(RoadSegmentRow.city_id == city_id)
    if active_only:
        stmt = stmt.where(RoadSegmentRow.active.is_(True))
    return [to_segment(r) for r in session.scalars(stmt.order_by(RoadSegmentRow.id))]


_GRAPH_CACHE: dict[tuple, RoadGraph] = {}
_GRAPH_LOCK = threading.Lock()


def network_state(session: Session, city_id: int) -> tuple[int, int | None, int | None]:
    """What a city's routable graphs are built from: active segments, the latest network and elevation imports."""
    count = session.scalar(
        select(func.count(RoadSegmentRow.id)).where(RoadSegmentRow.city_id == city_id, RoadSegmentRow.active.is_(True))
    )
    batches = dict(
        session.execute(
            select(ImportBatch.kind, func.max(ImportBatch.id))
            .where(ImportBatch.city_id == city_id, ImportBatch.kind.in_((NETWORK_KIND, ELEVATION_KIND)))
            .group_by(ImportBatch.kind)
        ).all()
    )
    return int(count or 0), batches.get(NETWORK_KIND), batches.get(ELEVATION_KIND)


def city_graph(session: Session, city_id: int, mode: str = "car") -> RoadGraph:
    """The routable graph of a city's stored active segments (``mode`` ``"car"`` or ``"bike"``).

    Built once per network state and cached in the process (the cache key is the
    database, the city, the mode, the number of active segments and the latest network and elevation imports).
    ``graph.segments[k].segment_id`` is the stored ``segment_key``.
    """
    bind = session.get_bind()
    key = (str(bind.url), id(bind), city_id, mode, *network_state(session, city_id))
    with _GRAPH_LOCK:
        graph = _GRAPH_CACHE.get(key)
    if graph is None:
        graph = build_graph(stored_segments(session, city_id), mode=mode)
        with _GRAPH_LOCK:
            if len(_GRAPH_CACHE) > 16:
                _GRAPH_CACHE.clear()
            _GRAPH_CACHE[key] = graph
    return graph


def segment_ids_by_key(session: Session, city_id: int) -> dict[str, int]:
    """Stored row id of each segment key of a city."""
    return dict(
        session.execute(
            select(RoadSegmentRow.segment_key, RoadSegmentRow.id).where(RoadSegmentRow.city_id == city_id)
        ).all()
    )


def lines_in_bbox(
    session: Session, city_id: int, bbox: tuple[float, float, float, float], *, limit: int = 20_000
) -> list[tuple[str, list[tuple[float, float]]]]:
    """``(highway, coordinates)`` of the active segments crossing ``(west, south, east, north)`` (for maps drawn
    without tiles), at most ``limit``, longest roads first."""
    from kotacerdas.core.geometry import BBox
    from kotacerdas.core.spatial import where_in_bbox

    stmt = select(RoadSegmentRow.highway, RoadSegmentRow.geom).where(
        RoadSegmentRow.city_id == city_id, RoadSegmentRow.active.is_(True)
    )
    stmt = where_in_bbox(session, stmt, RoadSegmentRow, BBox(*bbox)).order_by(RoadSegmentRow.length_m.desc())
    return [(h, list(g.coords)) for h, g in session.execute(stmt.limit(limit))]
