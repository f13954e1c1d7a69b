"""A city's bicycle routers: built once per network import, stored in ``network_graphs``, cached in the process.

:func:`city_router` answers the :class:`~kotacerdas.network.routing.BikeRouter` of a city and a
profile. The graph and its contraction hierarchy depend only on the network's state (active
segments, the latest network and elevation imports) and the cost functions' version; that state's
key names the stored hierarchy. A process keeps the routers it loaded; another process (a second
web server, the job worker) loads the stored hierarchy instead of contracting again. The network
import job, the elevation import and the demo store the new hierarchies (:func:`store_routers`;
``kotacerdas bikes network build`` does it by hand); should one still be missing, the first query
builds it and the process keeps it.
"""

from __future__ import annotations

import hashlib
import threading
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.db import utcnow
from kotacerdas.network.hierarchy import Hierarchy, build_hierarchy
from kotacerdas.network.profiles import COST_VERSION, PROFILES, check_profile
from kotacerdas.network.routing import BikeRouter, router_inputs
from kotacerdas.network.store import city_graph, network_state
from kotacerdas.network.tables import NetworkGraphRow

ENGINE = "ch-scipy-1"
_ROUTERS: dict[tuple, BikeRouter] = {}
_LOCK = threading.Lock()


def state_key(session: Session, city_id: int, profile: str) -> str:
    """The key of the network state a stored hierarchy was built from (SHA-256 hex)."""
    state = network_state(session, city_id)
    text = f"{ENGINE}|{COST_VERSION}|{profile}|{city_id}|{state}"
    return hashlib.sha256(text.encode()).hexdigest()


def _build(session: Session, city_id: int, profile: str) -> tuple[BikeRouter, float]:
    graph = city_graph(session, city_id, mode="bike")
    costs, (tails, heads, cost) = router_inputs(graph, profile)
    started = time.perf_counter()
    hierarchy = build_hierarchy(graph.n_nodes, tails, heads, cost, costs.aux)
    return BikeRouter(graph, costs, hierarchy), time.perf_counter() - started


def _save(session: Session, city_id: int, profile: str, key: str, router: BikeRouter, seconds: float) -> None:
    row = session.scalar(
        select(NetworkGraphRow).where(NetworkGraphRow.city_id == city_id, NetworkGraphRow.profile == profile)
    )
    if row is None:
        row = NetworkGraphRow(city_id=city_id, profile=profile)
        session.add(row)
    row.state_key = key
    row.engine = ENGINE
    row.nodes = router.hierarchy.n
    row.edges = router.hierarchy.n_edges
    row.build_s = round(seconds, 3)
    row.data = router.hierarchy.to_bytes()
    row.built_at = utcnow()
    session.flush()


def store_routers(session: Session, city_id: int, profiles: tuple[str, ...] = PROFILES) -> dict[str, dict]:
    """Build and store the hierarchy of each profile for the city's current network (in ``session``'s
    transaction; the caller commits). Returns the size and build time of each."""
    out = {}
    for profile in profiles:
        key = state_key(session, city_id, profile)
        router, seconds = _build(session, city_id, profile)
        _save(session, city_id, profile, key, router, seconds)
        with _LOCK:
            _ROUTERS[_cache_key(session, city_id, profile, key)] = router
        out[profile] = {"nodes": router.hierarchy.n, "edges": router.hierarchy.n_edges, "build_s": round(seconds, 3)}
    return out


def _cache_key(session: Session, city_id: int, profile: str, key: str) -> tuple:
    bind = session.get_bind()
    return (str(bind.url), id(bind), city_id, profile, key)


def city_router(session: Session, city_id: int, profile: str = "quiet") -> BikeRouter:
    """The bicycle router of a city for ``profile`` (``quiet``, ``fast`` or ``shortest``)."""
    check_profile(profile)
    key = state_key(session, city_id, profile)
    cache = _cache_key(session, city_id, profile, key)
    with _LOCK:
        router = _ROUTERS.get(cache)
    if router is not None:
        return router
    row = session.scalar(
        select(NetworkGraphRow).where(
            NetworkGraphRow.city_id == city_id,
            NetworkGraphRow.profile == profile,
            NetworkGraphRow.state_key == key,
            NetworkGraphRow.engine == ENGINE,
        )
    )
    if row is not None:
        graph = city_graph(session, city_id, mode="bike")
        costs, _ = router_inputs(graph, profile)
        router = BikeRouter(graph, costs, Hierarchy.from_bytes(row.data))
    else:
        router, _ = _build(session, city_id, profile)
    with _LOCK:
        if len(_ROUTERS) > 24:
            _ROUTERS.clear()
        _ROUTERS[cache] = router
    return router
