"""Many drives: on the local process pool (the default) and on a local Ray started with 2 CPUs; a drive that fails is
reported with its reason and the others are stored; a rerun skips the drives done."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kotacerdas.core.db import session_scope
from kotacerdas.roads.models import get_model
from kotacerdas.roads.services import damage as service
from kotacerdas.roads.store.damage_tables import RoadCapture


@pytest.fixture(scope="module")
def drives(tmp_path_factory, camera_drive, shared_dir):
    """Two short videos along the camera drive's track (the same road a day apart), and a broken one."""
    from dataclasses import replace

    from kotacerdas.roads.camera_sim import write_drive_video
    from tests.roads.camera import road_images

    _package, _video, track = camera_drive
    folder = tmp_path_factory.mktemp("drives")
    images = road_images(shared_dir)
    first = write_drive_video(folder / "a.mp4", images, track, fps=5.0, seconds=40)
    later = replace(track, t=track.t + 86400.0)
    second = write_drive_video(folder / "b.mp4", images[::-1], later, fps=5.0, seconds=40)
    broken = folder / "c.mp4"
    broken.write_bytes(b"\0" * 4096)
    return track, later, [first, second, broken]


def _tracks(tmp_path, drives):
    from datetime import UTC, datetime

    track, later, _v = drives
    out = []
    for name, tr in (("a.gpx", track), ("b.gpx", later)):
        pts = "".join(
            f'<trkpt lat="{la}" lon="{lo}"><time>{datetime.fromtimestamp(t, UTC).isoformat()}</time></trkpt>'
            for t, la, lo in zip(tr.t, tr.lat, tr.lon, strict=True)
        )
        p = tmp_path / name
        p.write_text(
            f'<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{pts}</trkseg></trk></gpx>'
        )
        out.append(p)
    return out


def _run(roads_db, drives, models_dir, tmp_path, **kw):
    a_track, b_track = _tracks(tmp_path, drives)
    _t, _l, (a, b, c) = drives
    items = [
        service.BatchItem(a, "BWI-CAM-01", a_track),
        service.BatchItem(b, "BWI-CAM-02", b_track),
        service.BatchItem(c, "BWI-CAM-03", a_track),
    ]
    return service.import_captures(
        roads_db, "35.10", items, get_model(models_dir, "pothole"), data_dir=tmp_path, every_m=20.0, **kw
    )


def _check(results):
    by_file = {r.filename: r for r in results}
    failed = by_file["c.mp4"]
    assert failed.status == "failed" and "c.mp4" in failed.error_text("en")
    # kept as a message id with its parameters, shown in the reader's language
    assert failed.error == "{file} is not a readable video: {reason}" and failed.error_params["file"] == "c.mp4"
    assert failed.error_text("id").startswith("c.mp4 bukan video yang dapat dibaca")
    assert by_file["a.mp4"].status == by_file["b.mp4"].status == "done"
    assert by_file["a.mp4"].frames_done > 5 and by_file["b.mp4"].frames_done > 5


def test_process_pool(roads_db, drives, models_dir, tmp_path):
    results = _run(roads_db, drives, models_dir, tmp_path, executor="process", workers=2)
    _check(results)
    again = _run(roads_db, drives, models_dir, tmp_path, executor="process", workers=2)
    assert sorted(r.already_imported for r in again if r.status != "failed") == [True, True]
    with session_scope(roads_db) as s:
        assert s.scalar(select(func.count()).select_from(RoadCapture)) == 2


@pytest.mark.slow
def test_ray(roads_db, drives, models_dir, tmp_path):
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        results = _run(roads_db, drives, models_dir, tmp_path, executor="ray", address=None)
    finally:
        ray.shutdown()
    _check(results)
