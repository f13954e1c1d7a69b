"""Dashcam and phone video: reading it (PyAV), aligning it with its GPS track, and choosing frames by distance.

* :func:`probe_video` opens an MP4/MOV/MKV and reads its size, rate, duration and recording time (the container's
  ``creation_time``, UTC), refusing a file that is not a readable video with the reason;
* :func:`embedded_track` reads GPS carried inside the video (GoPro GPMF, or NMEA sentences in a data track:
  :mod:`kotacerdas.roads.formats.gpmf`), which also tells when the video started;
* :func:`align` puts the video on the track's clock: it starts at its recording time, or at the ``start`` the
  operator gives for a video that does not say (WhatsApp strips it; :func:`parse_start` reads it), plus an
  ``offset_s`` the operator may give (a phone's clock, a dashcam set to local time); when the video and the track
  do not overlap it says so, with both spans;
* :func:`sample_poses` picks a frame every ``every_m`` metres driven (5 m by default), none while the vehicle stands
  still (fixes slower than ``min_speed_mps`` add no distance, so GPS jitter at a stop takes no frame), each with its
  time, position, heading and speed interpolated on the track;
* :func:`decode_frames` decodes the video once, in order, and hands over the frames nearest each wanted time (BGR
  arrays); a frame that cannot be decoded is reported and skipped, the rest of the video is still read. Decoding
  runs in a thread of its own while the caller works on the previous frame (PyAV and the model runtimes release
  the GIL), so two cores are used.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from kotacerdas.core.geometry import WGS84, distance_m
from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.gpmf import gps_samples
from kotacerdas.roads.streams import Track

VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv", ".m4v", ".avi")
EVERY_M = 5.0
MIN_SPEED_MPS = 1.0
MAX_WIDTH = 1280
"""Frames wider than this are scaled down when decoded (detection works at 320 px; crops need no more)."""
MIN_OVERLAP_S = 1.0
START_EXAMPLE = "2025-07-01T08:00:00+07:00"


@dataclass(frozen=True)
class VideoInfo:
    """What a video file holds."""

    file: str
    width: int
    height: int
    fps: float
    duration_s: float
    frames: int
    codec: str
    recorded_at: float | None
    data_streams: int


@dataclass(frozen=True)
class FramePose:
    """A frame chosen by distance: its number, times (epoch, and seconds into the video), position, heading
    (degrees clockwise from north), speed and distance driven since the first frame."""

    index: int
    t: float
    video_s: float
    lon: float
    lat: float
    heading_deg: float
    speed_mps: float
    distance_m: float


def _bad_video(file: str, reason: object) -> RoadsError:
    return RoadsError(
        N_("{file} is not a readable video: {reason}"), field="video", record=file, file=file, reason=str(reason)[:200]
    )


def _open(path: Path):
    import av

    try:
        return av.open(str(path))
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise _bad_video(path.name, exc) from None


def _recorded_at(meta: dict[str, str]) -> float | None:
    text = meta.get("creation_time") or meta.get("com.apple.quicktime.creationdate")
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp() if value.year > 1980 else None


def probe_video(path: str | Path) -> VideoInfo:
    """The size, rate, duration and recording time of a video.

    Raises
    ------
    RoadsError
        A file that is not a readable video, or one with no video stream.
    """
    path = Path(path)
    with _open(path) as c:
        if not c.streams.video:
            raise RoadsError(N_("{file} has no video stream"), field="video", record=path.name, file=path.name)
        st = c.streams.video[0]
        ctx = st.codec_context
        fps = float(st.average_rate or st.guessed_rate or 0) or 30.0
        if st.duration is not None and st.time_base is not None:
            duration = float(st.duration * st.time_base)
        elif c.duration:
            duration = c.duration / 1_000_000
        else:
            duration = 0.0
        meta = {**c.metadata, **st.metadata}
        return VideoInfo(
            file=path.name,
            width=int(ctx.width),
            height=int(ctx.height),
            fps=fps,
            duration_s=duration,
            frames=int(st.frames or round(duration * fps)),
            codec=ctx.name,
            recorded_at=_recorded_at(meta),
            data_streams=len(c.streams.data),
        )


def embedded_track(path: str | Path) -> tuple[Track, float] | None:
    """The GPS track carried inside a video and the epoch at which the video starts, or ``None`` when it has none.

    GoPro GPMF payloads (``GPS5`` with ``GPSU``, or ``GPS9``) and NMEA text in a data track are read.
    """
    from kotacerdas.roads.formats.nmea import parse_nmea
    from kotacerdas.roads.formats.reading import ImportReport

    path = Path(path)
    with _open(path) as c:
        if not c.streams.data:
            return None
        st = c.streams.data[0]
        tb = float(st.time_base) if st.time_base else 1.0
        rows: list[tuple[float, float, float, float]] = []
        starts: list[tuple[float, float]] = []  # (video seconds, epoch of the payload's first sample)
        nmea: list[str] = []
        try:
            for pk in c.demux(st):
                data = bytes(pk)
                if not data or pk.pts is None:
                    continue
                at = float(pk.pts) * tb
                if data[:1] == b"$":
                    if not nmea:
                        starts.append((at, float("nan")))
                    nmea.append(data.decode("ascii", "replace"))
                    continue
                got = gps_samples(data, float(pk.duration or 0) * tb or 1.0)
                if got:
                    starts.append((at, got[0][0]))
                    rows.extend(got)
        except RoadsError:
            raise
        except Exception as exc:  # PyAV's demuxer errors on a truncated file
            raise _bad_video(path.name, exc) from None
    if nmea:
        track, _table = parse_nmea("\n".join(nmea), path.name, ImportReport(source=path.name, format="nmea"))
        if len(track) < 2:
            return None
        return track, float(track.t[0]) - starts[0][0]
    if len(rows) < 2:
        return None
    arr = np.array(rows, dtype=float)
    order = np.argsort(arr[:, 0], kind="stable")
    arr = arr[order]
    keep = np.concatenate([[True], np.diff(arr[:, 0]) > 0])
    arr = arr[keep]
    n = len(arr)
    track = Track(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3], np.full(n, np.nan))
    video_start = float(np.median([epoch - at for at, epoch in starts]))
    return track, video_start


def _span(a: float, b: float) -> str:
    return f"{datetime.fromtimestamp(a, UTC):%Y-%m-%d %H:%M:%S} – {datetime.fromtimestamp(b, UTC):%H:%M:%S} UTC"


def parse_start(text: str | None) -> float | None:
    """The epoch of a video's start given as an ISO 8601 time with its zone (``2025-07-01T08:00:00+07:00``);
    ``None`` for none given.

    Raises
    ------
    RoadsError
        A text that is not an ISO 8601 time, or one without a zone (a phone's local time read as UTC would put the
        video hours away from its track).
    """
    if text is None or not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise RoadsError(
            N_("start {value} must be an ISO 8601 time with its zone, e.g. {example}"),
            field="start",
            value=text.strip()[:60],
            example=START_EXAMPLE,
        )
    return value.timestamp()


def align(
    info: VideoInfo, track: Track, *, offset_s: float = 0.0, start: float | None = None
) -> tuple[float, float, float]:
    """The video's start on the track's clock and the span ``(t_from, t_to)`` covered by both.

    ``start`` (epoch) replaces the video's recording time (an embedded track gives one); ``offset_s`` is added.

    Raises
    ------
    RoadsError
        A video with no recording time and no ``start``, or a video and track that do not overlap (both spans said).
    """
    base = start if start is not None else info.recorded_at
    if base is None:
        raise RoadsError(
            N_(
                "{file} does not say when it was recorded: give the time its recording started, with its zone "
                "(--start on the command line, start in an upload), e.g. {example}"
            ),
            field="start",
            record=info.file,
            file=info.file,
            example=START_EXAMPLE,
        )
    v0 = base + offset_s
    v1 = v0 + info.duration_s
    if len(track) < 2:
        raise RoadsError(N_("the track of {file} has fewer than two fixes"), field="track", file=info.file)
    t0, t1 = float(np.min(track.t)), float(np.max(track.t))
    lo, hi = max(v0, t0), min(v1, t1)
    if hi - lo < MIN_OVERLAP_S:
        raise RoadsError(
            N_("video {file} ({video}) does not overlap its track ({track}); check the clocks or give an offset"),
            field="offset",
            record=info.file,
            file=info.file,
            video=_span(v0, v1),
            track=_span(t0, t1),
        )
    return v0, lo, hi


def _fix_speeds(track: Track, window_s: float = 2.0) -> np.ndarray:
    """Speed (m/s) at each fix: the track's own, else the distance between the fixes ``window_s`` before and after
    over their time apart (a window, so that GPS jitter at a stop does not read as driving)."""
    t = np.asarray(track.t, float)
    own = np.asarray(track.speed, float)
    if len(t) < 2:
        return np.where(np.isfinite(own), own, 0.0)
    a = np.clip(np.searchsorted(t, t - window_s, side="left"), 0, len(t) - 1)
    b = np.clip(np.searchsorted(t, t + window_s, side="right") - 1, 0, len(t) - 1)
    d = np.asarray(distance_m(track.lon[a], track.lat[a], track.lon[b], track.lat[b]))
    dt = t[b] - t[a]
    derived = np.where(dt > 0, d / np.maximum(dt, 1e-9), 0.0)
    return np.where(np.isfinite(own), own, derived)


def _heading(lon: np.ndarray, lat: np.ndarray, t: np.ndarray, at: float) -> float:
    """Heading (° from north) of the track around time ``at``: from 1 s before to 1 s after."""
    a, b = max(at - 1.0, t[0]), min(at + 1.0, t[-1])
    lo0, la0 = np.interp(a, t, lon), np.interp(a, t, lat)
    lo1, la1 = np.interp(b, t, lon), np.interp(b, t, lat)
    az, _back, dist = WGS84.inv(lo0, la0, lo1, la1)
    return float(az % 360.0) if dist > 0.2 else float("nan")


def sample_poses(
    track: Track,
    t_from: float,
    t_to: float,
    *,
    every_m: float = EVERY_M,
    min_speed_mps: float = MIN_SPEED_MPS,
    video_start: float = 0.0,
) -> list[FramePose]:
    """A pose every ``every_m`` metres driven between ``t_from`` and ``t_to`` (see the module docstring)."""
    if every_m <= 0:
        raise RoadsError(N_("the frame spacing must be more than 0 m"), field="every_m")
    t = np.asarray(track.t, float)
    lon, lat = np.asarray(track.lon, float), np.asarray(track.lat, float)
    speed = _fix_speeds(track)
    step = np.asarray(distance_m(lon[:-1], lat[:-1], lon[1:], lat[1:])) if len(t) > 1 else np.zeros(0)
    moving = (speed[:-1] >= min_speed_mps) | (speed[1:] >= min_speed_mps)
    cum = np.concatenate([[0.0], np.cumsum(np.where(moving, step, 0.0))])
    d_from, d_to = np.interp(t_from, t, cum), np.interp(t_to, t, cum)
    targets = np.arange(d_from, d_to + 1e-9, every_m)
    # time at which each target distance is reached: on the strictly increasing part of the curve
    rising = np.flatnonzero(np.concatenate([[True], np.diff(cum) > 0]))
    cc = cum[rising]
    poses: list[FramePose] = []
    heading = float("nan")
    for target in targets:
        i = int(np.searchsorted(cc, target, side="left"))
        if i == 0:
            at = max(t_from, float(t[rising[0]]))
        elif i >= len(cc):
            at = float(t[rising[-1]])
        else:  # inside the moving stretch that ends at fix j
            j = int(rising[i])
            frac = (target - cum[j - 1]) / max(cum[j] - cum[j - 1], 1e-9)
            at = float(t[j - 1] + frac * (t[j] - t[j - 1]))
        at = min(max(at, t_from), t_to)
        v = float(np.interp(at, t, speed))
        if v < min_speed_mps:
            continue
        h = _heading(lon, lat, t, at)
        heading = h if math.isfinite(h) else heading
        if not math.isfinite(heading):
            continue
        poses.append(
            FramePose(
                index=len(poses),
                t=float(at),
                video_s=float(at - video_start),
                lon=float(np.interp(at, t, lon)),
                lat=float(np.interp(at, t, lat)),
                heading_deg=round(heading, 2),
                speed_mps=round(v, 3),
                distance_m=round(float(target - d_from), 3),
            )
        )
    return poses


@dataclass
class DecodedFrame:
    """A wanted frame: its number in the list asked for, the image (BGR) or why it could not be had (a message id
    and its ``params``, translated where it is shown)."""

    index: int
    image: np.ndarray | None
    error: str = ""
    params: dict[str, object] = field(default_factory=dict)


def _decode(path: Path, times: Sequence[float], max_width: int) -> Iterator[DecodedFrame]:  # noqa: C901
    import av

    wanted = list(times)
    if not wanted:
        return
    k = 0
    with _open(path) as c:
        st = c.streams.video[0]
        st.thread_type = "AUTO"
        tb = float(st.time_base) if st.time_base else 1.0 / 30
        ctx = st.codec_context
        scale = min(1.0, max_width / float(ctx.width or max_width))
        out_w = int(round((ctx.width or max_width) * scale / 2)) * 2
        out_h = int(round((ctx.height or max_width) * scale / 2)) * 2
        last = None
        try:
            for frame in c.decode(st):
                if frame.pts is None:
                    continue
                ft = float(frame.pts) * tb
                while k < len(wanted) and ft + 0.5 / max(float(st.average_rate or 30), 1.0) >= wanted[k]:
                    if ft - wanted[k] > 1.0:
                        yield DecodedFrame(
                            k,
                            None,
                            N_("no frame near {at} s (next at {next} s)"),
                            {"at": round(wanted[k], 2), "next": round(ft, 2)},
                        )
                    else:
                        try:
                            if last is None or last[0] is not frame:
                                img = frame.reformat(width=out_w, height=out_h, format="bgr24").to_ndarray()
                                last = (frame, img)
                            yield DecodedFrame(k, last[1])
                        except (av.error.FFmpegError, ValueError) as exc:
                            yield DecodedFrame(
                                k, None, N_("the frame cannot be decoded: {reason}"), {"reason": str(exc)[:200]}
                            )
                    k += 1
                if k >= len(wanted):
                    break
        except av.error.FFmpegError as exc:
            reason = str(exc)[:160]
            while k < len(wanted):
                yield DecodedFrame(k, None, N_("decoding stopped: {reason}"), {"reason": reason})
                k += 1
    while k < len(wanted):
        yield DecodedFrame(k, None, N_("the video ends before {at} s"), {"at": round(wanted[k], 2)})
        k += 1


def decode_frames(
    path: str | Path, times: Sequence[float], *, max_width: int = MAX_WIDTH, prefetch: int = 4
) -> Iterator[DecodedFrame]:
    """The frames at ``times`` (seconds into the video, increasing), one :class:`DecodedFrame` per time asked.

    With ``prefetch`` > 0 the video is decoded in a thread of its own, up to ``prefetch`` frames ahead.

    Raises
    ------
    RoadsError
        A file that is not a readable video (at the start; later faults are reported per frame).
    """
    path = Path(path)
    if prefetch <= 0:
        yield from _decode(path, times, max_width)
        return
    probe_video(path)
    q: queue.Queue = queue.Queue(maxsize=prefetch)
    done = object()
    stop = threading.Event()

    def work() -> None:
        try:
            for item in _decode(path, times, max_width):
                if stop.is_set():
                    return
                q.put(item)
        except BaseException as exc:  # handed to the consumer
            q.put(exc)
        finally:
            q.put(done)

    thread = threading.Thread(target=work, name="kc-video-decode", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is done:
                break
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            try:
                q.get(timeout=0.05)
            except queue.Empty:
                pass
        thread.join()


def is_video(path: Path) -> bool:
    return path.suffix.lower() in VIDEO_SUFFIXES
