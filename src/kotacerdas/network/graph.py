"""A routable directed graph over road segments.

Nodes are the junction nodes of :mod:`kotacerdas.network.osm` segments (OSM node ids,
with lon/lat); every segment gives one directed edge per direction its one-way rule
allows, weighted by its length (m) or by its travel time (s) at a default speed per
highway class. Routing uses :func:`scipy.sparse.csgraph.dijkstra` on compressed
sparse row matrices; when several segments join the same two nodes the shorter one
(by the weight asked for) is used. Coordinates are projected once to the local UTM
zone for nearest-node queries (a k-d tree) and for map matching.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pyproj import CRS, Transformer
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from kotacerdas.core.i18n import N_
from kotacerdas.network.errors import NetworkError
from kotacerdas.network.osm import RoadSegment

#: Default travel speeds (km/h) per highway class for the ``"time"`` weight; a
#: cautious urban figure for Indonesian cities, overridable per call.
DEFAULT_SPEEDS_KMH: dict[str, float] = {
    "motorway": 80.0,
    "motorway_link": 50.0,
    "trunk": 60.0,
    "trunk_link": 40.0,
    "primary": 45.0,
    "primary_link": 35.0,
    "secondary": 40.0,
    "secondary_link": 30.0,
    "tertiary": 35.0,
    "tertiary_link": 30.0,
    "unclassified": 30.0,
    "road": 30.0,
    "residential": 25.0,
    "living_street": 10.0,
    "service": 15.0,
    "track": 15.0,
    "cycleway": 15.0,
    "path": 12.0,
    "footway": 8.0,
    "pedestrian": 8.0,
}
#: Cruising speed of a bicycle (km/h); a bike's speed is the lower of this and the road's.
BIKE_SPEED_KMH = 15.0
_MIN_WEIGHT = 1e-6  # scipy treats a zero weight as no edge


def utm_crs(lon: float, lat: float) -> CRS:
    """The WGS84 UTM zone CRS holding ``(lon, lat)``."""
    zone = int((lon + 180.0) // 6.0) % 60 + 1
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


@dataclass
class Route:
    """A shortest path: OSM node ids, the segments driven and in which direction."""

    nodes: list[int]
    segments: list[tuple[str, bool]]
    length_m: float
    time_s: float


@dataclass
class _Weighted:
    matrix: csr_matrix
    edge: np.ndarray  # edge index for each stored entry of ``matrix``


class RoadGraph:
    """Directed road graph; build with :func:`build_graph`.

    Attributes
    ----------
    node_ids, lon, lat, x, y:
        Per graph node (index ``0..n-1``): OSM id, WGS84 and projected (UTM, metres).
    segments:
        The segments the graph was built from (all of them, including those the mode
        cannot use).
    edge_segment, edge_forward, edge_from, edge_to, edge_length, edge_time:
        Per directed edge: segment index, whether it runs along the segment geometry,
        end node indices, length (m) and travel time (s).
    transformer:
        WGS84 -> UTM ``Transformer`` (``always_xy``) used for ``x``/``y``.
    """

    def __init__(
        self,
        segments: Sequence[RoadSegment],
        mode: str = "car",
        speeds_kmh: dict[str, float] | None = None,
    ) -> None:
        if mode not in ("car", "bike"):
            raise NetworkError(N_("unknown travel mode {mode}"), field="mode", mode=mode)
        self.mode = mode
        self.segments = list(segments)
        speeds = dict(DEFAULT_SPEEDS_KMH)
        speeds.update(speeds_kmh or {})
        ids: dict[int, int] = {}
        lon: list[float] = []
        lat: list[float] = []
        seg_from = np.empty(len(self.segments), dtype=np.int64)
        seg_to = np.empty(len(self.segments), dtype=np.int64)
        for k, s in enumerate(self.segments):
            coords = s.geometry.coords
            for end, node, c in ((0, s.from_node, coords[0]), (1, s.to_node, coords[-1])):
                idx = ids.get(node)
                if idx is None:
                    idx = ids[node] = len(lon)
                    lon.append(c[0])
                    lat.append(c[1])
                (seg_from if end == 0 else seg_to)[k] = idx
        self.node_ids = np.array(list(ids), dtype=np.int64)
        self._index = ids
        self.lon = np.array(lon, dtype=float)
        self.lat = np.array(lat, dtype=float)
        self.seg_from = seg_from
        self.seg_to = seg_to
        self.segment_index = {s.segment_id: k for k, s in enumerate(self.segments)}
        if self.lon.size:
            crs = utm_crs(float(np.median(self.lon)), float(np.median(self.lat)))
        else:
            crs = CRS.from_epsg(32649)
        self.crs = crs
        self.transformer = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        self.x, self.y = self.transformer.transform(self.lon, self.lat)
        self.x = np.asarray(self.x, dtype=float)
        self.y = np.asarray(self.y, dtype=float)
        self._kdtree: cKDTree | None = None

        e_seg: list[int] = []
        e_fwd: list[bool] = []
        e_time: list[float] = []
        for k, s in enumerate(self.segments):
            usable = s.motor_vehicle if mode == "car" else s.bicycle
            if not usable or seg_from[k] == seg_to[k]:
                continue
            oneway = s.oneway if mode == "car" else s.oneway_bicycle
            kmh = speeds.get(s.highway, 30.0)
            if mode == "bike":
                kmh = min(kmh, BIKE_SPEED_KMH)
            t = s.length_m / (kmh / 3.6)
            if oneway >= 0:
                e_seg.append(k)
                e_fwd.append(True)
                e_time.append(t)
            if oneway <= 0:
                e_seg.append(k)
                e_fwd.append(False)
                e_time.append(t)
        self.edge_segment = np.array(e_seg, dtype=np.int64)
        self.edge_forward = np.array(e_fwd, dtype=bool)
        self.edge_from = np.where(self.edge_forward, seg_from[self.edge_segment], seg_to[self.edge_segment])
        self.edge_to = np.where(self.edge_forward, seg_to[self.edge_segment], seg_from[self.edge_segment])
        self.edge_length = np.array([self.segments[k].length_m for k in e_seg], dtype=float)
        self.edge_time = np.array(e_time, dtype=float)
        self._weighted: dict[str, _Weighted] = {}

    # -- structure ---------------------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        """Number of graph nodes."""
        return int(self.node_ids.size)

    def node_index(self, node_id: int) -> int:
        """Graph index of an OSM node id (:class:`NetworkError` if absent)."""
        try:
            return self._index[int(node_id)]
        except KeyError:
            raise NetworkError(
                N_("node {node} is not a junction of this road network"), field="node", node=node_id
            ) from None

    def _indices(self, node_ids: Sequence[int] | np.ndarray) -> np.ndarray:
        return np.array([self.node_index(n) for n in node_ids], dtype=np.int64)

    def weighted(self, weight: str = "length") -> _Weighted:
        """Sparse matrix of the cheapest edge between each node pair, for ``weight``."""
        if weight not in ("length", "time"):
            raise NetworkError(N_("unknown weight {weight}"), field="weight", weight=weight)
        got = self._weighted.get(weight)
        if got is not None:
            return got
        w = self.edge_length if weight == "length" else self.edge_time
        order = np.lexsort((w, self.edge_to, self.edge_from))
        u, v = self.edge_from[order], self.edge_to[order]
        first = np.ones(order.size, dtype=bool)
        first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
        keep = order[first]
        rows = self.edge_from[keep]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=self.n_nodes))])
        matrix = csr_matrix((np.maximum(w[keep], _MIN_WEIGHT), self.edge_to[keep], indptr), shape=(self.n_nodes,) * 2)
        got = self._weighted[weight] = _Weighted(matrix, keep)
        return got

    def _edge_between(self, u: int, v: int, weight: str) -> int:
        wm = self.weighted(weight)
        lo, hi = wm.matrix.indptr[u], wm.matrix.indptr[u + 1]
        pos = lo + int(np.searchsorted(wm.matrix.indices[lo:hi], v))
        return int(wm.edge[pos])

    # -- queries -----------------------------------------------------------------------
    def shortest_path(self, source: int, target: int, weight: str = "length") -> Route | None:
        """Shortest route between two OSM node ids; ``None`` when unreachable.

        Parameters
        ----------
        source, target:
            OSM node ids of junctions in the graph.
        weight:
            ``"length"`` (metres) or ``"time"`` (seconds at :data:`DEFAULT_SPEEDS_KMH`).
        """
        s, t = self.node_index(source), self.node_index(target)
        wm = self.weighted(weight)
        dist, pred = dijkstra(wm.matrix, indices=s, return_predecessors=True)
        if not np.isfinite(dist[t]):
            return None
        path = [t]
        while path[-1] != s:
            path.append(int(pred[path[-1]]))
        path.reverse()
        return self.route_from_indices(path, weight)

    def route_from_indices(self, path: Sequence[int], weight: str = "length") -> Route:
        """A :class:`Route` along a sequence of graph node indices (cheapest edge per hop)."""
        segs: list[tuple[str, bool]] = []
        length = 0.0
        time = 0.0
        for u, v in zip(path[:-1], path[1:], strict=True):
            e = self._edge_between(int(u), int(v), weight)
            segs.append((self.segments[self.edge_segment[e]].segment_id, bool(self.edge_forward[e])))
            length += self.edge_length[e]
            time += self.edge_time[e]
        return Route([int(self.node_ids[i]) for i in path], segs, float(length), float(time))

    def distance_matrix(
        self,
        sources: Sequence[int],
        targets: Sequence[int] | None = None,
        weight: str = "length",
        limit: float = np.inf,
    ) -> np.ndarray:
        """Shortest-path distances from each source to each target (OSM node ids).

        Returns an array ``(len(sources), len(targets))``; ``inf`` where unreachable or
        beyond ``limit``. ``targets`` defaults to ``sources`` (a square matrix for
        vehicle routing).
        """
        src = self._indices(sources)
        tgt = src if targets is None else self._indices(targets)
        return self.index_distances(src, tgt, weight=weight, limit=limit)

    def index_distances(
        self, src: np.ndarray, tgt: np.ndarray, weight: str = "length", limit: float = np.inf
    ) -> np.ndarray:
        """:meth:`distance_matrix` on graph node indices, computed in memory-bounded chunks."""
        wm = self.weighted(weight)
        out = np.empty((src.size, tgt.size), dtype=float)
        if src.size == 0:
            return out
        chunk = max(1, int(2e7 // max(self.n_nodes, 1)))
        for a in range(0, src.size, chunk):
            d = dijkstra(wm.matrix, indices=src[a : a + chunk], limit=limit)
            out[a : a + chunk] = d[:, tgt]
        return out

    def nearest_nodes(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """OSM ids of the nodes nearest to each point, and the distances (m, projected)."""
        if self.n_nodes == 0:
            raise NetworkError(N_("the road network is empty"), field="network")
        if self._kdtree is None:
            self._kdtree = cKDTree(np.column_stack([self.x, self.y]))
        px, py = self.transformer.transform(np.atleast_1d(lon), np.atleast_1d(lat))
        d, i = self._kdtree.query(np.column_stack([px, py]))
        return self.node_ids[i], d

    def nearest_node(self, lon: float, lat: float) -> int:
        """OSM id of the graph node nearest to ``(lon, lat)``."""
        ids, _ = self.nearest_nodes(np.array([lon]), np.array([lat]))
        return int(ids[0])

    def to_networkx(self):
        """A ``networkx.MultiDiGraph``: nodes are OSM ids (``x``=lon, ``y``=lat), one
        edge per directed edge with ``segment_id``, ``forward``, ``length``, ``travel_time``."""
        import networkx as nx

        g = nx.MultiDiGraph()
        for i, nid in enumerate(self.node_ids):
            g.add_node(int(nid), x=float(self.lon[i]), y=float(self.lat[i]))
        for e in range(self.edge_segment.size):
            g.add_edge(
                int(self.node_ids[self.edge_from[e]]),
                int(self.node_ids[self.edge_to[e]]),
                segment_id=self.segments[self.edge_segment[e]].segment_id,
                forward=bool(self.edge_forward[e]),
                length=float(self.edge_length[e]),
                travel_time=float(self.edge_time[e]),
            )
        return g


def build_graph(
    segments: Sequence[RoadSegment], mode: str = "car", speeds_kmh: dict[str, float] | None = None
) -> RoadGraph:
    """Build the routable graph of ``segments``.

    Parameters
    ----------
    segments:
        From :func:`kotacerdas.network.osm.read_osm`.
    mode:
        ``"car"`` (motor-vehicle segments, ``oneway``) or ``"bike"`` (bicycle segments,
        ``oneway_bicycle``, speed capped at :data:`BIKE_SPEED_KMH`).
    speeds_kmh:
        Overrides of :data:`DEFAULT_SPEEDS_KMH` per highway class.
    """
    return RoadGraph(segments, mode=mode, speeds_kmh=speeds_kmh)
