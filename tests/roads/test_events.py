"""Tests of pothole and bump detection against simulator ground truth."""

import numpy as np
import pytest

from kotacerdas.roads.events import detect_events, match_events
from kotacerdas.roads.roughness import prepare_survey
from kotacerdas.roads.simulator import SimulationConfig, simulate_survey, winding_route


@pytest.mark.parametrize(("vehicle", "fs"), [("sedan", 100.0), ("pickup", 50.0), ("motorcycle", 200.0)])
def test_recall_and_precision(vehicle: str, fs: float) -> None:
    cfg = SimulationConfig(vehicle=vehicle, fs_hz=fs, potholes_per_km=6.0, bumps_per_km=2.0)
    s, truth = simulate_survey(winding_route(3000, seed=2), config=cfg, seed=21)
    found = detect_events(prepare_survey(s))
    times = np.array([e.time for e in truth.events])
    tp, fp, fn = match_events(found, times)
    assert len(times) >= 10
    assert tp / (tp + fn) >= 0.8
    assert tp / (tp + fp) >= 0.8
    # kinds and positions of the matched ones
    right = 0
    for e in found:
        i = int(np.argmin(np.abs(times - e.time)))
        if abs(times[i] - e.time) < 1.0:
            right += truth.events[i].kind == e.kind
            assert abs(truth.distance_at(np.array([e.time]))[0] - truth.events[i].distance_m) < 15.0
    assert right >= 0.8 * tp


def test_smooth_road_has_no_events() -> None:
    cfg = SimulationConfig(potholes_per_km=0.0, bumps_per_km=0.0, roughness_classes=("A", "A"))
    s, _ = simulate_survey(winding_route(1500, seed=3), config=cfg, seed=5)
    assert detect_events(prepare_survey(s)) == []
