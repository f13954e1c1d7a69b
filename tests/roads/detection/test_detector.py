"""One detector over three runtimes, through the real code path: a small ONNX model built in the test (onnxruntime),
the real INT8 pothole model (LiteRT, de-quantised), the real Yolo-Fastest Darknet model (OpenCV DNN); each finds the
damage a RDD2022 label says is there, mapped to its code."""

from __future__ import annotations

import numpy as np
import pytest

from kotacerdas.roads.detection import load_detector
from kotacerdas.roads.evaluation import Box, iou, read_yolo_labels
from kotacerdas.roads.models import get_model, read_manifest
from tests.roads.camera import SAMPLES, onnx_manifest, tiny_onnx


def _best_iou(dets, truth: Box) -> float:
    return max((iou(Box(d.code, *d.box), truth) for d in dets if d.code == truth.code), default=0.0)


def test_onnx_runtime_yolov8_layout(tmp_path):
    out = np.zeros((1, 4 + 2, 20), np.float32)
    out[0, :, 3] = [32, 40, 16, 8, 0.1, 0.9]  # class 1 (pothole) at 24..40 x 36..44 of the 64 px input
    out[0, :, 7] = [10, 10, 4, 4, 0.05, 0.1]  # below the threshold
    tiny_onnx(tmp_path / "model.onnx", out)
    m = read_manifest(
        onnx_manifest(
            tmp_path / "manifest.json",
            "tiny",
            [{"name": "crack", "code": "D00"}, {"name": "hole", "code": "D40"}],
            "yolov8",
        )
    )
    det = load_detector(m)
    det.check()
    found = det.detect(np.zeros((128, 256, 3), np.uint8))  # letterboxed: scale 0.25, 16 px of padding on top
    assert len(found) == 1
    d = found[0]
    assert (d.code, d.class_name, d.score) == ("D40", "hole", pytest.approx(0.9))
    assert d.box == pytest.approx((96.0, 80.0, 160.0, 112.0))


def test_tflite_int8_pothole_model(shared_dir, models_dir):
    import cv2

    m = get_model(models_dir, "pothole")
    det = load_detector(m)
    rt = det.runtime
    assert rt.input["dtype"] == np.uint8 and rt.outputs[0]["dtype"] == np.uint8
    x = np.full((320, 320, 3), 255, np.uint8)
    assert int(rt.quantise(x).max()) == 255  # scale 1/255, zero point 0: the byte itself
    raw = rt.interpreter  # the de-quantised output is (q - zero point) x scale
    rt.run(x)
    q = raw.get_tensor(rt.outputs[0]["index"]).astype(np.float32)
    scale, zero = rt.outputs[0]["quantization"]
    assert np.allclose(rt.run(x)[0], (q - zero) * scale)
    img = cv2.imread(str(shared_dir / SAMPLES / "images" / "Japan_001608.jpg"))
    truth = read_yolo_labels(shared_dir / SAMPLES / "labels" / "Japan_001608.txt", img.shape[1], img.shape[0])
    dets = det.detect(img)
    assert {d.code for d in dets} == {"D40"}
    assert max(_best_iou(dets, t) for t in truth) >= 0.5  # it finds one of the labelled potholes


def test_darknet_yolo_fastest_model(shared_dir, models_dir):
    import cv2

    det = load_detector(get_model(models_dir, "rdd-fastest"))
    img = cv2.imread(str(shared_dir / SAMPLES / "images" / "Norway_004657.jpg"))
    truth = read_yolo_labels(shared_dir / SAMPLES / "labels" / "Norway_004657.txt", img.shape[1], img.shape[0])
    dets = det.detect(img)
    assert {"D00"} <= {d.code for d in dets}  # its D00 class, with D01 mapped to D00 too
    assert _best_iou(dets, truth[0]) >= 0.5
    assert all(d.x2 <= img.shape[1] and d.y2 <= img.shape[0] for d in dets)
