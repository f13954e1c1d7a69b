"""Fixtures of the Road Manager integration tests: a generated OSM grid, simulated survey packages,
and a seeded database with the network imported in Banyuwangi (35.10)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from kotacerdas.network.graph import build_graph
from kotacerdas.network.osm import read_osm
from kotacerdas.roads import demo


def simulate_package(
    osm: Path,
    target: Path,
    waypoints,
    *,
    vehicle: str = "sedan",
    seed: int = 1,
    start: datetime = datetime(2025, 4, 1, 1, 0, tzinfo=UTC),
):
    """Simulate a drive through ``waypoints`` (metres from the centre) and write it as a survey package."""
    from kotacerdas.roads.formats.survey import write_survey_package

    graph = build_graph(read_osm(osm))
    streams, truth = demo.simulate_drive(graph, waypoints, vehicle, start, seed)
    write_survey_package(streams, target)
    return target, truth


def chained_route(graph, length_m: float, seed: int):
    """Segment geometries of random shortest paths chained end to start, and (segment id, length) in order."""
    import numpy as np
    from shapely.geometry import LineString

    rng = np.random.default_rng(seed)
    parts, keys, total = [], [], 0.0
    here = int(rng.choice(graph.node_ids))
    for _ in range(400):
        if total >= length_m:
            break
        there = int(rng.choice(graph.node_ids))
        route = graph.shortest_path(here, there) if there != here else None
        if route is None or route.length_m < 150.0:
            continue
        for key, forward in route.segments:
            seg = graph.segments[graph.segment_index[key]]
            parts.append(seg.geometry if forward else LineString(list(seg.geometry.coords)[::-1]))
            keys.append((key, seg.length_m))
        total += route.length_m
        here = there
    return parts, keys


@pytest.fixture(scope="session")
def roads_survey(roads_osm, tmp_path_factory) -> Path:
    """A simulated survey package (about 1.5 km along the grid)."""
    target = tmp_path_factory.mktemp("roads-survey") / "drive.zip"
    return simulate_package(roads_osm, target, [(-520, 0), (520, 0), (520, 260), (-520, 260)])[0]


@pytest.fixture(scope="session")
def roads_survey_later(roads_osm, tmp_path_factory) -> Path:
    """A second drive over part of the same streets, a month later, by another vehicle."""
    target = tmp_path_factory.mktemp("roads-survey2") / "drive-2.zip"
    return simulate_package(
        roads_osm, target, [(-520, 0), (520, 0)], vehicle="pickup", seed=2, start=datetime(2025, 5, 6, 1, 0, tzinfo=UTC)
    )[0]


@pytest.fixture(scope="session")
def roads_calibration(roads_osm, tmp_path_factory) -> tuple[Path, Path]:
    """A calibration drive (package) and its reference CSV from the simulator's ground truth."""
    folder = tmp_path_factory.mktemp("roads-cal")
    pkg, truth = simulate_package(
        roads_osm, folder / "cal.zip", [(-520, -260), (520, -260), (520, 260), (-520, 260)], seed=7
    )
    ref = folder / "reference.csv"
    ref.write_text(truth.reference_csv())
    return pkg, ref


@pytest.fixture
def roads_db(network_db: Engine) -> Engine:
    """The seeded database with the grid imported as the road network of 35.10."""
    return network_db


