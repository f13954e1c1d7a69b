"""The camera half of a survey package: a video or geotagged photos carried beside the sensor streams.

A survey package (:mod:`kotacerdas.roads.formats.package`) may list, in its ``manifest.json``, media files::

    "media": [
      {"kind": "video", "file": "media/drive.mp4", "sha256": "<hex>", "offset_s": 0.0},
      {"kind": "photos", "folder": "photos/"}
    ]

A ``video`` is aligned with the package's own location stream (its clock plus ``offset_s``); ``photos`` are the
JPEGs under ``folder``, each placed by its EXIF GPS. So one upload holds a whole patrol drive: the accelerometer for
the roughness, the camera for the damage. Readers that know nothing of media ignore the key. A video whose checksum
does not match the manifest is refused (altered or truncated).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.reading import Source, file_sha256

MEDIA_KINDS = ("video", "photos")


@dataclass(frozen=True)
class Media:
    """A media entry of a package, extracted to ``path`` (a video file, or a folder of photos)."""

    kind: str
    path: Path
    offset_s: float = 0.0


def media_entries(source: Source) -> list[dict]:
    """The ``media`` list of a package's manifest (empty when it has none), each entry checked."""
    name = source.find("manifest.json")
    if name is None:
        return []
    try:
        manifest = json.loads(source.read_text(name))
    except json.JSONDecodeError:
        return []
    media = manifest.get("media") or []
    if not isinstance(media, list):
        raise RoadsError(N_("manifest.json: media must be a list"), field="media", record="manifest.json")
    for k, m in enumerate(media):
        where = f"manifest.json:media[{k}]"
        if not isinstance(m, dict) or m.get("kind") not in MEDIA_KINDS:
            raise RoadsError(N_("a media entry needs a kind (video or photos)"), field="media", record=where)
        if m["kind"] == "video" and not (isinstance(m.get("file"), str) and isinstance(m.get("sha256"), str)):
            raise RoadsError(N_("a video entry needs its file and sha256"), field="media", record=where)
        if m["kind"] == "photos" and not isinstance(m.get("folder"), str):
            raise RoadsError(N_("a photos entry needs its folder"), field="media", record=where)
    return media


def extract_media(path: str | Path, target: Path) -> list[Media]:
    """The media of the package at ``path``, copied under ``target`` (checksums verified)."""
    source = Source(path)
    try:
        out: list[Media] = []
        for k, m in enumerate(media_entries(source)):
            where = f"manifest.json:media[{k}]"
            if m["kind"] == "video":
                found = next((n for n in source.names if n.lstrip("./") == m["file"].lstrip("./")), None)
                if found is None:
                    raise RoadsError(
                        N_("the survey package lacks the file {file} named in its manifest"),
                        field="media",
                        record=where,
                        file=m["file"],
                    )
                data = source.read_bytes(found)
                if file_sha256(data) != m["sha256"].lower():
                    raise RoadsError(
                        N_("{file} does not match its SHA-256 in the manifest (altered or truncated)"),
                        field="sha256",
                        record=m["file"],
                        file=m["file"],
                    )
                dest = target / f"{k}-{PurePosixPath(found).name}"
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
                out.append(Media("video", dest, float(m.get("offset_s") or 0.0)))
            else:
                prefix = m["folder"].strip("/") + "/"
                folder = target / f"{k}-photos"
                folder.mkdir(parents=True, exist_ok=True)
                for n in source.names:
                    if n.startswith(prefix) and n.lower().endswith((".jpg", ".jpeg")):
                        (folder / PurePosixPath(n).name).write_bytes(source.read_bytes(n))
                out.append(Media("photos", folder))
        return out
    finally:
        source.close()


def add_media(
    package: str | Path, video: str | Path | None = None, photos: str | Path | None = None, *, offset_s: float = 0.0
) -> Path:
    """Add a video and/or a folder of photos to a survey package zip, listing them in its manifest."""
    import tempfile
    import zipfile

    package = Path(package)
    with zipfile.ZipFile(package) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        items = [(n, zf.read(n)) for n in zf.namelist() if n != "manifest.json"]
    media: list[dict] = list(manifest.get("media") or [])
    if video is not None:
        v = Path(video)
        data = v.read_bytes()
        name = f"media/{v.name}"
        items.append((name, data))
        media.append({"kind": "video", "file": name, "sha256": file_sha256(data), "offset_s": offset_s})
    if photos is not None:
        for p in sorted(Path(photos).glob("*.jp*g")):
            items.append((f"photos/{p.name}", p.read_bytes()))
        media.append({"kind": "photos", "folder": "photos/"})
    manifest["media"] = media
    with tempfile.NamedTemporaryFile(dir=package.parent, delete=False, suffix=".zip") as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")
            for n, data in items:
                zf.writestr(n, data)
    shutil.move(tmp.name, package)
    return package
