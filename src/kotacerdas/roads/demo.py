"""Road Manager demo data: a generated road network in Banyuwangi town and simulated surveys.

Everything here is **generated**, offline and reproducible:

* the network is a grid-ish set of streets around Banyuwangi town (about -8.219,
  114.369) with two arterials, written as an OpenStreetMap XML file (names
  ``Jl. Demo …``, OSM-like tags, ``source=kotacerdas demo (generated)``) and imported
  through the same path as a real extract. When a real extract is cached in
  ``<data dir>/cache/osm/`` (``kotacerdas data fetch osm``), that one is used instead;
* every segment gets a fixed roughness (drawn from its id), so surveys agree with each other;
* three patrol vehicles (two calibrated on a simulated reference drive, one not) drive
  simulated surveys (:mod:`kotacerdas.roads.simulator`) on dates through the year; each
  drive is written as a survey package and imported like an upload.

Loading twice changes nothing (the network and each survey are found by their hash).
"""

from __future__ import annotations

import hashlib
import math
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
from shapely.geometry import LineString
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.accounts import get_city
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.network.graph import RoadGraph
from kotacerdas.roads.profiles import Section, sectioned_profile
from kotacerdas.roads.service import calibrate_vehicle, ensure_vehicle, import_survey_file
from kotacerdas.roads.simulator import SimulationConfig, simulate_survey
from kotacerdas.roads.store import city_graph, import_network
from kotacerdas.roads.survey_formats import write_survey_package
from kotacerdas.roads.tables import RoadSurvey, RoadVehicle

CITY = "35.10"
CENTER = (114.3689, -8.2192)
GENERATED_SOURCE = "generated"
SPACING_M = 260.0
COLS, ROWS = 9, 7
#: (vehicle id, name, simulator preset, calibrated in the demo)
VEHICLES = [
    ("BWI-PATROL-01", "Patroli jalan 01 (sedan)", "sedan", True),
    ("BWI-PATROL-02", "Patroli jalan 02 (pick-up)", "pickup", True),
    ("BWI-PATROL-03", "Patroli jalan 03 (SUV)", "suv", False),
]
#: (vehicle id, start date in UTC, waypoints in metres (east, north) from the centre)
SURVEYS = [
    (
        "BWI-PATROL-01",
        datetime(2025, 3, 4, 1, 0, tzinfo=UTC),
        [(-1040, 0), (1040, 0), (1040, -780), (0, -780), (0, 780)],
    ),
    (
        "BWI-PATROL-02",
        datetime(2025, 5, 12, 1, 30, tzinfo=UTC),
        [(-1040, -780), (-1040, 780), (1040, 780), (1040, 260)],
    ),
    ("BWI-PATROL-03", datetime(2025, 6, 23, 2, 0, tzinfo=UTC), [(-520, -780), (-520, 780), (520, 780), (520, -780)]),
    (
        "BWI-PATROL-01",
        datetime(2025, 8, 18, 1, 0, tzinfo=UTC),
        [(-1040, 260), (1040, 260), (1040, -260), (-1040, -260)],
    ),
    (
        "BWI-PATROL-02",
        datetime(2025, 10, 6, 0, 45, tzinfo=UTC),
        [(-1040, 520), (1040, 520), (1040, -520), (-1040, -520)],
    ),
]
CALIBRATION_ROUTE = [(-1040, 0), (1040, 0), (1040, 520), (-1040, 520)]
CALIBRATION_DATE = datetime(2025, 2, 3, 1, 0, tzinfo=UTC)

#: log-uniform range of the profile's Gd(n0) (m³) per kind of road: arterials smooth, lanes rough.
ROUGHNESS = {
    "primary": (4e-6, 2.5e-5),
    "secondary": (8e-6, 6e-5),
    "tertiary": (1.5e-5, 2e-4),
    "unpaved": (2e-4, 1.4e-3),
}
DEFAULT_ROUGHNESS = (2e-5, 7e-4)


def _offset(east_m: float, north_m: float, center: tuple[float, float] = CENTER) -> tuple[float, float]:
    lon0, lat0 = center
    return (lon0 + east_m / (111_320.0 * math.cos(math.radians(lat0))), lat0 + north_m / 110_574.0)