@pytest.fixture
def surveyed(client, roads_db, roads_survey):
    """The app's client, with one survey (vehicle BWI-01) imported on the grid of 35.10."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.roads.services.surveys import import_survey_file

    with session_scope(roads_db) as s:
        import_survey_file(s, accounts.get_city(s, "35.10"), roads_survey, "BWI-01")
    return client


def moved_package(src: Path, dst: Path, dlon: float, dlat: float) -> Path:
    """The same survey package with its track moved by ``dlon``, ``dlat`` degrees (a drive in another city)."""
    from kotacerdas.roads.formats.package import write_survey_package
    from kotacerdas.roads.formats.survey import read_survey
    from kotacerdas.roads.streams import Track

    streams = read_survey(src)
    tr = streams.track
    streams.track = Track(tr.t, tr.lat + dlat, tr.lon + dlon, tr.speed, tr.accuracy)
    return write_survey_package(streams, dst)


def moved_osm(data: bytes, dlon: float, dlat: float) -> bytes:
    """An OSM XML extract with every node moved by ``dlon``, ``dlat`` degrees."""
    import re

    def move(m: re.Match) -> str:
        value = float(m.group(2)) + (dlat if m.group(1) == "lat" else dlon)
        return f"{m.group(1)}='{value:.7f}'"

    return re.sub(r"\b(lat|lon)=['\"]([-0-9.]+)['\"]", move, data.decode()).encode()


@pytest.fixture(scope="session")
def makassar_files(roads_survey, roads_calibration, roads_osm, tmp_path_factory) -> dict[str, bytes]:
    """The survey, the calibration drive and the street grid of Banyuwangi moved to Makassar (73.71)."""
    from kotacerdas.demo.areas import CITIES
    from kotacerdas.network.demo import CENTER

    dlon, dlat = CITIES["73.71"]["center"][0] - CENTER[0], CITIES["73.71"]["center"][1] - CENTER[1]
    folder = tmp_path_factory.mktemp("roads-makassar")
    return {
        "survey_path": moved_package(roads_survey, folder / "drive.zip", dlon, dlat),
        "survey": (folder / "drive.zip").read_bytes(),
        "drive": moved_package(roads_calibration[0], folder / "cal.zip", dlon, dlat).read_bytes(),
        "ref": roads_calibration[1].read_bytes(),
        "osm": moved_osm(roads_osm.read_bytes(), dlon, dlat),
    }


# -- the camera half: real models and images from ../shared, simulated dashcam drives ---------------------------------
@pytest.fixture(scope="session")
def models_dir(shared_dir, tmp_path_factory) -> Path:
    """A data dir with the two real MIT models of ``../shared/models`` installed (checksums verified)."""
    from kotacerdas.roads.models import install_model
    from tests.roads.camera import DARKNET, POTHOLE

    data = tmp_path_factory.mktemp("models-data")
    install_model(shared_dir / POTHOLE, "pothole", data)
    install_model(shared_dir / DARKNET, "rdd-fastest", data)
    return data


@pytest.fixture(scope="session")
def camera_drive(roads_osm, shared_dir, tmp_path_factory):
    """A simulated drive on the grid of 35.10 (survey package) and its dashcam video of real road images:
    ``(package, video, track)``."""
    from kotacerdas.roads.camera_sim import write_drive_video
    from kotacerdas.roads.formats.survey import write_survey_package
    from tests.roads.camera import road_images

    folder = tmp_path_factory.mktemp("camera-drive")
    graph = build_graph(read_osm(roads_osm))
    streams, _truth = demo.simulate_drive(
        graph, [(-520, 0), (520, 0)], "sedan", datetime(2025, 7, 1, 1, 0, tzinfo=UTC), 11
    )
    package = write_survey_package(streams, folder / "drive.zip")
    video = write_drive_video(folder / "drive.mp4", road_images(shared_dir), streams.track, fps=10.0)
    return package, video, streams.track


@pytest.fixture
def graded(surveyed, roads_db):
    """:func:`surveyed`, with three measured segments of Jl. Demo Raya 1 given each a case of the combined condition
    (the survey of April 2025 is more than a year old): ``fresh`` a fresh IRI (its survey moved to 5 days ago) and a
    fresh SDI of 120 (the matrix), ``sdi_only`` the old IRI and a fresh SDI of 30, ``iri_only`` the old IRI and no SDI.
    Answers ``(client, {case: segment row id})``."""
    from datetime import timedelta

    from sqlalchemy import select

    from kotacerdas.core.db import session_scope, utcnow
    from kotacerdas.network.tables import RoadSegmentRow
    from kotacerdas.roads.store.damage_tables import RoadSegmentDistress
    from kotacerdas.roads.store.tables import RoadSegmentSurvey

    now = utcnow()
    with session_scope(roads_db, write=True) as s:
        rows = list(
            s.scalars(
                select(RoadSegmentRow)
                .where(RoadSegmentRow.road_key == "Jl. Demo Raya 1", RoadSegmentRow.latest_iri.is_not(None))
                .order_by(RoadSegmentRow.id)
            )
        )
        assert len(rows) >= 3
        fresh, sdi_only, iri_only = rows[:3]
        fresh.latest_at = now - timedelta(days=5)
        for m in s.scalars(select(RoadSegmentSurvey).where(RoadSegmentSurvey.segment_id == fresh.id)):
            m.driven_at = now - timedelta(days=5)
        for seg, sdi, cls in ((fresh, 120.0, "rusak_ringan"), (sdi_only, 30.0, "baik")):
            s.add(
                RoadSegmentDistress(
                    city_id=seg.city_id, segment_id=seg.id, sdi=sdi, sdi_class=cls, sdi_at=now - timedelta(days=3)
                )
            )
        ids = {"fresh": fresh.id, "sdi_only": sdi_only.id, "iri_only": iri_only.id}
    return surveyed, ids
