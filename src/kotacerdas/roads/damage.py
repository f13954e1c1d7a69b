"""From sightings to damage records: one record per damage, however many frames and drives saw it, and its status.

A *sighting* is one detection placed on the ground (:mod:`kotacerdas.roads.placement`): a damage code, a position,
a time, a confidence, an area, the segment it lies on and the frame and crop it came from. The same pothole is seen
in several frames of a drive, and again on later drives. :func:`group_sightings` makes one record of the sightings
with the same code on the same segment within :data:`RADIUS_M` (about 3 m) of each other, or of a record already
stored: sightings are taken in time order and each joins the nearest matching record (stored or new) whose
position, the confidence-weighted mean of its sightings, lies within the radius.

A stored damage that a later drive passed in full view of its camera without seeing it is *not seen again*
(:func:`missed`): its record stays, marked so, for an officer to check (repaired? a false detection?). Only a drive
whose model can find the damage's code can miss it: a pothole-only model says nothing of the cracks it drove over.
A sighting later than the miss makes the damage seen again (:func:`seen_again`); one from a drive stored out of
order, older than the miss, does not.

Status: every record starts ``detected``; an officer reviews it (``confirmed`` or ``rejected``), the repair
workflow schedules and closes it (``scheduled``, ``repaired``). :data:`TRANSITIONS` lists the allowed steps;
every change is kept in the record's history (who, when, from, to, note). Repaired records take no new sightings
(damage found there later is a new damage); rejected ones still absorb sightings, so a false detection that keeps
coming back stays one rejected record.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.placement import EARTH_M_PER_DEG_LAT, EARTH_M_PER_DEG_LON_EQUATOR

RADIUS_M = 3.0
DETECTED, CONFIRMED, REJECTED, SCHEDULED, REPAIRED = "detected", "confirmed", "rejected", "scheduled", "repaired"
STATUSES = (DETECTED, CONFIRMED, REJECTED, SCHEDULED, REPAIRED)
STATUS_LABELS = {
    DETECTED: N_("Detected"),
    CONFIRMED: N_("Confirmed"),
    REJECTED: N_("Rejected"),
    SCHEDULED: N_("Repair scheduled"),
    REPAIRED: N_("Repaired"),
}
TRANSITIONS: dict[str, tuple[str, ...]] = {
    DETECTED: (CONFIRMED, REJECTED),
    CONFIRMED: (SCHEDULED, REPAIRED, REJECTED),
    REJECTED: (DETECTED, CONFIRMED),
    SCHEDULED: (REPAIRED, CONFIRMED),
    REPAIRED: (DETECTED,),
}
SEEN, NOT_SEEN_AGAIN = "seen", "not_seen_again"
#: a drive is taken to have seen a place when a frame had it this far ahead (m) and this close to its axis
VIEW_AHEAD_M = (3.0, 12.0)
VIEW_SIDE_M = 2.5


@dataclass(frozen=True)
class Sighting:
    """One detection on the ground (see the module docstring); ``ref`` is the caller's handle (a frame, a crop)."""

    code: str
    lon: float
    lat: float
    t: float
    confidence: float
    area_m2: float
    segment: int | None
    ref: object = None


@dataclass(frozen=True)
class StoredDamage:
    """What matching needs of a stored damage record."""

    id: int
    code: str
    segment: int | None
    lon: float
    lat: float
    weight: float
    status: str = DETECTED


@dataclass
class Group:
    """A damage: the stored record it extends (``damage_id``) or a new one, and its sightings."""

    code: str
    segment: int | None
    lon: float
    lat: float
    weight: float
    damage_id: int | None = None
    sightings: list[Sighting] = field(default_factory=list)

    def add(self, s: Sighting) -> None:
        w = max(s.confidence, 1e-3)
        total = self.weight + w
        self.lon = (self.lon * self.weight + s.lon * w) / total
        self.lat = (self.lat * self.weight + s.lat * w) / total
        self.weight = total
        self.sightings.append(s)


def regroup(code: str, segment: int | None, sightings: Iterable[Sighting]) -> Group:
    """A damage's position and weight from its sightings alone (the confidence-weighted mean, as
    :func:`group_sightings` builds it): what a record is left with when a replaced capture's sightings are taken
    away."""
    g = Group(code, segment, 0.0, 0.0, 0.0)
    for s in sightings:
        g.add(s)
    return g


def local_metres(lon: float, lat: float, lon0: float, lat0: float) -> tuple[float, float]:
    """East, north metres of ``(lon, lat)`` from ``(lon0, lat0)`` on a local tangent plane (short distances)."""
    return (
        (lon - lon0) * EARTH_M_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat0)),
        (lat - lat0) * EARTH_M_PER_DEG_LAT,
    )


