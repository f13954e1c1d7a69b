"""The camera pipeline of one drive: frames in, placed and blurred damage sightings out (no database).

For a video, the frames are chosen by distance (:func:`kotacerdas.roads.video.sample_poses`) and decoded in order;
for photos, each photo is a frame at its EXIF position. Every frame goes through the same stages, each timed:

1. **decode**: the frame as a BGR image;
2. **detect**: the model (:class:`kotacerdas.roads.detection.Detector`);
3. **place**: each box onto the road from the frame's position and heading and the vehicle's camera model
   (:mod:`kotacerdas.roads.placement`); boxes that do not see the road within range are dropped;
4. **blur**: the frame searched once for faces and plates, in the part its crops (each with context) cover, at
   reduced width, and blurred (:mod:`kotacerdas.roads.privacy`); each crop around a damage is cut from the blurred
   frame *before* it is encoded as JPEG: nothing unblurred leaves this module.

A frame that fails (cannot be decoded, a runtime error) is reported with its reason and skipped; the drive goes on.
Reasons are message ids with their parameters (``error``, ``error_params``), translated where they are shown.
:func:`inspect_drive` is a plain function of picklable arguments, so a process pool or a Ray worker can run it;
:class:`DriveTask` says what to inspect, :class:`DriveOutcome` is what comes back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kotacerdas.core.i18n import N_
from kotacerdas.roads.placement import CameraModel, offset_lonlat, place_box
from kotacerdas.roads.video import FramePose

STAGES = ("decode", "detect", "place", "blur")
CROP_MARGIN = 0.15
CROP_MAX_PX = 480
JPEG_QUALITY = 85


@dataclass(frozen=True)
class FrameDamage:
    """One damage found in a frame, placed on the ground, with its blurred crop (JPEG bytes)."""

    code: str
    class_name: str
    confidence: float
    box: tuple[float, float, float, float]
    lon: float
    lat: float
    forward_m: float
    area_m2: float
    crop: bytes
    blurred: int


@dataclass
class FrameOutcome:
    """What one frame gave: its pose, the damages placed, or the reason it failed (a message id and its
    parameters)."""

    index: int
    pose: FramePose
    damages: list[FrameDamage] = field(default_factory=list)
    error: str = ""
    source: str = ""
    error_params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DriveTask:
    """A drive to inspect: a video (with the poses of the frames wanted) or photos (each with its pose)."""

    key: str
    kind: str  # video | photos
    path: str
    poses: tuple[FramePose, ...]
    model: dict[str, Any]  # the manifest (ModelManifest.as_dict()) with its "folder"
    camera: dict[str, float]
    plate_model: dict[str, Any] | None = None
    photo_files: tuple[str, ...] = ()
    start_index: int = 0
    threads: int = 1


@dataclass
class DriveOutcome:
    """What a drive gave: every frame's outcome and the seconds spent per stage, or why it failed (a message id and
    its parameters)."""

    key: str
    frames: list[FrameOutcome]
    seconds: dict[str, float]
    model: str
    error: str = ""
    error_params: dict[str, Any] = field(default_factory=dict)


def crop_box(
    image: np.ndarray, box: tuple[float, float, float, float], margin: float = CROP_MARGIN
) -> tuple[int, int, int, int]:
    """The crop ``x1 y1 x2 y2`` around a box, widened by ``margin`` of its size, inside the image."""
    h, w = image.shape[:2]
    x1, y1, x2, y2 = box
    mx, my = (x2 - x1) * margin + 4, (y2 - y1) * margin + 4
    return (max(0, int(x1 - mx)), max(0, int(y1 - my)), min(w, int(x2 + mx + 1)), min(h, int(y2 + my + 1)))


def _jpeg(crop: np.ndarray) -> bytes:
    import cv2

    h, w = crop.shape[:2]
    scale = min(1.0, CROP_MAX_PX / max(h, w, 1))
    if scale < 1.0:
        crop = cv2.resize(crop, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    return bytes(data) if ok else b""


def blurred_crops(
    image: np.ndarray, boxes: list[tuple[float, float, float, float]], blurrer: Any
) -> list[tuple[bytes, int]]:
    """A JPEG of the crop around each box with every face and plate blurred, and how many blurred regions it shows.

    The frame is searched once (:meth:`kotacerdas.roads.privacy.Blurrer.blur`), in the part that the crops widened
    by :data:`kotacerdas.roads.privacy.CONTEXT` cover (so a face cut by a crop's edge is still found), and every crop
    is cut from the blurred copy: the cost is one search per frame, not one per damage.
    """
    from kotacerdas.roads.privacy import CONTEXT

    if not boxes:
        return []
    crops = [crop_box(image, box) for box in boxes]
    around = [crop_box(image, c, CONTEXT) for c in crops]
    area = (min(a[0] for a in around), min(a[1] for a in around), max(a[2] for a in around), max(a[3] for a in around))
    blurred, regions = blurrer.blur(image, within=area)
    return [
        (_jpeg(blurred[y1:y2, x1:x2]), sum(1 for r in regions if r.overlaps(x1, y1, x2, y2)))
        for x1, y1, x2, y2 in crops
    ]


class FrameInspector:
    """Detects, places and blurs the damages of one frame after another, timing each stage."""

    def __init__(self, detector: Any, camera: CameraModel, blurrer: Any) -> None:
        self.detector = detector
        self.camera = camera
        self.blurrer = blurrer
        self.seconds = {s: 0.0 for s in STAGES}

    def inspect(self, image: np.ndarray, pose: FramePose) -> list[FrameDamage]:
        t0 = time.perf_counter()
        found = self.detector.detect(image)
        t1 = time.perf_counter()
        h, w = image.shape[:2]
        placed = []
        for d in found:
            p = place_box(self.camera, d.box, w, h)
            if p is None:
                continue
            lon, lat = offset_lonlat(pose.lon, pose.lat, pose.heading_deg, p.forward_m, p.right_m)
            placed.append((d, p, lon, lat))
        t2 = time.perf_counter()
        out = []
        jpegs = blurred_crops(image, [d.box for d, _p, _lon, _lat in placed], self.blurrer)
        for (d, p, lon, lat), (crop, n) in zip(placed, jpegs, strict=True):
            out.append(
                FrameDamage(
                    d.code, d.class_name, d.score, d.box, lon, lat, round(p.forward_m, 2), round(p.area_m2, 3), crop, n
                )
            )
        t3 = time.perf_counter()
        self.seconds["detect"] += t1 - t0
        self.seconds["place"] += t2 - t1
        self.seconds["blur"] += t3 - t2
        return out


Frames = Iterator[tuple[FramePose, np.ndarray | None, str, dict[str, Any]]]


def _video_frames(task: DriveTask, poses: list[FramePose]) -> Frames:
    from kotacerdas.roads.video import decode_frames

    for item in decode_frames(task.path, [p.video_s for p in poses]):
        yield poses[item.index], item.image, item.error, item.params


def _photo_frames(task: DriveTask, poses: list[FramePose]) -> Frames:
    import cv2

    from kotacerdas.roads.photos import photo_bytes

    files = task.photo_files[task.start_index :]
    for pose, name in zip(poses, files, strict=True):
        try:
            data = np.frombuffer(photo_bytes(task.path, name), dtype=np.uint8)
            img = cv2.imdecode(data, cv2.IMREAD_COLOR)
        except Exception as exc:  # a broken file in the folder or archive: reported, the drive goes on
            yield pose, None, N_("photo {file} cannot be read: {reason}"), {"file": name, "reason": str(exc)[:200]}
            continue
        if img is None:
            yield pose, None, N_("photo {file} is not a readable image"), {"file": name}
        else:
            yield pose, img, "", {}


def plain_params(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters of a message as stored (JSON): numbers and text kept, anything else as text."""
    return {k: v if isinstance(v, (int, float, str)) and not isinstance(v, bool) else str(v) for k, v in params.items()}


def load_inspector(task: DriveTask) -> FrameInspector:
    """The detector, camera and blurrer of a task (models loaded and verified by checksum)."""
    from kotacerdas.roads.detection import load_detector
    from kotacerdas.roads.models import manifest_of, verify
    from kotacerdas.roads.privacy import Blurrer

    manifest = manifest_of(task.model)
    verify(manifest)
    plate = None
    if task.plate_model:
        pm = manifest_of(task.plate_model)
        verify(pm)
        plate = load_detector(pm, threads=task.threads)
    return FrameInspector(
        load_detector(manifest, threads=task.threads), CameraModel.from_dict(task.camera), Blurrer(plate_detector=plate)
    )


def inspect_drive(
    task: DriveTask,
    *,
    inspector: FrameInspector | None = None,
    on_frame: Callable[[FrameOutcome], None] | None = None,
) -> DriveOutcome:
    """Inspect every frame of a drive from ``task.start_index`` on (see the module docstring).

    ``on_frame`` is told of each frame as it is done (a job stores them in batches, so a rerun goes on from
    there). A model that cannot be loaded fails the drive (``error``); a frame that fails fails only itself.
    """
    from kotacerdas.roads.errors import RoadsError

    try:
        insp = inspector or load_inspector(task)
    except RoadsError as exc:
        return DriveOutcome(
            task.key, [], {s: 0.0 for s in STAGES}, "", error=exc.message, error_params=plain_params(exc.params)
        )
    poses = list(task.poses[task.start_index :])
    frames = _video_frames(task, poses) if task.kind == "video" else _photo_frames(task, poses)
    outcomes: list[FrameOutcome] = []
    decode = 0.0
    t = time.perf_counter()
    for pose, image, error, params in frames:
        decode += time.perf_counter() - t
        name = task.photo_files[pose.index] if task.kind == "photos" else ""
        outcome = FrameOutcome(pose.index, pose, source=name)
        if image is None:
            outcome.error, outcome.error_params = error or N_("no image"), params
        else:
            try:
                outcome.damages = insp.inspect(image, pose)
            except Exception as exc:  # a runtime fault on one frame is reported and the drive goes on
                outcome.error = N_("the model failed on this frame: {reason}")
                outcome.error_params = {"reason": f"{type(exc).__name__}: {str(exc)[:180]}"}
        outcomes.append(outcome)
        if on_frame is not None:
            on_frame(outcome)
        t = time.perf_counter()
    seconds = dict(insp.seconds)
    seconds["decode"] = decode
    return DriveOutcome(task.key, outcomes, seconds, insp.detector.name)
