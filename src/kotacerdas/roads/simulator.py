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

What real streets add (each off by default, so a plain drive is what it always was;
:func:`real_streets_config` draws all of them as a patrol drive in an Indonesian town has them):

* **Pitch** (:class:`PitchModel`): each track drives a half car, front and rear axle
  ``wheelbase_m`` apart with their own suspension, a body that bounces and pitches, and
  the phone ``phone_x_m`` ahead of the centre of gravity, so it feels bounce plus pitch
  and the rear axle meets the road ``wheelbase / v`` after the front;
* **asymmetric damping** (``rebound_ratio``): the dampers are stiffer in rebound than
  in compression (the preset's damping is their mean); the non-linear damper force is
  solved by a fixed-point iteration on the linear model (a contraction, see
  :func:`_vehicle_response`);
* **phone holder** (``holder_hz``, ``holder_damping``): the holder is a lightly damped
  resonance between the body and the phone (base-excitation transmissibility);
* **varying waviness** (``waviness``): each road section draws its own spectral exponent;
* **the phone's own streams** (``phone_streams``): a gravity estimate (following the
  pitch and the mount) and a gyroscope, as Sensor Logger records them;
* **a loose holder** (``loose_mount``): stretches where the phone wobbles in its holder
  (a few degrees at 3-8 Hz) and knocks against it.

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


@dataclass(frozen=True)
class PitchModel:
    """The two-axle (half-car) geometry of a vehicle with the phone between its axles.

    ``front_load`` is the share of the body's weight on the front axle (so the centre of
    gravity lies ``(1 - front_load) * wheelbase`` behind the front axle); ``rear_ratio``
    the rear body frequency over the front one; ``dynamic_index`` the pitch inertia over
    ``a * b`` (1: the axles' bounce motions are uncoupled); ``phone_x_m`` the phone's
    position ahead of the centre of gravity (negative: behind it).
    """

    wheelbase_m: float = 2.6
    front_load: float = 0.55
    rear_ratio: float = 1.1
    dynamic_index: float = 1.0
    phone_x_m: float = 0.5


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
    gps_noise_m: float | tuple[float, float] | None = None
    """Standard deviation of the GPS position error; uniform in a range (3-15 m when ``None``)."""
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
    pitch: PitchModel | None = None
    """Two axles and a pitching body (``None``: a quarter car per track)."""
    rebound_ratio: float = 1.0
    """Damping in rebound over damping in compression (1: a linear damper)."""
    holder_hz: float | None = None
    """Resonance of the phone holder (Hz); ``None``: the phone is rigid on the body."""
    holder_damping: float = 0.05
    waviness: float | tuple[float, float] = 2.0
    """Spectral exponent of the random profile, or a range each section draws from."""
    phone_streams: bool = False
    """Also record the phone's gravity estimate and gyroscope (as Sensor Logger does)."""
    loose_mount: tuple[tuple[float, float], ...] = ()
    """Stretches ``(from_m, to_m)`` where the phone wobbles loose in its holder."""
    gps_stop_jitter: bool = True
    """Doppler speed noise also while standing (clipped at 0, as phones report it)."""


