"""Generated data for the demo and the benchmark: kelurahan boundaries, lorong, activities, reports, waste banks,
market prices. Everything made here is **generated and labelled demo** (``is_demo``, "(demo)" in names);
only the admin-area names and codes it starts from are real (:mod:`kotacerdas.core.wilayah_makassar`).

Rows are written with bulk inserts (one statement per table and batch) so that the benchmark's
5,000 lorong and 24 months of reports load in seconds; the roll-ups and scores are then
rebuilt by the same services the application uses.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import shapely
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, mapping
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kotacerdas.core.db import Geometry
from kotacerdas.lorong import periods
from kotacerdas.lorong.services.programmes import indicators, themes
from kotacerdas.lorong.store import rollups
from kotacerdas.lorong.store.tables import (
    LorongProgramme,
    LorongReport,
    LorongReportValue,
    LorongUnit,
    LorongUnitTheme,
)

BATCH = 5000
STREETS = (
    "Veteran",
    "Sungai Saddang",
    "Kakatua",
    "Cendrawasih",
    "Rappocini Raya",
    "Andi Tonro",
    "Sultan Alauddin",
    "Abubakar Lambogo",
    "Gunung Bawakaraeng",
    "Kumala",
    "Landak",
    "Baji Gau",
    "Onta",
    "Kancil",
    "Mappaoddang",
)


def voronoi_cells(points: Sequence[tuple[float, float]], margin: float) -> list:
    """One generated cell per point (in the points' order): Voronoi cells clipped to the points' hull plus a margin."""
    pts = MultiPoint([Point(x, y) for x, y in points])
    outline = pts.convex_hull.buffer(margin, join_style="mitre")
    cells = shapely.voronoi_polygons(pts, extend_to=outline, ordered=True)
    return [shapely.set_precision(c.intersection(outline), 1e-6) for c in cells.geoms]


@lru_cache(maxsize=4)
def village_cells(villages: Sequence[tuple], margin: float = 0.01, kecamatan: Sequence[tuple] = ()) -> bytes:
    """A GeoJSON FeatureCollection of *generated* village boundaries: Voronoi cells around the real points.

    Each feature has the village's real Kemendagri code and name, its kecamatan as parent (named in the
    ``district`` property from ``kecamatan``, rows ``(code, name, ...)`` such as ``wilayah_makassar.KECAMATAN``),
    and ``source = "generated"``; importing it also derives the kecamatan from their villages, under those names.
    """
    district_names = {k[0]: k[1] for k in kecamatan}
    cells = voronoi_cells([(v[3], v[4]) for v in villages], margin)
    features = []
    for i, v in enumerate(villages):
        geom = cells[i] if isinstance(cells[i], MultiPolygon) else MultiPolygon([cells[i]])
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": v[0],
                    "name": v[1],
                    "level": "village",
                    "parent_code": v[0].rsplit(".", 1)[0],
                    "bps_code": v[2],
                    "source": "generated",
                    **(
                        {"district": district_names[v[0].rsplit(".", 1)[0]]}
                        if v[0].rsplit(".", 1)[0] in district_names
                        else {}
                    ),
                },
                "geometry": mapping(geom),
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def alley(rng: random.Random, lon: float, lat: float, jitter_m: float = 250) -> LineString:
    """A generated alley: a bent line of 80 to 250 m near a point."""
    m_lat = 1 / 111_320
    m_lon = 1 / (111_320 * math.cos(math.radians(lat)))
    cx = lon + rng.uniform(-jitter_m, jitter_m) * m_lon
    cy = lat + rng.uniform(-jitter_m, jitter_m) * m_lat
    length = rng.uniform(80, 250)
    bearing = rng.uniform(0, math.pi)
    bend = bearing + rng.uniform(-0.5, 0.5)
    half = length / 2
    a = (cx - math.cos(bearing) * half * m_lon, cy - math.sin(bearing) * half * m_lat)
    b = (cx, cy)
    c = (cx + math.cos(bend) * half * m_lon, cy + math.sin(bend) * half * m_lat)
    return LineString([tuple(round(v, 6) for v in a), tuple(round(v, 6) for v in b), tuple(round(v, 6) for v in c)])


def _insert(session: Session, table, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[i : i + BATCH])


def units(
    session: Session,
    programme: LorongProgramme,
    villages: Sequence[tuple],
    per_village: int,
    *,
    seed: int = 1,
    geometry=None,
    themes_per_unit: tuple[int, int] = (3, 7),
    name=None,
    grades: Sequence[str] = ("A", "B", "C"),
) -> list[int]:
    """Bulk-create ``per_village`` generated units in each village (``geometry(rng, village)`` draws each one)."""
    rng = random.Random(seed)
    theme_ids = [t.id for t in themes(session, programme.id, active_only=True)]
    start = len(list(session.scalars(select(LorongUnit.id).where(LorongUnit.programme_id == programme.id))))
    geometry = geometry or (lambda r, v: alley(r, v[3], v[4]))
    geom_type = Geometry("Geometry")
    rows, links, n = [], [], start
    for v in villages:
        for k in range(per_village):
            n += 1
            geom = geometry(rng, v)
            pt = (
                geom.representative_point()
                if geom.geom_type != "LineString"
                else geom.interpolate(0.5, normalized=True)
            )
            label = name(v, k) if name else f"Lorong {v[1]} {k + 1} (demo)"
            code = f"{programme.code[:2]}-{n:05d}"
            rows.append(
                {
                    "city_id": programme.city_id,
                    "programme_id": programme.id,
                    "code": code,
                    "slug": f"{code}-{v[1].lower().replace(' ', '-').replace(chr(39), '')}",
                    "name": label,
                    "address": f"Jl. {rng.choice(STREETS)} Lr. {rng.randint(1, 12)} (demo)",
                    "kecamatan_code": v[0].rsplit(".", 1)[0],
                    "kelurahan_code": v[0],
                    "rw": f"{rng.randint(1, 12):03d}",
                    "rt": f"{rng.randint(1, 8):03d}",
                    "grade": rng.choices(list(grades), weights=[2, 5, 3][: len(grades)])[0],
                    "description": {
                        "id": "Data contoh (demo) yang dibuat untuk mencoba platform, bukan data resmi.",
                        "en": "Generated demo data for trying the platform, not official data.",
                    },
                    "coordinator_name": f"Koordinator {n} (demo)",
                    "contact_phone": f"0812{rng.randint(10_000_000, 99_999_999)}",
                    "contact_email": "",
                    "public_contact": "",
                    "is_published": True,
                    "is_demo": True,
                    "lon": round(pt.x, 6),
                    "lat": round(pt.y, 6),
                    "theme_scores": {},
                    "geom": geom,
                    "bbox_minx": geom.bounds[0],
                    "bbox_miny": geom.bounds[1],
                    "bbox_maxx": geom.bounds[2],
                    "bbox_maxy": geom.bounds[3],
                    "created_at": datetime.now(UTC),
                    "updated_at": datetime.now(UTC),
                }
            )
    del geom_type
    _insert(session, LorongUnit, rows)
    codes = [r["code"] for r in rows]
    ids: list[int] = []
    for i in range(0, len(codes), 900):
        ids += session.scalars(
            select(LorongUnit.id).where(
                LorongUnit.programme_id == programme.id, LorongUnit.code.in_(codes[i : i + 900])
            )
        )
    ids.sort()
    for uid in ids:
        for tid in rng.sample(theme_ids, rng.randint(*themes_per_unit)):
            links.append({"unit_id": uid, "theme_id": tid})
    _insert(session, LorongUnitTheme, links)
    return ids


def reports(
    session: Session,
    programme: LorongProgramme,
    until: periods.Period,
    n_periods: int,
    *,
    seed: int = 2,
    pending_last: bool = True,
    reporting_share: float = 0.9,
) -> dict[str, int]:
    """Bulk-create the units' reports of the last ``n_periods`` periods with values near each indicator's target.

    Older periods are verified; in the newest one (``pending_last``) reports are submitted and wait
    for the lurah. A few units skip a period; some report late.
    """
    rng = random.Random(seed)
    window = periods.last(n_periods, programme.period, until)
    inds = indicators(session, programme.id, active_only=True)
    by_theme: dict[int, list] = {}
    for i in inds:
        by_theme.setdefault(i.theme_id, []).append(i)
    unit_themes: dict[int, list[int]] = {}
    for uid, tid in session.execute(
        select(LorongUnitTheme.unit_id, LorongUnitTheme.theme_id)
        .join(LorongUnit, LorongUnit.id == LorongUnitTheme.unit_id)
        .where(LorongUnit.programme_id == programme.id)
    ):
        unit_themes.setdefault(uid, []).append(tid)
    unit_ids = list(
        session.scalars(select(LorongUnit.id).where(LorongUnit.programme_id == programme.id).order_by(LorongUnit.id))
    )
    skill = {uid: rng.uniform(0.35, 1.25) for uid in unit_ids}
    report_rows = []
    for p in window:
        for uid in unit_ids:
            if rng.random() > reporting_share:
                continue
            late = rng.random() < 0.15
            submitted = datetime.combine(p.due(programme.due_days), datetime.min.time(), UTC) + timedelta(
                days=rng.randint(1, 20) if late else -rng.randint(0, programme.due_days)
            )
            status = "submitted" if (pending_last and p == window[-1]) else "verified"
            report_rows.append(
                {
                    "city_id": programme.city_id,
                    "programme_id": programme.id,
                    "unit_id": uid,
                    "period": p.key,
                    "period_start": p.start,
                    "status": status,
                    "version": 2 if status == "verified" else 1,
                    "submitted_at": submitted,
                    "on_time": not late,
                    "verified_at": submitted + timedelta(days=3) if status == "verified" else None,
                    "comment": "",
                    "created_at": submitted,
                    "updated_at": submitted,
                }
            )
    _insert(session, LorongReport, report_rows)
    rows = session.execute(
        select(LorongReport.id, LorongReport.unit_id, LorongReport.period).where(
            LorongReport.programme_id == programme.id
        )
    )
    by_key = {p.key: p for p in window}
    values = []
    for rid, uid, pkey in rows:
        if pkey not in by_key:
            continue
        p = by_key[pkey]
        for tid in unit_themes.get(uid, []):
            for ind in by_theme.get(tid, []):
                if not p.closes(ind.frequency):
                    continue
                base = ind.target if ind.target > 0 else 2.0
                if ind.higher_is_better:
                    v = max(0.0, rng.gauss(base * skill[uid], base * 0.2))
                else:
                    v = max(0.0, rng.gauss(base * (1.4 - skill[uid] * 0.6), base * 0.3))
                if ind.unit in ("%",):
                    v = min(v, 100.0)
                v = round(v) if ind.unit not in ("kg", "%", "m²", "hari") else round(v, 1)
                values.append({"report_id": rid, "indicator_id": ind.id, "value": float(v), "note": ""})
    _insert(session, LorongReportValue, values)
    rollups.rebuild(session, programme.id)
    return {"reports": len(report_rows), "values": len(values)}


def weekly_prices(rng: random.Random, base: int, weeks: list[date], *, spike_week: int | None = None) -> list[int]:
    """A generated weekly price path: a slow drift, noise, and an optional sharp rise (a chili spike)."""
    out, level = [], float(base)
    for i, _w in enumerate(weeks):
        level *= 1 + rng.gauss(0.001, 0.015)
        price = level * (1.25 if spike_week is not None and spike_week <= i < spike_week + 3 else 1.0)
        out.append(max(1, int(round(price / 100.0) * 100)))
    return out


def week_list(until: date, n: int) -> list[date]:
    monday = until - timedelta(days=until.weekday())
    return [monday - timedelta(weeks=n - 1 - i) for i in range(n)]


def today() -> date:
    return datetime.now(UTC).date()


def demo_photo(seed: int, width: int = 96, height: int = 64) -> bytes:
    """A small generated PNG (a colour gradient) standing in for an evidence photo in the demo."""
    import struct
    import zlib

    rng = random.Random(seed)
    r0, g0, b0 = (rng.randint(40, 200) for _ in range(3))
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in ((r0 + x) % 256, (g0 + y * 2) % 256, b0))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
