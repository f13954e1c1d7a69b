"""Pre- and post-processing of YOLO detectors: letterbox, the output layouts of the common YOLO families, NMS.

Output layouts (one image, after de-quantisation):

* ``yolov5``: ``(N, 5 + nc)`` rows ``cx cy w h objectness class scores``; score = objectness × class score
  (YOLOv5, YOLOv7 exports to ONNX and TFLite);
* ``yolov8``: ``(4 + nc, N)`` columns ``cx cy w h class scores`` without objectness (YOLOv8, YOLO11), also
  accepted transposed;
* ``darknet``: the rows of OpenCV's Darknet ``[yolo]`` layers, ``cx cy w h objectness class scores`` normalised to
  the input, the class scores already multiplied by the objectness (Yolo-Fastest, YOLOv3/v4 tiny);
* ``end2end``: ``(N, 6)`` rows ``x1 y1 x2 y2 score class`` with NMS already applied (YOLOv10, exports with NMS).

Box coordinates are in input pixels, or normalised to 0–1 (TFLite exports): normalised boxes are recognised and
scaled. :func:`decode` checks that the output fits the layout and the number of classes of the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError

PAD_VALUE = 114
MAX_DETECTIONS = 100


@dataclass(frozen=True)
class Letterbox:
    """How an image was fitted into the model's square input: scale, then padding (pixels)."""

    scale_x: float
    scale_y: float
    pad_x: float
    pad_y: float

    def to_image(self, boxes: np.ndarray) -> np.ndarray:
        """Boxes ``(n, 4)`` x1 y1 x2 y2 from input pixels back to image pixels."""
        out = boxes.astype(float).copy()
        out[:, [0, 2]] = (out[:, [0, 2]] - self.pad_x) / self.scale_x
        out[:, [1, 3]] = (out[:, [1, 3]] - self.pad_y) / self.scale_y
        return out


def letterbox(image: np.ndarray, size: int, *, keep_ratio: bool = True) -> tuple[np.ndarray, Letterbox]:
    """Fit an ``(h, w, 3)`` image into ``size`` × ``size``: scaled keeping its ratio and padded (grey 114), or
    stretched (``keep_ratio=False``, as Darknet models are trained)."""
    import cv2

    h, w = image.shape[:2]
    if not keep_ratio:
        out = cv2.resize(image, (size, size), interpolation=cv2.INTER_LINEAR)
        return out, Letterbox(size / w, size / h, 0.0, 0.0)
    r = min(size / w, size / h)
    nw, nh = max(1, int(round(w * r))), max(1, int(round(h * r)))
    resized = cv2.resize(image, (nw, nh), interpolation=cv2.INTER_LINEAR) if (nw, nh) != (w, h) else image
    out = np.full((size, size, 3), PAD_VALUE, dtype=image.dtype)
    px, py = (size - nw) // 2, (size - nh) // 2
    out[py : py + nh, px : px + nw] = resized
    return out, Letterbox(nw / w, nh / h, float(px), float(py))


def _layout_error(layout: str, shape: tuple[int, ...], expected: str, model: str) -> RoadsError:
    return RoadsError(
        N_("model {model}: output of shape {shape} does not match its manifest (layout {layout}: {expected})"),
        field="layout",
        model=model,
        shape="x".join(str(s) for s in shape),
        layout=layout,
        expected=expected,
    )


def _xywh_to_xyxy(b: np.ndarray) -> np.ndarray:
    out = np.empty_like(b)
    out[:, 0] = b[:, 0] - b[:, 2] / 2
    out[:, 1] = b[:, 1] - b[:, 3] / 2
    out[:, 2] = b[:, 0] + b[:, 2] / 2
    out[:, 3] = b[:, 1] + b[:, 3] / 2
    return out


def _rows(output: np.ndarray, layout: str, nc: int, model: str) -> np.ndarray:
    """The output as rows of ``(N, k)`` for the layout, checked against the number of classes."""
    out = np.asarray(output, dtype=np.float32)
    shape = tuple(out.shape)
    if out.ndim == 3 and out.shape[0] == 1:
        out = out[0]
    if out.ndim != 2:
        raise _layout_error(layout, shape, N_("a two-dimensional table of boxes"), model)
    width = {"yolov5": 5 + nc, "darknet": 5 + nc, "yolov8": 4 + nc, "end2end": 6}[layout]
    if layout == "yolov8" and out.shape[0] == width and out.shape[1] != width:
        out = out.T
    if out.shape[1] != width:
        raise RoadsError(
            N_(
                "model {model}: output of shape {shape} does not match its manifest ({layout} with {nc} classes "
                "needs {width} values per box)"
            ),
            field="layout",
            model=model,
            shape="x".join(str(s) for s in shape),
            layout=layout,
            nc=nc,
            width=width,
        )
    return out


def decode(
    output: np.ndarray, layout: str, nc: int, input_size: int, score_threshold: float, *, model: str = ""
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Boxes ``(n, 4)`` x1 y1 x2 y2 in input pixels, scores ``(n,)`` and class indices ``(n,)`` above the threshold.

    Raises
    ------
    RoadsError
        An output whose shape does not fit the layout and number of classes.
    """
    rows = _rows(output, layout, nc, model)
    if layout == "end2end":
        keep = rows[:, 4] >= score_threshold
        r = rows[keep]
        boxes, scores, cls = r[:, :4].copy(), r[:, 4], r[:, 5].astype(int)
    else:
        if layout == "yolov5":
            cls_scores = rows[:, 5:] * rows[:, 4:5]
        elif layout == "darknet":
            cls_scores = rows[:, 5:]
        else:
            cls_scores = rows[:, 4:]
        cls = np.argmax(cls_scores, axis=1)
        scores = cls_scores[np.arange(len(rows)), cls]
        keep = scores >= score_threshold
        boxes, scores, cls = _xywh_to_xyxy(rows[keep, :4]), scores[keep], cls[keep]
    if boxes.size and (layout == "darknet" or float(np.abs(boxes).max()) <= 2.0):
        boxes = boxes * input_size  # normalised coordinates
    if cls.size and (cls.min() < 0 or cls.max() >= nc):
        raise _layout_error(layout, tuple(np.shape(output)), N_("class indices within the manifest's classes"), model)
    return boxes.astype(np.float32), scores.astype(np.float32), cls.astype(int)


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float, max_keep: int = MAX_DETECTIONS) -> np.ndarray:
    """Indices of the boxes kept by greedy non-maximum suppression, best first."""
    if boxes.size == 0:
        return np.zeros(0, dtype=int)
    x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    areas = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    order = np.argsort(-scores, kind="stable")
    keep: list[int] = []
    while order.size and len(keep) < max_keep:
        i = int(order[0])
        keep.append(i)
        rest = order[1:]
        w = np.clip(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0, None)
        h = np.clip(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0, None)
        inter = w * h
        union = areas[i] + areas[rest] - inter
        iou = np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)
        order = rest[iou <= iou_threshold]
    return np.asarray(keep, dtype=int)


def nms_by_group(
    boxes: np.ndarray, scores: np.ndarray, groups: np.ndarray, iou_threshold: float, max_keep: int = MAX_DETECTIONS
) -> np.ndarray:
    """:func:`nms` within each group (a damage code), the kept indices best first."""
    keep: list[int] = []
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        keep.extend(idx[nms(boxes[idx], scores[idx], iou_threshold, max_keep)].tolist())
    keep.sort(key=lambda i: -float(scores[i]))
    return np.asarray(keep[:max_keep], dtype=int)
