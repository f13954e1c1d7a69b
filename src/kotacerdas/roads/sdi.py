"""Bina Marga's Surface Distress Index (SDI) and a segment's condition from its IRI and its SDI.

**SDI.** Indonesia's Directorate General of Highways grades the visible distress of a road section by adding four
steps (Direktorat Jenderal Bina Marga, *Panduan Survai Kondisi Jalan*, SMD-03/RCS, 2011):

1. total crack area as a share of the surface: none → 0, below 10 % → 5, 10–30 % → 20, above 30 % → 40;
2. mean crack width: wider than 3 mm doubles the first step (1–3 mm and below 1 mm keep it);
3. potholes per km: none → +0, below 10 → +15, 10–50 → +75, above 50 → +225;
4. rut depth: below 1 cm → +2.5 (5 × 0.5), 1–3 cm → +10 (5 × 2), above 3 cm → +20 (5 × 4); none → +0.

Classes: SDI below 50 *Baik*, 50–100 *Sedang*, 100–150 *Rusak Ringan*, above 150 *Rusak Berat* (a value on a
boundary belongs to the worse class, as in :mod:`kotacerdas.roads.bina_marga`).

Here the crack area comes from the camera: the ground area (m²) of every crack (D00 longitudinal, D10 transverse,
D20 alligator) found on a section, over the section's surface (its measured length × its carriageway width:
OSM ``width``, else ``lanes`` × :data:`LANE_WIDTH_M`, else :data:`DEFAULT_WIDTH_M`); potholes are the D40
damages on it per km. The crack width and the rut depth cannot be seen by the camera: they are entered by an
officer (the crack width defaults to :data:`DEFAULT_CRACK_WIDTH_MM`, a fine crack; no rut depth adds nothing).

**Condition from IRI and SDI.** Where both are known the condition of a section follows the matrix of the same
guide (SMD-03/RCS, 2011, the table determining a section's condition from its IRI and SDI), which
:func:`combined_class` implements::

    IRI (m/km) \\ SDI    < 50           50–100         100–150        > 150
    < 4                 Baik           Sedang         Sedang         Rusak Ringan
    4–8                 Sedang         Sedang         Rusak Ringan   Rusak Ringan
    8–12                Rusak Ringan   Rusak Ringan   Rusak Ringan   Rusak Berat
    > 12                Rusak Berat    Rusak Berat    Rusak Berat    Rusak Berat

Where only one of the two is known, or one is older than :data:`STALE_AFTER_DAYS`, :func:`segment_condition` says which
(``basis``) and grades the section by the one at hand: a reader then knows the class is incomplete.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kotacerdas.core.i18n import N_
from kotacerdas.roads.bina_marga import RoadClass, classify
from kotacerdas.roads.errors import RoadsError

CRACK_CODES = ("D00", "D10", "D20")
"""Damage codes whose area counts as cracking."""
POTHOLE_CODE = "D40"

LANE_WIDTH_M = 3.0
"""Width of one lane when OSM gives ``lanes`` but no ``width`` (a local road's lane; Bina Marga's 3.5 m is the
national standard)."""
DEFAULT_WIDTH_M = 6.0
"""Carriageway width when OSM gives neither ``width`` nor ``lanes`` (two lanes of 3 m)."""
DEFAULT_CRACK_WIDTH_MM = 1.0
"""Crack width assumed until an officer enters one (a fine crack, which does not double the crack step)."""
STALE_AFTER_DAYS = 365
"""A measurement older than this (a year: the yearly condition survey) is *old* for the combined condition."""

SDI_BOUNDARIES = (50.0, 100.0, 150.0)
_ORDER = (RoadClass.BAIK, RoadClass.SEDANG, RoadClass.RUSAK_RINGAN, RoadClass.RUSAK_BERAT)
#: rows: IRI class rank, columns: SDI class rank
MATRIX: tuple[tuple[RoadClass, ...], ...] = (
    (RoadClass.BAIK, RoadClass.SEDANG, RoadClass.SEDANG, RoadClass.RUSAK_RINGAN),
    (RoadClass.SEDANG, RoadClass.SEDANG, RoadClass.RUSAK_RINGAN, RoadClass.RUSAK_RINGAN),
    (RoadClass.RUSAK_RINGAN, RoadClass.RUSAK_RINGAN, RoadClass.RUSAK_RINGAN, RoadClass.RUSAK_BERAT),
    (RoadClass.RUSAK_BERAT, RoadClass.RUSAK_BERAT, RoadClass.RUSAK_BERAT, RoadClass.RUSAK_BERAT),
)

BASIS_BOTH = "iri_sdi"
BASIS_IRI = "iri_only"
BASIS_SDI = "sdi_only"
BASIS_NONE = "none"
_STALE_NOTES = {"iri": N_("IRI older than a year"), "sdi": N_("SDI older than a year")}


def _check(value: float | None, name: str) -> float | None:
    if value is None:
        return None
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise RoadsError(N_("{name} must be a number of zero or more"), field=name, name=name)
    return v


def crack_area_step(crack_area_pct: float) -> float:
    """Step 1: 0, 5, 20 or 40 from the total crack area (% of the surface)."""
    pct = _check(crack_area_pct, "crack_area_pct") or 0.0
    if pct <= 0:
        return 0.0
    if pct < 10:
        return 5.0
    if pct <= 30:
        return 20.0
    return 40.0


def crack_width_step(step1: float, crack_width_mm: float | None) -> float:
    """Step 2: cracks wider than 3 mm double step 1."""
    width = _check(crack_width_mm, "crack_width_mm")
    return step1 * 2.0 if width is not None and width > 3.0 else step1


def pothole_points(potholes_per_km: float) -> float:
    """Step 3: +0, +15, +75 or +225 from the potholes per km."""
    n = _check(potholes_per_km, "potholes_per_km") or 0.0
    if n <= 0:
        return 0.0
    if n < 10:
        return 15.0
    if n <= 50:
        return 75.0
    return 225.0


def rut_points(rut_depth_mm: float | None) -> float:
    """Step 4: +2.5 below 1 cm, +10 for 1–3 cm, +20 above 3 cm; nothing without ruts."""
    depth = _check(rut_depth_mm, "rut_depth_mm")
    if depth is None or depth <= 0:
        return 0.0
    if depth < 10:
        return 2.5
    if depth <= 30:
        return 10.0
    return 20.0


def sdi_class(sdi: float) -> RoadClass:
    """The Bina Marga class of an SDI value (below 50 Baik ... above 150 Rusak Berat)."""
    v = _check(sdi, "sdi")
    assert v is not None
    k = sum(1 for b in SDI_BOUNDARIES if v >= b)
    return _ORDER[k]


@dataclass(frozen=True)
class SdiInput:
    """What an SDI needs: the section's surface, its cracks and potholes, and the entered widths and ruts."""

    length_m: float
    width_m: float
    crack_area_m2: float = 0.0
    potholes: int = 0
    crack_width_mm: float | None = None
    rut_depth_mm: float | None = None