def real_streets_config(vehicle: str | VehiclePreset, seed: int, **overrides: object) -> SimulationConfig:
    """A patrol drive on real streets: what issue 10 measured, drawn from ``seed``.

    Pitch (wheelbase 2.4-3.0 m, phone 0-1 m ahead of the centre of gravity), dampers 2-3
    times stiffer in rebound, a phone holder resonating at 11-22 Hz (damping 0.03-0.08),
    waviness 1.8-2.6 between sections, traffic stops of 10-25 s, GPS noise 3-8 m with
    about two 6-12 s dropouts per 4 km, Doppler speed noise 0.3 m/s, the phone's gravity
    and gyroscope streams. ``overrides`` replace any field (e.g. to switch one effect off).
    """
    rng = np.random.default_rng(seed + 424242)
    pitch = PitchModel(
        wheelbase_m=float(rng.uniform(2.4, 3.0)),
        front_load=float(rng.uniform(0.5, 0.6)),
        rear_ratio=float(rng.uniform(1.0, 1.25)),
        dynamic_index=float(rng.uniform(0.8, 1.2)),
        phone_x_m=float(rng.uniform(0.0, 1.0)),
    )
    cfg = SimulationConfig(
        vehicle=vehicle,
        speed_kmh=(20.0, 70.0),
        stops_per_km=0.6,
        stop_s=(10.0, 25.0),
        fs_hz=float(rng.choice([100.0, 200.0])),
        gps_noise_m=(3.0, 8.0),
        gps_speed_noise_ms=0.3,
        gps_dropouts_per_km=0.5,
        gps_dropout_s=(6.0, 12.0),
        pitch=pitch,
        rebound_ratio=float(rng.uniform(2.0, 3.0)),
        holder_hz=float(rng.uniform(11.0, 22.0)),
        holder_damping=float(rng.uniform(0.03, 0.08)),
        waviness=(1.8, 2.6),
        phone_streams=True,
    )
    return replace(cfg, **overrides)  # type: ignore[arg-type]


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


# --------------------------------------------------------------------------- vehicle response


@dataclass
class _Model:
    """A linear vehicle model with its dampers' non-linear part as extra inputs.

    ``x' = A x + Bu u + Bg g`` with ``u`` the road under each axle and ``g_k = cd_k |W_k x|``
    the part of damper ``k``'s force above its mean damping (``W_k x`` its extension rate).
    The phone's vertical acceleration is ``acc x + acc_g g``.
    """

    a: np.ndarray
    bu: np.ndarray
    bg: np.ndarray
    w: np.ndarray
    cd: np.ndarray
    acc: np.ndarray
    acc_g: np.ndarray
    pitch_rows: np.ndarray
    """Rows giving the pitch angle and pitch rate (zeros for a quarter car)."""
    axle_behind_m: np.ndarray
    """Distance of each road input behind the front axle (m)."""


def _vehicle_model(vehicle: VehiclePreset, pitch: PitchModel | None, rebound_ratio: float) -> _Model:
    r = max(float(rebound_ratio), 1.0)
    asym = (r - 1.0) / (r + 1.0)
    if pitch is None:
        a, b = vehicle.matrices()
        bg = np.array([[0.0], [-1.0], [0.0], [1.0 / vehicle.mu]])
        return _Model(
            a=a,
            bu=b[:, None],
            bg=bg,
            w=np.array([[0.0, 1.0, 0.0, -1.0]]),
            cd=np.array([vehicle.c * asym]),
            acc=a[1].copy(),
            acc_g=bg[1].copy(),
            pitch_rows=np.zeros((2, 4)),
            axle_behind_m=np.array([0.0]),
        )
    wb = math.sqrt(vehicle.k2)
    zeta = vehicle.c / (2 * wb)
    ww2 = (vehicle.k1 + vehicle.k2) / vehicle.mu
    f = pitch.front_load
    length = pitch.wheelbase_m
    a_f, b_r = (1 - f) * length, f * length  # centre of gravity to the front and to the rear axle
    wf, wr = wb, wb * pitch.rear_ratio
    kf, kr = f * wf**2, (1 - f) * wr**2
    cf, cr = 2 * zeta * wf * f, 2 * zeta * wr * (1 - f)
    muf, mur = vehicle.mu * f, vehicle.mu * (1 - f)
    ktf, ktr = muf * ww2 - kf, mur * ww2 - kr
    inertia = pitch.dynamic_index * a_f * b_r
    ff = np.array([-kf, -cf, -a_f * kf, -a_f * cf, kf, cf, 0.0, 0.0])  # front suspension force on the body
    fr = np.array([-kr, -cr, b_r * kr, b_r * cr, 0.0, 0.0, kr, cr])
    a = np.zeros((8, 8))
    a[0, 1] = a[2, 3] = a[4, 5] = a[6, 7] = 1.0
    a[1] = ff + fr
    a[3] = (a_f * ff - b_r * fr) / inertia
    a[5] = -ff / muf
    a[5, 4] -= ktf / muf
    a[7] = -fr / mur
    a[7, 6] -= ktr / mur
    bu = np.zeros((8, 2))
    bu[5, 0], bu[7, 1] = ktf / muf, ktr / mur
    bg = np.zeros((8, 2))
    bg[1] = -1.0
    bg[3] = [-a_f / inertia, b_r / inertia]
    bg[5, 0], bg[7, 1] = 1.0 / muf, 1.0 / mur
    w = np.array([[0, 1, 0, a_f, 0, -1, 0, 0], [0, 1, 0, -b_r, 0, 0, 0, -1]], dtype=float)
    x_p = pitch.phone_x_m
    rows = np.zeros((2, 8))
    rows[0, 2] = rows[1, 3] = 1.0
    return _Model(
        a=a,
        bu=bu,
        bg=bg,
        w=w,
        cd=np.array([cf, cr]) * asym,
        acc=a[1] + x_p * a[3],
        acc_g=bg[1] + x_p * bg[3],
        pitch_rows=rows,
        axle_behind_m=np.array([0.0, length]),
    )


