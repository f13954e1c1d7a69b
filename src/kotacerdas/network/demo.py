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
from kotacerdas.network.store import import_elevation, import_network

CITY = "35.10"
CENTER = (114.3689, -8.2192)
GENERATED_SOURCE = "generated"
SPACING_M = 260.0
COLS, ROWS = 9, 7


def offset(east_m: float, north_m: float, center: tuple[float, float] = CENTER) -> tuple[float, float]:
    lon0, lat0 = center
    return (lon0 + east_m / (111_320.0 * math.cos(math.radians(lat0))), lat0 + north_m / 110_574.0)


def generated_osm_xml(
    center: tuple[float, float] = CENTER,
    cols: int = COLS,
    rows: int = ROWS,
    spacing_m: float = SPACING_M,
    *,
    region: bool = False,
) -> bytes:
    """A generated street grid as OpenStreetMap XML (deterministic): two arterials, collectors and lanes.

    With ``region`` the town's bicycle ways (a contraflow lane on the one-way street, a shared footway,
    steps, a living street, lighting and smoothness tags) and the generated regional roads of
    :data:`REGION_LINKS` (towards Ketapang, Kemiren and Paltuding, Rogojampi, Genteng, Pesanggaran ...,
    with a ferry from Ketapang) are added; the grid's segment ids stay the same.
    """
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
                if region:
                    tags["cycleway"] = "opposite_lane"
            if c == cols - 2:
                tags["surface"] = "paving_stones"
                if region:
                    tags["smoothness"] = "intermediate"
        if region:
            tags["lit"] = "yes" if c % 2 == 0 else "no"
        way(2_100_000 + c, refs, tags)
    if region:
        _region_ways(lines, way, nodes, rows, cols, center)
    lines.append("</osm>")
    return ("\n".join(lines) + "\n").encode()


