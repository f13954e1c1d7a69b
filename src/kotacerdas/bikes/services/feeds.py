"""The GBFS feeds of stored systems: built from the stored state, serialised once and kept in the feed cache.

Feeds are built with :mod:`kotacerdas.bikes.gbfs` (all feeds of a version at once, in the
system's time zone, overdue reservations expired first) and kept in
:mod:`kotacerdas.bikes.services.feed_cache` for their ``ttl`` or until a write changes the
system. The HTTP routes (:mod:`kotacerdas.bikes.api.gbfs`) serve the cached bytes; the command
line writes the same feeds to files.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from kotacerdas.bikes import gbfs
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import feed_cache
from kotacerdas.bikes.services.rentals import expire_reservations
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeReservation, BikeSystem
from kotacerdas.core.db import session_scope, utcnow
from kotacerdas.core.i18n import N_

DYNAMIC_TTL = 60
"""Seconds a station_status / vehicle_status / system_alerts feed is announced valid."""
MANIFEST = feed_cache.MANIFEST


def entry(body: dict, generation: int) -> feed_cache.CachedFeed:
    """A feed serialised once (compact UTF-8 JSON) with its ttl and a strong ETag of its bytes."""
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return feed_cache.CachedFeed(
        raw,
        int(body.get("ttl", 0)),
        time.monotonic(),
        generation,
        '"' + hashlib.sha1(raw).hexdigest()[:20] + '"',
    )


def _now_in(tz: str) -> datetime:
    return utcnow().astimezone(ZoneInfo(tz)).replace(microsecond=0)


def build_feeds(engine: Engine, system_id: str, version: str, lang: str, base_url: str) -> dict[str, dict]:
    """Every feed of ``version`` (``"3.0"``/``"2.3"``) of a stored system, built now (no cache)."""
    with session_scope(engine) as s:
        system = st.get_system(s, system_id)
        overdue = s.scalar(
            select(func.count()).where(
                BikeReservation.system_pk == system.id,
                BikeReservation.status == "active",
                BikeReservation.expires_at <= utcnow(),
            )
        )
    if overdue:
        expire_reservations(engine, system_id)
    with session_scope(engine) as s:
        system = st.get_system(s, system_id)
        state = st.load_state(s, system)
    now = _now_in(state.system.timezone)
    if version == "3.0":
        return gbfs.build_v3(state, base_url, now, DYNAMIC_TTL)
    return gbfs.build_v2(state, base_url, now, lang, DYNAMIC_TTL)


def build_manifest(engine: Engine, base_url: str) -> dict:
    """The GBFS v3 manifest of every stored system, built now (no cache)."""
    with session_scope(engine) as s:
        systems = [st.system_model(r) for r in s.scalars(select(BikeSystem).order_by(BikeSystem.system_id))]
    return gbfs.manifest_v3(systems, base_url, _now_in("Asia/Jakarta"))


def cached(system_id: str, version: str, lang: str, base_url: str, feed: str) -> feed_cache.CachedFeed | None:
    """The feed from the cache, still within its ttl and of the system's current state, or ``None``."""
    return feed_cache.get((system_id, version, lang, base_url, feed)) if feed_cache.enabled() else None


def fill(engine: Engine, system_id: str, version: str, lang: str, base_url: str, feed: str) -> feed_cache.CachedFeed:
    """Build the feeds of a system (or the manifest), cache them all and return the one asked for (404 unknown)."""
    generation = feed_cache.generation(system_id)
    if system_id == MANIFEST:
        made = entry(build_manifest(engine, base_url), generation)
        feed_cache.put((system_id, version, lang, base_url, feed), made)
        return made
    feeds = build_feeds(engine, system_id, version, lang, base_url)
    if feed not in feeds:
        raise BikesError(N_("unknown GBFS feed {feed}"), field="feed", status=404, feed=feed)
    chosen = None
    for name, body in feeds.items():
        made = entry(body, generation)
        if feed_cache.enabled():
            feed_cache.put((system_id, version, lang, base_url, name), made)
        if name == feed:
            chosen = made
    assert chosen is not None  # the feed is one of those built
    return chosen
