"""Dropping a capture so that its file can be imported again (``--replace``): what it stored is taken away.

:func:`drop_capture` deletes the capture's frames, sightings and coverage, and then, for every damage record it saw:

* a record that other captures saw too is re-figured from their sightings alone (:func:`refigure`: position, the
  confidence-weighted mean as grouping makes it, sightings count, median area, best confidence and crop, first and
  last seen);
* a record only this capture saw is removed while its status is still *detected*; one an officer has reviewed
  (confirmed, rejected, scheduled, repaired) keeps its record and its status history, with no sighting left, for
  the new import's sightings to join again;
* a record this capture marked *not seen again* has the mark undone when it was its only miss (captures stored
  before their misses were kept in their report cannot undo theirs).

The SDI of every segment involved is recomputed. Nothing is committed here: the caller drops and imports again in
one transaction, and removes the capture's crop files once that transaction is committed.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kotacerdas.roads import damage as rules
from kotacerdas.roads.store.damage import refresh_distress
from kotacerdas.roads.store.damage_tables import (
    RoadCapture,
    RoadCaptureSegment,
    RoadDamage,
    RoadDamageSighting,
    RoadFrame,
)


@dataclass
class Dropped:
    """What dropping a capture did: the damage records removed, re-figured, kept without a sighting (reviewed by an
    officer), and those whose *not seen again* mark was undone; the segments whose SDI was recomputed."""

    capture_id: int
    filename: str
    removed: list[int] = field(default_factory=list)
    refigured: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)
    unmarked: list[int] = field(default_factory=list)
    segments: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        """What the replacing capture's report keeps of it: the capture replaced and how many records each way."""
        return {
            "capture_id": self.capture_id,
            "removed": len(self.removed),
            "refigured": len(self.refigured),
            "kept": len(self.kept),
            "unmarked": len(self.unmarked),
        }


def sighting_figures(session: Session, d: RoadDamage) -> None:
    """Set a damage's sightings count and median area from its stored sightings (the one rule of both the import
    and :func:`refigure`)."""
    areas = list(session.scalars(select(RoadDamageSighting.area_m2).where(RoadDamageSighting.damage_id == d.id)))
    d.sightings_count = len(areas)
    d.area_m2 = float(statistics.median(areas)) if areas else 0.0


def refigure(session: Session, d: RoadDamage) -> int:
    """Recompute a damage record from its stored sightings (see the module docstring); how many it has. A record
    left with none keeps its position and dates, without a best crop."""
    from shapely.geometry import Point

    sighting_figures(session, d)
    rows = list(
        session.scalars(
            select(RoadDamageSighting).where(RoadDamageSighting.damage_id == d.id).order_by(RoadDamageSighting.at)
        )
    )
    if not rows:
        d.best_sighting_id = None
        return 0
    g = rules.regroup(
        d.code,
        d.segment_id,
        (rules.Sighting(r.code, r.lon, r.lat, r.at.timestamp(), r.confidence, r.area_m2, d.segment_id) for r in rows),
    )
    d.geom, d.weight = Point(g.lon, g.lat), g.weight
    d.confidence = max(r.confidence for r in rows)
    d.first_seen, d.last_seen = rows[0].at, rows[-1].at
    cropped = [r for r in rows if r.crop_path]
    best = max(cropped, key=lambda r: (r.confidence, r.id)) if cropped else None
    d.best_sighting_id = best.id if best else None
    return len(rows)


def drop_capture(session: Session, capture: RoadCapture) -> Dropped:
    """Take away what ``capture`` stored (see the module docstring); the capture row itself is deleted too."""
    out = Dropped(capture.id, capture.filename)
    seen = sorted(
        set(session.scalars(select(RoadDamageSighting.damage_id).where(RoadDamageSighting.capture_id == capture.id)))
    )
    segments = set(
        session.scalars(select(RoadCaptureSegment.segment_id).where(RoadCaptureSegment.capture_id == capture.id))
    )
    for table in (RoadDamageSighting, RoadCaptureSegment, RoadFrame):
        session.execute(delete(table).where(table.capture_id == capture.id))
    session.flush()
    for d in session.scalars(select(RoadDamage).where(RoadDamage.id.in_(seen))):
        if d.segment_id is not None:
            segments.add(d.segment_id)
        if refigure(session, d):
            out.refigured.append(d.id)
        elif d.status == rules.DETECTED:
            out.removed.append(d.id)
            session.delete(d)
        else:
            out.kept.append(d.id)
    missed = [int(i) for i in (capture.report or {}).get("missed_ids", [])]
    for d in session.scalars(select(RoadDamage).where(RoadDamage.id.in_(missed))):
        d.missed_count = max(0, d.missed_count - 1)
        if d.missed_count == 0 and d.seen_state == rules.NOT_SEEN_AGAIN:
            d.seen_state, d.missed_at = rules.SEEN, None
            out.unmarked.append(d.id)
        if d.segment_id is not None:
            segments.add(d.segment_id)
    session.delete(capture)
    session.flush()
    out.segments = sorted(segments)
    refresh_distress(session, out.segments)
    return out