def _modal_run(lam: np.ndarray, weight: np.ndarray, b: np.ndarray, u: np.ndarray, q0: np.ndarray | None):
    """Modal states after each step for inputs ``u`` ``(k, tracks, n)``: ``(modes, tracks, n)`` complex."""
    from scipy.signal import lfilter

    drive = np.einsum("mk,ktn->mtn", b, u.astype(complex))
    out = np.empty(drive.shape, dtype=complex)
    for m in range(lam.size):
        zi = None if q0 is None else (lam[m] * q0[m])[:, None]
        if zi is None:
            out[m] = lfilter([1.0], [1.0, -lam[m]], drive[m], axis=-1)
        else:
            out[m], _ = lfilter([1.0], [1.0, -lam[m]], drive[m], axis=-1, zi=zi)
    return out * weight[:, None, None]


def _vehicle_response(
    model: _Model, road: np.ndarray, dt: float, *, tol: float = 1e-5, max_iter: int = 40
) -> tuple[np.ndarray, np.ndarray]:
    """Phone vertical acceleration (mean over the tracks) and the pitch angle/rate, after each step.

    ``road`` is ``(axles, tracks, n)`` elevations under each axle. The dampers' non-linear
    part ``g = cd |w|`` is found by fixed-point iteration on the linear model: the map from
    ``g`` to the extension rates has gain below ``1 / c_mean`` (a passive mobility seen by
    its own damper), so ``g -> cd |w(g)|`` contracts by ``(r - 1) / (r + 1)`` at most.
    """
    a = model.a
    n_states = a.shape[0]
    st = _expm(a * dt)
    solve = np.linalg.solve(a, st - np.eye(n_states))
    pru, prg = solve @ model.bu, solve @ model.bg
    lam, vec = np.linalg.eig(st)
    keep = lam.imag >= -1e-12
    weight = np.where(np.abs(lam.imag) > 1e-12, 2.0, 1.0)[keep]
    inv = np.linalg.inv(vec)
    lam, vec_k, inv_k = lam[keep], vec[:, keep], inv[keep]
    bu, bg = inv_k @ pru, inv_k @ prg
    tracks = road.shape[1]
    # start at rest on the first elevation (static deflection of the springs)
    x0 = np.zeros((n_states, tracks))
    x0[0::2] = road[0, :, 0][None, :]
    q0 = inv_k @ x0.astype(complex)
    qu = _modal_run(lam, weight, bu, road, q0)

    def rows_out(rows: np.ndarray, q: np.ndarray) -> np.ndarray:
        return np.einsum("rm,mtn->rtn", rows @ vec_k, q).real

    g = np.zeros((model.cd.size, tracks, road.shape[2]))
    qg = np.zeros_like(qu)
    if np.any(model.cd > 0):
        w_u = rows_out(model.w, qu)
        for _ in range(max_iter):
            w_now = w_u + rows_out(model.w, qg)
            g_new = model.cd[:, None, None] * np.abs(w_now)
            change = float(np.max(np.abs(g_new - g))) / max(float(np.max(np.abs(g_new))), 1e-12)
            g = g_new
            qg = _modal_run(lam, weight, bg, np.concatenate([np.zeros_like(g[:, :, :1]), g[:, :, :-1]], axis=2), None)
            if change < tol:
                break
    q = qu + qg
    acc = rows_out(model.acc[None, :], q)[0] + np.einsum("k,ktn->tn", model.acc_g, g)
    pitch = rows_out(model.pitch_rows, q)
    return acc.mean(axis=0), pitch.mean(axis=1)


