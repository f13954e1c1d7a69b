"""Elevation from a DEM GeoTIFF (generated here with rasterio): profiles, climb, hill cost in the routes."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from kotacerdas.network.elevation import Dem, segment_profiles, smoothed_climb
from kotacerdas.network.errors import NetworkError
from kotacerdas.network.graph import build_graph
from kotacerdas.network.osm import import_osm
from kotacerdas.network.routing import build_router
from tests.network.bikenet import LAT0, LON0, write_bikenet


def write_dem(path, crs="EPSG:4326"):
    """A 0.0002°-cell DEM over the ladder rising 1 m per cell eastwards (about 45 m per km)."""
    cols, rows = 40, 40
    west, north = LON0 - 0.001, LAT0 + 0.003
    z = np.tile(np.arange(cols, dtype="float32"), (rows, 1)) + 10.0
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=cols,
        height=rows,
        count=1,
        dtype="float32",
        crs=crs,
        transform=from_origin(west, north, 0.0002, 0.0002),
        nodata=-9999.0,
    ) as dst:
        dst.write(z, 1)
    return path


def test_dem_samples_bilinear_and_nan_outside(tmp_path):
    dem = Dem(write_dem(tmp_path / "dem.tif"))
    west = LON0 - 0.001
    z = dem.sample(np.array([west + 0.0002 * 10.5, west + 5.0]), np.array([LAT0, LAT0]))
    assert z[0] == pytest.approx(20.0, abs=1e-6) and np.isnan(z[1])
    with pytest.raises(NetworkError):
        Dem(tmp_path / "missing.tif")
    (tmp_path / "bad.tif").write_bytes(b"not a tiff")
    with pytest.raises(NetworkError, match="bad.tif"):
        Dem(tmp_path / "bad.tif")


def test_profiles_climb_and_routes_pay_for_hills(tmp_path):
    segs = import_osm(write_bikenet(tmp_path / "b.osm"), include_tracks=True, include_bike_paths=True).segments
    result = segment_profiles(segs, Dem(write_dem(tmp_path / "dem.tif")))
    assert result.outside == 1  # the ferry landing lies beyond the DEM
    raya = next(s for s in segs if s.osm_way_id == 1)
    prof = result.profiles[raya.segment_id]
    assert prof.climb_m == pytest.approx(raya.length_m * 0.0 + (prof.elevation_m[-1] - prof.elevation_m[0]), abs=0.5)
    assert prof.descent_m == pytest.approx(0.0, abs=1e-6)
    from dataclasses import replace

    with_z = [
        replace(s, elevation=tuple(zip(p.at_m, p.elevation_m, strict=True)))
        if (p := result.profiles.get(s.segment_id))
        else s
        for s in segs
    ]
    router = build_router(build_graph(with_z, mode="bike"), "fast")
    g = router.graph
    east = router.route_nodes(g.node_index(10), g.node_index(15))
    west = router.route_nodes(g.node_index(15), g.node_index(10))
    assert east.climb_m == pytest.approx(west.descent_m, abs=1e-6) and east.climb_m > 20
    assert east.duration_s > west.duration_s  # uphill costs time
    assert east.elevation[0][1] < east.elevation[-1][1]
    assert smoothed_climb([0, 5, 0, 5, 0]) < (10, 10)
