"""The in-process cache of built GBFS feeds, per system, kept for the feed's ttl or until the state changes.

Every write of :mod:`kotacerdas.bikes.services.rentals` calls :func:`invalidate` for its system
after the commit, which bumps the system's generation; a cached feed of an older
generation is never served again. Other processes (more workers, the CLI) cannot reach
this cache: there a feed is at most ``ttl`` seconds old, which is what GBFS allows.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

_lock = threading.Lock()
_generation: dict[str, int] = {}
_entries: dict[tuple, CachedFeed] = {}
MAX_ENTRIES = 4096
#: The cache key of the GBFS manifest, which lists every system (a system created or renamed changes it).
MANIFEST = "__manifest__"


@dataclass(frozen=True)
class CachedFeed:
    """A serialised feed: its bytes, ttl, when it was built (monotonic and wall clock), and its ETag."""

    body: bytes
    ttl: int
    built: float
    generation: int
    etag: str

    def age(self) -> float:
        return time.monotonic() - self.built


def enabled() -> bool:
    """Caching is on unless ``KOTACERDAS_GBFS_CACHE=0`` (the benchmark's uncached baseline)."""
    return os.environ.get("KOTACERDAS_GBFS_CACHE", "1") != "0"


def generation(system_id: str) -> int:
    return _generation.get(system_id, 0)


def invalidate(system_id: str | None = None) -> None:
    """Forget the cached feeds of ``system_id`` (every system when ``None``)."""
    with _lock:
        if system_id is None:
            for key in list(_generation):
                _generation[key] += 1
            _entries.clear()
            return
        _generation[system_id] = _generation.get(system_id, 0) + 1


def get(key: tuple) -> CachedFeed | None:
    """A cached feed still within its ttl and of the system's current generation (``key[0]``)."""
    entry = _entries.get(key)
    if entry is None or entry.generation != generation(key[0]) or entry.age() >= entry.ttl:
        return None
    return entry


def put(key: tuple, entry: CachedFeed) -> None:
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = entry