def _expm(a: np.ndarray) -> np.ndarray:
    from scipy.linalg import expm

    return expm(a)


def _holder(acc: np.ndarray, fs: float, hz: float, damping: float) -> np.ndarray:
    """Base-excitation transmissibility of a phone holder resonating at ``hz`` (bilinear transform)."""
    from scipy.signal import bilinear, lfilter

    w = 2 * math.pi * hz
    b, a = bilinear([2 * damping * w, w * w], [1.0, 2 * damping * w, w * w], fs=fs)
    return lfilter(b, a, acc)


def _wobble(
    s_p: np.ndarray, t_p: np.ndarray, stretches: Sequence[tuple[float, float]], rng: np.random.Generator
) -> np.ndarray:
    """Small rotation vectors (rad, vehicle axes) of a phone loose in its holder: 3-8 Hz, about 3°."""
    from scipy.signal import butter, sosfiltfilt

    rot = np.zeros((s_p.size, 3))
    inside = np.zeros(s_p.size, dtype=bool)
    for a, b in stretches:
        inside |= (s_p >= a) & (s_p < b)
    if not inside.any() or t_p.size < 50:
        return rot
    fs = 1.0 / float(np.median(np.diff(t_p)))
    sos = butter(2, [3.0, min(8.0, 0.45 * fs)], btype="band", fs=fs, output="sos")
    for k in range(2):  # about the vehicle's x and y axes
        x = sosfiltfilt(sos, rng.normal(size=s_p.size))
        rot[:, k] = np.radians(3.0) * x / max(float(np.std(x)), 1e-12) * inside
    return rot


def _phone_streams(
    wanted: bool, t: np.ndarray, g_vehicle: np.ndarray, rates: np.ndarray, mount: np.ndarray, prng: np.random.Generator
) -> tuple[Vector3 | None, Vector3 | None]:
    """The phone's gravity estimate and gyroscope in its own axes (with a little noise), when ``wanted``."""
    if not wanted:
        return None, None
    g_phone = g_vehicle @ mount + prng.normal(0.0, 0.01, g_vehicle.shape)
    w_phone = rates @ mount + prng.normal(0.0, 0.003, rates.shape)
    return Vector3(t, *g_phone.T), Vector3(t, *w_phone.T)


def _loose(cfg, s_p, t_p, f_vehicle, g_vehicle, rates, lrng):  # noqa: ANN001, ANN202 - arrays of simulate_survey
    """The phone wobbling and knocking in a loose holder (about 4 knocks a second) in ``cfg.loose_mount``."""
    rot = _wobble(s_p, t_p, cfg.loose_mount, lrng)
    f_vehicle = f_vehicle + np.cross(rot, f_vehicle)
    g_vehicle = g_vehicle + np.cross(rot, g_vehicle)
    rates = rates + np.gradient(rot, t_p, axis=0)
    loose = np.any(rot != 0, axis=1)
    knocks = loose & (lrng.random(s_p.size) < 4.0 / float(cfg.fs_hz))
    f_vehicle[knocks, 2] += lrng.choice([-1.0, 1.0], knocks.sum()) * lrng.uniform(3.0, 8.0, knocks.sum())
    return f_vehicle, g_vehicle, rates


# --------------------------------------------------------------------------- simulation


