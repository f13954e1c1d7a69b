"""OpenStreetMap import: road ways split at junctions into road segments.

An OpenStreetMap extract (``.osm.pbf`` or ``.osm`` XML, optionally ``.gz``/``.bz2``) is
read with pyosmium. Every way whose ``highway`` tag is a road class is cut into
*segments*: one piece of way between two junctions, where a junction is a node that
another selected way (or the same way a second time) also uses, or an end of the way.
Each segment gets a stable id built from the OSM way id and its two end nodes,
``"w123:n45-n67"``, so importing a newer extract keeps the id of every segment whose
way and end nodes did not change.

Lengths are geodesic (WGS84 ellipsoid, :class:`pyproj.Geod`). Geometry is a Shapely
``LineString`` in longitude/latitude order, in the direction of the OSM way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import osmium
import shapely
from pyproj import Geod
from shapely.geometry import LineString

from kotacerdas.core.i18n import N_
from kotacerdas.network.errors import NetworkError

#: Highway classes open to motor vehicles, imported by default.
ROAD_CLASSES: tuple[str, ...] = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "road",
)
#: Unpaved agricultural and forest roads, imported when ``include_tracks`` is set.
TRACK_CLASSES: tuple[str, ...] = ("track",)
#: Ways for bicycles (and people on foot), imported when ``include_bike_paths`` is set. ``path``,
#: ``footway``, ``pedestrian`` and ``bridleway`` only count when tagged ``bicycle=yes|designated|permissive``
#: (or ``dismount``: pushed); ``steps`` always count, as a way a bicycle is carried or pushed along.
BIKE_CLASSES: tuple[str, ...] = ("cycleway", "path", "footway", "pedestrian", "bridleway", "steps")
#: The ``highway`` value given to ferry routes (``route=ferry``), imported when ``include_bike_paths`` is set.
FERRY = "ferry"

_NO_MOTOR = ("cycleway", "path", "footway", "pedestrian", "bridleway", "steps", FERRY)
#: Indonesian law keeps bicycles off toll roads (``motorway``); trunk roads are open to them.
_NO_BICYCLE = ("motorway", "motorway_link")
_BIKE_OK = ("yes", "designated", "permissive", "use_sidepath", "dismount", "official")
_BIKE_WAY_OK = ("yes", "designated", "permissive", "dismount", "official")
_CLOSED = ("no", "private", "agricultural", "forestry", "delivery")
_CYCLEWAY_RANK = {"track": 3, "opposite_track": 3, "lane": 2, "opposite_lane": 2, "shared_lane": 1, "share_busway": 1}
_CYCLEWAY_KEYS = ("cycleway", "cycleway:both", "cycleway:left", "cycleway:right")
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class RoadSegment:
    """One piece of an OSM way between two junctions (or a junction and a way end).

    Attributes
    ----------
    segment_id:
        Stable id ``"w<way>:n<from>-n<to>"`` (a ``"#2"`` suffix only when the same way
        runs between the same two nodes twice).
    osm_way_id, from_node, to_node:
        The OSM way and its end nodes, in the direction of the way.
    name, highway, surface, lanes:
        From the way's tags (``None`` where untagged; ``lanes`` only when an integer).
    oneway:
        ``0`` both directions, ``1`` only along the geometry, ``-1`` only against it
        (``oneway=-1``). ``junction=roundabout`` and ``highway=motorway`` imply ``1``.
    oneway_bicycle:
        The same for bicycles (``oneway:bicycle`` where tagged, else ``oneway``).
    length_m:
        Geodesic length in metres.
    geometry:
        ``LineString`` of (lon, lat) in the direction of the way.
    motor_vehicle, bicycle:
        Whether cars and bicycles may use the segment (from highway class and
        ``access``, ``motor_vehicle``, ``bicycle`` tags).
    node_ids:
        The OSM node ids along the segment, ends included.
    smoothness, access:
        The way's ``smoothness`` and ``access`` tags (``None`` where untagged).
    lit:
        ``lit=yes`` (``True``), ``lit=no`` (``False``), untagged (``None``).
    cycleway:
        The best bicycle infrastructure along the way: ``"track"``, ``"lane"`` or ``"shared_lane"``
        (from ``cycleway``, ``cycleway:both|left|right``; ``opposite_*`` counts), ``None`` when none.
    bicycle_access:
        The ``bicycle`` tag (``"designated"``, ``"yes"``, ``"dismount"`` ...), ``None`` where untagged.
    push:
        The bicycle is pushed or carried here (``highway=steps``, ``bicycle=dismount``): passable, at
        walking pace plus a cost (see :mod:`kotacerdas.network.profiles`).
    elevation:
        ``((distance_m, elevation_m), ...)`` along the segment in its direction, from a DEM (see
        :mod:`kotacerdas.network.elevation`); ``None`` when unknown.
    width_m:
        The way's ``width`` in metres (``7``, ``7 m``, ``7.5``, ``7,5``; ``None`` where untagged, or in other units,
        or not between 1 and 60 m): the carriageway width Road Manager's SDI needs.
    """

    segment_id: str
    osm_way_id: int
    from_node: int
    to_node: int
    name: str | None
    highway: str
    surface: str | None
    lanes: int | None
    oneway: int
    length_m: float
    geometry: LineString = field(compare=False)
    motor_vehicle: bool = True
    bicycle: bool = True
    oneway_bicycle: int = 0
    node_ids: tuple[int, ...] = field(default=(), compare=False)
    smoothness: str | None = None
    lit: bool | None = None
    cycleway: str | None = None
    bicycle_access: str | None = None
    push: bool = False
    access: str | None = None
    elevation: tuple[tuple[float, float], ...] | None = field(default=None, compare=False)
    width_m: float | None = None


@dataclass
class OsmImport:
    """The result of :func:`import_osm`: the segments and what was left out, and why.

    ``excluded`` counts, per reason, things that could not be imported:
    ``"missing_node_location"`` (way nodes absent from a clipped extract: the way is
    cut there and a piece left with one located node is dropped), ``"outside_bbox"``
    (segments dropped by the bounding box), ``"implausible_length"`` (a piece longer than
    :data:`MAX_SEGMENT_M` between two junctions: a node's coordinate is garbled).
    """

    segments: list[RoadSegment]
    ways_read: int = 0
    excluded: dict[str, int] = field(default_factory=dict)


@dataclass
class _Way:
    way_id: int
    tags: dict[str, str]
    refs: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    valid: np.ndarray


#: Longest piece of road between two junctions accepted (m); a longer one has a node in the wrong place.
MAX_SEGMENT_M = 50_000.0


def _parse_oneway(value: str | None, implied: bool) -> int:
    if value is None:
        return 1 if implied else 0
    v = value.strip().lower()
    if v in ("yes", "true", "1"):
        return 1
    if v in ("-1", "reverse"):
        return -1
    if v in ("no", "false", "0"):
        return 0
    return 1 if implied else 0


def _parse_lanes(value: str | None) -> int | None:
    if not value:
        return None
    head = value.split(";")[0].strip()
    return int(head) if head.isdigit() else None


def _parse_width(value: str | None) -> float | None:
    """Metres from a ``width`` tag (``7``, ``7 m``, ``7.5``, ``7,5``); ``None`` for feet, ranges or a width no
    carriageway has."""
    if not value:
        return None
    text = value.split(";")[0].strip().lower().removesuffix("m").strip().replace(",", ".")
    try:
        width = float(text)
    except ValueError:
        return None
    return width if math.isfinite(width) and 1.0 <= width <= 60.0 else None


def _road_kind(tags: dict[str, str], include_tracks: bool, include_bike_paths: bool) -> str | None:
    highway = tags.get("highway")
    if highway in ROAD_CLASSES:
        return highway
    if include_tracks and highway in TRACK_CLASSES:
        return highway
    if include_bike_paths and highway in BIKE_CLASSES:
        if highway in ("cycleway", "steps") or tags.get("bicycle") in _BIKE_WAY_OK:
            return highway
    if include_bike_paths and highway is None and tags.get("route") == FERRY:
        return FERRY
    return None


def _parse_lit(value: str | None) -> bool | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v in ("no", "false", "0", "disused"):
        return False
    return True  # yes, 24/7, automatic, sunset-sunrise, limited, interval ...


def _cycleway(tags: dict[str, str]) -> tuple[str | None, bool]:
    """The best cycleway along the way, and whether one runs against a one-way street (``opposite*``)."""
    best, rank, opposite = None, 0, False
    for key in _CYCLEWAY_KEYS:
        value = tags.get(key)
        if not value:
            continue
        if value.startswith("opposite"):
            opposite = True
        r = _CYCLEWAY_RANK.get(value, 0)
        if r > rank:
            best, rank = value.removeprefix("opposite_"), r
    return best, opposite


def _bicycle_allowed(tags: dict[str, str], highway: str) -> bool:
    """Whether a bicycle may use the way (ridden or pushed), from its class and access tags."""
    bicycle_tag = tags.get("bicycle")
    if bicycle_tag is not None:
        return bicycle_tag in _BIKE_OK
    if highway in _NO_BICYCLE:
        return False
    return tags.get("vehicle", tags.get("access")) not in _CLOSED


def _bike_oneway(tags: dict[str, str], oneway: int) -> int:
    """The one-way rule for bicycles: ``oneway:bicycle`` where tagged, ``0`` with a contraflow cycleway."""
    ob_tag = tags.get("oneway:bicycle")
    if ob_tag is not None:
        return _parse_oneway(ob_tag, False)
    if oneway != 0 and _cycleway(tags)[1]:
        return 0
    return oneway


def _validate_bbox(bbox: tuple[float, float, float, float] | None) -> None:
    if bbox is None:
        return
    if len(bbox) != 4 or not all(isinstance(v, int | float) and math.isfinite(v) for v in bbox):
        raise NetworkError(N_("a bounding box needs four finite numbers"), field="bbox")
    min_lon, min_lat, max_lon, max_lat = bbox
    if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
        raise NetworkError(
            N_("bounding box {bbox} is not (min_lon, min_lat, max_lon, max_lat) in degrees"),
            field="bbox",
            bbox=tuple(bbox),
        )


def _read_ways(path: Path, include_tracks: bool, include_bike_paths: bool) -> tuple[list[_Way], int]:
    if not path.is_file():
        raise NetworkError(N_("OpenStreetMap file {file} does not exist"), field="file", file=path.name)
    ways: list[_Way] = []
    read = 0
    try:
        processor = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
            .with_filter(osmium.filter.KeyFilter("highway", "route"))
        )
        for way in processor:
            read += 1
            tags = {t.k: t.v for t in way.tags}
            if _road_kind(tags, include_tracks, include_bike_paths) is None:
                continue
            n = len(way.nodes)
            refs = np.empty(n, dtype=np.int64)
            lon = np.full(n, np.nan)
            lat = np.full(n, np.nan)
            for i, nd in enumerate(way.nodes):
                refs[i] = nd.ref
                loc = nd.location
                if loc.valid():
                    lon[i] = loc.lon
                    lat[i] = loc.lat
            keep = np.ones(n, dtype=bool)
            keep[1:] = refs[1:] != refs[:-1]  # a node repeated in a row adds nothing
            ways.append(_Way(way.id, tags, refs[keep], lon[keep], lat[keep], ~np.isnan(lon[keep])))
    except NetworkError:
        raise
    except (RuntimeError, ValueError, OSError, osmium.InvalidLocationError) as exc:
        raise NetworkError(
            N_("cannot read OpenStreetMap file {file}: {reason}"),
            field="file",
            file=path.name,
            reason=str(exc).strip() or type(exc).__name__,
        ) from exc
    return ways, read


def import_osm(
    path: str | Path,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    include_tracks: bool = False,
    include_bike_paths: bool = False,
) -> OsmImport:
    """Read the road segments of an OpenStreetMap extract.

    Parameters
    ----------
    path:
        ``.osm.pbf``, ``.osm`` (XML) or compressed ``.osm.gz``/``.osm.bz2`` file.
    bbox:
        Optional ``(min_lon, min_lat, max_lon, max_lat)``; only segments that touch it
        are kept. Ways are split before the filter, so ids match an unfiltered import.
    include_tracks:
        Also import ``highway=track``.
    include_bike_paths:
        Also import cycleways and paths/footways tagged for bicycles (see
        :data:`BIKE_CLASSES`); these have ``motor_vehicle=False``. Junctions are found
        among the selected ways, so segment ids are stable for the same options.

    Returns
    -------
    OsmImport
        Segments in file order (way by way, along each way) and exclusion counts.

    Raises
    ------
    NetworkError
        The file is missing or malformed, or the bounding box is invalid.
    """
    _validate_bbox(bbox)
    path = Path(path)
    ways, read = _read_ways(path, include_tracks, include_bike_paths)
    excluded = {"missing_node_location": 0, "outside_bbox": 0}

    # Junctions: nodes used more than once among all selected ways.
    if ways:
        all_refs = np.concatenate([w.refs for w in ways])
        uniq, counts = np.unique(all_refs, return_counts=True)
        junctions = uniq[counts > 1]
    else:
        junctions = np.empty(0, dtype=np.int64)

    pieces: list[tuple[_Way, int, int]] = []  # (way, start index, end index inclusive)
    for w in ways:
        excluded["missing_node_location"] += int((~w.valid).sum())
        is_cut = np.isin(w.refs, junctions)
        start = None
        for i in range(w.refs.size):
            if not w.valid[i]:
                if start is not None and i - 1 > start:
                    pieces.append((w, start, i - 1))
                start = None
                continue
            if start is None:
                start = i
                continue
            if is_cut[i] or i == w.refs.size - 1:
                pieces.append((w, start, i))
                start = i
    segments = _build_segments(pieces)
    long = [s for s in segments if s.length_m > MAX_SEGMENT_M]
    if long:  # a node whose coordinate the file garbled (osmium reads an unreadable number as 0)
        excluded["implausible_length"] = len(long)
        segments = [s for s in segments if s.length_m <= MAX_SEGMENT_M]
    if bbox is not None and segments:
        box = shapely.box(*bbox)
        hit = shapely.intersects(np.array([s.geometry for s in segments], dtype=object), box)
        excluded["outside_bbox"] = int((~hit).sum())
        segments = [s for s, h in zip(segments, hit, strict=True) if h]
    return OsmImport(segments=segments, ways_read=read, excluded={k: v for k, v in excluded.items() if v})


def _build_segments(pieces: list[tuple[_Way, int, int]]) -> list[RoadSegment]:
    if not pieces:
        return []
    lon = np.concatenate([w.lon[a : b + 1] for w, a, b in pieces])
    lat = np.concatenate([w.lat[a : b + 1] for w, a, b in pieces])
    sizes = np.array([b - a + 1 for _, a, b in pieces])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    _, _, step = _GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    step = np.concatenate([step, [0.0]])
    last = starts + sizes - 1
    step[last] = 0.0  # no step from a piece's last point into the next piece
    lengths = np.add.reduceat(step, starts)
    coords = np.column_stack([lon, lat])
    geoms = shapely.linestrings(coords, indices=np.repeat(np.arange(len(pieces)), sizes))

    seen: dict[str, int] = {}
    out: list[RoadSegment] = []
    for k, (w, a, b) in enumerate(pieces):
        fnode, tnode = int(w.refs[a]), int(w.refs[b])
        sid = f"w{w.way_id}:n{fnode}-n{tnode}"
        seen[sid] = seen.get(sid, 0) + 1
        if seen[sid] > 1:
            sid = f"{sid}#{seen[sid]}"
        out.append(_segment(w, a, b, sid, float(lengths[k]), geoms[k]))
    return out


def _segment(w: _Way, a: int, b: int, sid: str, length_m: float, geometry: LineString) -> RoadSegment:
    tags = w.tags
    highway = tags.get("highway") or FERRY
    implied = highway == "motorway" or tags.get("junction") in ("roundabout", "circular")
    oneway = _parse_oneway(tags.get("oneway"), implied)
    access = tags.get("access")
    motor_tag = tags.get("motor_vehicle", tags.get("vehicle", access))
    if highway == FERRY:
        motor = tags.get("motor_vehicle", tags.get("motorcar")) == "yes"
    else:
        motor = highway not in _NO_MOTOR and motor_tag != "no"
    bicycle_tag = tags.get("bicycle")
    cycleway, _ = _cycleway(tags)
    return RoadSegment(
        segment_id=sid,
        osm_way_id=int(w.way_id),
        from_node=int(w.refs[a]),
        to_node=int(w.refs[b]),
        name=tags.get("name"),
        highway=highway,
        surface=tags.get("surface"),
        lanes=_parse_lanes(tags.get("lanes")),
        oneway=oneway,
        length_m=length_m,
        geometry=geometry,
        motor_vehicle=bool(motor),
        bicycle=_bicycle_allowed(tags, highway),
        oneway_bicycle=_bike_oneway(tags, oneway),
        node_ids=tuple(int(r) for r in w.refs[a : b + 1]),
        smoothness=tags.get("smoothness"),
        lit=_parse_lit(tags.get("lit")),
        cycleway=cycleway,
        bicycle_access=bicycle_tag,
        push=highway == "steps" or bicycle_tag == "dismount",
        access=access,
        width_m=_parse_width(tags.get("width")),
    )


def read_osm(
    path: str | Path,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    include_tracks: bool = False,
    include_bike_paths: bool = False,
) -> list[RoadSegment]:
    """The road segments of an OpenStreetMap extract (see :func:`import_osm`)."""
    return import_osm(path, bbox=bbox, include_tracks=include_tracks, include_bike_paths=include_bike_paths).segments


def segments_by_id(segments: Iterable[RoadSegment]) -> dict[str, RoadSegment]:
    """Index segments by their stable id."""
    return {s.segment_id: s for s in segments}
