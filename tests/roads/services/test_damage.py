"""Damage from the camera, end to end on both backends: a simulated dashcam video of real RDD2022 road images along a
simulated drive on the test grid, inspected by the real pothole model (TFLite INT8) through the real code path;
one record per damage with its sightings; idempotent, resumable; a later drive that misses a damage marks it; the
repair workflow; the SDI of the segments covered."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from kotacerdas.core.db import session_scope
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.models import get_model
from kotacerdas.roads.services import damage as service
from kotacerdas.roads.services.captures_input import prepare_photos, prepare_video
from kotacerdas.roads.services.repairs import set_status
from kotacerdas.roads.store.damage_tables import (
    RoadCapture,
    RoadCaptureSegment,
    RoadDamage,
    RoadDamageSighting,
    RoadDamageStatus,
    RoadFrame,
    RoadSegmentDistress,
)

EVERY_M = 15.0


def _import(engine, video, track, models_dir, tmp_path, **kw):
    prepared = prepare_video(video, track, every_m=EVERY_M)
    manifest = get_model(models_dir, "pothole")
    return service.import_capture(engine, "35.10", prepared, "BWI-CAM-01", manifest, data_dir=tmp_path, **kw)


def test_video_to_damage_records(roads_db, camera_drive, models_dir, tmp_path):
    _package, video, track = camera_drive
    out = _import(roads_db, video, track, models_dir, tmp_path)
    assert not out.already_imported and out.status == "done"
    assert out.frames_total == out.frames_done > 20 and out.frames_failed == 0
    assert out.sightings > out.damages_new > 0  # several frames saw the same damage
    assert set(out.seconds) >= {"decode", "detect", "place", "blur", "store"}
    with session_scope(roads_db) as s:
        damages = list(s.scalars(select(RoadDamage)))
        assert len(damages) == out.damages_new
        assert {d.code for d in damages} == {"D40"}  # the pothole model's one damage code
        assert all(d.status == "detected" and d.segment_id is not None for d in damages)
        assert sum(d.sightings_count for d in damages) == out.sightings
        assert s.scalar(select(func.count()).select_from(RoadDamageStatus)) == len(damages)
        crops = list(s.scalars(select(RoadDamageSighting.crop_path)))
        assert all(c and (tmp_path / "roads" / "crops" / "35.10" / c).read_bytes()[:2] == b"\xff\xd8" for c in crops)
        assert s.scalar(select(func.count()).select_from(RoadCaptureSegment)) == out.segments_covered > 0
        sdi = list(s.scalars(select(RoadSegmentDistress).where(RoadSegmentDistress.sdi.is_not(None))))
        assert len(sdi) == out.segments_covered
        assert any(r.details["potholes_per_km"] > 0 for r in sdi)
    again = _import(roads_db, video, track, models_dir, tmp_path)
    assert again.already_imported and again.capture_id == out.capture_id
    with session_scope(roads_db) as s:
        assert s.scalar(select(func.count()).select_from(RoadDamage)) == out.damages_new


def test_interrupted_import_resumes(roads_db, camera_drive, models_dir, tmp_path):
    _package, video, track = camera_drive
    prepared = prepare_video(video, track, every_m=EVERY_M)
    manifest = get_model(models_dir, "pothole")
    calls = {"n": 0}

    def boom(fraction, message):
        calls["n"] += 1
        if calls["n"] == 2:  # after the first stored batch
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        service.import_capture(
            roads_db, "35.10", prepared, "BWI-CAM-01", manifest, data_dir=tmp_path, progress=boom, chunk=10
        )
    with session_scope(roads_db) as s:
        cap = s.scalar(select(RoadCapture))
        assert cap.status == "processing" and cap.frames_done == 10
    out = service.import_capture(roads_db, "35.10", prepared, "BWI-CAM-01", manifest, data_dir=tmp_path, chunk=10)
    assert out.resumed_from == 10 and out.status == "done" and out.frames_done == out.frames_total
    with session_scope(roads_db) as s:
        assert s.scalar(select(func.count()).select_from(RoadFrame)) == out.frames_total


def test_later_drive_that_misses_a_damage(roads_db, camera_drive, models_dir, tmp_path, shared_dir):
    """A second drive over the same road whose camera sees only smooth road marks the damages not seen again."""
    import cv2
    import numpy as np

    from kotacerdas.roads.camera_sim import write_drive_video

    _package, video, track = camera_drive
    first = _import(roads_db, video, track, models_dir, tmp_path)
    smooth = np.full((360, 640, 3), 90, np.uint8)
    cv2.putText(smooth, "smooth", (200, 300), cv2.FONT_HERSHEY_SIMPLEX, 1, (120, 120, 120), 2)
    later = replace(track, t=track.t + 30 * 86400.0)
    clean = write_drive_video(tmp_path / "later.mp4", [smooth], later, fps=10.0)
    second = _import(roads_db, clean, later, models_dir, tmp_path)
    assert second.damages_new == 0 and second.damages_not_seen_again > 0
    with session_scope(roads_db) as s:
        missed = list(s.scalars(select(RoadDamage).where(RoadDamage.seen_state == "not_seen_again")))
        assert len(missed) == second.damages_not_seen_again <= first.damages_new
        assert all(d.missed_at is not None and d.missed_count == 1 for d in missed)


def _crack_beside(session, damage, code="D00"):
    """A stored crack at a pothole's place (as a crack-finding model would have left it)."""
    from shapely.geometry import Point

    crack = RoadDamage(
        city_id=damage.city_id,
        segment_id=damage.segment_id,
        code=code,
        status="detected",
        seen_state="seen",
        first_seen=damage.first_seen,
        last_seen=damage.last_seen,
        sightings_count=1,
        confidence=0.8,
        area_m2=2.0,
        weight=0.8,
        model="crack-model",
        geom=Point(damage.geom.x, damage.geom.y),
    )
    session.add(crack)
    session.flush()
    return crack


