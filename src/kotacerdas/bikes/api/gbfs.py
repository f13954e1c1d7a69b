"""The public GBFS feeds of every stored system, v3.0 and v2.3, served from a per-system cache.

URLs::

    /gbfs/v3/manifest.json                       every system (also /gbfs/manifest.json)
    /gbfs/v3/{system_id}/gbfs.json               discovery
    /gbfs/v3/{system_id}/{feed}.json             system_information, station_status, ...
    /gbfs/v2/{system_id}/gbfs.json               v2.3 discovery (one feed list per language)
    /gbfs/v2/{system_id}/gbfs_versions.json
    /gbfs/v2/{system_id}/{lang}/{feed}.json      v2.3 feeds in ``id`` or ``en``

Feeds are built from the stored state with :mod:`kotacerdas.bikes.gbfs` (all feeds of a
version at once) and kept in :mod:`kotacerdas.bikes.services.feed_cache` for their ``ttl`` or until a
write changes the system. Responses carry ``Cache-Control: public, max-age=<seconds left of
the ttl>``, an ``ETag`` (``If-None-Match`` answers 304) and ``Access-Control-Allow-Origin: *``.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from kotacerdas.bikes import gbfs
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import feed_cache
from kotacerdas.bikes.services import rentals as service
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeReservation, BikeSystem
from kotacerdas.core.db import session_scope, utcnow
from kotacerdas.core.i18n import N_

router = APIRouter(tags=["GBFS"])
DYNAMIC_TTL = 60
"""Seconds a station_status / vehicle_status / system_alerts feed is announced valid."""
MANIFEST = "__manifest__"


def _entry(body: dict, generation: int) -> feed_cache.CachedFeed:
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
        service.expire_reservations(engine, system_id)
    with session_scope(engine) as s:
        system = st.get_system(s, system_id)
        state = st.load_state(s, system)
    now = _now_in(state.system.timezone)
    if version == "3.0":
        return gbfs.build_v3(state, base_url, now, DYNAMIC_TTL)
    return gbfs.build_v2(state, base_url, now, lang, DYNAMIC_TTL)


def build_manifest(engine: Engine, base_url: str) -> dict:
    with session_scope(engine) as s:
        systems = [st.system_model(r) for r in s.scalars(select(BikeSystem).order_by(BikeSystem.system_id))]
    return gbfs.manifest_v3(systems, base_url, _now_in("Asia/Jakarta"))


def _fill(engine: Engine, system_id: str, version: str, lang: str, base_url: str, feed: str) -> feed_cache.CachedFeed:
    generation = feed_cache.generation(system_id)
    if system_id == MANIFEST:
        entry = _entry(build_manifest(engine, base_url), generation)
        feed_cache.put((system_id, version, lang, base_url, feed), entry)
        return entry
    feeds = build_feeds(engine, system_id, version, lang, base_url)
    if feed not in feeds:
        raise BikesError(N_("unknown GBFS feed {feed}"), field="feed", status=404, feed=feed)
    chosen = None
    for name, body in feeds.items():
        entry = _entry(body, generation)
        if feed_cache.enabled():
            feed_cache.put((system_id, version, lang, base_url, name), entry)
        if name == feed:
            chosen = entry
    return chosen


def _response(request: Request, entry: feed_cache.CachedFeed) -> Response:
    left = max(0, int(entry.ttl - entry.age()))
    headers = {
        "Cache-Control": f"public, max-age={left}",
        "ETag": entry.etag,
        "Access-Control-Allow-Origin": "*",
    }
    if request.headers.get("if-none-match") == entry.etag:
        return Response(status_code=304, headers=headers)
    return Response(entry.body, media_type="application/json", headers=headers)


async def _serve(request: Request, system_id: str, version: str, feed: str, lang: str = "") -> Response:
    base = str(request.base_url).rstrip("/")
    key = (system_id, version, lang, base, feed)
    entry = feed_cache.get(key) if feed_cache.enabled() else None
    if entry is None:
        entry = await run_in_threadpool(_fill, request.app.state.engine, system_id, version, lang, base, feed)
    return _response(request, entry)


@router.get("/gbfs/v3/manifest.json", summary="GBFS v3 manifest of every system")
async def manifest(request: Request) -> Response:
    return await _serve(request, MANIFEST, "3.0", "manifest")


@router.get("/gbfs/manifest.json", include_in_schema=False)
async def manifest_alias(request: Request) -> Response:
    return await _serve(request, MANIFEST, "3.0", "manifest")


@router.get("/gbfs/v3/{system_id}/{feed}.json", summary="A GBFS v3.0 feed (gbfs, station_status, ...)")
async def feed_v3(request: Request, system_id: str, feed: str) -> Response:
    return await _serve(request, system_id, "3.0", feed)


@router.get("/gbfs/v2/{system_id}/gbfs.json", summary="GBFS v2.3 discovery")
async def discovery_v2(request: Request, system_id: str) -> Response:
    return await _serve(request, system_id, "2.3", "gbfs", "id")


@router.get("/gbfs/v2/{system_id}/gbfs_versions.json", summary="GBFS v2.3 versions")
async def versions_v2(request: Request, system_id: str) -> Response:
    return await _serve(request, system_id, "2.3", "gbfs_versions", "id")


@router.get("/gbfs/v2/{system_id}/{lang}/{feed}.json", summary="A GBFS v2.3 feed in one language")
async def feed_v2(request: Request, system_id: str, lang: str, feed: str) -> Response:
    if feed in ("gbfs", "gbfs_versions"):
        raise BikesError(N_("unknown GBFS feed {feed}"), field="feed", status=404, feed=feed)
    return await _serve(request, system_id, "2.3", feed, lang)
