"""Importing a file again with ``replace``: the earlier capture of the same file and model is dropped and the file
imported anew in one transaction; damages only it saw are removed, unless an officer reviewed them, the others are
re-figured from the other drives; a failed or interrupted replacement changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.core.geometry import distance_m
from kotacerdas.roads.inspection import FrameInspector
from kotacerdas.roads.placement import CameraModel, offset_lonlat
from kotacerdas.roads.privacy import Blurrer
from kotacerdas.roads.services import damage as service
from kotacerdas.roads.services.captures_input import prepare_photos
from kotacerdas.roads.services.repairs import set_status
from kotacerdas.roads.services.vehicles import ensure_vehicle
from kotacerdas.roads.store.damage_tables import (
    RoadCapture,
    RoadDamage,
    RoadDamageSighting,
    RoadDamageStatus,
    RoadFrame,
)
from tests.roads.camera import one_box_model, photo_set

X = (114.3655, -8.2195)
Y = (114.3680, -8.2195)  # about 275 m east of X
T0 = datetime(2025, 9, 1, 1, 0, tzinfo=UTC)
VEHICLE = "BWI-CAM-09"


def _import(engine, photos, model, data, **kw):
    return service.import_capture(engine, "35.10", prepare_photos(photos), VEHICLE, model, data_dir=data, **kw)


def _mount(engine, height_m: float) -> None:
    """The vehicle's camera as mounted higher: its damages land farther ahead (more than 3 m away at 4.5 m)."""
    with session_scope(engine, write=True) as s:
        city = accounts.get_city(s, "35.10")
        ensure_vehicle(s, city.id, VEHICLE).camera = {"height_m": height_m}


def _counts(engine) -> dict[str, int]:
    with session_scope(engine) as s:
        return {
            t.__tablename__: s.scalar(select(func.count()).select_from(t))
            for t in (RoadCapture, RoadFrame, RoadDamageSighting, RoadDamage, RoadDamageStatus)
        }


def test_a_file_imported_again_says_which_capture_it_is_and_replace_imports_it_anew(roads_db, tmp_path):
    data = tmp_path / "data"
    model = one_box_model(tmp_path / "model", data)
    photos = photo_set(tmp_path / "a", [(*X, T0)])
    first = _import(roads_db, photos, model, data)
    assert first.sightings == first.damages_new == 1
    crops = service.crops_folder(data, "35.10")
    assert (crops / str(first.capture_id)).is_dir()
    with session_scope(roads_db) as s:
        before = s.scalar(select(RoadDamage))
        old_at = (before.geom.x, before.geom.y)
    again = _import(roads_db, photos, model, data)
    assert again.already_imported and again.capture_id == first.capture_id and again.replaced is None
    assert again.imported_at and again.kind == "photos"  # what the message names
    _mount(roads_db, 4.5)
    out = _import(roads_db, photos, model, data, replace=True)
    assert out.status == "done" and not out.already_imported
    assert out.capture_id > first.capture_id
    assert out.replaced == {"capture_id": first.capture_id, "removed": 1, "refigured": 0, "kept": 0, "unmarked": 0}
    assert _counts(roads_db) == {
        "road_captures": 1,
        "road_frames": 1,
        "road_damage_sightings": 1,
        "road_damages": 1,
        "road_damage_status": 1,
    }
    with session_scope(roads_db) as s:
        d = s.scalar(select(RoadDamage))
        sighting = s.scalar(select(RoadDamageSighting))
        assert sighting.capture_id == out.capture_id and d.best_sighting_id == sighting.id
        assert distance_m(d.geom.x, d.geom.y, *old_at) > 3.0  # placed with the new camera model
        assert (crops / sighting.crop_path).is_file()
    assert not (crops / str(first.capture_id)).exists()  # the earlier crops went with their capture
    assert _import(roads_db, photos, model, data).already_imported


