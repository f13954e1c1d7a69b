"""A camera drive's input read and its frames chosen: a video with its track (or GPS of its own), or geotagged photos.

:func:`prepare_video` and :func:`prepare_photos` give a :class:`Prepared` for
:func:`kotacerdas.roads.services.damage.import_capture`, with clear errors naming the file and the reason: a corrupt
video, no GPS, no overlap with the track, no photo with EXIF GPS.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.streams import Track
from kotacerdas.roads.video import EVERY_M, FramePose


@dataclass
class Prepared:
    """An input read and its frames chosen: what to inspect, and what the reading found."""

    kind: str  # video | photos
    path: Path
    poses: list[FramePose]
    started: float | None
    ended: float | None
    photo_files: list[str] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    offset_s: float = 0.0
    every_m: float = EVERY_M


def error_item(exc: RoadsError, file: str) -> dict[str, Any]:
    """A refused input as the report keeps it: the file, the message id and its parameters (shown localised)."""
    return {"file": file, "message": exc.message, "params": {k: str(v) for k, v in exc.params.items()}}


def read_track(path: str | Path) -> Track:
    """A GPS track from any file Road Manager reads: a survey (package, phone app export, GPX/NMEA with an
    accelerometer CSV), or a bare GPX or NMEA track.

    Raises
    ------
    RoadsError
        A file none of the readers accepts, with the reason.
    """
    from kotacerdas.roads.formats.gpx import NMEA_SUFFIXES, parse_gpx
    from kotacerdas.roads.formats.nmea import parse_nmea
    from kotacerdas.roads.formats.reading import ImportReport, text_of
    from kotacerdas.roads.formats.survey import import_survey

    p = Path(path)
    name = p.name.lower()
    if p.is_file() and name.endswith(".gpx"):
        track, _t = parse_gpx(p.read_bytes(), p.name, ImportReport(source=p.name, format="gpx"))
        return track
    if p.is_file() and name.endswith(NMEA_SUFFIXES):
        track, _t = parse_nmea(text_of(p.read_bytes(), p.name), p.name, ImportReport(source=p.name, format="nmea"))
        return track
    return import_survey(p).streams.track


def prepare_video(
    video: str | Path,
    track: Track | None = None,
    *,
    offset_s: float = 0.0,
    every_m: float = EVERY_M,
    start: float | None = None,
) -> Prepared:
    """Read a video and choose its frames by distance on ``track`` (or on the GPS embedded in the video).

    ``start`` (epoch, :func:`kotacerdas.roads.video.parse_start`) is when the video started, for one that does not
    say (WhatsApp strips the recording time); given, it replaces the recording time. ``offset_s`` is added to it.

    Raises
    ------
    RoadsError
        A file that is not a readable video, a video with no GPS (neither a track nor embedded), or one that does
        not overlap its track; every message names the file.
    """
    from kotacerdas.roads.video import align, embedded_track, probe_video, sample_poses

    path = Path(video)
    info = probe_video(path)
    source = "track"
    if track is None:
        embedded = embedded_track(path)
        if embedded is None:
            raise RoadsError(
                N_("video {file} has no GPS of its own: give its track (GPX, NMEA or a survey)"),
                field="track",
                record=path.name,
                file=path.name,
            )
        track, source = embedded[0], "embedded"
        start = embedded[1] if start is None else start
    v0, lo, hi = align(info, track, offset_s=offset_s, start=start)
    poses = sample_poses(track, lo, hi, every_m=every_m, video_start=v0)
    if not poses:
        raise RoadsError(
            N_("video {file}: the vehicle does not move while it records; no frame to inspect"),
            field="track",
            record=path.name,
            file=path.name,
        )
    report = {
        "video": asdict(info),
        "track": source,
        "video_start": datetime.fromtimestamp(v0, UTC).isoformat(),
        "overlap_s": round(hi - lo, 2),
        "frames": len(poses),
        "every_m": every_m,
    }
    return Prepared("video", path, poses, lo, hi, report=report, offset_s=offset_s, every_m=every_m)


def poses_from_photos(fixes: Sequence[Any]) -> list[FramePose]:
    """A pose per photo (in time order), with the distance driven along them."""
    from kotacerdas.core.geometry import distance_m

    out: list[FramePose] = []
    dist = 0.0
    for k, f in enumerate(fixes):
        if k:
            dist += distance_m(fixes[k - 1].lon, fixes[k - 1].lat, f.lon, f.lat)
        out.append(
            FramePose(
                k,
                f.t,
                0.0,
                f.lon,
                f.lat,
                f.heading_deg if f.heading_deg == f.heading_deg else 0.0,
                f.speed_mps if f.speed_mps == f.speed_mps else 0.0,
                round(dist, 2),
            )
        )
    return out


def prepare_photos(path: str | Path, *, utc_offset_hours: float | None = 7.0) -> Prepared:
    """Read geotagged photos (a folder, a zip or one JPEG); those without EXIF GPS are listed as refused.

    Raises
    ------
    RoadsError
        When not one photo has a GPS position (the first refusal says why).
    """
    from kotacerdas.roads.photos import read_photos

    path = Path(path)
    fixes, refused = read_photos(path, utc_offset_hours=utc_offset_hours)
    if not fixes:
        if refused:
            raise refused[0][1]
        raise RoadsError(N_("{file} holds no JPEG photo"), field="file", record=path.name, file=path.name)
    poses = poses_from_photos(fixes)
    return Prepared(
        "photos",
        path,
        poses,
        fixes[0].t,
        fixes[-1].t,
        photo_files=[f.file for f in fixes],
        refused=[error_item(exc, name) for name, exc in refused],
        report={"photos": len(fixes), "refused": len(refused)},
        every_m=0.0,
    )
