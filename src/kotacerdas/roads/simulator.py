"""A survey simulator: a phone in a vehicle driving a road whose profile is known.

It produces exactly what a real survey reader produces (a
:class:`~kotacerdas.roads.streams.SurveyStreams`) plus the ground truth that a real
survey lacks: the IRI of every interval (exact, by :mod:`kotacerdas.roads.iri`
on the profile the vehicle drove over) and where each pothole and bump lies.

The model, step by step:

* **Road**: a route (a Shapely ``LineString`` in lon/lat, or several driven one
  after the other) and a two-track profile along it (by default sections of
  random ISO 8608 roughness from :mod:`kotacerdas.roads.profiles`, with potholes
  and bumps). Along-route distance is turned into lon/lat with ``pyproj.Geod``.
* **Driver**: a target speed that changes every few hundred metres (uniform in a
  range, e.g. 20-80 km/h), approached with limited acceleration and braking,
  and optional full stops (traffic lights).
* **Vehicle**: each wheel track drives a quarter car with the vehicle's *own*
  suspension (presets sedan, SUV, pickup, minibus, motorcycle; none is the golden
  car); the body acceleration is the mean of the two tracks. The model runs at
  about 1 kHz and the phone averages it down to its sampling rate.
* **Phone**: fixed in an arbitrary mount (a random rotation), it measures the
  specific force (gravity + longitudinal, lateral ``v²κ`` and vertical
  acceleration) in its own axes, with per-axis bias and white noise, at 50-200 Hz.
* **GPS**: 1 Hz fixes with a time-correlated position error of 3-15 m, Doppler
  speed with noise, the reported accuracy, and random dropouts.

Everything is drawn from one seed, so a simulation is reproducible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from pyproj import Geod
from scipy.spatial.transform import Rotation
from shapely.geometry import LineString, MultiLineString

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.iri import (
    IriIntervals,
    LongitudinalProfile,
    iri_between,
    modal_response,
    quarter_car_matrices,
    rectified_slope,
    transition_matrices,
)
from kotacerdas.roads.profiles import (
    Feature,
    add_features,
    random_features,
    random_sections,
    sectioned_profile,
)
from kotacerdas.roads.streams import SurveyStreams, Track, Vector3

GRAVITY = 9.80665
_GEOD = Geod(ellps="WGS84")


# --------------------------------------------------------------------------- vehicles


@dataclass(frozen=True)
class VehiclePreset:
    """A vehicle's quarter-car suspension, per unit sprung mass.

    ``k1`` tyre stiffness, ``k2`` suspension stiffness (1/s²), ``c`` damping (1/s),
    ``mu`` unsprung/sprung mass ratio.
    """

    name: str
    k1: float
    k2: float
    c: float
    mu: float

    @classmethod
    def from_frequencies(
        cls, name: str, body_hz: float, damping_ratio: float, wheel_hz: float, mu: float
    ) -> VehiclePreset:
        """A preset from its body bounce frequency, damping ratio and wheel-hop frequency."""
        wb = 2 * math.pi * body_hz
        ww = 2 * math.pi * wheel_hz
        k2 = wb**2
        return cls(name=name, k1=mu * ww**2 - k2, k2=k2, c=2 * damping_ratio * wb, mu=mu)

    def matrices(self) -> tuple[np.ndarray, np.ndarray]:
        """Continuous state matrices (see :func:`kotacerdas.roads.iri.quarter_car_matrices`)."""
        return quarter_car_matrices(self.k1, self.k2, self.c, self.mu)


VEHICLE_PRESETS: dict[str, VehiclePreset] = {
    p.name: p
    for p in (
        VehiclePreset.from_frequencies("sedan", 1.15, 0.30, 11.5, 0.12),
        VehiclePreset.from_frequencies("suv", 1.05, 0.35, 10.0, 0.15),
        VehiclePreset.from_frequencies("pickup", 1.65, 0.22, 12.5, 0.19),
        VehiclePreset.from_frequencies("minibus", 1.40, 0.25, 10.5, 0.14),
        VehiclePreset.from_frequencies("motorcycle", 2.20, 0.40, 16.0, 0.25),
    )
}
"""Vehicle presets of the simulator (none of them is the golden car)."""


def vehicle_preset(vehicle: str | VehiclePreset) -> VehiclePreset:
    """A preset by name (``sedan``, ``suv``, ``pickup``, ``minibus``, ``motorcycle``) or itself."""
    if isinstance(vehicle, VehiclePreset):
        return vehicle
    if vehicle not in VEHICLE_PRESETS:
        raise RoadsError(N_("unknown vehicle preset {vehicle}"), field="vehicle", vehicle=vehicle)
    return VEHICLE_PRESETS[vehicle]


# --------------------------------------------------------------------------- route geometry


class RoutePath:
    """Along-route distance to lon/lat (and heading) on the WGS84 ellipsoid.

    Parameters
    ----------
    geometry:
        A ``LineString`` (lon, lat), a ``MultiLineString`` or a list of
        ``LineString`` driven one after the other (joined end to start).
    """

    def __init__(self, geometry: LineString | MultiLineString | Sequence[LineString]) -> None:
        if isinstance(geometry, LineString):
            parts = [geometry]
        elif isinstance(geometry, MultiLineString):
            parts = list(geometry.geoms)
        else:
            parts = list(geometry)
        coords: list[tuple[float, float]] = []
        for part in parts:
            if not isinstance(part, LineString):
                raise RoadsError(N_("route geometry must be LineStrings"), field="geometry")
            for xy in part.coords:
                if not coords or (xy[0], xy[1]) != coords[-1]:
                    coords.append((float(xy[0]), float(xy[1])))
        if len(coords) < 2:
            raise RoadsError(N_("route geometry needs at least two distinct points"), field="geometry")
        arr = np.asarray(coords)
        self.lon = arr[:, 0]
        self.lat = arr[:, 1]
        az, _, dist = _GEOD.inv(self.lon[:-1], self.lat[:-1], self.lon[1:], self.lat[1:])
        self.azimuth = np.asarray(az, dtype=float)
        self.cum = np.concatenate([[0.0], np.cumsum(dist)])
        self.length_m = float(self.cum[-1])
        if self.length_m <= 0:
            raise RoadsError(N_("route geometry has zero length"), field="geometry")

    def position(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lon and lat at along-route distances ``s`` (m), clipped to the route."""
        s = np.clip(np.asarray(s, dtype=float), 0.0, self.length_m)
        i = np.clip(np.searchsorted(self.cum, s, side="right") - 1, 0, self.azimuth.size - 1)
        lon, lat, _ = _GEOD.fwd(self.lon[i], self.lat[i], self.azimuth[i], s - self.cum[i])
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def curvature(self, s: np.ndarray, smooth_m: float = 15.0) -> np.ndarray:
        """Signed curvature (1/m, left positive) at ``s``, the heading smoothed over ``smooth_m``."""
        grid = np.arange(0.0, self.length_m + 1.0, 1.0)
        i = np.clip(np.searchsorted(self.cum, grid, side="right") - 1, 0, self.azimuth.size - 1)
        heading = np.unwrap(np.radians(self.azimuth[i]))
        k = max(1, int(smooth_m))
        if grid.size > k:
            heading = np.convolve(np.pad(heading, (k // 2, k - 1 - k // 2), mode="edge"), np.ones(k) / k, "valid")
        kappa = -np.gradient(heading, grid)  # azimuth is clockwise, left turns positive
        return np.interp(s, grid, kappa)


# --------------------------------------------------------------------------- configuration and truth


@dataclass
class SimulationConfig:
    """What to simulate beyond the road. Defaults: a sedan at 30-80 km/h, phone at 100 Hz."""

    vehicle: str | VehiclePreset = "sedan"
    speed_kmh: tuple[float, float] = (30.0, 80.0)
    """Range of the driver's target speeds."""
    speed_change_m: tuple[float, float] = (200.0, 700.0)
    """Distance after which the target speed changes."""
    accel_ms2: float = 1.2
    brake_ms2: float = 2.0
    stops_per_km: float = 0.0
    stop_s: tuple[float, float] = (5.0, 20.0)
    fs_hz: float = 100.0
    accel_noise_ms2: float = 0.03
    accel_bias_ms2: float = 0.05
    mount: np.ndarray | None = None
    """Rotation matrix vehicle -> phone axes; random when ``None``."""
    gps_noise_m: float | None = None
    """Standard deviation of the GPS position error; uniform 3-15 m when ``None``."""
    gps_speed_noise_ms: float = 0.2
    report_speed: bool = True
    gps_dropouts_per_km: float = 0.0
    gps_dropout_s: tuple[float, float] = (5.0, 25.0)
    potholes_per_km: float = 4.0
    bumps_per_km: float = 1.0
    roughness_classes: tuple[str | float, str | float] = (4e-6, 1.2e-3)
    """Range of ``Gd(n0)`` (m³, or ISO letters) of the random profile sections (IRI about 1-18 m/km)."""
    interval_m: float = 100.0
    start_time: float = 1_700_000_000.0
    model_hz: float = 1000.0


@dataclass(frozen=True)
class TrueEvent:
    """A pothole or bump as the simulated vehicle met it."""

    kind: str
    distance_m: float
    time: float
    lat: float
    lon: float
    size_m: float
    length_m: float
    tracks: tuple[str, ...]


@dataclass
class GroundTruth:
    """What the simulator knows and a survey must estimate."""

    profile: LongitudinalProfile
    intervals: IriIntervals
    """Mean IRI of the two tracks per interval of the route (m/km)."""
    events: list[TrueEvent]
    time: np.ndarray
    """Times (s, epoch) of the vehicle's trajectory, 10 Hz."""
    distance: np.ndarray
    """True along-route distance (m) at ``time``."""
    speed: np.ndarray
    """True speed (m/s) at ``time``."""
    vehicle: VehiclePreset
    gps_noise_m: float
    mount: np.ndarray
    _rs: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list, repr=False)

    def distance_at(self, t: np.ndarray) -> np.ndarray:
        """True along-route distance (m) at times ``t``."""
        return np.interp(np.asarray(t, dtype=float), self.time, self.distance)

    def iri_between(self, from_m: np.ndarray, to_m: np.ndarray) -> np.ndarray:
        """Exact mean IRI (m/km) of the two tracks over arbitrary stretches of the route."""
        vals = [iri_between(pos + self.profile.start_m, rs, from_m, to_m) for pos, rs in self._rs]
        return np.mean(vals, axis=0)

    def reference_csv(self) -> str:
        """The per-interval IRI as a calibration reference CSV (``from_m,to_m,iri_m_per_km``)."""
        lines = ["from_m,to_m,iri_m_per_km"]
        for a, b, v in zip(self.intervals.from_m, self.intervals.to_m, self.intervals.iri, strict=True):
            if np.isfinite(v):
                lines.append(f"{a:.2f},{b:.2f},{v:.4f}")
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- driver


def _speed_profile(
    length_m: float, cfg: SimulationConfig, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times, distances and speeds at 10 Hz of a driver covering ``length_m``."""
    lo, hi = (v / 3.6 for v in cfg.speed_kmh)
    changes = [0.0]
    while changes[-1] < length_m:
        changes.append(changes[-1] + rng.uniform(*cfg.speed_change_m))
    targets = rng.uniform(lo, hi, len(changes))
    n_stop = rng.poisson(cfg.stops_per_km * length_m / 1000.0)
    stops = sorted(rng.uniform(0.1 * length_m, 0.95 * length_m, n_stop)) if n_stop else []
    waits = list(rng.uniform(*cfg.stop_s, len(stops)))
    dt = 0.1
    s, v = 0.0, float(targets[0])
    ts, ss, vs = [0.0], [s], [v]
    t = 0.0
    wait_left = 0.0
    while s < length_m:
        if wait_left > 0:
            wait_left -= dt
            v = 0.0
            if wait_left <= 0:
                stops.pop(0)
                waits.pop(0)
        else:
            target = float(targets[min(np.searchsorted(changes, s, side="right") - 1, len(targets) - 1)])
            if stops:
                gap = stops[0] - s
                target = min(target, math.sqrt(max(0.0, 2 * cfg.brake_ms2 * max(gap - 0.5, 0.0))))
                if gap <= 0.5 or (gap < 3.0 and v < 0.3):
                    wait_left = waits[0]
                    target = 0.0
            if v < target:
                v = min(target, v + cfg.accel_ms2 * dt)
            else:
                v = max(target, v - cfg.brake_ms2 * dt)
        s += v * dt
        t += dt
        ts.append(t)
        ss.append(min(s, length_m))
        vs.append(v)
    return np.asarray(ts), np.asarray(ss), np.asarray(vs)


# --------------------------------------------------------------------------- simulation


def simulate_survey(
    geometry: LineString | MultiLineString | Sequence[LineString],
    *,
    profile: LongitudinalProfile | None = None,
    features: Sequence[Feature] | None = None,
    config: SimulationConfig | None = None,
    seed: int = 0,
) -> tuple[SurveyStreams, GroundTruth]:
    """Simulate one survey drive along ``geometry``.

    Parameters
    ----------
    geometry:
        The route in lon/lat (see :class:`RoutePath`).
    profile:
        Two-track profile along the route (m from the route start); random
        sections of ISO 8608 roughness when ``None``. Must cover the route.
    features:
        Potholes and bumps to add to the profile; random (rates from ``config``)
        when ``None``, none when empty.
    config:
        Vehicle, driver, phone and GPS settings.
    seed:
        Seed of every random draw.

    Returns
    -------
    (streams, truth):
        The phone's streams, as a reader would give them, and the ground truth.
    """
    cfg = config or SimulationConfig()
    if not 10.0 <= cfg.fs_hz <= 1000.0:
        raise RoadsError(N_("accelerometer rate {fs} Hz is outside 10-1000 Hz"), field="fs_hz", fs=cfg.fs_hz)
    rng = np.random.default_rng(seed)
    seeds = rng.integers(0, 2**31, size=8)
    route = RoutePath(geometry)
    length = route.length_m
    vehicle = vehicle_preset(cfg.vehicle)
    if profile is None:
        sections = random_sections(length + 1.0, classes=cfg.roughness_classes, seed=int(seeds[0]))
        profile = sectioned_profile(sections, seed=int(seeds[1]))
    if profile.elevations.shape[1] == 1:
        profile = replace(profile, elevations=np.repeat(profile.elevations, 2, axis=1), tracks=("left", "right"))
    if profile.start_m + profile.length_m < length - 1e-6:
        raise RoadsError(
            N_("profile of {profile} m is shorter than the route of {route} m"),
            field="profile",
            profile=round(profile.length_m, 1),
            route=round(length, 1),
        )
    if features is None:
        features = random_features(
            length,
            potholes_per_km=cfg.potholes_per_km,
            bumps_per_km=cfg.bumps_per_km,
            tracks=profile.tracks[:2],
            seed=int(seeds[2]),
        )
    if features:
        profile = add_features(profile, features)

    # driver
    t_c, s_c, v_c = _speed_profile(length, cfg, np.random.default_rng(seeds[3]))
    duration = float(t_c[-1])

    # vehicle at the model rate, phone averaging down to fs
    fs = float(cfg.fs_hz)
    m = max(1, int(math.ceil(cfg.model_hz / fs)))
    dt = 1.0 / (fs * m)
    n_phone = int(duration * fs)
    t_f = np.arange(n_phone * m) * dt
    v_f = np.interp(t_f, t_c, v_c)
    s_f = np.concatenate([[0.0], np.cumsum(0.5 * (v_f[1:] + v_f[:-1]) * dt)])
    s_f *= s_c[-1] / max(s_f[-1], 1e-9) if s_f[-1] > 0 else 1.0
    dist = profile.distance
    a_mat, b_vec = vehicle.matrices()
    st, pr = transition_matrices(a_mat, b_vec, dt)
    out_row = a_mat[1]  # body acceleration = second row of A times the state
    body = np.zeros(t_f.size)
    for j in range(2):
        u = np.interp(s_f, dist, profile.elevations[:, j])
        x0 = np.array([u[0], 0.0, u[0], 0.0])
        body += modal_response(st, pr, u, x0, out_row)
    body /= 2.0
    a_vert = body.reshape(n_phone, m).mean(axis=1)
    t_p = (np.arange(n_phone) + 0.5) * m * dt
    v_p = np.interp(t_p, t_c, v_c)
    s_p = np.interp(t_p, t_f, s_f)
    a_long = np.gradient(v_p, t_p)
    a_lat = v_p**2 * route.curvature(s_p)
    f_vehicle = np.column_stack([a_long, a_lat, GRAVITY + a_vert])
    mount = cfg.mount if cfg.mount is not None else Rotation.random(random_state=int(seeds[4])).as_matrix()
    f_phone = f_vehicle @ np.asarray(mount)  # row-vector form of mount.T @ f
    prng = np.random.default_rng(seeds[5])
    f_phone += prng.normal(0.0, cfg.accel_bias_ms2, 3)
    f_phone += prng.normal(0.0, cfg.accel_noise_ms2, f_phone.shape)
    t0 = cfg.start_time
    accel = Vector3(t=t0 + t_p, x=f_phone[:, 0], y=f_phone[:, 1], z=f_phone[:, 2])

    # GPS
    grng = np.random.default_rng(seeds[6])
    sigma = float(cfg.gps_noise_m) if cfg.gps_noise_m is not None else float(grng.uniform(3.0, 15.0))
    t_g = np.arange(0.0, duration, 1.0)
    s_g = np.interp(t_g, t_c, s_c)
    v_g = np.interp(t_g, t_c, v_c)
    lon_true, lat_true = route.position(s_g)
    rho = 0.95
    err = np.zeros((t_g.size, 2))
    err[0] = grng.normal(0, sigma, 2)
    shocks = grng.normal(0, sigma * math.sqrt(1 - rho**2), (t_g.size, 2))
    for i in range(1, t_g.size):
        err[i] = rho * err[i - 1] + shocks[i]
    az = np.degrees(np.arctan2(err[:, 0], err[:, 1]))
    lon_g, lat_g, _ = _GEOD.fwd(lon_true, lat_true, az, np.hypot(err[:, 0], err[:, 1]))
    speed = np.maximum(0.0, v_g + grng.normal(0, cfg.gps_speed_noise_ms, t_g.size))
    if not cfg.report_speed:
        speed = np.full(t_g.size, np.nan)
    accuracy = sigma * grng.uniform(0.8, 1.2, t_g.size)
    keep = np.ones(t_g.size, dtype=bool)
    n_drop = grng.poisson(cfg.gps_dropouts_per_km * length / 1000.0)
    for _ in range(n_drop):
        start = grng.uniform(0, duration)
        keep &= ~((t_g >= start) & (t_g < start + grng.uniform(*cfg.gps_dropout_s)))
    keep[0] = True
    track = Track(
        t=t0 + t_g[keep],
        lat=np.asarray(lat_g)[keep],
        lon=np.asarray(lon_g)[keep],
        speed=speed[keep],
        accuracy=accuracy[keep],
    )
    streams = SurveyStreams(
        track=track,
        accel=accel,
        vehicle_id=vehicle.name,
        source_format="simulated",
        metadata={"seed": str(seed), "fs_hz": f"{fs:g}", "gps_noise_m": f"{sigma:.2f}"},
    )

    # truth
    rs = [rectified_slope(profile.elevations[:, j], profile.dx) for j in range(2)]
    per_track = profile.iri_intervals(cfg.interval_m)
    first = per_track[profile.tracks[0]]
    mean_iri = np.mean([v.iri for v in per_track.values()], axis=0)
    inside = first.from_m < length - 1.0
    intervals = IriIntervals(first.from_m[inside], np.minimum(first.to_m[inside], length), mean_iri[inside])
    events = []
    for f in features or []:
        if not 0 <= f.position_m <= length:
            continue
        te = float(np.interp(f.position_m, s_c, t_c))
        lo_, la_ = route.position(np.array([f.position_m]))
        events.append(
            TrueEvent(f.kind, f.position_m, t0 + te, float(la_[0]), float(lo_[0]), f.size_m, f.length_m, f.tracks)
        )
    truth = GroundTruth(
        profile=profile,
        intervals=intervals,
        events=events,
        time=t0 + t_c,
        distance=s_c,
        speed=v_c,
        vehicle=vehicle,
        gps_noise_m=sigma,
        mount=np.asarray(mount),
        _rs=rs,
    )
    return streams, truth


def straight_route(
    length_m: float, *, lon: float = 106.8272, lat: float = -6.1754, azimuth: float = 60.0
) -> LineString:
    """A straight route of ``length_m`` from (lon, lat) (central Jakarta by default), for tests."""
    lon2, lat2, _ = _GEOD.fwd(lon, lat, azimuth, length_m)
    return LineString([(lon, lat), (float(lon2), float(lat2))])


def winding_route(
    length_m: float, *, lon: float = 110.3695, lat: float = -7.7956, step_m: float = 50.0, seed: int = 0
) -> LineString:
    """A random winding route of about ``length_m`` (Yogyakarta by default), for tests and benches."""
    rng = np.random.default_rng(seed)
    n = max(2, int(math.ceil(length_m / step_m)))
    az = 45.0 + np.cumsum(rng.normal(0.0, 8.0, n))
    lons, lats = [lon], [lat]
    for a in az:
        lo, la, _ = _GEOD.fwd(lons[-1], lats[-1], a, step_m)
        lons.append(float(lo))
        lats.append(float(la))
    return LineString(list(zip(lons, lats, strict=True)))
