"""Elevation of road segments from a digital elevation model (a GeoTIFF such as SRTM), read with rasterio.

:func:`segment_profiles` samples the DEM along each segment: at its vertices and at points
inserted so that no two samples are more than :data:`SAMPLE_SPACING_M` apart; bilinear
interpolation between the four nearest cells (the DEM's own CRS, WGS84 points transformed with
pyproj when it has another). The profile kept per segment is the elevation at each vertex of the
*densified* line, with its distances from the start; climb and descent are the sums of the
rises and falls of that profile after a running mean over three samples (SRTM's noise of a few
metres would otherwise add climbs that are not there).

A segment outside the DEM, or over its nodata cells, keeps no elevation (``None``); the import
counts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pyproj import Geod, Transformer

from kotacerdas.core.i18n import N_
from kotacerdas.network.errors import NetworkError
from kotacerdas.network.osm import RoadSegment

SAMPLE_SPACING_M = 30.0
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class ElevationProfile:
    """Elevations (m) along a segment in its direction, at distances ``at_m`` from its start."""

    at_m: tuple[float, ...]
    elevation_m: tuple[float, ...]
    climb_m: float
    descent_m: float

    def as_json(self) -> list[list[float]]:
        """``[[distance, elevation], ...]`` rounded to decimetres (how it is stored)."""
        return [[round(d, 1), round(e, 1)] for d, e in zip(self.at_m, self.elevation_m, strict=True)]


@dataclass
class ElevationResult:
    """Profiles by segment id, and how many segments got none."""

    profiles: dict[str, ElevationProfile] = field(default_factory=dict)
    outside: int = 0


def smoothed_climb(elevation: Sequence[float]) -> tuple[float, float]:
    """Climb and descent (m) of a profile after a 3-sample running mean (ends kept)."""
    z = np.asarray(elevation, dtype=float)
    if z.size < 2:
        return 0.0, 0.0
    if z.size >= 3:
        inner = (z[:-2] + z[1:-1] + z[2:]) / 3.0
        z = np.concatenate([[z[0]], inner, [z[-1]]])
    d = np.diff(z)
    return float(d[d > 0].sum()), float(-d[d < 0].sum())


def _densify(coords: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points along a line no more than SAMPLE_SPACING_M apart: lon, lat, distance from the start."""
    lons, lats, dist = [coords[0, 0]], [coords[0, 1]], [0.0]
    for (x0, y0), (x1, y1) in zip(coords[:-1], coords[1:], strict=True):
        _, _, step = _GEOD.inv(x0, y0, x1, y1)
        n = max(1, int(np.ceil(step / SAMPLE_SPACING_M)))
        for i in range(1, n + 1):
            f = i / n
            lons.append(x0 + (x1 - x0) * f)
            lats.append(y0 + (y1 - y0) * f)
            dist.append(dist[-1] + step / n)
    return np.array(lons), np.array(lats), np.array(dist)


class Dem:
    """An open DEM: bilinear elevation at WGS84 points (``nan`` outside it or over nodata)."""

    def __init__(self, path: str | Path) -> None:
        try:
            import rasterio
        except ImportError as exc:  # pragma: no cover - rasterio is a dependency
            raise NetworkError(N_("reading a DEM needs rasterio")) from exc
        path = Path(path)
        try:
            with rasterio.open(path) as src:
                self.data = src.read(1, masked=True).astype(float).filled(np.nan)
                self.inverse = ~src.transform
                crs = src.crs
        except (rasterio.errors.RasterioIOError, ValueError) as exc:
            raise NetworkError(
                N_("cannot read elevation model {file}: {reason}"), field="file", file=path.name, reason=str(exc)
            ) from exc
        if crs is None:
            raise NetworkError(N_("elevation model {file} has no coordinate system"), field="file", file=path.name)
        self.to_dem = None if crs.to_epsg() == 4326 else Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def sample(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Elevations at the points (bilinear between cell centres)."""
        x, y = (lon, lat) if self.to_dem is None else self.to_dem.transform(lon, lat)
        col, row = self.inverse @ (np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        col = np.asarray(col) - 0.5
        row = np.asarray(row) - 0.5
        h, w = self.data.shape
        c0 = np.floor(col).astype(int)
        r0 = np.floor(row).astype(int)
        fc, fr = col - c0, row - r0
        out = np.full(col.shape, np.nan)
        ok = (c0 >= 0) & (r0 >= 0) & (c0 + 1 < w) & (r0 + 1 < h)
        if ok.any():
            c, r, a, b = c0[ok], r0[ok], fc[ok], fr[ok]
            z = self.data
            out[ok] = (
                z[r, c] * (1 - a) * (1 - b)
                + z[r, c + 1] * a * (1 - b)
                + z[r + 1, c] * (1 - a) * b
                + z[r + 1, c + 1] * a * b
            )
        return out


def segment_profiles(segments: Sequence[RoadSegment], dem: Dem) -> ElevationResult:
    """The elevation profile of every segment the DEM covers."""
    result = ElevationResult()
    for seg in segments:
        lon, lat, dist = _densify(np.asarray(seg.geometry.coords, dtype=float))
        z = dem.sample(lon, lat)
        if not np.all(np.isfinite(z)):
            result.outside += 1
            continue
        climb, descent = smoothed_climb(z)
        result.profiles[seg.segment_id] = ElevationProfile(
            tuple(float(d) for d in dist), tuple(float(v) for v in z), climb, descent
        )
    return result
