"""Installing models: a known model recognised by its checksum, a model with its own manifest, a file:// URL;
refused with a clear reason and nothing stored: a checksum or an output layout that does not match the manifest, a
missing manifest, a taken name; listing; a tampered file found when the model is loaded."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.models import get_model, install_model, list_models, models_dir
from tests.roads.camera import POTHOLE, onnx_manifest, tiny_onnx


def test_install_known_and_own_models(shared_dir, tmp_path):
    data = tmp_path / "data"
    m = install_model(shared_dir / POTHOLE / "best-int8.tflite", "pothole", data)
    assert (m.runtime, m.input_size, m.codes, m.licence) == ("tflite", 320, ["D40"], "MIT")
    out = np.zeros((1, 7, 5), np.float32)
    tiny_onnx(tmp_path / "model.onnx", out)
    manifest = onnx_manifest(tmp_path / "manifest.json", "whatever", ["D00", "D10", "D40"], "yolov8")
    own = install_model(tmp_path / "model.onnx", "tiny", data, manifest_file=manifest)
    assert own.name == "tiny" and own.codes == ["D00", "D10", "D40"]
    assert [x.name for x in list_models(data)] == ["pothole", "tiny"]
    stored = json.loads((models_dir(data) / "tiny" / "manifest.json").read_text())
    assert stored["name"] == "tiny" and stored["sha256"]["model.onnx"]
    from kotacerdas.roads.services.models import install

    url = install((tmp_path / "model.onnx").as_uri(), "tiny-url", data, manifest_file=manifest)
    assert url.name == "tiny-url"
    with pytest.raises(RoadsError, match="already installed"):
        install_model(tmp_path / "model.onnx", "tiny", data, manifest_file=manifest)


def test_refusals_store_nothing(shared_dir, tmp_path):
    data = tmp_path / "data"
    out = np.zeros((1, 7, 5), np.float32)
    tiny_onnx(tmp_path / "model.onnx", out)
    wrong_sum = onnx_manifest(
        tmp_path / "m1.json", "x", ["D00", "D10", "D40"], "yolov8", sha256={"model.onnx": "0" * 64}
    )
    with pytest.raises(RoadsError, match="does not match its manifest's checksum"):
        install_model(tmp_path / "model.onnx", "a", data, manifest_file=wrong_sum)
    wrong_layout = onnx_manifest(tmp_path / "m2.json", "x", ["D00", "D40"], "yolov8")  # 2 classes: 6 rows, not 7
    with pytest.raises(RoadsError, match="does not match its manifest"):
        install_model(tmp_path / "model.onnx", "b", data, manifest_file=wrong_layout)
    (tmp_path / "stray.onnx").write_bytes((tmp_path / "model.onnx").read_bytes() + b"\0" * 20_000)
    with pytest.raises(RoadsError, match="no manifest"):
        install_model(tmp_path / "stray.onnx", "c", data)
    with pytest.raises(RoadsError, match="lower-case"):
        install_model(tmp_path / "model.onnx", "Bad Name", data, manifest_file=wrong_sum)
    assert list_models(data) == []


def test_a_tampered_model_is_found_when_loaded(shared_dir, tmp_path):
    data = tmp_path / "data"
    install_model(shared_dir / POTHOLE, "pothole", data)
    f = models_dir(data) / "pothole" / "best-int8.tflite"
    f.chmod(0o644)
    f.write_bytes(f.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(RoadsError, match="does not match its manifest's checksum"):
        get_model(data, "pothole")
    with pytest.raises(RoadsError, match="no model named nope"):
        get_model(data, "nope")
