"""The public GBFS feeds of every stored system, v3.0 and v2.3, served from a per-system cache.

URLs::

    /gbfs/v3/manifest.json                       every system (also /gbfs/manifest.json)
    /gbfs/v3/{system_id}/gbfs.json               discovery
    /gbfs/v3/{system_id}/{feed}.json             system_information, station_status, ...
    /gbfs/v2/{system_id}/gbfs.json               v2.3 discovery (one feed list per language)
    /gbfs/v2/{system_id}/gbfs_versions.json
    /gbfs/v2/{system_id}/{lang}/{feed}.json      v2.3 feeds in ``id`` or ``en``

The feeds are built and cached by :mod:`kotacerdas.bikes.services.feeds` (each by its own content);
these routes serve the cached bytes. Responses carry ``Cache-Control: public, max-age=<seconds left of
the ttl>``, a strong ``ETag`` and ``Last-Modified`` (when the feed's content last changed): a
conditional GET or HEAD (``If-None-Match`` with one tag, a list, a weak ``W/`` tag or ``*``; or
``If-Modified-Since``) answers ``304`` (:mod:`kotacerdas.http.conditional`). Every answer, errors
included, is readable from any web page (``Access-Control-Allow-Origin: *``, the validators exposed,
preflights answered: :mod:`kotacerdas.http.methods`). The URLs inside the feeds are built on the
server's public address (:func:`kotacerdas.http.urls.public_base`), never on a ``Host`` header it
does not trust. Every route declares the GBFS envelope (:class:`~kotacerdas.bikes.api.schemas.GbfsFeed`)
for the documentation.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from kotacerdas.bikes.api.schemas import GBFS_RESPONSES, GbfsFeed
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import feed_cache, feeds
from kotacerdas.core.i18n import N_
from kotacerdas.http.conditional import not_modified, validators
from kotacerdas.http.urls import public_base

router = APIRouter(tags=["GBFS"])


def _response(request: Request, entry: feed_cache.CachedFeed) -> Response:
    left = max(0, int(entry.ttl - entry.age()))
    headers = {"Cache-Control": f"public, max-age={left}", **validators(entry.etag, entry.modified)}
    if not_modified(request, entry.etag, entry.modified):
        return Response(status_code=304, headers=headers)
    return Response(entry.body, media_type="application/json", headers=headers)


async def _serve(request: Request, system_id: str, version: str, feed: str, lang: str = "") -> Response:
    base = public_base(request)
    entry = feeds.cached(system_id, version, lang, base, feed)
    if entry is None:
        entry = await run_in_threadpool(feeds.fill, request.app.state.engine, system_id, version, lang, base, feed)
    return _response(request, entry)


@router.get(
    "/gbfs/v3/manifest.json",
    summary="GBFS v3 manifest of every system",
    response_model=GbfsFeed,
    responses=GBFS_RESPONSES,
)
async def manifest(request: Request) -> Response:
    """The GBFS v3.0 manifest: every bike-share system of the platform with its discovery URL."""
    return await _serve(request, feeds.MANIFEST, "3.0", "manifest")


@router.get("/gbfs/manifest.json", include_in_schema=False, response_model=GbfsFeed, responses=GBFS_RESPONSES)
async def manifest_alias(request: Request) -> Response:
    """The v3.0 manifest under the version-less path."""
    return await _serve(request, feeds.MANIFEST, "3.0", "manifest")


@router.get(
    "/gbfs/v3/{system_id}/{feed}.json",
    summary="A GBFS v3.0 feed (gbfs, station_status, ...)",
    response_model=GbfsFeed,
    responses=GBFS_RESPONSES,
)
async def feed_v3(request: Request, system_id: str, feed: str) -> Response:
    """A GBFS v3.0 file of the system: ``gbfs`` (discovery), ``system_information``, ``station_status``,
    ``vehicle_status``, ``system_pricing_plans`` ... (404 for an unknown system or feed)."""
    return await _serve(request, system_id, "3.0", feed)


@router.get(
    "/gbfs/v2/{system_id}/gbfs.json", summary="GBFS v2.3 discovery", response_model=GbfsFeed, responses=GBFS_RESPONSES
)
async def discovery_v2(request: Request, system_id: str) -> Response:
    """The v2.3 discovery file of the system: one feed list per language (``id``, ``en``)."""
    return await _serve(request, system_id, "2.3", "gbfs", "id")


@router.get(
    "/gbfs/v2/{system_id}/gbfs_versions.json",
    summary="GBFS v2.3 versions",
    response_model=GbfsFeed,
    responses=GBFS_RESPONSES,
)
async def versions_v2(request: Request, system_id: str) -> Response:
    """The GBFS versions the system publishes (3.0 and 2.3)."""
    return await _serve(request, system_id, "2.3", "gbfs_versions", "id")


@router.get(
    "/gbfs/v2/{system_id}/{lang}/{feed}.json",
    summary="A GBFS v2.3 feed in one language",
    response_model=GbfsFeed,
    responses=GBFS_RESPONSES,
)
async def feed_v2(request: Request, system_id: str, lang: str, feed: str) -> Response:
    """A GBFS v2.3 file of the system in ``id`` or ``en`` (``free_bike_status`` instead of v3's
    ``vehicle_status``; 404 for an unknown system, language or feed)."""
    if feed in ("gbfs", "gbfs_versions"):
        raise BikesError(N_("unknown GBFS feed {feed}"), field="feed", status=404, feed=feed)
    return await _serve(request, system_id, "2.3", feed, lang)
