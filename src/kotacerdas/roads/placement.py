"""Placing a detection on the ground: a camera model (mount height, pitch, field of view) over a flat road.

A pinhole camera looks forward along the vehicle's heading, ``height_m`` above the road, tilted down by
``pitch_deg``, with a horizontal field of view ``hfov_deg`` (the vertical one follows from the image's aspect). A
pixel ``(u, v)`` is a ray; where the ray meets the flat road plane is the ground point, ``forward`` metres ahead of
the camera and ``right`` metres to its right. Pixels at or above the horizon never meet the road and are refused.

A detection's position is the ground point of the middle of its box's bottom edge (the nearest part of the damage,
the best placed); its size is the area of the quadrilateral the four corners of the box project to, clipped to the
road ahead (a box reaching above the horizon is cut at ``max_range_m``). Positions are turned into longitude and
latitude from the frame's position and heading (a local tangent plane: metres per degree at that latitude).

The camera model is stored per vehicle, like its roughness calibration; :data:`DEFAULT_CAMERA` is a phone on the
windscreen of a small car.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from kotacerdas.core.formats import Quantity
from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError

EARTH_M_PER_DEG_LAT = 110_574.0
EARTH_M_PER_DEG_LON_EQUATOR = 111_320.0


#: The range each camera setting may take (the API's schema and the command line check the same), inclusive.
CAMERA_LIMITS: dict[str, tuple[float, float]] = {
    "height_m": (0.2, 5.0),
    "pitch_deg": (-10.0, 80.0),
    "hfov_deg": (20.0, 170.0),
    "offset_right_m": (-5.0, 5.0),
    "max_range_m": (2.0, 200.0),
}


@dataclass(frozen=True)
class CameraModel:
    """Where the camera sits and how it looks: height (m), pitch down (°), horizontal field of view (°),
    lateral offset of the camera from the vehicle's centre line (m, + right), and the farthest ground point
    trusted (m)."""

    height_m: float = 1.3
    pitch_deg: float = 12.0
    hfov_deg: float = 70.0
    offset_right_m: float = 0.0
    max_range_m: float = 25.0

    def __post_init__(self) -> None:
        for name, (low, high) in CAMERA_LIMITS.items():
            value = getattr(self, name)
            if not (math.isfinite(value) and low <= value <= high):
                raise RoadsError(
                    N_("camera {name} must be between {low} and {high}"),
                    field=name,
                    name=name,
                    low=Quantity(low, "number", 1),
                    high=Quantity(high, "number", 1),
                )

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> CameraModel:
        """A camera model from stored JSON (missing keys take their defaults; unknown keys are refused)."""
        if not data:
            return DEFAULT_CAMERA
        known = set(cls.__dataclass_fields__)
        bad = sorted(set(data) - known)
        if bad:
            raise RoadsError(N_("unknown camera setting {name}"), field=bad[0], name=bad[0])
        try:
            return replace(DEFAULT_CAMERA, **{k: float(v) for k, v in data.items()})
        except (TypeError, ValueError):
            raise RoadsError(N_("camera settings must be numbers"), field="camera") from None


DEFAULT_CAMERA = CameraModel()


def _focal(cam: CameraModel, width: int) -> float:
    return (width / 2.0) / math.tan(math.radians(cam.hfov_deg) / 2.0)


def ground_point(cam: CameraModel, u: float, v: float, width: int, height: int) -> tuple[float, float] | None:
    """``(forward, right)`` metres of the road point seen at pixel ``(u, v)``; ``None`` at or above the horizon."""
    f = _focal(cam, width)
    x = (u - width / 2.0) / f  # right
    y = (v - height / 2.0) / f  # down
    pitch = math.radians(cam.pitch_deg)
    # ray in vehicle axes: forward, right, down
    fwd = math.cos(pitch) - y * math.sin(pitch)
    down = math.sin(pitch) + y * math.cos(pitch)
    if down <= 1e-6:
        return None
    t = cam.height_m / down
    return fwd * t, x * t + cam.offset_right_m


def horizon_row(cam: CameraModel, width: int, height: int) -> float:
    """The image row of the horizon (rows below it see the road)."""
    f = _focal(cam, width)
    return height / 2.0 - f * math.tan(math.radians(cam.pitch_deg))


def _clip_row(cam: CameraModel, v: float, width: int, height: int) -> float:
    """``v`` moved down to the row that sees ``max_range_m`` ahead when it looks farther (or above the horizon)."""
    f = _focal(cam, width)
    pitch = math.radians(cam.pitch_deg)
    # row whose ray meets the road at max_range_m: angle below the horizontal = atan(h / d)
    angle = math.atan2(cam.height_m, cam.max_range_m)
    v_far = height / 2.0 + f * math.tan(angle - pitch)
    return max(v, v_far)


@dataclass(frozen=True)
class Placement:
    """Where a detection lies relative to the camera and how large it is."""

    forward_m: float
    right_m: float
    area_m2: float


def place_box(cam: CameraModel, box: tuple[float, float, float, float], width: int, height: int) -> Placement | None:
    """The ground position (middle of the box's bottom edge) and area of a box ``x1 y1 x2 y2``; ``None`` when the
    bottom edge does not see the road within ``max_range_m``."""
    x1, y1, x2, y2 = box
    bottom = ground_point(cam, (x1 + x2) / 2.0, y2, width, height)
    if bottom is None or bottom[0] <= 0 or bottom[0] > cam.max_range_m:
        return None
    top = _clip_row(cam, y1, width, height)
    if top >= y2:
        return Placement(bottom[0], bottom[1], 0.0)
    corners = [ground_point(cam, u, v, width, height) for u, v in ((x1, y2), (x2, y2), (x2, top), (x1, top))]
    if any(c is None for c in corners):
        return Placement(bottom[0], bottom[1], 0.0)
    pts = np.array(corners, dtype=float)
    xs, ys = pts[:, 0], pts[:, 1]
    area = 0.5 * abs(float(np.dot(xs, np.roll(ys, -1)) - np.dot(ys, np.roll(xs, -1))))
    return Placement(bottom[0], bottom[1], area)


def offset_lonlat(lon: float, lat: float, heading_deg: float, forward_m: float, right_m: float) -> tuple[float, float]:
    """The point ``forward_m`` ahead and ``right_m`` to the right of ``(lon, lat)`` facing ``heading_deg``
    (clockwise from north)."""
    h = math.radians(heading_deg)
    east = forward_m * math.sin(h) + right_m * math.cos(h)
    north = forward_m * math.cos(h) - right_m * math.sin(h)
    dlat = north / EARTH_M_PER_DEG_LAT
    dlon = east / (EARTH_M_PER_DEG_LON_EQUATOR * max(math.cos(math.radians(lat)), 1e-6))
    return lon + dlon, lat + dlat
