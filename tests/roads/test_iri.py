"""Tests of the exact IRI (ASTM E1926) and the profile readers."""

from pathlib import Path

import numpy as np
import pytest

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.iri import (
    GOLDEN_CAR,
    IN_PER_MI_PER_M_PER_KM,
    iri,
    iri_intervals,
    parse_erd,
    parse_profile_csv,
    quarter_car_matrices,
    read_erd,
    transition_matrices,
)
from kotacerdas.roads.roughness import golden_slope_response

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "roads" / "profiles"


@pytest.fixture
def basic_erd() -> Path:
    path = SHARED / "basic.erd"
    if not path.is_file():
        pytest.skip("shared profile data not available")
    return path


def loop_iri(y: np.ndarray, dx: float) -> float:
    """Plain sample-by-sample E1926 recursion, as a cross-check of the modal filter."""
    a, b = quarter_car_matrices(**GOLDEN_CAR)
    st, pr = transition_matrices(a, b, dx / (80 / 3.6))
    k = max(1, round(0.25 / dx))
    i11 = min(round(11 / dx), y.size - 1)
    s0 = (y[i11] - y[0]) / (i11 * dx)
    z = np.array([s0, 0.0, s0, 0.0])
    total = 0.0
    for i in range(y.size - k):
        z = st @ z + pr * (y[i + k] - y[i]) / (k * dx)
        total += abs(z[0] - z[2])
    return total / (y.size - k) * 1000


def test_basic_erd_matches_published_iri(basic_erd: Path) -> None:
    profile = read_erd(basic_erd)
    assert profile.elevations.shape == (25544, 2)
    left, right = (iri(profile.elevations[:, k], profile.dx) * IN_PER_MI_PER_M_PER_KM for k in range(2))
    assert left == pytest.approx(183.0, rel=0.005)
    assert right == pytest.approx(163.0, rel=0.005)


def test_erd_header_value_is_not_used(basic_erd: Path) -> None:
    text = basic_erd.read_text(encoding="latin-1").replace("IRILWP   183", "IRILWP   999")
    profile = parse_erd(text)
    assert iri(profile.elevations[:, 0], profile.dx) == pytest.approx(183.0 / 63.36, rel=0.005)


def test_modal_filter_equals_plain_recursion() -> None:
    rng = np.random.default_rng(4)
    y = np.cumsum(rng.normal(0, 0.002, 3000))
    assert iri(y, 0.05) == pytest.approx(loop_iri(y, 0.05), rel=1e-9)
    assert iri(y, 0.3) == pytest.approx(loop_iri(y, 0.3), rel=1e-9)


def test_flat_and_sloped_profiles_have_zero_iri() -> None:
    x = np.arange(0, 500, 0.25)
    assert iri(np.zeros_like(x), 0.25) == pytest.approx(0.0, abs=1e-12)
    assert iri(0.03 * x + 2.0, 0.25) == pytest.approx(0.0, abs=1e-9)


def test_iri_is_independent_of_a_linear_grade() -> None:
    rng = np.random.default_rng(1)
    y = np.cumsum(rng.normal(0, 0.003, 8000))
    x = np.arange(y.size) * 0.1
    assert iri(y + 0.05 * x, 0.1) == pytest.approx(iri(y, 0.1), rel=1e-6)


@pytest.mark.parametrize("wavelength", [1.5, 5.0, 20.0])
def test_sinusoid_response_matches_the_frequency_response(wavelength: float) -> None:
    dx, amp = 0.05, 0.005
    x = np.arange(0, 2000, dx)
    y = amp * np.sin(2 * np.pi * x / wavelength)
    expected = 2 / np.pi * amp * abs(golden_slope_response(np.array([1 / wavelength]))[0]) * 1000
    got = iri_intervals(y, dx, interval_m=1000.0).iri[-1]  # second km: transients gone
    assert got == pytest.approx(expected, rel=0.01)


def test_intervals_average_to_the_whole() -> None:
    rng = np.random.default_rng(2)
    y = np.cumsum(rng.normal(0, 0.002, 20001))
    out = iri_intervals(y, 0.05, 100.0)
    assert len(out) == 10
    assert out.from_m[3] == 300.0 and out.to_m[-1] == pytest.approx(1000.0)
    assert np.mean(out.iri) == pytest.approx(iri(y, 0.05), rel=1e-3)
    assert out.iri_in_per_mi[0] == pytest.approx(out.iri[0] * 63.36)


def test_profile_csv_one_and_two_tracks() -> None:
    rng = np.random.default_rng(3)
    y = np.cumsum(rng.normal(0, 0.002, 4001))
    d = np.arange(y.size) * 0.05
    one = parse_profile_csv("distance,elevation\n" + "\n".join(f"{a},{b}" for a, b in zip(d, y, strict=True)))
    assert one.tracks == ("elevation",) and one.dx == pytest.approx(0.05)
    assert one.iri()["elevation"] == pytest.approx(iri(y, 0.05))
    two = parse_profile_csv(
        "\n".join(f"{a * 1000};{b * 1000};{b * 2000}" for a, b in zip(d, y, strict=True)),
        distance_unit="mm",
        elevation_unit="mm",
    )
    assert two.tracks == ("left", "right")
    assert two.iri()["right"] == pytest.approx(2 * iri(y, 0.05), rel=1e-6)


def test_profile_csv_rejects_uneven_steps() -> None:
    with pytest.raises(RoadsError) as err:
        parse_profile_csv("0,0\n1,0\n3,0\n4,0\n")
    assert err.value.field == "distance"


def test_erd_errors() -> None:
    with pytest.raises(RoadsError):
        parse_erd("not an erd\n")
    with pytest.raises(RoadsError):
        parse_erd("ERDFILEV2.00\n 1, 5, -1, 1, 5, 0.25, -1,\nXUNITS  m\nEND\n0\n1\nx\n")


@pytest.mark.parametrize("nchan", ["1000000000", "0", "-2"])
def test_an_erd_header_with_an_impossible_channel_count_is_refused_before_reading(nchan):
    from kotacerdas.core.errors import KotacerdasError
    from kotacerdas.roads.iri import parse_erd

    with pytest.raises(KotacerdasError, match="channels") as err:
        parse_erd(f"ERDFILEV2.00\n{nchan}, 4, 1, 1, 0, 0, 0.25, 0.0\nTITLE   t\nEND\n" + "0.001 0.002\n" * 4)
    assert err.value.record == 2
