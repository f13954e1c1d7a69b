"""A small hand-made bicycle network as OSM XML, for the routing tests: every tag case the import reads."""

from __future__ import annotations

from pathlib import Path

# A ladder of two parallel streets joined by rungs, ~100 m apart (lon step 0.0009 ~ 99 m at -8.2°).
LON0, LAT0, STEP = 114.36, -8.22, 0.0009
NODES = {
    **{10 + i: (LON0 + i * STEP, LAT0) for i in range(6)},  # south street: nodes 10..15
    **{20 + i: (LON0 + i * STEP, LAT0 + STEP) for i in range(6)},  # north street: nodes 20..25
    30: (LON0 + 6 * STEP, LAT0 + 0.5 * STEP),  # east of the ladder, joined by steps
    31: (LON0 + 8 * STEP, LAT0 + 0.5 * STEP),  # a ferry landing
    40: (LON0 + 2.5 * STEP, LAT0 - STEP),  # a private lane's end
}
WAYS = [
    # a busy primary road along the south: fast but not quiet
    (1, [10, 11, 12, 13, 14, 15], {"highway": "primary", "name": "Jl. Raya", "surface": "asphalt"}),
    # a quiet residential street along the north, one-way westwards with a contraflow lane
    (
        2,
        [25, 24, 23, 22, 21, 20],
        {
            "highway": "residential",
            "name": "Jl. Sepi",
            "oneway": "yes",
            "cycleway": "opposite_lane",
            "surface": "asphalt",
            "lit": "yes",
        },
    ),
    # the rungs
    (3, [10, 20], {"highway": "cycleway", "surface": "asphalt"}),
    (4, [12, 22], {"highway": "footway", "bicycle": "yes", "surface": "paving_stones"}),
    (5, [13, 23], {"highway": "footway"}),  # no bicycles: not imported for them
    (6, [15, 25], {"highway": "track", "surface": "gravel", "smoothness": "bad"}),
    (7, [11, 21], {"highway": "residential", "bicycle": "no"}),
    (8, [14, 24], {"highway": "residential", "oneway": "yes", "oneway:bicycle": "no", "lit": "no"}),
    (9, [25, 30], {"highway": "steps"}),
    (10, [30, 31], {"route": "ferry", "name": "Penyeberangan"}),
    (11, [12, 40], {"highway": "service", "access": "private"}),
]


def write_bikenet(path: Path) -> Path:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for nid, (lon, lat) in NODES.items():
        lines.append(f' <node id="{nid}" version="1" lat="{lat:.7f}" lon="{lon:.7f}"/>')
    for wid, refs, tags in WAYS:
        lines.append(f' <way id="{wid}" version="1">')
        lines += [f'  <nd ref="{r}"/>' for r in refs]
        lines += [f'  <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append(" </way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