def test_replace_keeps_what_other_drives_saw_and_what_an_officer_reviewed(roads_db, tmp_path):
    data = tmp_path / "data"
    model = one_box_model(tmp_path / "model", data)
    a = _import(roads_db, photo_set(tmp_path / "a", [(*X, T0), (*Y, T0.replace(minute=1))]), model, data)
    b = _import(roads_db, photo_set(tmp_path / "b", [(*X, T0.replace(day=2))], shade=96), model, data)
    assert a.damages_new == 2 and b.damages_new == 0 and b.sightings == 1  # b saw the damage at X again
    with session_scope(roads_db, write=True) as s:
        at_x, at_y = sorted(s.scalars(select(RoadDamage)), key=lambda d: d.geom.x)
        assert at_x.sightings_count == 2
        set_status(s, at_y, "confirmed", user_id=None, note="seen on site")
        b_sighting = s.scalar(select(RoadDamageSighting).where(RoadDamageSighting.capture_id == b.capture_id))
        b_at, ids = (b_sighting.lon, b_sighting.lat), (at_x.id, at_y.id)
    _mount(roads_db, 4.5)
    photos_a = tmp_path / "a"
    out = _import(roads_db, photos_a, model, data, replace=True)
    assert out.replaced == {"capture_id": a.capture_id, "removed": 0, "refigured": 1, "kept": 1, "unmarked": 0}
    with session_scope(roads_db) as s:
        x, y = s.get(RoadDamage, ids[0]), s.get(RoadDamage, ids[1])
        # the damage at X now rests on b's sighting alone: its position, count and dates are b's
        assert x.sightings_count == 1 and (x.geom.x, x.geom.y) == pytest.approx(b_at)
        assert x.first_seen == x.last_seen == T0.replace(day=2)
        assert x.best_sighting_id == b_sighting.id
        # the reviewed damage at Y keeps its record and history, with no sighting left
        assert y.status == "confirmed" and y.sightings_count == 0 and y.best_sighting_id is None
        notes = list(s.scalars(select(RoadDamageStatus.note).where(RoadDamageStatus.damage_id == y.id)))
        assert "seen on site" in notes
        # the new capture's two sightings are new damages, farther ahead
        new = list(s.scalars(select(RoadDamage).where(RoadDamage.id.not_in(ids))))
        assert len(new) == 2 and all(d.sightings_count == 1 for d in new)


def test_a_replacement_that_fails_changes_nothing(roads_db, tmp_path, monkeypatch):
    """A model that no longer loads, or an error while the new capture is stored: the earlier capture, its damages
    and its crops stay as they were, and the new crops are removed."""
    from kotacerdas.roads.errors import RoadsError

    data = tmp_path / "data"
    model = one_box_model(tmp_path / "model", data)
    photos = photo_set(tmp_path / "a", [(*X, T0)])
    first = _import(roads_db, photos, model, data)
    stored = _counts(roads_db)
    crops = service.crops_folder(data, "35.10")
    kept = sorted(p.name for p in (crops / str(first.capture_id)).iterdir())

    def broken(*args, **kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "finish_capture", broken)
    with pytest.raises(RuntimeError):
        _import(roads_db, photos, model, data, replace=True)
    monkeypatch.undo()
    assert _counts(roads_db) == stored
    assert sorted(p.name for p in crops.iterdir()) == [str(first.capture_id)]
    assert sorted(p.name for p in (crops / str(first.capture_id)).iterdir()) == kept

    (Path(model.folder) / "model.onnx").write_bytes(b"not the model any more")
    failed = _import(roads_db, photos, model, data, replace=True)
    assert failed.status == "failed" and failed.replaced is None and "checksum" in failed.error_text("en")
    assert _counts(roads_db) == stored
    with pytest.raises(RoadsError):
        _import(roads_db, tmp_path / "nothing-here", model, data, replace=True)
    assert _counts(roads_db) == stored


def test_replace_undoes_the_not_seen_again_marks_of_the_capture_it_replaces(roads_db, tmp_path):
    """A later drive that passed the damage without seeing it marked it; replacing that drive takes the mark away
    (and the new import marks it again if it still does not see it)."""
    data = tmp_path / "data"
    model = one_box_model(tmp_path / "model", data)
    _import(roads_db, photo_set(tmp_path / "a", [(*X, T0)]), model, data)
    with session_scope(roads_db) as s:
        d = s.scalar(select(RoadDamage))
        here = (d.geom.x, d.geom.y)
    # a drive a day later, 6 m before the damage and facing it, whose photo shows nothing the model finds
    lon, lat = offset_lonlat(here[0], here[1], 90.0, -6.0, 0.0)
    later = photo_set(tmp_path / "later", [(lon, lat, T0.replace(day=2))])

    class NoBoxes:
        """The same model finding nothing in the later photo."""

        name = "box"

        def detect(self, image):
            return []

    def inspector():
        return FrameInspector(NoBoxes(), CameraModel(), Blurrer())

    missed = _import(roads_db, later, model, data, inspector=inspector())
    assert missed.damages_not_seen_again == 1
    with session_scope(roads_db) as s:
        assert s.scalar(select(RoadDamage)).seen_state == "not_seen_again"
    again = _import(roads_db, later, model, data, inspector=inspector())
    assert again.already_imported
    out = _import(roads_db, later, model, data, replace=True, inspector=inspector())
    assert out.replaced["unmarked"] == 1 and out.damages_not_seen_again == 1  # undone, then found missed again
    with session_scope(roads_db) as s:
        d = s.scalar(select(RoadDamage))
        assert d.seen_state == "not_seen_again" and d.missed_count == 1
