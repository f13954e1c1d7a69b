"""A road damage detector: a model's runtime, its manifest's pre- and post-processing, and the damage codes.

:func:`load_detector` builds one from a :class:`~kotacerdas.roads.models.ModelManifest`; ``detect(image)`` takes a
BGR image (as OpenCV and PyAV give them) of any size and answers :class:`Detection` boxes in that image's pixels,
each with the model's class and the damage code it maps to, after NMS per code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kotacerdas.core.i18n import N_
from kotacerdas.roads.detection.boxes import decode, letterbox, nms_by_group
from kotacerdas.roads.detection.runtimes import DarknetRuntime, OnnxRuntime, Runtime, TfliteRuntime
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.models import ModelManifest


@dataclass(frozen=True)
class Detection:
    """One damage found in an image: its box (pixels), score, the model's class and the damage code."""

    code: str
    class_name: str
    score: float
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x1, self.y1, self.x2, self.y2)


def _runtime(manifest: ModelManifest, threads: int) -> Runtime:
    if manifest.runtime == "onnx":
        return OnnxRuntime(manifest.path("model"), threads=threads, name=manifest.name)
    if manifest.runtime == "tflite":
        return TfliteRuntime(manifest.path("model"), threads=threads, name=manifest.name)
    return DarknetRuntime(manifest.path("config"), manifest.path("weights"), threads=threads, name=manifest.name)


class Detector:
    """A loaded model with its manifest (see the module docstring)."""

    def __init__(self, manifest: ModelManifest, runtime: Runtime) -> None:
        self.manifest = manifest
        self.runtime = runtime
        self.nc = len(manifest.classes)
        self.codes = np.array([c.code or "" for c in manifest.classes], dtype=object)

    @property
    def name(self) -> str:
        return self.manifest.name

    def raw(self, image_bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Boxes (image pixels), scores and class indices above the threshold, before NMS."""
        if image_bgr is None or image_bgr.ndim != 3 or image_bgr.shape[2] != 3:
            raise RoadsError(N_("an image for detection must have three colour channels"), field="image")
        m = self.manifest
        fitted, lb = letterbox(image_bgr, m.input_size, keep_ratio=m.preprocess == "letterbox")
        rgb = np.ascontiguousarray(fitted[:, :, ::-1])
        outputs = self.runtime.run(rgb)
        if not outputs:
            raise RoadsError(N_("model {model} gave no output"), field="layout", model=m.name)
        boxes, scores, cls = decode(outputs[0], m.layout, self.nc, m.input_size, m.score_threshold, model=m.name)
        boxes = lb.to_image(boxes)
        h, w = image_bgr.shape[:2]
        boxes[:, [0, 2]] = np.clip(boxes[:, [0, 2]], 0, w)
        boxes[:, [1, 3]] = np.clip(boxes[:, [1, 3]], 0, h)
        return boxes, scores, cls

    def detect(self, image_bgr: np.ndarray) -> list[Detection]:
        """The damages in a BGR image (classes without a code are left out), best first."""
        boxes, scores, cls = self.raw(image_bgr)
        codes = self.codes[cls] if cls.size else np.zeros(0, dtype=object)
        mapped = np.flatnonzero(codes != "") if cls.size else np.zeros(0, dtype=int)
        boxes, scores, cls, codes = boxes[mapped], scores[mapped], cls[mapped], codes[mapped]
        ok = (boxes[:, 2] - boxes[:, 0] >= 1) & (boxes[:, 3] - boxes[:, 1] >= 1)
        boxes, scores, cls, codes = boxes[ok], scores[ok], cls[ok], codes[ok]
        keep = nms_by_group(boxes, scores, codes.astype(str), self.manifest.nms_iou)
        return [
            Detection(
                str(codes[i]),
                self.manifest.classes[int(cls[i])].name,
                round(float(scores[i]), 4),
                *(round(float(v), 1) for v in boxes[i]),
            )
            for i in keep
        ]

    def check(self) -> None:
        """Run the model once on a grey image: its output must fit the manifest's layout and classes.

        Raises
        ------
        RoadsError
            An output that does not match the manifest.
        """
        size = self.manifest.input_size
        grey = np.full((size, size, 3), 114, dtype=np.uint8)
        out = self.runtime.run(grey)
        if not out:
            raise RoadsError(N_("model {model} gave no output"), field="layout", model=self.manifest.name)
        decode(out[0], self.manifest.layout, self.nc, size, 1.0, model=self.manifest.name)


def load_detector(manifest: ModelManifest, *, threads: int = 1) -> Detector:
    """The detector of an installed (or located) model."""
    return Detector(manifest, _runtime(manifest, threads))
