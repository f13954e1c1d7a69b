"""The camera pipeline of one frame: faces are searched once per frame, not once per crop, at the frame's reduced
width, and every crop cut from the frame has them blurred."""

from __future__ import annotations

import numpy as np

from kotacerdas.roads.detection.detector import Detection
from kotacerdas.roads.inspection import FrameInspector
from kotacerdas.roads.placement import CameraModel
from kotacerdas.roads.privacy import Blurrer
from kotacerdas.roads.video import FramePose
from tests.roads.camera import astronaut


class _Boxes:
    """A detector answering the same boxes whatever the image."""

    name = "boxes"

    def __init__(self, boxes):
        self.boxes = boxes

    def detect(self, image):
        return [Detection("D40", "hole", 0.9, *b) for b in self.boxes]


class _CountingBlurrer(Blurrer):
    def __post_init__(self) -> None:
        super().__post_init__()
        self.searches: list[tuple[int, int, int, int] | None] = []

    def faces(self, image, within=None):
        self.searches.append(within)
        return super().faces(image, within)


def _frame_with_face() -> np.ndarray:
    frame = np.full((720, 1280, 3), 95, np.uint8)
    frame[400:712, 500:1012] = astronaut()[:312]  # the face low in the frame, on the road
    return frame


def test_a_frame_is_searched_for_faces_once_whatever_its_crops_and_every_crop_is_blurred():
    import cv2

    boxes = [(500, 400, 760, 712), (700, 420, 1012, 712), (560, 450, 900, 700)]
    blurrer = _CountingBlurrer()
    inspector = FrameInspector(_Boxes(boxes), CameraModel(), blurrer)
    pose = FramePose(0, 1.0e9, 0.0, 114.3655, -8.2195, 90.0, 8.0, 0.0)
    found = inspector.inspect(_frame_with_face(), pose)
    assert len(found) == 3
    assert len(blurrer.searches) == 1  # one search for the three crops
    x1, y1, x2, y2 = blurrer.searches[0]
    assert x1 <= 500 and y1 <= 400 and x2 >= 1012 and y2 >= 712  # covering every crop
    for d in found:
        crop = cv2.imdecode(np.frombuffer(d.crop, np.uint8), cv2.IMREAD_COLOR)
        assert d.blurred >= 1
        assert Blurrer().faces(crop) == []


def test_no_damage_no_face_search():
    blurrer = _CountingBlurrer()
    inspector = FrameInspector(_Boxes([]), CameraModel(), blurrer)
    assert inspector.inspect(_frame_with_face(), FramePose(0, 1.0e9, 0.0, 114.3655, -8.2195, 90.0, 8.0, 0.0)) == []
    assert blurrer.searches == []


def test_faces_found_at_reduced_width_are_given_in_the_full_frame_pixels():
    """A 2560-pixel-wide frame is searched at a quarter of its width; the face comes back where it is in the frame,
    and a search limited to a part of the frame answers the same place."""
    import cv2

    face = cv2.resize(astronaut(), (1024, 1024))
    frame = np.full((1440, 2560, 3), 95, np.uint8)
    frame[300:1324, 1200:2224] = face
    whole = Blurrer().faces(face)
    assert whole
    fx1, fy1, fx2, fy2 = whole[0]
    for within in (None, (1000, 200, 2400, 1400)):
        found = Blurrer().faces(frame, within)
        assert len(found) >= 1
        x1, y1, x2, y2 = found[0]
        assert abs(x1 - (1200 + fx1)) < 40 and abs(y1 - (300 + fy1)) < 40
        assert abs(x2 - (1200 + fx2)) < 40 and abs(y2 - (300 + fy2)) < 40
