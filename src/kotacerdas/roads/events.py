"""Potholes and bumps from spikes in the vertical acceleration.

A wheel dropping into a pothole or climbing a bump gives the body a short, strong
jolt that stands out of the road's ordinary roughness. The detector:

1. band-passes the vertical acceleration (from
   :func:`kotacerdas.roads.roughness.prepare_survey`) to 2-25 Hz, where the
   jolt lives and the slow body motion and drift do not;
2. tracks the local background as the RMS over a sliding window (5 s);
3. keeps peaks of ``|a|`` above both an absolute threshold and ``k`` times the
   background, at least ``min_separation_s`` apart, driven faster than
   ``min_speed_kmh``;
4. names each peak by the sign of the first strong lobe of the jolt: the body
   first drops into a pothole (negative) and is first lifted by a bump (positive);
5. places it at the distance and the (smoothed GPS) position of the peak, with
   its strength (peak band-passed acceleration, m/s²).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, find_peaks, sosfiltfilt

from kotacerdas.roads.roughness import PreparedSurvey


@dataclass(frozen=True)
class RoadEvent:
    """A pothole or bump found in a survey."""

    kind: str
    """``"pothole"`` or ``"bump"``."""
    time: float
    distance_m: float
    lat: float
    lon: float
    strength_ms2: float
    """Peak band-passed vertical acceleration (m/s²)."""
    speed_kmh: float


def _rolling_rms(x: np.ndarray, n: int) -> np.ndarray:
    c = np.concatenate([[0.0], np.cumsum(x * x)])
    half = n // 2
    idx = np.arange(x.size)
    lo = np.clip(idx - half, 0, x.size)
    hi = np.clip(idx + half + 1, 0, x.size)
    return np.sqrt((c[hi] - c[lo]) / np.maximum(hi - lo, 1))


def detect_events(
    prep: PreparedSurvey,
    *,
    threshold_ms2: float = 2.5,
    k_background: float = 3.5,
    window_s: float = 5.0,
    min_separation_s: float = 1.0,
    min_speed_kmh: float = 10.0,
    band_hz: tuple[float, float] = (2.0, 25.0),
) -> list[RoadEvent]:
    """Potholes and bumps of one prepared survey.

    Parameters
    ----------
    prep:
        The survey, from :func:`kotacerdas.roads.roughness.prepare_survey`.
    threshold_ms2:
        Least peak band-passed acceleration (m/s²).
    k_background:
        Least ratio of the peak to the local RMS background.
    window_s:
        Length of the background window (s).
    min_separation_s:
        Peaks closer than this are one event.
    min_speed_kmh:
        Peaks while driving slower are ignored.
    band_hz:
        Band-pass (Hz); the upper edge is capped at 45 % of the sampling rate.

    Returns
    -------
    list of RoadEvent
        In time order.
    """
    fs = prep.fs
    if prep.a_vert.size < int(fs):
        return []
    hi = min(band_hz[1], 0.45 * fs)
    sos = butter(2, [band_hz[0], hi], btype="band", fs=fs, output="sos")
    b = sosfiltfilt(sos, prep.a_vert)
    mag = np.abs(b)
    background = _rolling_rms(b, max(3, int(window_s * fs)))
    height = np.maximum(threshold_ms2, k_background * background)
    peaks, _ = find_peaks(mag, distance=max(1, int(min_separation_s * fs)))
    peaks = peaks[mag[peaks] > height[peaks]]
    if peaks.size == 0:
        return []
    speed = np.gradient(prep.fix_s, prep.fix_t) if prep.fix_t.size > 1 else np.zeros(1)
    t_pk = prep.t[peaks]
    v_pk = np.interp(t_pk, prep.fix_t, speed) * 3.6
    lat, lon = prep.position_at(t_pk)
    lead = int(round(0.25 * fs))
    events = []
    for k, p in enumerate(peaks):
        if v_pk[k] < min_speed_kmh:
            continue
        lo = max(0, p - lead)
        window = b[lo : p + 1]
        strong = np.flatnonzero(np.abs(window) >= 0.5 * mag[p])
        first = window[strong[0]] if strong.size else b[p]
        events.append(
            RoadEvent(
                kind="pothole" if first < 0 else "bump",
                time=float(t_pk[k]),
                distance_m=float(prep.s[p]),
                lat=float(lat[k]),
                lon=float(lon[k]),
                strength_ms2=float(mag[p]),
                speed_kmh=float(v_pk[k]),
            )
        )
    return events


def match_events(found: list[RoadEvent], truth_times: np.ndarray, *, tolerance_s: float = 1.0) -> tuple[int, int, int]:
    """Greedy one-to-one matching of found events to true event times.

    Returns ``(true_positives, false_positives, false_negatives)``.
    """
    truth = sorted(float(t) for t in truth_times)
    used = [False] * len(truth)
    tp = 0
    for e in sorted(found, key=lambda e: e.time):
        best, best_d = -1, tolerance_s
        for i, t in enumerate(truth):
            d = abs(e.time - t)
            if not used[i] and d <= best_d:
                best, best_d = i, d
        if best >= 0:
            used[best] = True
            tp += 1
    return tp, len(found) - tp, len(truth) - tp