@dataclass(frozen=True)
class SdiResult:
    """The SDI of a section, each of its four steps, and its class."""

    sdi: float
    road_class: RoadClass
    crack_area_pct: float
    potholes_per_km: float
    crack_step: float
    width_step: float
    pothole_step: float
    rut_step: float
    crack_width_mm: float
    rut_depth_mm: float | None
    length_m: float
    width_m: float

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["road_class"] = self.road_class.value
        return out


def surface_distress_index(data: SdiInput) -> SdiResult:
    """The SDI of one section (see the module docstring for the four steps and their source).

    Raises
    ------
    RoadsError
        A length or width that is not positive, or a negative area, count, width or depth.
    """
    length = _check(data.length_m, "length_m")
    width = _check(data.width_m, "width_m")
    if not length or not width:
        raise RoadsError(N_("an SDI needs a section with a positive length and width"), field="length_m")
    area = _check(data.crack_area_m2, "crack_area_m2") or 0.0
    pct = min(100.0, 100.0 * area / (length * width))
    per_km = float(_check(data.potholes, "potholes") or 0.0) * 1000.0 / length
    crack_width = _check(data.crack_width_mm, "crack_width_mm")
    crack_width = DEFAULT_CRACK_WIDTH_MM if crack_width is None else crack_width
    s1 = crack_area_step(pct)
    s2 = crack_width_step(s1, crack_width)
    s3 = pothole_points(per_km)
    s4 = rut_points(data.rut_depth_mm)
    total = s2 + s3 + s4
    return SdiResult(
        sdi=total,
        road_class=sdi_class(total),
        crack_area_pct=round(pct, 4),
        potholes_per_km=round(per_km, 3),
        crack_step=s1,
        width_step=s2,
        pothole_step=s3,
        rut_step=s4,
        crack_width_mm=crack_width,
        rut_depth_mm=data.rut_depth_mm,
        length_m=length,
        width_m=width,
    )