def test_a_pothole_model_does_not_wipe_the_cracks(roads_db, camera_drive, models_dir, tmp_path, shared_dir):
    """A later drive with a pothole-only model misses the potholes; the cracks in the same view stay seen and stay
    in the SDI; an older drive stored afterwards does not undo the miss."""
    import numpy as np

    from kotacerdas.roads.camera_sim import write_drive_video
    from kotacerdas.roads.store import damage as store
    from tests.roads.camera import road_images

    _package, video, track = camera_drive
    first = _import(roads_db, video, track, models_dir, tmp_path)
    assert first.damages_new > 0
    with session_scope(roads_db, write=True) as s:
        holes = list(s.scalars(select(RoadDamage).where(RoadDamage.code == "D40")))
        cracks = [_crack_beside(s, d).id for d in holes]
        store.refresh_distress(s, sorted({d.segment_id for d in holes}))
    smooth = np.full((360, 640, 3), 90, np.uint8)
    later = replace(track, t=track.t + 30 * 86400.0)
    clean = write_drive_video(tmp_path / "later.mp4", [smooth], later, fps=10.0)
    second = _import(roads_db, clean, later, models_dir, tmp_path)
    assert second.damages_not_seen_again > 0
    with session_scope(roads_db) as s:
        states = dict(s.execute(select(RoadDamage.id, RoadDamage.seen_state).where(RoadDamage.id.in_(cracks))).all())
        assert set(states.values()) == {"seen"}  # the pothole model cannot see cracks: it cannot miss them
        segs = {d.segment_id for d in s.scalars(select(RoadDamage).where(RoadDamage.id.in_(cracks)))}
        rows = list(s.scalars(select(RoadSegmentDistress).where(RoadSegmentDistress.segment_id.in_(segs))))
        assert rows and all(r.details["crack_area_pct"] > 0 for r in rows)
        missed = set(s.scalars(select(RoadDamage.id).where(RoadDamage.seen_state == "not_seen_again")))
        assert missed and not missed & set(cracks)
    # a drive a month before the first, stored only now, sees the potholes again: the later miss stands
    earlier = replace(track, t=track.t - 30 * 86400.0)
    old = write_drive_video(tmp_path / "earlier.mp4", road_images(shared_dir), earlier, fps=10.0)
    third = _import(roads_db, old, earlier, models_dir, tmp_path)
    assert third.sightings > 0 and third.damages_seen_again == 0
    with session_scope(roads_db) as s:
        still = set(s.scalars(select(RoadDamage.id).where(RoadDamage.seen_state == "not_seen_again")))
        assert missed <= still