#: Places the generated regional roads join (approximate coordinates of real places; the roads are generated).
REGION_PLACES: dict[str, tuple[float, float]] = {
    "Ketapang": (114.3981, -8.1431),
    "Cacalan": (114.3916, -8.1781),
    "Boom": (114.3826, -8.2037),
    "Pulau Santen": (114.3820, -8.2280),
    "Watu Dodol": (114.4110, -8.0885),
    "Bangsring": (114.4255, -8.0590),
    "Olehsari": (114.3297, -8.2047),
    "Kemiren": (114.3377, -8.1856),
    "Jagir": (114.2750, -8.1980),
    "Licin": (114.2870, -8.1480),
    "Tamansari": (114.2667, -8.1167),
    "Paltuding": (114.2470, -8.0450),
    "Kabat": (114.3417, -8.2833),
    "Blimbingsari": (114.3470, -8.3210),
    "Sukojati": (114.3240, -8.3350),
    "Rogojampi": (114.2960, -8.3130),
    "Srono": (114.2650, -8.3900),
    "Genteng": (114.1500, -8.3650),
    "Jajag": (114.2000, -8.4500),
    "Benculuk": (114.2469, -8.4675),
    "Muncar": (114.3300, -8.4300),
    "Pesanggaran": (114.0600, -8.5700),
    "Pulau Merah": (114.0256, -8.5974),
    "Tegaldlimo": (114.3000, -8.5600),
    "Alas Purwo": (114.3740, -8.6450),
    "Gilimanuk": (114.4360, -8.1640),
    "Lateng": (114.3695, -8.2030),
    "Grand Watu Dodol": (114.4035, -8.1062),
}
#: Generated regional roads: (from, to, highway, surface). ``town-N`` ... are the grid's edges.
REGION_LINKS: tuple[tuple[str, str, str, str], ...] = (
    ("Bangsring", "Watu Dodol", "trunk", "asphalt"),
    ("Watu Dodol", "Ketapang", "trunk", "asphalt"),
    ("Ketapang", "town-N", "trunk", "asphalt"),
    ("Ketapang", "Cacalan", "tertiary", "asphalt"),
    ("Cacalan", "Boom", "residential", "concrete"),
    ("Boom", "town-E", "tertiary", "asphalt"),
    ("Boom", "Pulau Santen", "cycleway", "asphalt"),
    ("Pulau Santen", "town-SE", "residential", "paving_stones"),
    ("town-W", "Olehsari", "tertiary", "asphalt"),
    ("Olehsari", "Kemiren", "unclassified", "concrete"),
    ("town-NW", "Kemiren", "secondary", "asphalt"),
    ("Kemiren", "Licin", "secondary", "asphalt"),
    ("Licin", "Tamansari", "secondary", "asphalt"),
    ("Tamansari", "Paltuding", "secondary", "asphalt"),
    ("Olehsari", "Jagir", "unclassified", "asphalt"),
    ("Jagir", "Licin", "track", "gravel"),
    ("town-S", "Kabat", "trunk", "asphalt"),
    ("town-SW", "Kabat", "unclassified", "concrete"),
    ("Kabat", "Rogojampi", "trunk", "asphalt"),
    ("Kabat", "Blimbingsari", "unclassified", "asphalt"),
    ("Blimbingsari", "Sukojati", "unclassified", "concrete"),
    ("Sukojati", "Rogojampi", "residential", "asphalt"),
    ("Rogojampi", "Srono", "trunk", "asphalt"),
    ("Srono", "Genteng", "primary", "asphalt"),
    ("Srono", "Jajag", "primary", "asphalt"),
    ("Jajag", "Benculuk", "secondary", "asphalt"),
    ("Benculuk", "Muncar", "tertiary", "asphalt"),
    ("Srono", "Muncar", "secondary", "asphalt"),
    ("Jajag", "Pesanggaran", "secondary", "asphalt"),
    ("Pesanggaran", "Pulau Merah", "tertiary", "asphalt"),
    ("Muncar", "Tegaldlimo", "tertiary", "asphalt"),
    ("Tegaldlimo", "Alas Purwo", "track", "compacted"),
    ("Ketapang", "Gilimanuk", "ferry", ""),
    ("town-N", "Lateng", "residential", "asphalt"),
    ("Grand Watu Dodol", "Watu Dodol", "residential", "concrete"),
)
REGION_NODE_SPACING_M = 500.0