def carriageway_width(width_tag: str | float | None, lanes: int | None) -> float:
    """The carriageway width (m) from OSM ``width`` (``7``, ``7 m``, ``7.5``), else ``lanes`` × 3 m, else 6 m."""
    if width_tag not in (None, ""):
        text = str(width_tag).strip().lower().removesuffix("m").strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if math.isfinite(value) and 1.0 <= value <= 60.0:
            return value
    if lanes is not None and lanes > 0:
        return lanes * LANE_WIDTH_M
    return DEFAULT_WIDTH_M


def combined_class(iri_class: RoadClass, sdi_cls: RoadClass) -> RoadClass:
    """The condition of a section from its IRI class and its SDI class (the Bina Marga matrix)."""
    return MATRIX[iri_class.rank][sdi_cls.rank]


@dataclass(frozen=True)
class Condition:
    """A section's condition from its IRI and its SDI, saying what it rests on.

    ``basis`` is ``iri_sdi`` (both, the matrix), ``iri_only``, ``sdi_only`` or ``none``; ``missing`` lists what
    is not known (``iri``, ``sdi``) and ``stale`` what is older than :data:`STALE_AFTER_DAYS`.
    """

    road_class: RoadClass | None
    basis: str
    iri: float | None
    sdi: float | None
    iri_class: RoadClass | None
    sdi_class: RoadClass | None
    iri_at: datetime | None
    sdi_at: datetime | None
    missing: tuple[str, ...] = field(default_factory=tuple)
    stale: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "class": self.road_class.value if self.road_class else None,
            "basis": self.basis,
            "iri": None if self.iri is None else round(self.iri, 3),
            "sdi": None if self.sdi is None else round(self.sdi, 2),
            "iri_class": self.iri_class.value if self.iri_class else None,
            "sdi_class": self.sdi_class.value if self.sdi_class else None,
            "iri_at": self.iri_at.isoformat() if self.iri_at else None,
            "sdi_at": self.sdi_at.isoformat() if self.sdi_at else None,
            "missing": list(self.missing),
            "stale": list(self.stale),
        }

    def notes(self) -> list[str]:
        """What the class rests on, as message ids (:func:`basis_notes`)."""
        return basis_notes(self.basis, self.missing, self.stale)


def basis_notes(basis: str, missing: Sequence[str] = (), stale: Sequence[str] = ()) -> list[str]:
    """What a combined class rests on, as message ids to show (translated where shown): how it was graded (from
    both, from the IRI or the SDI alone saying which is missing, or neither), then each measurement older than
    :data:`STALE_AFTER_DAYS`."""
    if basis == BASIS_BOTH:
        first = N_("From the IRI and the SDI")
    elif basis == BASIS_IRI:
        first = (
            N_("SDI missing: condition from the IRI alone") if "sdi" in missing else N_("Condition from the IRI alone")
        )
    elif basis == BASIS_SDI:
        first = (
            N_("IRI missing: condition from the SDI alone") if "iri" in missing else N_("Condition from the SDI alone")
        )
    else:
        first = N_("Neither IRI nor SDI measured")
    return [first, *(_STALE_NOTES[n] for n in ("iri", "sdi") if n in stale)]


def segment_condition(
    iri: float | None,
    sdi: float | None,
    *,
    iri_at: datetime | None = None,
    sdi_at: datetime | None = None,
    now: datetime | None = None,
    stale_after_days: int = STALE_AFTER_DAYS,
) -> Condition:
    """The combined condition of a section (see the module docstring): the matrix when both are known and fresh.

    A stale measurement still counts when it is the only one; when the other is fresh the fresh one decides.
    """
    limit = timedelta(days=stale_after_days)
    missing = tuple(n for n, v in (("iri", iri), ("sdi", sdi)) if v is None)
    stale = tuple(
        n
        for n, v, at in (("iri", iri, iri_at), ("sdi", sdi, sdi_at))
        if v is not None and at is not None and now is not None and now - at > limit
    )
    ic = classify(iri) if iri is not None else None
    sc = sdi_class(sdi) if sdi is not None else None
    if ic is not None and sc is not None and not stale:
        cls, basis = combined_class(ic, sc), BASIS_BOTH
    elif ic is not None and sc is not None and len(stale) == 2:
        cls, basis = combined_class(ic, sc), BASIS_BOTH
    elif ic is not None and (sc is None or "sdi" in stale):
        cls, basis = ic, BASIS_IRI
    elif sc is not None:
        cls, basis = sc, BASIS_SDI
    else:
        cls, basis = None, BASIS_NONE
    return Condition(cls, basis, iri, sdi, ic, sc, iri_at, sdi_at, missing, stale)
