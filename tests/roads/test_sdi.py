"""Bina Marga's SDI, step by step at every boundary, and the combined IRI+SDI condition (all 16 cells, what it rests
on when one is missing or old)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kotacerdas.roads.bina_marga import RoadClass
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.sdi import (
    MATRIX,
    SdiInput,
    carriageway_width,
    combined_class,
    crack_area_step,
    crack_width_step,
    pothole_points,
    rut_points,
    sdi_class,
    segment_condition,
    surface_distress_index,
)

B, S, RR, RB = RoadClass.BAIK, RoadClass.SEDANG, RoadClass.RUSAK_RINGAN, RoadClass.RUSAK_BERAT


@pytest.mark.parametrize("pct, step", [(0, 0), (0.01, 5), (9.99, 5), (10, 20), (30, 20), (30.01, 40), (100, 40)])
def test_crack_area_step(pct, step):
    assert crack_area_step(pct) == step


def test_wide_cracks_double_the_first_step():
    assert crack_width_step(20, 3.0) == 20 and crack_width_step(20, 3.1) == 40 and crack_width_step(5, None) == 5


@pytest.mark.parametrize("n, pts", [(0, 0), (0.5, 15), (9.9, 15), (10, 75), (50, 75), (50.1, 225)])
def test_pothole_points(n, pts):
    assert pothole_points(n) == pts


@pytest.mark.parametrize("mm, pts", [(None, 0), (0, 0), (5, 2.5), (10, 10), (30, 10), (31, 20)])
def test_rut_points(mm, pts):
    assert rut_points(mm) == pts


@pytest.mark.parametrize("v, cls", [(0, B), (49.9, B), (50, S), (99.9, S), (100, RR), (150, RB), (400, RB)])
def test_sdi_classes(v, cls):
    assert sdi_class(v) is cls


def test_a_section_worked_by_hand():
    # 100 m x 6 m = 600 m²; 90 m² of cracks = 15 % -> 20; 5 mm wide -> 40; 3 potholes = 30/km -> +75; 2 cm ruts -> +10
    r = surface_distress_index(SdiInput(100, 6, crack_area_m2=90, potholes=3, crack_width_mm=5, rut_depth_mm=20))
    assert (r.crack_area_pct, r.crack_step, r.width_step, r.potholes_per_km) == (15.0, 20, 40, 30.0)
    assert r.sdi == 125.0 and r.road_class is RR
    assert r.as_dict()["road_class"] == "rusak_ringan"
    clean = surface_distress_index(SdiInput(250, 7))
    assert clean.sdi == 0 and clean.road_class is B and clean.crack_width_mm == 1.0


def test_bad_sections_are_refused():
    with pytest.raises(RoadsError):
        surface_distress_index(SdiInput(0, 6))
    with pytest.raises(RoadsError):
        surface_distress_index(SdiInput(100, 6, crack_area_m2=-1))


def test_carriageway_width_from_osm():
    assert carriageway_width("7.5", None) == 7.5 and carriageway_width("7 m", 2) == 7.0
    assert carriageway_width(None, 3) == 9.0 and carriageway_width("wide", None) == 6.0


def test_the_matrix_cell_by_cell():
    expected = [[B, S, S, RR], [S, S, RR, RR], [RR, RR, RR, RB], [RB, RB, RB, RB]]
    for i, row in enumerate(expected):
        for j, cls in enumerate(row):
            assert combined_class(list(RoadClass)[i], list(RoadClass)[j]) is cls
    assert len(MATRIX) == 4


def test_condition_says_what_it_rests_on():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    fresh, old = now - timedelta(days=30), now - timedelta(days=500)
    both = segment_condition(5.0, 120.0, iri_at=fresh, sdi_at=fresh, now=now)
    assert (both.road_class, both.basis, both.missing, both.stale) == (RR, "iri_sdi", (), ())
    no_sdi = segment_condition(5.0, None, iri_at=fresh, now=now)
    assert (no_sdi.road_class, no_sdi.basis, no_sdi.missing) == (S, "iri_only", ("sdi",))
    no_iri = segment_condition(None, 160.0, sdi_at=fresh, now=now)
    assert (no_iri.road_class, no_iri.basis) == (RB, "sdi_only")
    stale_sdi = segment_condition(2.0, 160.0, iri_at=fresh, sdi_at=old, now=now)
    assert (stale_sdi.road_class, stale_sdi.basis, stale_sdi.stale) == (B, "iri_only", ("sdi",))
    both_old = segment_condition(2.0, 160.0, iri_at=old, sdi_at=old, now=now)
    assert both_old.basis == "iri_sdi" and both_old.stale == ("iri", "sdi")
    nothing = segment_condition(None, None)
    assert nothing.road_class is None and nothing.basis == "none" and nothing.as_dict()["class"] is None
