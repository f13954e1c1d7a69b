"""Blurring people's faces (and licence plates, where a plate model is installed) before a frame or crop is kept.

Faces are found with OpenCV's own Haar cascades, shipped inside the ``opencv-python-headless`` wheel
(``cv2.data.haarcascades``: the frontal and the profile face, the profile also run on the mirrored image), so
nothing is downloaded. A plate detector is any installed model whose manifest says ``"purpose": "plate"``; it runs
through the same :class:`~kotacerdas.roads.detection.Detector`. Each region found is widened by
:data:`MARGIN` and replaced by a coarse pixelation followed by a strong Gaussian blur, so neither the face nor
the plate can be read back.

:class:`Blurrer` is what the camera pipeline calls on everything it keeps: only crops around a damage are stored,
never whole frames. The three cascade passes are the costly part, so a frame is searched **once**, whatever the
number of its crops: ``blur(frame, within=area)`` searches the part of the frame that its crops and a margin of
context around each (:data:`CONTEXT`, so that a face cut by a crop's edge is still found) cover, at the frame's
reduced width (:data:`DETECT_WIDTH`), maps what it finds back to the frame's full-size pixels and answers the
blurred copy and the regions it blurred; each crop is then cut from that copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MARGIN = 0.25
"""Share of a face's size added on every side of the region blurred."""
CONTEXT = 0.3
"""Share of a crop's size searched around it for faces that the crop's edge cuts."""
DETECT_WIDTH = 640
"""Frames are searched for faces at this width at most (the regions found are scaled back): the smallest face found
is 20 pixels at this width (the cascades' window), 40 pixels of a 1280-pixel-wide frame."""
Box = tuple[int, int, int, int]
_CASCADES = ("haarcascade_frontalface_alt2.xml", "haarcascade_profileface.xml")


@dataclass(frozen=True)
class Region:
    """A region of an image (pixels) that was blurred, and why (``face`` or ``plate``)."""

    kind: str
    x1: int
    y1: int
    x2: int
    y2: int

    def overlaps(self, x1: int, y1: int, x2: int, y2: int) -> bool:
        """Whether the region and the box ``x1 y1 x2 y2`` share any pixel."""
        return self.x1 < x2 and x1 < self.x2 and self.y1 < y2 and y1 < self.y2


def cascade_dir() -> Path:
    """OpenCV's bundled Haar cascades."""
    import cv2

    return Path(cv2.data.haarcascades)  # type: ignore[attr-defined]


BLOCKS = 4
"""A blurred region is first reduced to this many blocks across (no facial feature survives), then smoothed."""


def obscure(image: np.ndarray, x1: int, y1: int, x2: int, y2: int) -> None:
    """Pixelate ``image[y1:y2, x1:x2]`` to :data:`BLOCKS` blocks across, then blur it, in place."""
    import cv2

    roi = image[y1:y2, x1:x2]
    h, w = roi.shape[:2]
    if h < 2 or w < 2:
        return
    small = cv2.resize(roi, (BLOCKS, max(1, round(BLOCKS * h / w))), interpolation=cv2.INTER_AREA)
    coarse = cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
    k = max(3, (min(w, h) // 3) | 1)
    image[y1:y2, x1:x2] = cv2.GaussianBlur(coarse, (k, k), 0)


@dataclass
class Blurrer:
    """Finds faces (and plates, with a plate detector) and blurs them."""

    plate_detector: object | None = None
    min_face_px: int = 20
    _cascades: list = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        import cv2

        for name in _CASCADES:
            c = cv2.CascadeClassifier(str(cascade_dir() / name))
            if not c.empty():
                self._cascades.append(c)

    def faces(self, image: np.ndarray, within: Box | None = None) -> list[Box]:
        """Face boxes ``x1 y1 x2 y2`` in the image's full-size pixels, searched in ``within`` (``x1 y1 x2 y2``,
        default the whole image) at the image's reduced width (:data:`DETECT_WIDTH`)."""
        import cv2

        h, w = image.shape[:2]
        ax1, ay1, ax2, ay2 = within or (0, 0, w, h)
        scale = min(1.0, DETECT_WIDTH / float(w))
        area = image[ay1:ay2, ax1:ax2]
        if area.shape[0] < 2 or area.shape[1] < 2:
            return []
        small = area
        if scale < 1.0:
            size = (max(1, round(area.shape[1] * scale)), max(1, round(area.shape[0] * scale)))
            small = cv2.resize(area, size, interpolation=cv2.INTER_AREA)
        grey = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY))
        mini = max(12, int(self.min_face_px * scale))
        boxes: list[Box] = []
        for k, cascade in enumerate(self._cascades):
            variants = [(grey, False)] + ([(grey[:, ::-1].copy(), True)] if k == 1 else [])
            for g, mirrored in variants:
                found = cascade.detectMultiScale(g, scaleFactor=1.15, minNeighbors=5, minSize=(mini, mini))
                for x, y, bw, bh in found if len(found) else []:
                    if mirrored:
                        x = g.shape[1] - x - bw
                    boxes.append(
                        (
                            ax1 + int(x / scale),
                            ay1 + int(y / scale),
                            ax1 + int((x + bw) / scale),
                            ay1 + int((y + bh) / scale),
                        )
                    )
        return boxes

    def plates(self, image: np.ndarray, within: Box | None = None) -> list[Box]:
        """Plate boxes from the plate detector (none without one), searched in ``within`` (default the whole
        image), in the image's pixels."""
        if self.plate_detector is None:
            return []
        h, w = image.shape[:2]
        ax1, ay1, ax2, ay2 = within or (0, 0, w, h)
        found = self.plate_detector.detect(image[ay1:ay2, ax1:ax2])  # type: ignore[attr-defined]
        return [
            (ax1 + int(round(x1)), ay1 + int(round(y1)), ax1 + int(round(x2)), ay1 + int(round(y2)))
            for x1, y1, x2, y2 in (d.box for d in found)
        ]

    def blur(self, image: np.ndarray, within: Box | None = None) -> tuple[np.ndarray, list[Region]]:
        """A copy of ``image`` with every face and plate found in ``within`` (default the whole image) blurred,
        and the regions blurred (in the image's pixels)."""
        out = image.copy()
        h, w = out.shape[:2]
        regions: list[Region] = []
        for kind, boxes in (("face", self.faces(image, within)), ("plate", self.plates(image, within))):
            for x1, y1, x2, y2 in boxes:
                mx, my = int((x2 - x1) * MARGIN), int((y2 - y1) * MARGIN)
                r = Region(kind, max(0, x1 - mx), max(0, y1 - my), min(w, x2 + mx), min(h, y2 + my))
                obscure(out, r.x1, r.y1, r.x2, r.y2)
                regions.append(r)
        return out, regions
