"""A generated street network for the demo and the tests, and the demo's loading of a city's network.

Everything here is **generated**, offline and reproducible: a grid-ish set of streets around
Banyuwangi town (about -8.219, 114.369) with two arterials, written as an OpenStreetMap XML
file (names ``Jl. Demo …``, OSM-like tags, ``source=kotacerdas demo (generated)``) and
imported through the same path as a real extract. When a real extract is cached in
``<data dir>/cache/osm/`` (``kotacerdas data fetch osm``), that one is used instead.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
from sqlalchemy.orm import Session

from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.models import City
from kotacerdas.network.store import import_network

CITY = "35.10"
CENTER = (114.3689, -8.2192)
GENERATED_SOURCE = "generated"
SPACING_M = 260.0
COLS, ROWS = 9, 7


def offset(east_m: float, north_m: float, center: tuple[float, float] = CENTER) -> tuple[float, float]:
    lon0, lat0 = center
    return (lon0 + east_m / (111_320.0 * math.cos(math.radians(lat0))), lat0 + north_m / 110_574.0)


def generated_osm_xml(
    center: tuple[float, float] = CENTER, cols: int = COLS, rows: int = ROWS, spacing_m: float = SPACING_M
) -> bytes:
    """A generated street grid as OpenStreetMap XML (deterministic): two arterials, collectors and lanes."""
    rng = np.random.default_rng(35_10)
    nodes: dict[tuple[int, int], int] = {}
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", "<osm version='0.6' generator='kotacerdas demo (generated)'>"]
    mid_c, mid_r = cols // 2, rows // 2
    for r in range(rows):
        for c in range(cols):
            nid = 1_000_000 + r * 100 + c
            jitter = rng.normal(0.0, 12.0, 2) if (r, c) != (mid_r, mid_c) else np.zeros(2)
            lon, lat = offset((c - mid_c) * spacing_m + jitter[0], (r - mid_r) * spacing_m + jitter[1], center)
            nodes[(r, c)] = nid
            lines.append(f"  <node id='{nid}' version='1' lat='{lat:.7f}' lon='{lon:.7f}'/>")
    street = 0

    def way(wid: int, refs: list[int], tags: dict[str, str]) -> None:
        lines.append(f"  <way id='{wid}' version='1'>")
        lines.extend(f"    <nd ref='{n}'/>" for n in refs)
        tags = {**tags, "source": "kotacerdas demo (generated)"}
        lines.extend(f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in sorted(tags.items()))
        lines.append("  </way>")

    for r in range(rows):
        refs = [nodes[(r, c)] for c in range(cols)]
        if r == mid_r:
            tags = {"highway": "primary", "name": "Jl. Demo Raya 1", "lanes": "4", "surface": "asphalt"}
        else:
            street += 1
            kind = "tertiary" if r in (0, rows - 1) else "residential"
            surface = "unpaved" if r == 1 else ("concrete" if r % 2 else "asphalt")
            tags = {"highway": kind, "name": f"Jl. Demo {street}", "lanes": "2", "surface": surface}
        way(2_000_000 + r, refs, tags)
    for c in range(cols):
        refs = [nodes[(r, c)] for r in range(rows)]
        if c == mid_c:
            tags = {"highway": "secondary", "name": "Jl. Demo Raya 2", "lanes": "2", "surface": "asphalt"}
        else:
            street += 1
            tags = {"highway": "residential", "name": f"Jl. Demo {street}", "surface": "asphalt"}
            if c == 1:
                tags["oneway"] = "yes"
            if c == cols - 2:
                tags["surface"] = "paving_stones"
        way(2_100_000 + c, refs, tags)
    lines.append("</osm>")
    return ("\n".join(lines) + "\n").encode()


def cached_extract(cache_dir: Path) -> Path | None:
    """The newest OSM extract cached by ``kotacerdas data fetch osm``, if any."""
    folder = cache_dir / "osm"
    if not folder.is_dir():
        return None
    files = [p for p in folder.iterdir() if p.is_file() and p.name.endswith((".osm", ".osm.pbf", ".pbf", ".osm.gz"))]
    return max(files, key=lambda p: p.stat().st_mtime) if files else None


def load_network(session: Session, city: City, cache_dir: Path | None = None) -> dict:
    """Import the demo network of ``city``: a cached real extract if there is one, else the generated grid."""
    if cache_dir is None:
        from kotacerdas.core.config import get_settings

        cache_dir = get_settings().cache_dir
    extract = cached_extract(cache_dir) if cache_dir is not None else None
    if extract is not None:
        try:
            result = import_network(session, city, extract, source=f"osm:{extract.name}")
            return {"source": f"osm:{extract.name}", **result.as_dict()}
        except KotacerdasError:
            pass  # an unreadable cached file: fall back to the generated network
    with tempfile.TemporaryDirectory(prefix="kc-demo-") as tmp:
        path = Path(tmp) / "demo-banyuwangi-generated.osm"
        path.write_bytes(generated_osm_xml())
        result = import_network(session, city, path, source=GENERATED_SOURCE)
    return {"source": GENERATED_SOURCE, **result.as_dict()}
