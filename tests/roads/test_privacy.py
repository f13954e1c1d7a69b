"""Faces are blurred before anything is kept: OpenCV's bundled cascades find a real face (NASA's astronaut photo,
shipped in scikit-image's wheel), and a crop stored by the real pipeline from a geotagged photo with that face beside
a damage has the face blurred (no face found in it any more, its detail gone)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from sqlalchemy import select

from kotacerdas.core.db import session_scope
from kotacerdas.roads.privacy import Blurrer, obscure
from tests.roads.camera import astronaut, geotagged_jpeg, one_box_model, onnx_manifest, tiny_onnx


def test_a_face_is_found_and_blurred():
    import cv2

    img = astronaut()
    b = Blurrer()
    assert b.faces(img)
    out, regions = b.blur(img)
    assert [r.kind for r in regions] == ["face"]
    assert b.faces(out) == []
    r = regions[0]
    detail = [
        cv2.Laplacian(cv2.cvtColor(x[r.y1 : r.y2, r.x1 : r.x2], cv2.COLOR_BGR2GRAY), cv2.CV_64F).var()
        for x in (img, out)
    ]
    assert detail[1] < 0.05 * detail[0]  # the face's detail is gone


def test_obscure_leaves_nothing_readable():
    rng = np.random.default_rng(1)
    img = rng.integers(0, 255, (100, 100, 3), dtype=np.uint8)
    obscure(img, 10, 10, 90, 90)
    assert img[10:90, 10:90].std() < 20


def test_a_stored_crop_of_a_frame_with_a_face_has_it_blurred(roads_db, tmp_path):
    """The real pipeline (onnxruntime detector built in the test, placement, blur, storage) on a photo whose damage
    box holds a face."""
    import cv2

    from kotacerdas.roads.models import install_model
    from kotacerdas.roads.services import damage as service
    from kotacerdas.roads.services.captures_input import prepare_photos
    from kotacerdas.roads.store.damage_tables import RoadDamageSighting

    face = astronaut()
    frame = np.full((720, 1280, 3), 95, np.uint8)
    frame[400 : 912 - 200, 500:1012] = face[:312]  # the face low in the frame, on the road
    # the model answers one D40 box around the face: 500..1012 x 400..712 of the 1280 x 720 frame
    size = 64
    r = size / 1280
    pad = (size - 720 * r) / 2
    cx, cy, w, h = (500 + 1012) / 2 * r, (400 + 712) / 2 * r + pad, 512 * r, 312 * r
    out = np.zeros((1, 5, 4), np.float32)
    out[0, :, 0] = [cx, cy, w, h, 0.95]
    tiny_onnx(tmp_path / "model.onnx", out)
    manifest = onnx_manifest(tmp_path / "manifest.json", "face-box", [{"name": "hole", "code": "D40"}], "yolov8")
    data = tmp_path / "data"
    model = install_model(tmp_path / "model.onnx", "face-box", data, manifest_file=manifest)
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "p1.jpg").write_bytes(
        geotagged_jpeg(frame, 114.3655, -8.2195, datetime(2025, 9, 1, 1, 0, tzinfo=UTC), heading=90.0)
    )
    result = service.import_capture(roads_db, "35.10", prepare_photos(photos), "BWI-CAM-09", model, data_dir=data)
    assert result.sightings == 1, result
    with session_scope(roads_db) as s:
        sighting = s.scalar(select(RoadDamageSighting))
        assert sighting.blurred >= 1
        path = data / "roads" / "crops" / "35.10" / sighting.crop_path
    crop = cv2.imread(str(path))
    assert crop is not None and Blurrer().faces(crop) == []
    raw = cv2.resize(face[:312], (crop.shape[1], crop.shape[0]))
    assert Blurrer().faces(raw)  # the same region unblurred does show a face


def _frame_with_damage(tmp_path, data):
    """A damage model answering one D40 box low in a plain 1280 x 720 frame, installed in ``data``."""
    return one_box_model(tmp_path / "damage-model", data)


def _install_plate_model(tmp_path, data) -> None:
    """A plate detector (``purpose: plate``) answering one plate in the middle of whatever it is shown."""
    from kotacerdas.roads.models import install_model

    out = np.zeros((1, 5, 4), np.float32)
    out[0, :, 0] = [32, 32, 16, 8, 0.9]
    folder = tmp_path / "plate-model"
    folder.mkdir()
    tiny_onnx(folder / "model.onnx", out)
    manifest = onnx_manifest(
        folder / "manifest.json", "plates", [{"name": "plate", "code": "plate"}], "yolov8", purpose="plate"
    )
    install_model(folder / "model.onnx", "plates", data, manifest_file=manifest)


def _photos(tmp_path, name: str, minute: int):
    folder = tmp_path / name
    folder.mkdir()
    frame = np.full((720, 1280, 3), 95, np.uint8)
    frame[600:640, 700:820] = 230  # something plate-sized in the damage's crop
    when = datetime(2025, 9, 1, 1, minute, tzinfo=UTC)
    (folder / "p1.jpg").write_bytes(geotagged_jpeg(frame, 114.3655, -8.2195, when, heading=90.0))
    return folder


def test_plates_are_blurred_on_every_path_when_a_plate_model_is_installed(roads_db, tmp_path):
    """A single import (as the CLI's video and photos imports do) and a batch both blur plates, without being told
    of the plate model: it is found in the data dir."""
    from kotacerdas.roads.services import damage as service
    from kotacerdas.roads.services.captures_input import prepare_photos
    from kotacerdas.roads.store.damage_tables import RoadDamageSighting

    data = tmp_path / "data"
    model = _frame_with_damage(tmp_path, data)
    plain = service.import_capture(
        roads_db, "35.10", prepare_photos(_photos(tmp_path, "a", 0)), "BWI-CAM-09", model, data_dir=data
    )
    _install_plate_model(tmp_path, data)
    single = service.import_capture(
        roads_db, "35.10", prepare_photos(_photos(tmp_path, "b", 1)), "BWI-CAM-09", model, data_dir=data
    )
    batch = service.import_captures(
        roads_db,
        "35.10",
        [service.BatchItem(_photos(tmp_path, "c", 2), "BWI-CAM-09")],
        model,
        data_dir=data,
        executor="inline",
    )
    assert plain.sightings == single.sightings == batch[0].sightings == 1
    with session_scope(roads_db) as s:
        blurred = dict(s.execute(select(RoadDamageSighting.capture_id, RoadDamageSighting.blurred)).all())
    assert blurred[plain.capture_id] == 0  # no face, and no plate model yet
    assert blurred[single.capture_id] >= 1 and blurred[batch[0].capture_id] >= 1
