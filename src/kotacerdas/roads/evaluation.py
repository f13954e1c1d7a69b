"""Scoring a road damage detector on a labelled image set: the challenge F1, per-class precision and recall, mAP@0.5.

Ground truth is read from YOLO text labels (one ``class cx cy w h`` line per box, normalised to the image) or Pascal
VOC XML (``<object><name>D40</name><bndbox><xmin>...``). Class indices of YOLO labels are named by a class list
(RDD2022's ``D00 D10 D20 D40`` by default).

The scores follow the Global Road Damage Detection Challenge (IEEE Big Data Cup, 2020 and 2022):

* a predicted box is a true positive when its class matches and its IoU with a not-yet-matched ground-truth box of
  that class is at least 0.5 (greedy, highest score first); other predictions are false positives, unmatched ground
  truth false negatives;
* at most :data:`MAX_BOXES` predictions per image (the highest scored) are scored;
* F1 = 2PR / (P + R) over every class of :data:`CHALLENGE_CODES` together (micro average); predictions of other
  codes are left out, as the challenge's submissions carry only labels 1–4;
* mAP@0.5 is the mean over the classes with ground truth of the VOC average precision (all points of the
  precision/recall curve, precision made monotone), computed on every prediction (not only the first five).

The submission format is ``ImageId,PredictionString``; the string holds space-separated groups
``label xmin ymin xmax ymax`` in pixels, labels 1–4 for D00, D10, D20, D40.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError

CHALLENGE_CODES = ("D00", "D10", "D20", "D40")
"""The classes the challenge scores, in the order of their submission labels 1–4."""
RDD2022_CLASSES = CHALLENGE_CODES
"""The class order of RDD2022's YOLO labels."""
IOU_THRESHOLD = 0.5
MAX_BOXES = 5
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp")


@dataclass(frozen=True)
class Box:
    """A box in pixels (``x1 < x2``, ``y1 < y2``) of a damage code; ``score`` for predictions."""

    code: str
    x1: float
    y1: float
    x2: float
    y2: float
    score: float = 1.0

    @property
    def area(self) -> float:
        return max(0.0, self.x2 - self.x1) * max(0.0, self.y2 - self.y1)


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes."""
    w = min(a.x2, b.x2) - max(a.x1, b.x1)
    h = min(a.y2, b.y2) - max(a.y1, b.y1)
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / (a.area + b.area - inter)


# -- readers ---------------------------------------------------------------------------------------------------------
def read_yolo_labels(path: Path, width: int, height: int, classes: Sequence[str] = RDD2022_CLASSES) -> list[Box]:
    """The boxes of a YOLO label file (``class cx cy w h`` normalised) in pixels of a ``width`` × ``height`` image.

    Raises
    ------
    RoadsError
        A line that is not five numbers, a class index outside ``classes``, or coordinates outside 0–1.
    """
    out: list[Box] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        where = f"{path.name}:{n}"
        try:
            k, cx, cy, w, h = int(parts[0]), *(float(p) for p in parts[1:5])
            if len(parts) != 5:
                raise ValueError
        except ValueError:
            raise RoadsError(
                N_("{file} line {line} is not a YOLO label (class cx cy w h)"),
                field="labels",
                record=where,
                file=path.name,
                line=n,
            ) from None
        if not 0 <= k < len(classes):
            raise RoadsError(
                N_("{file} line {line}: class {index} is not one of the {n} classes"),
                field="labels",
                record=where,
                file=path.name,
                line=n,
                index=k,
                n=len(classes),
            )
        if not all(0.0 <= v <= 1.0 for v in (cx, cy, w, h)):
            raise RoadsError(
                N_("{file} line {line}: coordinates must lie between 0 and 1"),
                field="labels",
                record=where,
                file=path.name,
                line=n,
            )
        out.append(
            Box(classes[k], (cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height)
        )
    return out


def read_voc(path: Path) -> tuple[list[Box], tuple[int, int] | None]:
    """The boxes of a Pascal VOC annotation and the image size it states (``None`` when absent).

    Raises
    ------
    RoadsError
        Malformed XML, or an object without a name or a numeric box.
    """
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise RoadsError(
            N_("{file} is not valid Pascal VOC XML: {reason}"),
            field="labels",
            record=path.name,
            file=path.name,
            reason=str(exc),
        ) from None
    size = None
    w, h = root.findtext("size/width"), root.findtext("size/height")
    if w and h:
        try:
            size = (int(float(w)), int(float(h)))
        except ValueError:
            size = None
    out: list[Box] = []
    for k, obj in enumerate(root.iter("object")):
        name = (obj.findtext("name") or "").strip()
        try:
            coords = [float(obj.findtext(f"bndbox/{t}") or "") for t in ("xmin", "ymin", "xmax", "ymax")]
        except ValueError:
            coords = []
        if not name or len(coords) != 4:
            raise RoadsError(
                N_("{file}: object {index} needs a name and a box (xmin, ymin, xmax, ymax)"),
                field="labels",
                record=f"{path.name}:object[{k}]",
                file=path.name,
                index=k,
            )
        out.append(Box(name, *coords))
    return out, size


def write_voc(path: Path, image_name: str, width: int, height: int, boxes: Iterable[Box]) -> Path:
    """Write ``boxes`` as a Pascal VOC annotation of ``image_name``."""
    root = ET.Element("annotation")
    ET.SubElement(root, "filename").text = image_name
    size = ET.SubElement(root, "size")
    for tag, n in (("width", width), ("height", height), ("depth", 3)):
        ET.SubElement(size, tag).text = str(n)
    for b in boxes:
        obj = ET.SubElement(root, "object")
        ET.SubElement(obj, "name").text = b.code
        ET.SubElement(obj, "difficult").text = "0"
        bb = ET.SubElement(obj, "bndbox")
        for tag, v in (("xmin", b.x1), ("ymin", b.y1), ("xmax", b.x2), ("ymax", b.y2)):
            ET.SubElement(bb, tag).text = str(int(round(v)))
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


def image_files(folder: Path) -> list[Path]:
    """The images of a folder, by name."""
    if not folder.is_dir():
        raise RoadsError(N_("{folder} is not a folder of images"), field="images", folder=folder.name)
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def label_file(labels: Path, image: Path) -> tuple[Path, str] | None:
    """The label file of an image in ``labels`` and its kind (``yolo`` or ``voc``), or ``None``."""
    for suffix, kind in ((".txt", "yolo"), (".xml", "voc")):
        p = labels / (image.stem + suffix)
        if p.is_file():
            return p, kind
    return None


# -- scoring ---------------------------------------------------------------------------------------------------------
@dataclass
class ClassScore:
    """True positives, false positives and false negatives of a class, and its average precision."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    ap50: float | None = None
    ground_truth: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "ap50": None if self.ap50 is None else round(self.ap50, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "ground_truth": self.ground_truth,
        }


