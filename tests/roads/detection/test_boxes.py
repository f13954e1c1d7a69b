"""Letterbox, the YOLO output layouts (v5 with objectness, v8/v11 transposed, Darknet, end-to-end), normalised
coordinates, layout checks against the manifest, and NMS."""

from __future__ import annotations

import numpy as np
import pytest

from kotacerdas.roads.detection.boxes import decode, letterbox, nms, nms_by_group
from kotacerdas.roads.errors import RoadsError


def test_letterbox_keeps_the_ratio_and_maps_back():
    img = np.zeros((360, 640, 3), np.uint8)
    out, lb = letterbox(img, 320)
    assert out.shape == (320, 320, 3) and lb.pad_y == 70 and lb.scale_x == pytest.approx(0.5)
    assert out[0, 0, 0] == 114 and out[160, 160, 0] == 0
    back = lb.to_image(np.array([[0.0, 70.0, 320.0, 250.0]]))
    assert back.tolist() == [[0.0, 0.0, 640.0, 360.0]]
    _out, stretched = letterbox(img, 320, keep_ratio=False)
    assert (stretched.scale_x, stretched.pad_y) == (0.5, 0.0)


def test_yolov5_rows_with_objectness():
    rows = np.array([[[100, 100, 20, 10, 0.9, 0.1, 0.8], [50, 50, 10, 10, 0.2, 0.9, 0.1]]], np.float32)
    boxes, scores, cls = decode(rows, "yolov5", 2, 320, 0.25)
    assert cls.tolist() == [1] and scores[0] == pytest.approx(0.72) and boxes[0].tolist() == [90, 95, 110, 105]


def test_normalised_coordinates_are_scaled():
    rows = np.array([[[0.5, 0.5, 0.1, 0.1, 1.0, 1.0]]], np.float32)
    boxes, _s, _c = decode(rows, "yolov5", 1, 320, 0.25)
    assert boxes[0].tolist() == pytest.approx([144, 144, 176, 176])


def test_yolov8_columns_without_objectness():
    out = np.zeros((1, 4 + 3, 10), np.float32)
    out[0, :, 4] = [160, 160, 40, 20, 0.1, 0.7, 0.2]
    boxes, scores, cls = decode(out, "yolov8", 3, 320, 0.25)
    assert cls.tolist() == [1] and scores.tolist() == pytest.approx([0.7]) and boxes[0].tolist() == [140, 150, 180, 170]


def test_darknet_and_end2end():
    dk = np.array([[0.5, 0.5, 0.25, 0.25, 0.9, 0.0, 0.6]], np.float32)  # class scores already times objectness
    boxes, scores, _c = decode(dk, "darknet", 2, 320, 0.25)
    assert scores.tolist() == pytest.approx([0.6]) and boxes[0].tolist() == pytest.approx([120, 120, 200, 200])
    e2e = np.array([[[10, 20, 30, 40, 0.8, 2]]], np.float32)
    boxes, _s, cls = decode(e2e, "end2end", 3, 320, 0.25)
    assert cls.tolist() == [2] and boxes[0].tolist() == [10, 20, 30, 40]


def test_a_layout_that_does_not_fit_the_manifest_is_refused():
    with pytest.raises(RoadsError, match="needs 9 values per box"):
        decode(np.zeros((1, 6300, 8), np.float32), "yolov5", 4, 320, 0.25, model="m")
    with pytest.raises(RoadsError, match="does not match its manifest"):
        decode(np.zeros((2, 3, 4, 5), np.float32), "yolov8", 1, 320, 0.25, model="m")


def test_nms():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], np.float32)
    scores = np.array([0.9, 0.8, 0.7], np.float32)
    assert nms(boxes, scores, 0.45).tolist() == [0, 2]
    assert nms_by_group(boxes, scores, np.array(["D40", "D00", "D40"]), 0.45).tolist() == [0, 1, 2]
