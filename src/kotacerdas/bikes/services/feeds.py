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
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from kotacerdas.bikes import gbfs
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import feed_cache
from kotacerdas.bikes.services.rentals import expire_reservations
from kotacerdas.bikes.services.stations import vehicle_id_key
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeReservation, BikeSystem
from kotacerdas.core.db import session_scope, utcnow
from kotacerdas.core.i18n import N_

DYNAMIC_TTL = 60
"""Seconds a station_status / vehicle_status / system_alerts feed is announced valid."""
MANIFEST = feed_cache.MANIFEST


def content_digest(body: dict) -> str:
    """A digest of what a feed says, ``last_updated`` left out: equal for a rebuilt feed that says the same."""
    rest = {k: v for k, v in body.items() if k != "last_updated"}
    return hashlib.sha256(json.dumps(rest, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _modified(body: dict) -> datetime | None:
    stamp = body.get("last_updated")
    if isinstance(stamp, int | float):
        return datetime.fromtimestamp(stamp, tz=UTC)
    if isinstance(stamp, str):
        return datetime.fromisoformat(stamp)
    return None


def entry(body: dict, generation: int) -> feed_cache.CachedFeed:
    """A feed serialised once (compact UTF-8 JSON) with its ttl, a strong ETag of its bytes and its content digest."""
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return feed_cache.CachedFeed(
        raw,
        int(body.get("ttl", 0)),
        time.monotonic(),
        generation,
        '"' + hashlib.sha1(raw).hexdigest()[:20] + '"',
        content_digest(body),
        _modified(body),
    )


def _keep(key: tuple, body: dict, generation: int) -> feed_cache.CachedFeed:
    """The entry to cache for a feed just built: the fresh one already cached, the earlier bytes when the
    content is unchanged (their ETag and ``last_updated`` kept), else the new feed."""
    fresh = feed_cache.get(key)
    if fresh is not None:
        return fresh
    before = feed_cache.last(key)
    if before is not None and before.content == content_digest(body):
        return before.renewed(generation)
    return entry(body, generation)


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
    state.vehicle_id_key = vehicle_id_key(system_id)
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
        key = (system_id, version, lang, base_url, feed)
        made = _keep(key, build_manifest(engine, base_url), generation)
        feed_cache.put(key, made)
        return made
    feeds = build_feeds(engine, system_id, version, lang, base_url)
    if feed not in feeds:
        raise BikesError(N_("unknown GBFS feed {feed}"), field="feed", status=404, feed=feed)
    if not feed_cache.enabled():
        return entry(feeds[feed], generation)
    chosen = None
    for name, body in feeds.items():
        key = (system_id, version, lang, base_url, name)
        made = _keep(key, body, generation)
        feed_cache.put(key, made)
        if name == feed:
            chosen = made
    assert chosen is not None  # the feed is one of those built
    return chosen