def _body_at_phone(
    vehicle: VehiclePreset,
    cfg: SimulationConfig,
    profile: LongitudinalProfile,
    s_f: np.ndarray,
    dt: float,
    n_phone: int,
    m: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Vertical acceleration under the phone (model rate) and the pitch (angle, rate) per phone sample."""
    dist = profile.distance
    plain = cfg.pitch is None and cfg.rebound_ratio <= 1.0
    pitch_p = np.zeros((2, n_phone))
    if plain:  # the linear quarter car, track by track (as it always was)
        a_mat, b_vec = vehicle.matrices()
        st, pr = transition_matrices(a_mat, b_vec, dt)
        out_row = a_mat[1]  # body acceleration = second row of A times the state
        body = np.zeros(s_f.size)
        for j in range(2):
            u = np.interp(s_f, dist, profile.elevations[:, j])
            x0 = np.array([u[0], 0.0, u[0], 0.0])
            body += modal_response(st, pr, u, x0, out_row)
        body /= 2.0
    else:
        model = _vehicle_model(vehicle, cfg.pitch, cfg.rebound_ratio)
        road = np.stack(
            [
                np.stack([np.interp(s_f - lag, dist, profile.elevations[:, j]) for j in range(2)])
                for lag in model.axle_behind_m
            ]
        )
        body, pitch_f = _vehicle_response(model, road, dt)
        pitch_p = pitch_f.reshape(2, n_phone, m).mean(axis=2)
    return body, pitch_p


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
        wav = cfg.waviness if isinstance(cfg.waviness, tuple) else None
        sections = random_sections(length + 1.0, classes=cfg.roughness_classes, waviness=wav, seed=int(seeds[0]))
        w0 = float(cfg.waviness) if not isinstance(cfg.waviness, tuple) else 2.0
        profile = sectioned_profile(sections, waviness=w0, seed=int(seeds[1]))
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
    body, pitch_p = _body_at_phone(vehicle, cfg, profile, s_f, dt, n_phone, m)
    if cfg.holder_hz:
        body = _holder(body, 1.0 / dt, float(cfg.holder_hz), float(cfg.holder_damping))
    a_vert = body.reshape(n_phone, m).mean(axis=1)
    t_p = (np.arange(n_phone) + 0.5) * m * dt
    v_p = np.interp(t_p, t_c, v_c)
    s_p = np.interp(t_p, t_f, s_f)
    a_long = np.gradient(v_p, t_p)
    kappa = route.curvature(s_p)
    a_lat = v_p**2 * kappa
    theta = pitch_p[0]
    f_vehicle = np.column_stack([a_long + GRAVITY * theta, a_lat, GRAVITY + a_vert])
    g_vehicle = np.column_stack([GRAVITY * theta, np.zeros(n_phone), np.full(n_phone, GRAVITY)])
    rates = np.column_stack([np.zeros(n_phone), pitch_p[1], v_p * kappa])
    mount = cfg.mount if cfg.mount is not None else Rotation.random(random_state=int(seeds[4])).as_matrix()
    prng = np.random.default_rng(seeds[5])
    if cfg.loose_mount:
        f_vehicle, g_vehicle, rates = _loose(
            cfg, s_p, t_p, f_vehicle, g_vehicle, rates, np.random.default_rng(seeds[7])
        )
    f_phone = f_vehicle @ np.asarray(mount)  # row-vector form of mount.T @ f
    f_phone += prng.normal(0.0, cfg.accel_bias_ms2, 3)
    f_phone += prng.normal(0.0, cfg.accel_noise_ms2, f_phone.shape)
    t0 = cfg.start_time
    accel = Vector3(t=t0 + t_p, x=f_phone[:, 0], y=f_phone[:, 1], z=f_phone[:, 2])
    gravity, gyro = _phone_streams(cfg.phone_streams, t0 + t_p, g_vehicle, rates, np.asarray(mount), prng)

    # GPS
    grng = np.random.default_rng(seeds[6])
    noise = cfg.gps_noise_m if cfg.gps_noise_m is not None else (3.0, 15.0)
    sigma = float(grng.uniform(*noise)) if isinstance(noise, tuple) else float(noise)
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
    speed_noise = grng.normal(0, cfg.gps_speed_noise_ms, t_g.size)
    if not cfg.gps_stop_jitter:
        speed_noise = np.where(v_g > 0, speed_noise, 0.0)
    speed = np.maximum(0.0, v_g + speed_noise)
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
        gravity=gravity,
        gyro=gyro,
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
