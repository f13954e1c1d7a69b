"""A simulated dashcam: a video of road images along a GPS track, with or without GPS embedded, for tests, benches
and the demo.

:func:`write_drive_video` encodes (PyAV, H.264) a video that starts at the track's ``start`` and shows, at each
moment, the road image of the stretch the vehicle is on (``images[k]`` for the k-th ``stretch_m`` metres), slightly
shifted from frame to frame as a moving camera would. The container's ``creation_time`` is the start (so the video
aligns with its track), unless ``creation_time=False`` (a dashcam that writes none). ``embed="gpmf"`` adds a GoPro
GPMF telemetry track (``GPS5`` + ``GPSU`` per second) and ``embed="nmea"`` a data track of NMEA ``RMC`` sentences.
:func:`gpmf_payload` writes one GPMF payload (the KLV layout published by GoPro).
"""

from __future__ import annotations

import fractions
import struct
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from kotacerdas.core.geometry import distance_m
from kotacerdas.roads.streams import Track


def _klv(key: str, typ: str, size: int, repeat: int, data: bytes) -> bytes:
    head = key.encode("latin-1") + typ.encode() + bytes([size]) + struct.pack(">H", repeat)
    return head + data + b"\0" * (-len(data) % 4)


def gpmf_payload(t0: float, lat: np.ndarray, lon: np.ndarray, speed: np.ndarray) -> bytes:
    """One GPMF payload: a ``DEVC`` with a GPS ``STRM`` (``SCAL``, ``GPSU``, ``GPSF``, ``GPS5``)."""
    scal = (10_000_000, 10_000_000, 1000, 1000, 100)
    rows = b"".join(
        struct.pack(">5i", *(int(round(v * s)) for v, s in zip((la, lo, 10.0, sp, sp), scal, strict=True)))
        for la, lo, sp in zip(lat, lon, speed, strict=True)
    )
    gpsu = datetime.fromtimestamp(t0, UTC).strftime("%y%m%d%H%M%S.") + f"{int((t0 % 1) * 1000):03d}"
    strm = (
        _klv("STNM", "c", 1, 3, b"GPS")
        + _klv("SCAL", "l", 4, 5, struct.pack(">5i", *scal))
        + _klv("GPSU", "U", 16, 1, gpsu.encode())
        + _klv("GPSF", "L", 4, 1, struct.pack(">I", 3))
        + _klv("GPS5", "l", 20, len(lat), rows)
    )
    return _klv_nest("DEVC", _klv("DVNM", "c", 1, 6, b"kc-sim") + _klv_nest("STRM", strm))


def _klv_nest(key: str, inner: bytes) -> bytes:
    # a nested record: type 0, size 1, repeat = byte length (GPMF allows size 4 x repeat n for long payloads)
    n = len(inner)
    if n < 65536:
        return key.encode("latin-1") + b"\0" + bytes([1]) + struct.pack(">H", n) + inner
    return key.encode("latin-1") + b"\0" + bytes([4]) + struct.pack(">H", n // 4) + inner


def _nmea(t: float, lat: float, lon: float, speed_mps: float) -> str:
    from kotacerdas.roads.formats.nmea import nmea_checksum

    d = datetime.fromtimestamp(t, UTC)
    la, lo = abs(lat), abs(lon)
    ns, ew = ("S" if lat < 0 else "N"), ("W" if lon < 0 else "E")
    when = f"{d:%H%M%S}.{int(d.microsecond / 1e4):02d}"
    body = (
        f"GPRMC,{when},A,{int(la):02d}{(la % 1) * 60:07.4f},{ns},{int(lo):03d}{(lo % 1) * 60:07.4f},{ew},"
        f"{speed_mps / 0.514444:.2f},0.0,{d:%d%m%y},,,A"
    )
    return f"${body}*{nmea_checksum(body)}\r\n"


def write_drive_video(
    path: str | Path,
    images: Sequence[np.ndarray],
    track: Track,
    *,
    fps: float = 15.0,
    size: tuple[int, int] = (640, 360),
    stretch_m: float = 10.0,
    creation_time: bool = True,
    embed: str | None = None,
    seconds: float | None = None,
    codec: str = "libx264",
) -> Path:
    """Write the simulated video of a drive along ``track`` (see the module docstring); BGR ``images``."""
    import av
    import cv2

    path = Path(path)
    t = np.asarray(track.t, float)
    d = np.concatenate([[0.0], np.cumsum(distance_m(track.lon[:-1], track.lat[:-1], track.lon[1:], track.lat[1:]))])
    duration = float(t[-1] - t[0]) if seconds is None else seconds
    w, h = size
    frames = [cv2.resize(im, (w + 32, h + 32), interpolation=cv2.INTER_AREA) for im in images]
    with av.open(str(path), "w") as out:
        if creation_time:
            out.metadata["creation_time"] = datetime.fromtimestamp(t[0], UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        st: Any = out.add_stream(codec, rate=fractions.Fraction(fps).limit_denominator(1000))
        st.width, st.height, st.pix_fmt = w, h, "yuv420p"
        st.options = {"preset": "ultrafast", "g": str(int(fps))} if codec == "libx264" else {}
        data = out.add_data_stream(codec_name="bin_data") if embed else None
        n = int(duration * fps)
        for k in range(n):
            at = t[0] + k / fps
            dist = float(np.interp(at, t, d))
            img = frames[int(dist // stretch_m) % len(frames)]
            dy = int(dist * 3) % 32
            crop = np.ascontiguousarray(img[dy : dy + h, 16 : 16 + w], dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(crop, format="bgr24")
            for packet in st.encode(frame):
                out.mux(packet)
        for packet in st.encode():
            out.mux(packet)
        if data is not None:
            for sec in range(int(duration)):
                a, b = t[0] + sec, t[0] + sec + 1
                inside = (t >= a) & (t < b)
                if not inside.any():
                    continue
                if embed == "gpmf":
                    payload = gpmf_payload(
                        float(t[inside][0]), track.lat[inside], track.lon[inside], track.speed[inside]
                    )
                else:
                    payload = "".join(
                        _nmea(tt, la, lo, sp)
                        for tt, la, lo, sp in zip(
                            t[inside], track.lat[inside], track.lon[inside], track.speed[inside], strict=True
                        )
                    ).encode()
                pk = av.Packet(payload)
                pk.stream = data
                pk.time_base = fractions.Fraction(1, 1000)
                pk.pts = pk.dts = int(round((float(t[inside][0]) - t[0]) * 1000))
                pk.duration = 1000
                out.mux(pk)
    return path