@dataclass
class Evaluation:
    """The scores of a model on a labelled set."""

    images: int
    per_class: dict[str, ClassScore] = field(default_factory=dict)
    map50: float | None = None

    @property
    def tp(self) -> int:
        return sum(c.tp for c in self.per_class.values())

    @property
    def fp(self) -> int:
        return sum(c.fp for c in self.per_class.values())

    @property
    def fn(self) -> int:
        return sum(c.fn for c in self.per_class.values())

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "f1": round(self.f1, 4),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "map50": None if self.map50 is None else round(self.map50, 4),
            "images": self.images,
            "per_class": {k: v.as_dict() for k, v in self.per_class.items()},
        }


def match(preds: Sequence[Box], truth: Sequence[Box], threshold: float = IOU_THRESHOLD) -> list[bool]:
    """Whether each prediction (in the order given, best first) is a true positive; greedy, one match per box."""
    used = [False] * len(truth)
    out = []
    for p in preds:
        best, best_k = threshold, -1
        for k, g in enumerate(truth):
            if used[k] or g.code != p.code:
                continue
            v = iou(p, g)
            if v >= best:
                best, best_k = v, k
        if best_k >= 0:
            used[best_k] = True
        out.append(best_k >= 0)
    return out


def average_precision(scores: Sequence[float], hits: Sequence[bool], n_truth: int) -> float:
    """VOC average precision (every point of the curve, precision made monotone) of one class."""
    if n_truth == 0:
        return 0.0
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    tp = np.asarray(hits, dtype=float)[order]
    ctp, cfp = np.cumsum(tp), np.cumsum(1.0 - tp)
    recall = ctp / n_truth
    precision = ctp / np.maximum(ctp + cfp, np.finfo(float).eps)
    mrec = np.concatenate([[0.0], recall, [1.0]])
    mpre = np.concatenate([[0.0], precision, [0.0]])
    for i in range(mpre.size - 2, -1, -1):
        mpre[i] = max(mpre[i], mpre[i + 1])
    idx = np.flatnonzero(mrec[1:] != mrec[:-1])
    return float(np.sum((mrec[idx + 1] - mrec[idx]) * mpre[idx + 1]))