def generated_osm_xml(
    center: tuple[float, float] = CENTER, cols: int = COLS, rows: int = ROWS, spacing_m: float = SPACING_M
) -> bytes:
    """A generated street grid as OpenStreetMap XML (deterministic): two arterials, collectors and lanes."""
    rng = np.random.default_rng(35_10)
    nodes: dict[tuple[int, int], int] = {}
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", "<osm version='0.6' generator='kotacerdas demo (generated)'>"]
    mid_c, mid_r = cols // 2, rows // 2
    for r in range(rows):
        for c in range(cols):
            nid = 1_000_000 + r * 100 + c
            jitter = rng.normal(0.0, 12.0, 2) if (r, c) != (mid_r, mid_c) else np.zeros(2)
            lon, lat = _offset((c - mid_c) * spacing_m + jitter[0], (r - mid_r) * spacing_m + jitter[1], center)
            nodes[(r, c)] = nid
            lines.append(f"  <node id='{nid}' version='1' lat='{lat:.7f}' lon='{lon:.7f}'/>")
    street = 0

    def way(wid: int, refs: list[int], tags: dict[str, str]) -> None:
        lines.append(f"  <way id='{wid}' version='1'>")
        lines.extend(f"    <nd ref='{n}'/>" for n in refs)
        tags = {**tags, "source": "kotacerdas demo (generated)"}
        lines.extend(f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in sorted(tags.items()))
        lines.append("  </way>")

    for r in range(rows):
        refs = [nodes[(r, c)] for c in range(cols)]
        if r == mid_r:
            tags = {"highway": "primary", "name": "Jl. Demo Raya 1", "lanes": "4", "surface": "asphalt"}
        else:
            street += 1
            kind = "tertiary" if r in (0, rows - 1) else "residential"
            surface = "unpaved" if r == 1 else ("concrete" if r % 2 else "asphalt")
            tags = {"highway": kind, "name": f"Jl. Demo {street}", "lanes": "2", "surface": surface}
        way(2_000_000 + r, refs, tags)
    for c in range(cols):
        refs = [nodes[(r, c)] for r in range(rows)]
        if c == mid_c:
            tags = {"highway": "secondary", "name": "Jl. Demo Raya 2", "lanes": "2", "surface": "asphalt"}
        else:
            street += 1
            tags = {"highway": "residential", "name": f"Jl. Demo {street}", "surface": "asphalt"}
            if c == 1:
                tags["oneway"] = "yes"
            if c == cols - 2:
                tags["surface"] = "paving_stones"
        way(2_100_000 + c, refs, tags)
    lines.append("</osm>")
    return ("\n".join(lines) + "\n").encode()


def cached_extract(cache_dir: Path) -> Path | None:
    """The newest OSM extract cached by ``kotacerdas data fetch osm``, if any."""
    folder = cache_dir / "osm"
    if not folder.is_dir():
        return None
    files = [p for p in folder.iterdir() if p.is_file() and p.name.endswith((".osm", ".osm.pbf", ".pbf", ".osm.gz"))]
    return max(files, key=lambda p: p.stat().st_mtime) if files else None


def segment_roughness(segment_key: str, highway: str, surface: str | None) -> float:
    """The fixed Gd(n0) (m³) of a segment in the demo, drawn from its id."""
    u = int.from_bytes(hashlib.sha256(segment_key.encode()).digest()[:8], "big") / 2.0**64
    kind = "unpaved" if surface in ("unpaved", "gravel", "dirt", "ground") else highway
    lo, hi = ROUGHNESS.get(kind, DEFAULT_ROUGHNESS)
    return float(np.exp(np.log(lo) + u * (np.log(hi) - np.log(lo))))


def route_through(
    graph: RoadGraph, waypoints: list[tuple[float, float]], center: tuple[float, float] = CENTER
) -> tuple[list[LineString], list[Section]] | None:
    """The geometry driven through ``waypoints`` (metres from the centre) and its roughness sections."""
    pts = [_offset(e, n, center) for e, n in waypoints]
    ids, dist = graph.nearest_nodes(np.array([p[0] for p in pts]), np.array([p[1] for p in pts]))
    if np.any(dist > 400.0):
        return None
    parts: list[LineString] = []
    sections: list[Section] = []
    pos = 0.0
    for a, b in zip(ids[:-1], ids[1:], strict=True):
        route = graph.shortest_path(int(a), int(b))
        if route is None:
            return None
        for key, forward in route.segments:
            seg = graph.segments[graph.segment_index[key]]
            geom = seg.geometry if forward else LineString(list(seg.geometry.coords)[::-1])
            parts.append(geom)
            sections.append(Section(pos, pos + seg.length_m, segment_roughness(key, seg.highway, seg.surface)))
            pos += seg.length_m
    if not parts:
        return None
    last = sections[-1]
    sections[-1] = Section(last.from_m, last.to_m + 200.0, last.gd_n0)
    return parts, sections