def _near(g: Group, s: Sighting) -> float:
    e, n = local_metres(s.lon, s.lat, g.lon, g.lat)
    return math.hypot(e, n)


def group_sightings(
    sightings: Iterable[Sighting], stored: Sequence[StoredDamage] = (), *, radius_m: float = RADIUS_M
) -> list[Group]:
    """The sightings grouped into damages (see the module docstring); groups that extend a stored record carry
    its id. Only groups with at least one sighting are answered."""
    groups: list[Group] = [
        Group(d.code, d.segment, d.lon, d.lat, max(d.weight, 1e-3), damage_id=d.id)
        for d in stored
        if d.status != REPAIRED
    ]
    cell = max(radius_m, 0.5)
    index: dict[tuple[str, int | None, int, int], list[int]] = {}
    lat0 = groups[0].lat if groups else None

    def key(g_lon: float, g_lat: float) -> tuple[int, int]:
        e, n = local_metres(g_lon, g_lat, 0.0, lat0 or 0.0)
        return int(math.floor(e / cell)), int(math.floor(n / cell))

    ordered = sorted(sightings, key=lambda s: (s.t, -s.confidence))
    if lat0 is None and ordered:
        lat0 = ordered[0].lat
    for k, g in enumerate(groups):
        cx, cy = key(g.lon, g.lat)
        index.setdefault((g.code, g.segment, cx, cy), []).append(k)
    for s in ordered:
        cx, cy = key(s.lon, s.lat)
        best, best_d = None, radius_m
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for k in index.get((s.code, s.segment, cx + dx, cy + dy), ()):
                    d = _near(groups[k], s)
                    if d <= best_d:
                        best, best_d = k, d
        if best is None:
            groups.append(Group(s.code, s.segment, s.lon, s.lat, 0.0))
            best = len(groups) - 1
            index.setdefault((s.code, s.segment, cx, cy), []).append(best)
        g = groups[best]
        old = key(g.lon, g.lat)
        g.add(s)
        new = key(g.lon, g.lat)
        if new != old:
            index[(g.code, g.segment, *old)].remove(best)
            index.setdefault((g.code, g.segment, *new), []).append(best)
    return [g for g in groups if g.sightings]


def in_view(
    damage_lon: float,
    damage_lat: float,
    lon: float,
    lat: float,
    heading_deg: float,
    ahead=VIEW_AHEAD_M,
    side=VIEW_SIDE_M,
) -> bool:
    """Whether a frame at ``(lon, lat)`` facing ``heading_deg`` had the damage well in view (ahead, near the axis)."""
    e, n = local_metres(damage_lon, damage_lat, lon, lat)
    h = math.radians(heading_deg)
    forward = e * math.sin(h) + n * math.cos(h)
    right = e * math.cos(h) - n * math.sin(h)
    return ahead[0] <= forward <= ahead[1] and abs(right) <= side


def missed(
    stored: Sequence[StoredDamage],
    poses: Sequence[tuple[float, float, float]],
    seen_ids: set[int],
    codes: Collection[str],
) -> list[int]:
    """Ids of the stored damages that frames ``(lon, lat, heading)`` had in view and that were not seen, among those
    whose code is one of ``codes``: what the drive's model can find (a model cannot miss what it cannot see)."""
    out = []
    for d in stored:
        if d.id in seen_ids or d.status in (REPAIRED, REJECTED) or d.code not in codes:
            continue
        if any(in_view(d.lon, d.lat, lon, lat, h) for lon, lat, h in poses):
            out.append(d.id)
    return out


def seen_again(missed_at: datetime | None, sighted_at: datetime) -> bool:
    """Whether a sighting at ``sighted_at`` makes a damage seen: always, unless a drive missed it later than that
    (drives may be stored out of order: an older drive's sighting does not undo a newer miss)."""
    return missed_at is None or sighted_at > missed_at


def check_transition(current: str, new: str) -> None:
    """Refuse a status change the workflow does not allow.

    Raises
    ------
    RoadsError
        An unknown status, or a step not in :data:`TRANSITIONS`.
    """
    if new not in STATUSES:
        raise RoadsError(
            N_("unknown damage status {wanted}; statuses are: {known}"),
            field="status",
            wanted=new,
            known=", ".join(STATUSES),
        )
    if new not in TRANSITIONS.get(current, ()):
        raise RoadsError(
            N_("a damage that is {current} cannot become {wanted} (allowed: {allowed})"),
            field="status",
            status=409,
            wanted=new,
            current=current,
            allowed=", ".join(TRANSITIONS.get(current, ())) or "–",
        )