def test_a_failed_frame_is_kept_as_a_message_and_read_in_the_readers_language(
    roads_db, camera_drive, models_dir, tmp_path
):
    from kotacerdas.roads.store import damage as store

    _package, video, track = camera_drive
    prepared = prepare_video(video, track, every_m=EVERY_M)
    last = prepared.poses[-1]
    prepared.poses.append(replace(last, index=last.index + 1, video_s=last.video_s + 30.25))  # past the video's end
    out = service.import_capture(
        roads_db, "35.10", prepared, "BWI-CAM-01", get_model(models_dir, "pothole"), data_dir=tmp_path
    )
    assert out.frames_failed == 1
    assert out.failed_frames[0]["message"] == "the video ends before {at} s"
    with session_scope(roads_db) as s:
        cap = s.get(RoadCapture, out.capture_id)
        assert s.scalar(select(RoadFrame.error).where(RoadFrame.error.is_not(None))) == "the video ends before {at} s"
        at = out.failed_frames[0]["params"]["at"]
        whole, frac = f"{at:.2f}".rstrip("0").split(".")
        assert store.capture_json(cap, None, "id")["report"]["failed_frames"][0]["reason"] == (
            f"video berakhir sebelum {whole},{frac} detik"
        )
        assert store.capture_json(cap, None, "en")["report"]["failed_frames"][0]["reason"].startswith(
            "the video ends before"
        )


def test_status_workflow(roads_db, camera_drive, models_dir, tmp_path):
    _package, video, track = camera_drive
    _import(roads_db, video, track, models_dir, tmp_path)
    with session_scope(roads_db) as s:
        d = s.scalar(select(RoadDamage).order_by(RoadDamage.id))
        set_status(s, d, "confirmed", user_id=None, note="checked on site")
        set_status(s, d, "scheduled", user_id=None)
        with pytest.raises(RoadsError) as err:
            set_status(s, d, "detected", user_id=None)
        assert err.value.status == 409
        set_status(s, d, "repaired", user_id=None, note="patched")
        history = list(
            s.scalars(
                select(RoadDamageStatus.status).where(RoadDamageStatus.damage_id == d.id).order_by(RoadDamageStatus.id)
            )
        )
        assert history == ["detected", "confirmed", "scheduled", "repaired"]


def test_bad_inputs_name_the_file(tmp_path, camera_drive):
    from kotacerdas.roads.streams import Track

    _package, video, track = camera_drive
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(video.read_bytes()[:4000])
    with pytest.raises(RoadsError, match="broken.mp4"):
        prepare_video(broken, track)
    with pytest.raises(RoadsError, match="has no GPS of its own"):
        prepare_video(video, None)
    elsewhere = Track(track.t - 86400.0, track.lat, track.lon, track.speed, track.accuracy)
    with pytest.raises(RoadsError, match="does not overlap its track"):
        prepare_video(video, elsewhere)
    with pytest.raises(RoadsError, match="no GPS position"):
        jpg = tmp_path / "plain.jpg"
        import cv2
        import numpy as np

        cv2.imwrite(str(jpg), np.zeros((20, 20, 3), np.uint8))
        prepare_photos(jpg)


def test_a_video_imported_with_the_wrong_spacing_is_imported_again_with_replace(
    roads_db, camera_drive, models_dir, tmp_path
):
    """The issue's case: a drive imported with a wrong ``every``; rerun with the corrected one, it is answered
    already imported until ``replace`` is given, which replaces the capture with one at the new spacing."""
    _package, video, track = camera_drive
    manifest = get_model(models_dir, "pothole")

    def run(every_m, **kw):
        prepared = prepare_video(video, track, every_m=every_m)
        return service.import_capture(roads_db, "35.10", prepared, "BWI-CAM-01", manifest, data_dir=tmp_path, **kw)

    wrong = run(40.0)
    same = run(EVERY_M)
    assert same.already_imported and same.every_m == 40.0  # the answer says how it was imported
    fixed = run(EVERY_M, replace=True)
    assert fixed.status == "done" and fixed.replaced["capture_id"] == wrong.capture_id
    assert fixed.every_m == EVERY_M and fixed.frames_done > wrong.frames_done
    with session_scope(roads_db) as s:
        assert s.scalar(select(func.count()).select_from(RoadCapture)) == 1
        assert s.scalar(select(func.count()).select_from(RoadFrame)) == fixed.frames_done
        assert s.scalar(select(func.sum(RoadDamage.sightings_count))) == fixed.sightings
        covered = s.scalar(select(func.count()).select_from(RoadCaptureSegment))
        assert covered == fixed.segments_covered
