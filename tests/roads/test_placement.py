"""The flat-road camera model: a pixel's ground point, the horizon, a box's area, positions in lon/lat."""

from __future__ import annotations

import math

import pytest

from kotacerdas.core.geometry import distance_m
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.placement import (
    CameraModel,
    ground_point,
    horizon_row,
    offset_lonlat,
    place_box,
)

W, H = 1280, 720


def test_the_optical_axis_meets_the_road_at_height_over_tan_pitch():
    cam = CameraModel(height_m=1.5, pitch_deg=10.0, hfov_deg=90.0)
    fwd, right = ground_point(cam, W / 2, H / 2, W, H)
    assert fwd == pytest.approx(1.5 / math.tan(math.radians(10.0))) and right == pytest.approx(0.0)
    assert ground_point(cam, W / 2, horizon_row(cam, W, H) - 1, W, H) is None
    left = ground_point(cam, 0, H / 2, W, H)
    assert left[1] == pytest.approx(-1.5 / math.sin(math.radians(10.0)))  # 45° left: the ray runs 1 m left per 1 m


def test_a_box_projects_to_the_area_it_covers_on_the_road():
    cam = CameraModel(height_m=1.4, pitch_deg=15.0, hfov_deg=70.0, max_range_m=40)

    def pixel(fwd: float, right: float) -> tuple[float, float]:  # inverse of the projection, for the test
        f = (W / 2) / math.tan(math.radians(cam.hfov_deg) / 2)
        angle = math.atan2(cam.height_m, fwd) - math.radians(cam.pitch_deg)
        v = H / 2 + f * math.tan(angle)
        y = (v - H / 2) / f
        t = cam.height_m / (math.sin(math.radians(cam.pitch_deg)) + y * math.cos(math.radians(cam.pitch_deg)))
        return W / 2 + f * right / t, v

    # a 1 m wide, 2 m long patch 8-10 m ahead: its box is not a rectangle on the road, so the area is approximate
    u1, v_near = pixel(8.0, -0.5)
    u2, v_far = pixel(10.0, 0.5)
    p = place_box(cam, (u1, v_far, u2, v_near), W, H)
    assert p.forward_m == pytest.approx(8.0, abs=0.01)

    # the box's corners land on the road as a trapezoid: its width at a distance is the box's pixel width there
    def width_at(fwd: float) -> float:
        _u, v = pixel(fwd, 0.0)
        y = (v - H / 2) / f
        t = cam.height_m / (math.sin(math.radians(cam.pitch_deg)) + y * math.cos(math.radians(cam.pitch_deg)))
        return (u2 - u1) * t / f

    f = (W / 2) / math.tan(math.radians(cam.hfov_deg) / 2)
    assert p.area_m2 == pytest.approx((width_at(8.0) + width_at(10.0)) / 2 * 2.0, rel=0.02)
    assert place_box(cam, (0, 0, 10, 5), W, H) is None  # above the horizon


def test_positions_are_metres_ahead_and_to_the_right():
    lon, lat = 114.36, -8.22
    ahead = offset_lonlat(lon, lat, 90.0, 10.0, 0.0)  # facing east
    assert distance_m(lon, lat, *ahead) == pytest.approx(10.0, abs=0.01) and ahead[0] > lon
    right = offset_lonlat(lon, lat, 90.0, 0.0, 3.0)  # right of east is south
    assert right[1] < lat and distance_m(lon, lat, *right) == pytest.approx(3.0, abs=0.01)


def test_camera_settings_are_checked():
    with pytest.raises(RoadsError):
        CameraModel(height_m=9)
    with pytest.raises(RoadsError):
        CameraModel.from_dict({"zoom": 2})
    assert CameraModel.from_dict({"height_m": "1.6"}).height_m == 1.6