def _region_ways(lines: list[str], way, nodes: dict, rows: int, cols: int, center: tuple[float, float]) -> None:
    """Append the generated regional roads and the town's extra bicycle ways to ``lines``."""
    rng = np.random.default_rng(3510_2)
    mid_c, mid_r = cols // 2, rows // 2
    grid_ends = {
        "town-N": nodes[(rows - 1, mid_c)],
        "town-S": nodes[(0, mid_c)],
        "town-E": nodes[(mid_r, cols - 1)],
        "town-W": nodes[(mid_r, 0)],
        "town-NW": nodes[(rows - 1, 0)],
        "town-SW": nodes[(0, 0)],
        "town-SE": nodes[(0, cols - 1)],
    }
    place_node: dict[str, int] = {}
    node_pos: dict[int, tuple[float, float]] = {}
    for line in lines:  # positions of the grid's nodes, to start the roads from
        if line.startswith("  <node id='"):
            parts = line.split("'")
            node_pos[int(parts[1])] = (float(parts[7]), float(parts[5]))
    next_node = 3_000_000
    for name, (lon, lat) in REGION_PLACES.items():
        place_node[name] = next_node
        node_pos[next_node] = (lon, lat)
        lines.append(f"  <node id='{next_node}' version='1' lat='{lat:.7f}' lon='{lon:.7f}'/>")
        next_node += 1
    ends = {**grid_ends, **place_node}
    for k, (a, b, highway, surface) in enumerate(REGION_LINKS):
        na, nb = ends[a], ends[b]
        (x0, y0), (x1, y1) = node_pos[na], node_pos[nb]
        east = (x1 - x0) * 111_320.0 * math.cos(math.radians(y0))
        north = (y1 - y0) * 110_574.0
        length = math.hypot(east, north)
        steps = max(2, int(length // REGION_NODE_SPACING_M))
        bend = rng.uniform(-0.06, 0.06)
        refs = [na]
        for i in range(1, steps):
            f = i / steps
            wiggle = bend * math.sin(math.pi * f) + rng.normal(0.0, 0.004)
            lon = x0 + (x1 - x0) * f - (y1 - y0) * wiggle
            lat = y0 + (y1 - y0) * f + (x1 - x0) * wiggle
            lines.append(f"  <node id='{next_node}' version='1' lat='{lat:.7f}' lon='{lon:.7f}'/>")
            refs.append(next_node)
            next_node += 1
        refs.append(nb)
        label = "–".join("Banyuwangi" if end.startswith("town-") else end for end in (a, b))
        if highway == "ferry":
            tags = {"route": "ferry", "name": f"Demo ferry {label}", "bicycle": "yes", "motor_vehicle": "yes"}
        else:
            tags = {"highway": highway, "name": f"Jl. Demo {label}", "surface": surface}
            if highway == "track":
                tags["tracktype"] = "grade2"
        way(2_200_000 + k, refs, tags)
    # the town's extra bicycle ways: a shared footway across a block, steps, a living street
    way(2_300_001, [nodes[(1, 1)], nodes[(2, 2)]], {"highway": "footway", "bicycle": "yes", "name": "Demo Footway"})
    way(2_300_002, [nodes[(4, 6)], nodes[(5, 7)]], {"highway": "steps", "name": "Demo Steps"})
    way(2_300_003, [nodes[(5, 2)], nodes[(4, 3)]], {"highway": "living_street", "name": "Gang Demo"})
    way(2_300_004, [nodes[(2, 5)], nodes[(3, 6)]], {"highway": "footway", "bicycle": "no", "name": "Demo Walkway"})


#: Bounds of the generated elevation model (west, south, east, north) and its cell size (degrees).
DEM_BOUNDS = (113.95, -8.75, 114.50, -8.00)
DEM_CELL = 0.004
#: Gunung Ijen's summit, which the generated elevation model rises to (approximate position, metres).
IJEN = (114.242, -8.058, 2386.0)


def write_generated_dem(path: Path) -> Path:
    """A **generated** elevation model of the demo region as a GeoTIFF (WGS84): a coastal plain rising
    westwards into a cone at Gunung Ijen. Not real terrain: enough to give the Ijen road its climb."""
    import rasterio
    from rasterio.transform import from_origin

    west, south, east, north = DEM_BOUNDS
    cols = int(round((east - west) / DEM_CELL))
    rows = int(round((north - south) / DEM_CELL))
    lon = west + (np.arange(cols) + 0.5) * DEM_CELL
    lat = north - (np.arange(rows) + 0.5) * DEM_CELL
    x, y = np.meshgrid(lon, lat)
    px, py, top = IJEN
    cone = top * np.exp(-(((x - px) / 0.075) ** 2 + ((y - py) / 0.09) ** 2))
    plain = np.clip((114.40 - x) * 900.0, 0.0, None)
    z = (np.maximum(cone, plain) + 4.0).astype("float32")
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=cols,
        height=rows,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=from_origin(west, north, DEM_CELL, DEM_CELL),
        nodata=-9999.0,
    ) as dst:
        dst.write(z, 1)
        dst.update_tags(source="kotacerdas demo (generated)")
    return path


def demo_osm_xml() -> bytes:
    """The demo's generated network: the town grid with its bicycle ways and the regional roads."""
    return generated_osm_xml(region=True)


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
        path.write_bytes(demo_osm_xml())
        result = import_network(session, city, path, source=GENERATED_SOURCE)
        dem = import_elevation(session, city, write_generated_dem(Path(tmp) / "demo-banyuwangi-dem-generated.tif"))
        if not dem.already_imported:
            from kotacerdas.network.graphs import store_routers

            store_routers(session, city.id)
    return {"source": GENERATED_SOURCE, **result.as_dict(), "elevation": dem.as_dict()}