def _simulate(graph: RoadGraph, waypoints, vehicle: str, start: datetime, seed: int):
    route = route_through(graph, waypoints)
    if route is None:
        return None
    parts, sections = route
    profile = sectioned_profile(sections, seed=seed)
    cfg = SimulationConfig(
        vehicle=vehicle,
        speed_kmh=(25.0, 55.0),
        gps_noise_m=5.0,
        potholes_per_km=2.0,
        bumps_per_km=1.0,
        start_time=start.timestamp(),
    )
    return simulate_survey(parts, profile=profile, config=cfg, seed=seed)


def _load_network(session: Session, city, cache_dir: Path | None) -> dict:
    extract = cached_extract(cache_dir) if cache_dir is not None else None
    if extract is not None:
        try:
            result = import_network(session, city, extract, source=f"osm:{extract.name}")
            return {"source": f"osm:{extract.name}", **result.as_dict()}
        except KotacerdasError:
            pass  # an unreadable cached file: fall back to the generated network
    with tempfile.TemporaryDirectory(prefix="kc-demo-") as tmp:
        path = Path(tmp) / "demo-banyuwangi-generated.osm"
        path.write_bytes(generated_osm_xml())
        result = import_network(session, city, path, source=GENERATED_SOURCE)
    return {"source": GENERATED_SOURCE, **result.as_dict()}


def load_demo(session: Session, cache_dir: Path | None = None) -> dict:
    """Add the Road Manager demo (network, vehicles, calibrations, surveys) to city 35.10."""
    if cache_dir is None:
        from kotacerdas.core.config import get_settings

        cache_dir = get_settings().cache_dir
    city = get_city(session, CITY)
    summary: dict = {"network": _load_network(session, city, cache_dir), "vehicles": [], "surveys": []}
    graph = city_graph(session, city.id)
    if not graph.segments:
        return summary
    presets = {code: preset for code, _n, preset, _c in VEHICLES}
    with tempfile.TemporaryDirectory(prefix="kc-demo-") as tmp:
        folder = Path(tmp)
        for k, (code, name, preset, calibrated) in enumerate(VEHICLES):
            vehicle = ensure_vehicle(session, city.id, code, name)
            if calibrated and not vehicle.calibrated:
                sim = _simulate(graph, CALIBRATION_ROUTE, preset, CALIBRATION_DATE + timedelta(days=k), 900 + k)
                if sim is not None:
                    streams, truth = sim
                    streams.vehicle_id = code
                    package = write_survey_package(streams, folder / f"calibration-{code}.zip")
                    reference = folder / f"reference-{code}.csv"
                    reference.write_text(truth.reference_csv())
                    calibrate_vehicle(session, city, code, package, reference)
            summary["vehicles"].append({"id": code, "calibrated": vehicle.calibrated})
        for k, (code, start, waypoints) in enumerate(SURVEYS):
            vehicle = session.scalar(
                select(RoadVehicle).where(RoadVehicle.city_id == city.id, RoadVehicle.code == code)
            )
            done = session.scalar(
                select(RoadSurvey.id).where(
                    RoadSurvey.city_id == city.id,
                    RoadSurvey.vehicle_id == vehicle.id,
                    RoadSurvey.started_at >= start - timedelta(seconds=5),
                    RoadSurvey.started_at <= start + timedelta(seconds=60),
                )
            )
            if done is not None:
                summary["surveys"].append({"survey_id": done, "already_imported": True})
                continue
            sim = _simulate(graph, waypoints, presets[code], start, 100 + k)
            if sim is None:
                continue
            streams, _truth = sim
            streams.vehicle_id = code
            package = write_survey_package(
                streams, folder / f"survey-{start:%Y%m%d}-{code}.zip", device="kotacerdas simulator (demo)"
            )
            result = import_survey_file(session, city, package, code, filename=package.name)
            summary["surveys"].append(
                {
                    "survey_id": result.survey_id,
                    "vehicle": code,
                    "started_at": result.started_at,
                    "measured_m": result.measured_m,
                }
            )
    return summary