def evaluate(
    items: Sequence[tuple[Sequence[Box], Sequence[Box]]],
    codes: Sequence[str] = CHALLENGE_CODES,
    *,
    max_boxes: int = MAX_BOXES,
) -> Evaluation:
    """Score ``(predictions, ground truth)`` per image (see the module docstring)."""
    result = Evaluation(images=len(items), per_class={c: ClassScore() for c in codes})
    ap_data: dict[str, tuple[list[float], list[bool]]] = {c: ([], []) for c in codes}
    for preds, truth in items:
        mine = sorted((p for p in preds if p.code in codes), key=lambda b: -b.score)
        gts = [g for g in truth if g.code in codes]
        for c in codes:
            result.per_class[c].ground_truth += sum(1 for g in gts if g.code == c)
        # challenge F1: the first max_boxes predictions of the image
        top = mine[:max_boxes]
        hits = match(top, gts)
        for p, hit in zip(top, hits, strict=True):
            if hit:
                result.per_class[p.code].tp += 1
            else:
                result.per_class[p.code].fp += 1
        matched = {c: sum(1 for p, h in zip(top, hits, strict=True) if h and p.code == c) for c in codes}
        for c in codes:
            result.per_class[c].fn += sum(1 for g in gts if g.code == c) - matched[c]
        # mAP: every prediction, per class
        for c in codes:
            cp = [p for p in mine if p.code == c]
            ch = match(cp, [g for g in gts if g.code == c])
            ap_data[c][0].extend(p.score for p in cp)
            ap_data[c][1].extend(ch)
    aps = []
    for c in codes:
        score = result.per_class[c]
        if score.ground_truth:
            score.ap50 = average_precision(*ap_data[c], score.ground_truth)
            aps.append(score.ap50)
    result.map50 = float(np.mean(aps)) if aps else None
    return result


def submission_row(image_id: str, preds: Sequence[Box], *, max_boxes: int = MAX_BOXES) -> tuple[str, str]:
    """One row of the challenge submission: the image id and its first ``max_boxes`` predictions."""
    mine = sorted((p for p in preds if p.code in CHALLENGE_CODES), key=lambda b: -b.score)[:max_boxes]
    groups = [
        " ".join(
            str(v) for v in (CHALLENGE_CODES.index(p.code) + 1, *(int(round(c)) for c in (p.x1, p.y1, p.x2, p.y2)))
        )
        for p in mine
    ]
    return image_id, " ".join(groups)


def submission_csv(rows: Iterable[tuple[str, Sequence[Box]]]) -> str:
    """The challenge submission (``ImageId,PredictionString``) of ``(image file name, predictions)``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["ImageId", "PredictionString"])
    for image_id, preds in rows:
        w.writerow(submission_row(image_id, preds))
    return buf.getvalue()


def read_submission(text: str) -> dict[str, list[Box]]:
    """The predictions of a submission CSV (scores unknown: 1.0), keyed by image id."""
    out: dict[str, list[Box]] = {}
    for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        parts = (row.get("PredictionString") or "").split()
        if len(parts) % 5:
            raise RoadsError(
                N_("submission line {line}: predictions are groups of five numbers"), field="submission", line=n
            )
        boxes = []
        for k in range(0, len(parts), 5):
            label, *xy = (int(v) for v in parts[k : k + 5])
            boxes.append(Box(CHALLENGE_CODES[label - 1], *map(float, xy)))
        out[row["ImageId"]] = boxes
    return out


@dataclass
class FolderScore:
    """A model scored on a folder: the scores, and every image's predictions (for a submission)."""

    evaluation: Evaluation
    predictions: list[tuple[str, list[Box]]]
    skipped: list[str]


def predict_boxes(detector: Any, image: np.ndarray) -> list[Box]:
    """A detector's damages in an image as :class:`Box` (pixels, with scores)."""
    return [Box(d.code, d.x1, d.y1, d.x2, d.y2, d.score) for d in detector.detect(image)]


def read_image(path: Path) -> np.ndarray:
    """An image of an evaluation set (BGR).

    Raises
    ------
    RoadsError
        An unreadable image, named.
    """
    import cv2

    data = np.fromfile(str(path), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise RoadsError(N_("{file} is not a readable image"), field="images", record=path.name, file=path.name)
    return image


def evaluate_folder(detector: Any, images: Path, labels: Path, classes: Sequence[str] = RDD2022_CLASSES) -> FolderScore:
    """Score ``detector`` on the images of a folder against their YOLO or VOC labels (an image without a label file
    has no damage).

    Raises
    ------
    RoadsError
        An unreadable image or label file (named with its line), or a folder without images.
    """
    files = image_files(images)
    if not files:
        raise RoadsError(N_("{folder} holds no images"), field="images", folder=images.name)
    items: list[tuple[list[Box], list[Box]]] = []
    predictions: list[tuple[str, list[Box]]] = []
    for path in files:
        image = read_image(path)
        h, w = image.shape[:2]
        found = label_file(labels, path)
        if found is None:
            truth: list[Box] = []
        elif found[1] == "yolo":
            truth = read_yolo_labels(found[0], w, h, classes)
        else:
            truth = read_voc(found[0])[0]
        preds = predict_boxes(detector, image)
        items.append((preds, truth))
        predictions.append((path.name, preds))
    return FolderScore(evaluate(items), predictions, [])
