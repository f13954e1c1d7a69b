"""Tests of the ISO 8608 profile generator and the pothole/bump features."""

import numpy as np
import pytest
from scipy.signal import welch

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.profiles import (
    ISO_CLASSES,
    Feature,
    Section,
    add_features,
    iso8608_profile,
    random_features,
    sectioned_profile,
)


@pytest.mark.parametrize("method", ["fft", "sines"])
def test_psd_follows_iso_8608(method: str) -> None:
    p = iso8608_profile(4000, "C", dx=0.1, tracks=1, method=method, seed=7)
    n, psd = welch(p.track(0), fs=1 / p.dx, nperseg=4096)
    band = (n > 0.05) & (n < 1.0)
    ratio = psd[band] / (ISO_CLASSES["C"] * (n[band] / 0.1) ** -2)
    assert np.median(ratio) == pytest.approx(1.0, rel=0.25)


def test_seeded_and_ordered_by_class() -> None:
    a = iso8608_profile(500, "B", seed=1)
    b = iso8608_profile(500, "B", seed=1)
    assert np.array_equal(a.elevations, b.elevations)
    iris = [np.mean(list(iso8608_profile(500, c, seed=2).iri().values())) for c in "ABCD"]
    assert all(x < y for x, y in zip(iris, iris[1:], strict=False))
    # IRI scales with the square root of Gd(n0): four times the PSD, twice the IRI
    assert iris[2] / iris[1] == pytest.approx(2.0, rel=0.05)


def test_two_tracks_correlate() -> None:
    p = iso8608_profile(2000, "C", correlation=0.8, seed=3)
    sl = np.diff(p.elevations, axis=0)
    assert np.corrcoef(sl[:, 0], sl[:, 1])[0, 1] == pytest.approx(0.8, abs=0.05)


def test_sectioned_profile_changes_roughness_and_stays_continuous() -> None:
    p = sectioned_profile([Section(0, 300, ISO_CLASSES["A"]), Section(300, 600, ISO_CLASSES["D"])], seed=4)
    iv = p.mean_iri_intervals(100.0).iri
    assert iv[4] > 5 * iv[1]
    assert np.max(np.abs(np.diff(p.elevations, axis=0))) < 0.05


def test_features_are_cut_and_recorded() -> None:
    p = iso8608_profile(200, "A", seed=5)
    feats = [
        Feature("pothole", 50.0, 0.8, 0.06, ("left",)),
        Feature("bump", 120.0, 2.0, 0.08, ("left", "right")),
    ]
    q = add_features(p, feats)
    diff = q.elevations - p.elevations
    assert diff[:, 0].min() == pytest.approx(-0.06)
    assert np.all(diff[:, 1] >= 0)
    assert diff[int(120 / p.dx), 1] == pytest.approx(0.08, rel=1e-3)
    assert q.iri()["left"] > p.iri()["left"]
    rnd = random_features(5000, potholes_per_km=5, bumps_per_km=1, seed=1)
    assert rnd == random_features(5000, potholes_per_km=5, bumps_per_km=1, seed=1)
    pos = [f.position_m for f in rnd]
    assert pos == sorted(pos) and np.min(np.diff(pos)) >= 30.0


def test_bad_class() -> None:
    with pytest.raises(RoadsError):
        iso8608_profile(100, "Z")
