"""Road damage detection models: their manifests, installing one into the data dir (checksums verified), listing them.

A model is installed under ``<data dir>/models/<name>/`` as its file(s) and a ``manifest.json``::

    {
      "name": "pothole-yolov5n",
      "runtime": "tflite",                   onnx | tflite | darknet
      "files": {"model": "best-int8.tflite"},  darknet: {"config": "x.cfg", "weights": "x.weights"}
      "sha256": {"best-int8.tflite": "04f2..."},
      "input_size": 320,
      "layout": "yolov5",                    yolov5 | yolov8 | darknet | end2end  (see detection.boxes)
      "preprocess": "letterbox",             letterbox | resize
      "classes": [{"name": "pothole", "code": "D40"}, ...],   one per output class, in order
      "score_threshold": 0.25, "nms_iou": 0.45,
      "purpose": "damage",                   damage | plate (a licence-plate detector for privacy)
      "licence": "MIT", "source": "...", "description": "..."
    }

``code`` maps a model's class to the road damage codes (D00 longitudinal crack, D10 transverse crack, D20
alligator crack, D40 pothole, or another code the model has, such as D43 or D44). ``install_model`` takes a file or
a folder (:func:`kotacerdas.roads.services.models.install` also a URL: an explicit download by the operator;
nothing is ever downloaded at run time), a manifest
(``--manifest``, a ``manifest.json`` beside the model, or one of :data:`KNOWN_MODELS` recognised by its checksum),
verifies every file's SHA-256, loads the model and checks its output layout against the manifest before anything
is stored.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError

RUNTIMES = ("onnx", "tflite", "darknet")
LAYOUTS = ("yolov5", "yolov8", "darknet", "end2end")
PURPOSES = ("damage", "plate")
DAMAGE_CODES = {
    "D00": N_("Longitudinal crack"),
    "D10": N_("Transverse crack"),
    "D20": N_("Alligator crack"),
    "D40": N_("Pothole"),
    "D43": N_("Faded crosswalk"),
    "D44": N_("Faded road marking"),
}
"""The road damage codes (RDD) with their English names (message ids)."""
MANIFEST = "manifest.json"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")


@dataclass(frozen=True)
class ModelClass:
    """One output class of a model and the damage code it maps to (``None``: not a damage, ignored)."""

    name: str
    code: str | None


@dataclass(frozen=True)
class ModelManifest:
    """What a model is and how to run it (see the module docstring)."""

    name: str
    runtime: str
    files: dict[str, str]
    sha256: dict[str, str]
    input_size: int
    classes: tuple[ModelClass, ...]
    layout: str = "yolov5"
    preprocess: str = "letterbox"
    score_threshold: float = 0.25
    nms_iou: float = 0.45
    purpose: str = "damage"
    licence: str = ""
    source: str = ""
    description: str = ""
    folder: str = field(default="", compare=False)

    @property
    def codes(self) -> list[str]:
        """The damage codes the model can find."""
        return sorted({c.code for c in self.classes if c.code})

    def path(self, role: str) -> Path:
        """The installed file of ``role`` (``model``, ``config``, ``weights``)."""
        return Path(self.folder) / self.files[role]

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("folder")
        out["classes"] = [{"name": c.name, "code": c.code} for c in self.classes]
        return out


def _bad(message: str, **kw: Any) -> RoadsError:
    return RoadsError(message, field="manifest", **kw)


def manifest_from_dict(data: Any, *, where: str = MANIFEST) -> ModelManifest:  # noqa: C901 - one check per key
    """A manifest from its JSON object; every missing or wrong key named.

    Raises
    ------
    RoadsError
        A key missing or of the wrong kind, an unknown runtime, layout or purpose, or no classes.
    """
    if not isinstance(data, dict):
        raise _bad(N_("{file} is not a JSON object"), file=where)
    for key in ("name", "runtime", "files", "input_size", "classes"):
        if key not in data:
            raise _bad(N_("{file} lacks the key {key}"), file=where, key=key)
    if data["runtime"] not in RUNTIMES:
        raise _bad(
            N_("{file}: runtime {value} is not one of {known}"),
            file=where,
            value=data["runtime"],
            known=", ".join(RUNTIMES),
        )
    layout = data.get("layout", "darknet" if data["runtime"] == "darknet" else "yolov5")
    if layout not in LAYOUTS:
        raise _bad(
            N_("{file}: layout {value} is not one of {known}"), file=where, value=layout, known=", ".join(LAYOUTS)
        )
    purpose = data.get("purpose", "damage")
    if purpose not in PURPOSES:
        raise _bad(
            N_("{file}: purpose {value} is not one of {known}"), file=where, value=purpose, known=", ".join(PURPOSES)
        )
    files = data["files"]
    roles = ("config", "weights") if data["runtime"] == "darknet" else ("model",)
    if not isinstance(files, dict) or any(not isinstance(files.get(r), str) for r in roles):
        raise _bad(N_("{file}: files must name {roles}"), file=where, roles=", ".join(roles))
    classes = data["classes"]
    if not isinstance(classes, list) or not classes:
        raise _bad(N_("{file}: classes must be a non-empty list"), file=where)
    parsed = []
    for k, c in enumerate(classes):
        if isinstance(c, str):
            c = {"name": c, "code": c if c in DAMAGE_CODES else None}
        if not isinstance(c, dict) or not isinstance(c.get("name"), str):
            raise _bad(N_("{file}: class {index} needs a name"), file=where, index=k)
        code = c.get("code")
        parsed.append(ModelClass(c["name"], None if code in (None, "") else str(code)))
    try:
        size = int(data["input_size"])
        score = float(data.get("score_threshold", 0.25))
        nms = float(data.get("nms_iou", 0.45))
    except (TypeError, ValueError):
        raise _bad(N_("{file}: input_size, score_threshold and nms_iou must be numbers"), file=where) from None
    if not 32 <= size <= 4096 or not 0 < score < 1 or not 0 < nms < 1:
        raise _bad(N_("{file}: input_size, score_threshold or nms_iou out of range"), file=where)
    sha = data.get("sha256") or {}
    if not isinstance(sha, dict):
        raise _bad(N_("{file}: sha256 must map each file to its checksum"), file=where)
    return ModelManifest(
        name=str(data["name"]),
        runtime=data["runtime"],
        files={r: str(files[r]) for r in roles},
        sha256={str(k): str(v).lower() for k, v in sha.items()},
        input_size=size,
        classes=tuple(parsed),
        layout=layout,
        preprocess=data.get("preprocess", "resize" if data["runtime"] == "darknet" else "letterbox"),
        score_threshold=score,
        nms_iou=nms,
        purpose=purpose,
        licence=str(data.get("licence", "")),
        source=str(data.get("source", "")),
        description=str(data.get("description", "")),
    )


def manifest_of(data: dict[str, Any]) -> ModelManifest:
    """A manifest from :meth:`ModelManifest.as_dict` plus its ``folder`` (what a worker process is handed)."""
    return replace(manifest_from_dict(data), folder=str(data.get("folder", "")))


def read_manifest(path: Path) -> ModelManifest:
    """The manifest in a JSON file (its folder is where the model's files are)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(N_("{file} is not readable JSON: {reason}"), file=path.name, reason=str(exc)[:200]) from None
    return replace(manifest_from_dict(data, where=path.name), folder=str(path.parent))


#: Manifests of known, openly licensed models, recognised by the SHA-256 of their main file. The weights are not
#: part of kotacerdas: an operator installs them from wherever they have them.
KNOWN_MODELS: dict[str, dict[str, Any]] = {
    "04f298f2d62b0d6de9aabe0ef06ab04fec8bf35f6ff974eb541b67f15126e907": {
        "name": "pothole-yolov5n-int8",
        "runtime": "tflite",
        "files": {"model": "best-int8.tflite"},
        "sha256": {"best-int8.tflite": "04f298f2d62b0d6de9aabe0ef06ab04fec8bf35f6ff974eb541b67f15126e907"},
        "input_size": 320,
        "layout": "yolov5",
        "preprocess": "letterbox",
        # The author describes a single-class pothole detector; its head has three class outputs, all of them
        # pothole evidence, so each maps to D40.
        "classes": [
            {"name": "pothole-0", "code": "D40"},
            {"name": "pothole-1", "code": "D40"},
            {"name": "pothole", "code": "D40"},
        ],
        "score_threshold": 0.25,
        "nms_iou": 0.45,
        "licence": "MIT",
        "source": "YOLOv5n trained by Shrey Patel on a road damage dataset, exported to INT8 TFLite",
        "description": "Pothole detector (YOLOv5n, INT8 TFLite, 320 x 320)",
    },
    "0107fa68c259d3f3f85d11c506fc1543039b1df241adbab571ed86ee99228fbe": {
        "name": "road-damage-yolo-fastest-320",
        "runtime": "darknet",
        "files": {"config": "yolo-fastest.cfg", "weights": "yolo-fastest_6000.weights"},
        "sha256": {
            "yolo-fastest.cfg": "8919ea3d9586c2d9f9bae4d648c50085f03030a38ea158c1efc7a54d0fab5fb5",
            "yolo-fastest_6000.weights": "0107fa68c259d3f3f85d11c506fc1543039b1df241adbab571ed86ee99228fbe",
        },
        "input_size": 320,
        "layout": "darknet",
        "preprocess": "resize",
        # RDD2018 classes: D01 and D11 are the construction-joint parts of longitudinal and transverse cracks.
        "classes": [
            {"name": "D00", "code": "D00"},
            {"name": "D01", "code": "D00"},
            {"name": "D10", "code": "D10"},
            {"name": "D11", "code": "D10"},
            {"name": "D20", "code": "D20"},
            {"name": "D40", "code": "D40"},
            {"name": "D43", "code": "D43"},
            {"name": "D44", "code": "D44"},
        ],
        "score_threshold": 0.25,
        "nms_iou": 0.45,
        "licence": "MIT",
        "source": "Yolo-Fastest trained on RDD2018 (8 classes), Darknet cfg + weights",
        "description": "Road damage detector (Yolo-Fastest, Darknet, 320 x 320, RDD2018 classes)",
    },
}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def models_dir(data_dir: str | Path) -> Path:
    """Where installed models live: ``<data dir>/models``."""
    return Path(data_dir) / "models"


def verify(manifest: ModelManifest) -> None:
    """Check that every file of an installed model is there with the SHA-256 of its manifest.

    Raises
    ------
    RoadsError
        A file missing, a checksum missing from the manifest, or a checksum that does not match.
    """
    for role, name in manifest.files.items():
        p = Path(manifest.folder) / name
        if not p.is_file():
            raise RoadsError(
                N_("model {model}: its {role} file {file} is missing"),
                field="model",
                model=manifest.name,
                role=role,
                file=name,
            )
        expected = manifest.sha256.get(name)
        if not expected:
            raise RoadsError(
                N_("model {model}: the manifest gives no sha256 for {file}"),
                field="sha256",
                model=manifest.name,
                file=name,
            )
        actual = sha256_file(p)
        if actual != expected:
            raise RoadsError(
                N_("model {model}: {file} does not match its manifest's checksum (expected {expected}, got {actual})"),
                field="sha256",
                model=manifest.name,
                file=name,
                expected=expected[:12],
                actual=actual[:12],
            )


def is_url(source: str | Path) -> bool:
    """Whether ``source`` is a URL (``file://``, ``http://``, ``https://``) rather than a path."""
    return urlparse(str(source)).scheme in ("http", "https", "file")


def _locate(path: Path, manifest_file: Path | None) -> ModelManifest:
    """The manifest of the model at ``path`` (a file or a folder), its ``folder`` set to where the files are."""
    folder = path if path.is_dir() else path.parent
    if manifest_file is not None:
        return replace(read_manifest(manifest_file), folder=str(folder))
    if (folder / MANIFEST).is_file():
        return read_manifest(folder / MANIFEST)
    candidates = [path] if path.is_file() else sorted(p for p in folder.iterdir() if p.is_file())
    for p in candidates:
        if p.stat().st_size > 10_000:
            known = KNOWN_MODELS.get(sha256_file(p))
            if known is not None:
                return replace(manifest_from_dict(known), folder=str(folder))
    raise RoadsError(
        N_(
            "no manifest for the model at {path}: give one with --manifest FILE (name, runtime, files, sha256, classes)"
        ),
        field="manifest",
        path=path.name,
    )


def install_model(
    source: str | Path, name: str, data_dir: str | Path, *, manifest_file: Path | None = None, replace_existing=False
) -> ModelManifest:
    """Install a model under ``<data dir>/models/<name>`` after verifying its files and its output layout.

    Raises
    ------
    RoadsError
        A bad name, no manifest, a missing file, a checksum or output layout that does not match the manifest,
        or a model of that name already installed (unless ``replace_existing``).
    """
    if not _NAME.match(name):
        raise RoadsError(
            N_("model name {name} must be lower-case letters, digits, dots, dashes or underscores"),
            field="name",
            name=name,
        )
    target = models_dir(data_dir) / name
    if target.exists() and not replace_existing:
        raise RoadsError(N_("a model named {name} is already installed"), field="name", name=name)
    path = Path(source)
    if not path.exists():
        raise RoadsError(N_("{path} does not exist"), field="path", path=str(source))
    manifest = replace(_locate(path, manifest_file), name=name)
    verify(manifest)
    from kotacerdas.roads.detection import load_detector

    load_detector(manifest).check()
    staging = models_dir(data_dir) / f".{name}.part"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for file in manifest.files.values():
        shutil.copyfile(Path(manifest.folder) / file, staging / file)
    (staging / MANIFEST).write_text(json.dumps(manifest.as_dict(), indent=2) + "\n", encoding="utf-8")
    if target.exists():
        shutil.rmtree(target)
    staging.replace(target)
    return replace(manifest, folder=str(target))


def list_models(data_dir: str | Path) -> list[ModelManifest]:
    """The installed models, by name (a folder whose manifest cannot be read is skipped)."""
    root = models_dir(data_dir)
    out = []
    if root.is_dir():
        for d in sorted(root.iterdir()):
            if d.is_dir() and not d.name.startswith(".") and (d / MANIFEST).is_file():
                try:
                    out.append(read_manifest(d / MANIFEST))
                except RoadsError:
                    continue
    return out


def get_model(data_dir: str | Path, name: str) -> ModelManifest:
    """The installed model ``name``, its checksums verified."""
    path = models_dir(data_dir) / name / MANIFEST
    if not path.is_file():
        known = ", ".join(m.name for m in list_models(data_dir)) or "–"
        raise RoadsError(
            N_("no model named {name} is installed (installed: {known})"), field="model", name=name, known=known
        )
    manifest = read_manifest(path)
    verify(manifest)
    return manifest


def shared_models(shared_dir: str | Path) -> list[ModelManifest]:
    """The known models found (by checksum) in a folder of model folders, e.g. the test data's ``models/``."""
    root = Path(shared_dir)
    out = []
    if root.is_dir():
        for d in sorted(root.iterdir()):
            if d.is_dir():
                try:
                    out.append(_locate(d, None))
                except RoadsError:
                    continue
    return out
