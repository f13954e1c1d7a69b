"""Tests of the Bina Marga classes and the jalan mantap share."""

import numpy as np
import pytest

from kotacerdas.roads.bina_marga import (
    RoadClass,
    class_codes,
    classify,
    classify_many,
    length_by_class,
    mantap_share,
)
from kotacerdas.roads.errors import RoadsError


@pytest.mark.parametrize(
    ("iri", "cls"),
    [
        (0.0, "baik"),
        (3.99, "baik"),
        (4.0, "sedang"),
        (7.9, "sedang"),
        (8.0, "rusak_ringan"),
        (11.99, "rusak_ringan"),
        (12.0, "rusak_berat"),
        (25.0, "rusak_berat"),
    ],
)
def test_classify_boundaries(iri: float, cls: str) -> None:
    assert classify(iri) is RoadClass(cls)


def test_vector_forms_agree() -> None:
    vals = np.array([1.0, 5.0, np.nan, 9.0, 13.0])
    assert classify_many(vals) == [
        RoadClass.BAIK,
        RoadClass.SEDANG,
        None,
        RoadClass.RUSAK_RINGAN,
        RoadClass.RUSAK_BERAT,
    ]
    assert class_codes(vals).tolist() == [0, 1, -1, 2, 3]


def test_invalid_iri() -> None:
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(RoadsError):
            classify(bad)


def test_labels_are_bilingual() -> None:
    assert RoadClass.RUSAK_BERAT.label("en") == "Heavy damage"
    assert RoadClass.RUSAK_BERAT.label("id") == "Rusak Berat"
    assert RoadClass.BAIK.label() == "Baik"
    assert RoadClass.SEDANG.mantap and not RoadClass.RUSAK_RINGAN.mantap


def test_mantap_share_by_length() -> None:
    lengths = [100, 100, 50, 100]
    classes = ["baik", RoadClass.RUSAK_BERAT, "sedang", None]
    assert mantap_share(lengths, classes) == pytest.approx(150 / 250)
    assert np.isnan(mantap_share([100], [None]))
    assert length_by_class(lengths, classes)[RoadClass.RUSAK_RINGAN] == 0.0
