"""Road Manager demo data: a generated road network in Banyuwangi town and simulated surveys.

Everything here is **generated**, offline and reproducible:

* the network is the demo network of :mod:`kotacerdas.network.demo` (generated streets of
  Banyuwangi town, or a cached real extract);
* every segment gets a fixed roughness (drawn from its id), so surveys agree with each other;
* three patrol vehicles (two calibrated on a simulated reference drive, one not) drive
  simulated surveys (:mod:`kotacerdas.roads.simulator`) on dates through the year; each
  drive is written as a survey package and imported like an upload.

Road damage (:mod:`kotacerdas.roads.demo_damage`): the real detector over real road images when a model and images
are at hand, else generated records labelled demo.

Loading twice changes nothing (the network and each survey are found by their hash).
"""

from __future__ import annotations

import hashlib
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from shapely.geometry import LineString
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.accounts import get_city
from kotacerdas.network.demo import CENTER, load_network, offset
from kotacerdas.network.graph import RoadGraph
from kotacerdas.network.store import city_graph
from kotacerdas.roads.formats.survey import write_survey_package
from kotacerdas.roads.profiles import Section, sectioned_profile
from kotacerdas.roads.services.surveys import import_survey_file
from kotacerdas.roads.services.vehicles import calibrate_vehicle, ensure_vehicle
from kotacerdas.roads.simulator import SimulationConfig, simulate_survey
from kotacerdas.roads.store.tables import RoadSurvey, RoadVehicle

CITY = "35.10"
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
    pts = [offset(e, n, center) for e, n in waypoints]
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


def simulate_drive(graph: RoadGraph, waypoints, vehicle: str, start: datetime, seed: int):
    """A drive through ``waypoints`` (metres east, north of the centre) simulated on the demo roughness of each
    segment: ``(streams, ground truth)``, or ``None`` when no route joins them."""
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


def load_demo(session: Session, cache_dir: Path | None = None, data_dir: Path | None = None) -> dict:
    """Add the Road Manager demo (network, vehicles, calibrations, surveys, road damage) to city 35.10.

    ``data_dir`` (where damage crops go) defaults to the folder holding ``cache_dir``, as in the settings."""
    if cache_dir is None:
        from kotacerdas.core.config import get_settings

        cache_dir = get_settings().cache_dir
    data_dir = data_dir or cache_dir.parent
    city = get_city(session, CITY)
    summary: dict = {"network": load_network(session, city, cache_dir), "vehicles": [], "surveys": []}
    graph = city_graph(session, city.id)
    if not graph.segments:
        return summary
    presets = {code: preset for code, _n, preset, _c in VEHICLES}
    with tempfile.TemporaryDirectory(prefix="kc-demo-") as tmp:
        folder = Path(tmp)
        for k, (code, name, preset, calibrated) in enumerate(VEHICLES):
            vehicle = ensure_vehicle(session, city.id, code, name)
            if calibrated and not vehicle.calibrated:
                sim = simulate_drive(graph, CALIBRATION_ROUTE, preset, CALIBRATION_DATE + timedelta(days=k), 900 + k)
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
            sim = simulate_drive(graph, waypoints, presets[code], start, 100 + k)
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
    from kotacerdas.roads.demo_damage import load_damage_demo

    summary["damage"] = load_damage_demo(session, city, data_dir)
    return summary
