"""The one geometry type: GeoJSON in, validation, geodesic measures."""

from __future__ import annotations

import pytest
import shapely

from kotacerdas.core.geometry import BBox, GeometryError, distance_m, distance_to, from_geojson


def test_valid_geojson_round_trip():
    g = from_geojson({"type": "Point", "coordinates": [114.37, -8.22]})
    assert g.x == 114.37 and g.y == -8.22


@pytest.mark.parametrize(
    "obj,reason",
    [
        ({"type": "Point", "coordinates": [114.37, -98.0]}, "outside WGS84"),
        ({"type": "Point", "coordinates": [float("nan"), 1]}, "not a number"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "Self-intersection"),
        ({"type": "Circle", "coordinates": [0, 0]}, "Not a GeoJSON geometry"),
        ("{broken", "not valid JSON"),
    ],
)
def test_bad_geometries_are_named(obj, reason):
    with pytest.raises(GeometryError, match=reason):
        from_geojson(obj)


def test_bbox_parse():
    assert BBox.parse("114.3,-8.3,114.4,-8.2").as_list() == [114.3, -8.3, 114.4, -8.2]
    for bad in ("1,2,3", "a,b,c,d", "3,0,1,1", "0,0,181,1"):
        with pytest.raises(GeometryError):
            BBox.parse(bad)


def test_distances_are_geodesic_metres():
    # one degree of latitude near the equator is about 110.6 km
    assert distance_m(114.0, -8.0, 114.0, -9.0) == pytest.approx(110_600, rel=2e-3)
    line = shapely.LineString([(114.0, -8.0), (114.1, -8.0)])
    assert distance_to(shapely.Point(114.05, -8.01), line) == pytest.approx(1105.9, rel=5e-3)
    square = shapely.box(114.0, -8.1, 114.1, -8.0)
    assert distance_to(shapely.Point(114.05, -8.05), square) == 0.0


def test_distance_m_takes_lon_lat_and_arrays():
    import numpy as np

    from kotacerdas.core.geometry import distance_m

    one = distance_m(114.0, -8.0, 114.0, -9.0)
    many = distance_m(
        np.array([114.0, 114.0]), np.array([-8.0, -8.0]), np.array([114.0, 115.0]), np.array([-9.0, -8.0])
    )
    assert isinstance(one, float) and many.shape == (2,)
    assert many[0] == pytest.approx(one) and many[1] == pytest.approx(110_200, rel=5e-3)
