"""The in-process cache of built GBFS feeds, per system, kept for the feed's ttl or until the state changes.

Every write of :mod:`kotacerdas.bikes.services.rentals` calls :func:`invalidate` for its system
after the commit, which bumps the system's generation; a cached feed of an older
generation is never served again. Other processes (more workers, the CLI) cannot reach
this cache: there a feed is at most ``ttl`` seconds old, which is what GBFS allows.

Each feed is cached by its own content: when a feed is rebuilt (its ttl ran out, the system
changed, another feed of the same set was asked for) and says the same as before, the earlier
bytes are kept, with their ``ETag`` and ``last_updated``, so a client holding them is told
``304`` and a static feed keeps the validity it announced (:meth:`CachedFeed.renewed`).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime

_lock = threading.Lock()
_generation: dict[str, int] = {}
_entries: dict[tuple, CachedFeed] = {}
MAX_ENTRIES = 4096
#: The cache key of the GBFS manifest, which lists every system (a system created or renamed changes it).
MANIFEST = "__manifest__"


@dataclass(frozen=True)
class CachedFeed:
    """A serialised feed: its bytes, ttl, when it was built (monotonic), its ETag, the digest of its content
    (everything but ``last_updated``) and when that content last changed."""

    body: bytes
    ttl: int
    built: float
    generation: int
    etag: str
    content: str = ""
    modified: datetime | None = None

    def age(self) -> float:
        return time.monotonic() - self.built

    def fresh(self, generation: int) -> bool:
        """Still within its ttl and of the system's current state."""
        return self.generation == generation and self.age() < self.ttl

    def renewed(self, generation: int) -> CachedFeed:
        """The same bytes (ETag, ``last_updated``) valid for another ttl from now."""
        return replace(self, built=time.monotonic(), generation=generation)


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
    if entry is None or not entry.fresh(generation(key[0])):
        return None
    return entry


def last(key: tuple) -> CachedFeed | None:
    """The feed cached last under ``key``, fresh or not (what a rebuilt feed is compared with)."""
    return _entries.get(key)


def put(key: tuple, entry: CachedFeed) -> None:
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = entry
