"""Bina Marga road-condition classes from the IRI, and the *jalan mantap* share.

Indonesia's Directorate General of Highways (Bina Marga) grades a road interval by
its IRI: below 4 m/km *Baik* (good), 4 to 8 *Sedang* (fair), 8 to 12 *Rusak
Ringan* (light damage), above 12 *Rusak Berat* (heavy damage). A road is *mantap*
(in stable condition) where it is Baik or Sedang; the share of mantap length is
the headline indicator of a road network. Boundaries belong to the worse class'
lower edge: IRI 4.0 is Sedang, 8.0 Rusak Ringan, 12.0 Rusak Berat.

:func:`classify` is the one rule used everywhere in the platform.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from enum import StrEnum

import numpy as np

from kotacerdas.core.i18n import N_, gettext
from kotacerdas.roads.errors import RoadsError

BOUNDARIES_M_PER_KM: tuple[float, float, float] = (4.0, 8.0, 12.0)
"""IRI limits (m/km) between Baik, Sedang, Rusak Ringan and Rusak Berat."""


class RoadClass(StrEnum):
    """A Bina Marga condition class; the value is the stable code stored and sent by the API."""

    BAIK = "baik"
    SEDANG = "sedang"
    RUSAK_RINGAN = "rusak_ringan"
    RUSAK_BERAT = "rusak_berat"

    @property
    def message(self) -> str:
        """The English label (message id)."""
        return _LABELS[self]

    def label(self, lang: str | None = None) -> str:
        """The label in ``lang`` (Bahasa Indonesia by default)."""
        return gettext(_LABELS[self], lang)

    @property
    def mantap(self) -> bool:
        """Whether the class counts as *jalan mantap* (Baik or Sedang)."""
        return self in (RoadClass.BAIK, RoadClass.SEDANG)

    @property
    def rank(self) -> int:
        """0 (Baik) to 3 (Rusak Berat)."""
        return _ORDER.index(self)


_ORDER = (RoadClass.BAIK, RoadClass.SEDANG, RoadClass.RUSAK_RINGAN, RoadClass.RUSAK_BERAT)
_LABELS = {
    RoadClass.BAIK: N_("Good"),
    RoadClass.SEDANG: N_("Fair"),
    RoadClass.RUSAK_RINGAN: N_("Light damage"),
    RoadClass.RUSAK_BERAT: N_("Heavy damage"),
}


def classify(iri_m_per_km: float) -> RoadClass:
    """The Bina Marga class of one IRI value (m/km).

    Raises
    ------
    RoadsError
        When the IRI is negative or not a finite number.
    """
    v = float(iri_m_per_km)
    if not math.isfinite(v) or v < 0:
        raise RoadsError(N_("IRI {iri} is not a valid roughness in m/km"), field="iri", iri=iri_m_per_km)
    return _ORDER[int(np.searchsorted(BOUNDARIES_M_PER_KM, v, side="right"))]


def classify_many(iri_m_per_km: Iterable[float] | np.ndarray) -> list[RoadClass | None]:
    """Classes of many IRI values; ``None`` where a value is NaN (not measured)."""
    values = np.asarray(list(iri_m_per_km) if not isinstance(iri_m_per_km, np.ndarray) else iri_m_per_km, float)
    idx = np.searchsorted(BOUNDARIES_M_PER_KM, values, side="right")
    return [None if not np.isfinite(v) else _ORDER[int(i)] for v, i in zip(values, idx, strict=True)]


def class_codes(iri_m_per_km: np.ndarray) -> np.ndarray:
    """Class rank 0-3 per IRI value, -1 where NaN (vectorised form of :func:`classify`)."""
    values = np.asarray(iri_m_per_km, dtype=float)
    out = np.searchsorted(BOUNDARIES_M_PER_KM, values, side="right").astype(int)
    out[~np.isfinite(values)] = -1
    return out


def mantap_share(lengths_m: Iterable[float], classes: Iterable[RoadClass | str | None]) -> float:
    """Share (0-1) of the classified length that is *jalan mantap* (Baik + Sedang).

    Intervals without a class (not measured) are left out of both numerator and
    denominator. NaN when nothing is classified.
    """
    total = 0.0
    good = 0.0
    for length, cls in zip(lengths_m, classes, strict=True):
        if cls is None:
            continue
        rc = RoadClass(cls)
        total += float(length)
        if rc.mantap:
            good += float(length)
    return good / total if total > 0 else float("nan")


def length_by_class(lengths_m: Iterable[float], classes: Iterable[RoadClass | str | None]) -> dict[RoadClass, float]:
    """Total length (m) of each class (every class present, zero when absent)."""
    out = {c: 0.0 for c in _ORDER}
    for length, cls in zip(lengths_m, classes, strict=True):
        if cls is not None:
            out[RoadClass(cls)] += float(length)
    return out
