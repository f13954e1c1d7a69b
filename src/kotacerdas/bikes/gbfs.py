"""GBFS feeds of a bike-share system: version 3.0, and 2.3 for older consumers.

Builders take the records of :mod:`kotacerdas.bikes.model` (usually gathered
in a :class:`~kotacerdas.bikes.model.SystemState`), a base URL and the time of
publication, and return plain dicts ready for ``json.dumps``. They validate
against the MobilityData JSON Schemas (see ``tests/bikes/test_gbfs.py``).

URLs (served by the platform)::

    {base}/gbfs/manifest.json                      v3 manifest of every system
    {base}/gbfs/v3/{system_id}/gbfs.json           v3 discovery
    {base}/gbfs/v3/{system_id}/{feed}.json         v3 feeds (text in id and en)
    {base}/gbfs/v2/{system_id}/gbfs.json           v2.3 discovery, one feed list per language
    {base}/gbfs/v2/{system_id}/{lang}/{feed}.json  v2.3 feeds in one language (id or en)
    {base}/gbfs/v2/{system_id}/gbfs_versions.json  v2.3 version list

Differences handled between the versions: v3 writes times as RFC 3339
strings and text as ``[{"text", "language"}]`` lists; v2.3 writes POSIX
seconds and plain strings (one feed set per language), calls vehicles
``bikes`` in ``free_bike_status`` and counts ``num_bikes_*`` instead of
``num_vehicles_*``; geofencing rules use ``ride_allowed`` in v2.3.

Privacy: rented and missing bikes are never published, and public vehicle ids
are rotated after every trip (an HMAC of the bike id and the time of its last
report under a key only the server knows, ``SystemState.vehicle_id_key``), as the
specification requires: without the key nobody can tell which bike an id is.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from shapely.geometry import MultiPolygon, Polygon

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import (
    Alert,
    Bike,
    BikeStatus,
    GeofencingRule,
    GeofencingZone,
    LocalText,
    PricingPlan,
    Region,
    Station,
    System,
    SystemState,
    VehicleType,
    check_aware,
    text_in,
)
from kotacerdas.bikes.operations import dock_space
from kotacerdas.core.geometry import to_geojson
from kotacerdas.core.i18n import N_

Feed = dict[str, Any]
V3_FEEDS: tuple[str, ...] = (
    "system_information",
    "vehicle_types",
    "station_information",
    "station_status",
    "vehicle_status",
    "system_pricing_plans",
    "system_alerts",
    "system_regions",
    "geofencing_zones",
    "gbfs_versions",
)
V2_FEEDS: tuple[str, ...] = (
    "system_information",
    "vehicle_types",
    "station_information",
    "station_status",
    "free_bike_status",
    "system_pricing_plans",
    "system_alerts",
    "system_regions",
    "geofencing_zones",
)
DEFAULT_TTL = 60
RENTAL_URI = "{base}/bikes/{system_id}/stations/{station_id}"
"""Web page a rider opens to rent at a station (``rental_uris.web``); the platform may override."""


# -- shared helpers --------------------------------------------------------------


def rfc3339(when: datetime) -> str:
    """An aware datetime as RFC 3339 (``2025-03-01T07:30:00+07:00``)."""
    return check_aware(when, "last_updated").isoformat(timespec="seconds")


def local_rfc3339(when: datetime, now: datetime) -> str:
    """``when`` as RFC 3339 in the zone of the feed's ``now`` (the system's time zone: ``+07:00``)."""
    return rfc3339(check_aware(when, "last_reported").astimezone(now.tzinfo))


def _reported(station_id: str, reported: Mapping[str, datetime] | None, now: datetime) -> datetime:
    """When a station last reported (its docks last changed), never after ``now``; ``now`` when unknown."""
    when = (reported or {}).get(station_id)
    return now if when is None else min(check_aware(when, "last_reported"), now)


def posix(when: datetime) -> int:
    """An aware datetime as POSIX seconds."""
    return int(check_aware(when, "last_updated").timestamp())


def localized(text: LocalText, languages: Sequence[str]) -> list[dict[str, str]]:
    """v3 localized text: one ``{"text", "language"}`` per language of the system."""
    return [{"text": text_in(text, lang), "language": lang} for lang in languages]


def feed_url(base_url: str, version: str, system_id: str, feed: str, language: str | None = None) -> str:
    """URL of one feed (``version`` ``"3.0"`` or ``"2.3"``; ``language`` only for v2.3 feeds)."""
    base = base_url.rstrip("/")
    if version == "3.0":
        return f"{base}/gbfs/v3/{system_id}/{feed}.json"
    if version == "2.3":
        middle = f"{language}/" if language and feed not in ("gbfs", "gbfs_versions") else ""
        return f"{base}/gbfs/v2/{system_id}/{middle}{feed}.json"
    raise BikesError(N_("unsupported GBFS version {version}"), field="version", version=version)


def public_vehicle_id(bike: Bike, key: str) -> str:
    """A vehicle id that changes after every trip: an HMAC-SHA256 of the bike id and its last report under ``key``
    (a secret: with a public key, ids and report times are enough to try every bike id and find the bike)."""
    stamp = bike.last_reported.isoformat() if bike.last_reported else ""
    return hmac.new(key.encode(), f"{bike.bike_id}|{stamp}".encode(), hashlib.sha256).hexdigest()[:20]


def _envelope(data: Feed, now: datetime, ttl: int, version: str) -> Feed:
    if ttl < 0:
        raise BikesError(N_("{name} must not be negative"), field="ttl", name="ttl")
    stamp: Any = rfc3339(now) if version == "3.0" else posix(now)
    return {"last_updated": stamp, "ttl": int(ttl), "version": version, "data": data}


def _multipolygon(geometry: Any) -> dict[str, Any]:
    """A zone as a GeoJSON MultiPolygon, wound by the right-hand rule (exterior counter-clockwise, holes
    clockwise) as RFC 7946 and the GBFS schemas describe, with 6 decimals."""
    if isinstance(geometry, Polygon):
        geometry = MultiPolygon([geometry])
    if not isinstance(geometry, MultiPolygon):
        raise BikesError(N_("a geofencing zone must be a polygon or multipolygon"), field="geometry")

    def lists(obj: Any) -> Any:
        return [lists(x) for x in obj] if isinstance(obj, list | tuple) else float(obj)

    return {"type": "MultiPolygon", "coordinates": lists(to_geojson(geometry)["coordinates"])}


def _active(alert: Alert, now: datetime) -> bool:
    if not alert.times:
        return True
    return any(t.start <= now and (t.end is None or now < t.end) for t in alert.times)


def _closures(alerts: Iterable[Alert], now: datetime) -> tuple[bool, set[str]]:
    """Whether the whole system is closed now, and which stations are."""
    system_closed, stations = False, set()
    for a in alerts:
        if _active(a, now):
            if a.type == "system_closure":
                system_closed = True
            elif a.type == "station_closure":
                stations.update(a.station_ids)
    return system_closed, stations


def _station_counts(station: Station, bikes: Sequence[Bike], types: Sequence[VehicleType]) -> dict[str, Any]:
    here = [b for b in bikes if b.station_id == station.station_id]
    available = [b for b in here if b.status == BikeStatus.AVAILABLE]
    disabled = [b for b in here if b.status in (BikeStatus.BROKEN, BikeStatus.MAINTENANCE)]
    docked = len(available) + len(disabled) + sum(1 for b in here if b.status == BikeStatus.RESERVED)
    per_type = Counter(b.vehicle_type_id for b in available)
    return {
        "available": len(available),
        "disabled": len(disabled),
        "docks_available": dock_space(station, docked),
        "per_type": [
            {"vehicle_type_id": t.vehicle_type_id, "count": per_type.get(t.vehicle_type_id, 0)} for t in types
        ],
    }


def _vehicle_fields(bike: Bike, types: Mapping[str, VehicleType]) -> dict[str, Any]:
    out: dict[str, Any] = {"vehicle_type_id": bike.vehicle_type_id}
    vt = types.get(bike.vehicle_type_id)
    if vt is not None and vt.is_electric:
        level = bike.battery if bike.battery is not None else 0.0
        out["current_fuel_percent"] = round(level, 3)
        out["current_range_meters"] = round(level * float(vt.max_range_meters or 0.0), 1)
    if bike.pricing_plan_id:
        out["pricing_plan_id"] = bike.pricing_plan_id
    return out


def _published(bikes: Iterable[Bike]) -> list[Bike]:
    """Bikes a feed may show: docked ones (never rented, missing or in the workshop)."""
    shown = (BikeStatus.AVAILABLE, BikeStatus.RESERVED, BikeStatus.BROKEN, BikeStatus.MAINTENANCE)
    return [b for b in bikes if b.status in shown and b.station_id is not None]


# -- GBFS 3.0 --------------------------------------------------------------------


def gbfs_v3(state: SystemState, base_url: str, now: datetime, ttl: int = DEFAULT_TTL) -> Feed:
    """``gbfs.json`` v3: the discovery file listing every feed of the system."""
    sid = state.system.system_id
    feeds = [{"name": f, "url": feed_url(base_url, "3.0", sid, f)} for f in V3_FEEDS]
    return _envelope({"feeds": feeds}, now, ttl, "3.0")


def manifest_v3(systems: Sequence[System], base_url: str, now: datetime, ttl: int = 3600) -> Feed:
    """``manifest.json`` v3: each system's discovery URLs for v2.3 and v3.0."""
    datasets = [
        {
            "system_id": s.system_id,
            "versions": [
                {"version": "2.3", "url": feed_url(base_url, "2.3", s.system_id, "gbfs")},
                {"version": "3.0", "url": feed_url(base_url, "3.0", s.system_id, "gbfs")},
            ],
        }
        for s in systems
    ]
    return _envelope({"datasets": datasets}, now, ttl, "3.0")


def gbfs_versions_v3(system: System, base_url: str, now: datetime, ttl: int = 3600) -> Feed:
    """``gbfs_versions.json`` v3: the versions this system publishes."""
    return _envelope({"versions": _versions(system, base_url)}, now, ttl, "3.0")


def _versions(system: System, base_url: str) -> list[dict[str, str]]:
    return [
        {"version": "2.3", "url": feed_url(base_url, "2.3", system.system_id, "gbfs")},
        {"version": "3.0", "url": feed_url(base_url, "3.0", system.system_id, "gbfs")},
    ]


def _demo_name(system: System) -> LocalText:
    if not system.is_demo:
        return system.name
    return {lang: f"{text} ({'data demo' if lang == 'id' else 'demo data'})" for lang, text in system.name.items()}


def route_catalogue_url(base_url: str, system_id: str) -> str:
    """The system's public page on the platform: its catalogue of cycling routes (linking the rider's app)."""
    return f"{base_url.rstrip('/')}/bikes/{system_id}/routes"


def system_information_v3(system: System, now: datetime, ttl: int = 3600, *, base_url: str | None = None) -> Feed:
    """``system_information.json`` v3 (the name says so when the system is a demo)."""
    langs = list(system.languages)
    data: Feed = {
        "system_id": system.system_id,
        "languages": langs,
        "name": localized(_demo_name(system), langs),
        "opening_hours": system.opening_hours,
        "operator": localized(system.operator, langs),
        "feed_contact_email": system.feed_contact_email,
        "timezone": system.timezone,
    }
    if system.short_name:
        data["short_name"] = localized(system.short_name, langs)
    for key in ("url", "email", "phone_number", "start_date", "license_url"):
        if getattr(system, key):
            data[key] = getattr(system, key)
    if base_url and not system.url:
        data["url"] = route_catalogue_url(base_url, system.system_id)
    if system.terms_url and system.terms_last_updated:
        data["terms_url"] = localized(system.terms_url, langs)
        data["terms_last_updated"] = system.terms_last_updated
    if system.privacy_url and system.privacy_last_updated:
        data["privacy_url"] = localized(system.privacy_url, langs)
        data["privacy_last_updated"] = system.privacy_last_updated
    if base_url:
        data["manifest_url"] = f"{base_url.rstrip('/')}/gbfs/manifest.json"
    return _envelope(data, now, ttl, "3.0")


def _vehicle_type_common(vt: VehicleType) -> Feed:
    out: Feed = {
        "vehicle_type_id": vt.vehicle_type_id,
        "form_factor": vt.form_factor,
        "propulsion_type": vt.propulsion_type,
        "wheel_count": vt.wheel_count,
        "rider_capacity": 1,
        "default_reserve_time": vt.default_reserve_time,
        "return_constraint": vt.return_constraint,
    }
    if vt.max_range_meters is not None:
        out["max_range_meters"] = float(vt.max_range_meters)
    if vt.max_permitted_speed is not None:
        out["max_permitted_speed"] = vt.max_permitted_speed
    if vt.default_pricing_plan_id:
        out["default_pricing_plan_id"] = vt.default_pricing_plan_id
    if vt.pricing_plan_ids:
        out["pricing_plan_ids"] = list(vt.pricing_plan_ids)
    return out


def vehicle_types_v3(
    vehicle_types: Sequence[VehicleType],
    now: datetime,
    ttl: int = 3600,
    *,
    languages: Sequence[str] = ("id", "en"),
) -> Feed:
    """``vehicle_types.json`` v3: classic bikes and e-bikes (with their range)."""
    rows = [{**_vehicle_type_common(vt), "name": localized(vt.name, languages)} for vt in vehicle_types]
    return _envelope({"vehicle_types": rows}, now, ttl, "3.0")


def station_information_v3(
    system: System,
    stations: Sequence[Station],
    base_url: str,
    now: datetime,
    ttl: int = 3600,
    *,
    rental_uri: Callable[[Station], str] | None = None,
) -> Feed:
    """``station_information.json`` v3: names, places, capacities and rental URIs."""
    langs = list(system.languages)
    rows = []
    for st in stations:
        row: Feed = {
            "station_id": st.station_id,
            "name": localized(st.name, langs),
            "lat": round(st.lat, 6),
            "lon": round(st.lon, 6),
            "capacity": st.capacity,
            "is_virtual_station": False,
            "is_charging_station": st.is_charging_station,
            "rental_methods": list(st.rental_methods),
            "rental_uris": {"web": _rental_uri(system, st, base_url, rental_uri)},
        }
        if st.short_name:
            row["short_name"] = localized(st.short_name, langs)
        if st.region_id:
            row["region_id"] = st.region_id
        if st.address:
            row["address"] = st.address
        rows.append(row)
    return _envelope({"stations": rows}, now, ttl, "3.0")


def _rental_uri(system: System, st: Station, base_url: str, rental_uri: Callable[[Station], str] | None) -> str:
    if rental_uri is not None:
        return rental_uri(st)
    return RENTAL_URI.format(base=base_url.rstrip("/"), system_id=system.system_id, station_id=st.station_id)


def station_status_v3(
    stations: Sequence[Station],
    bikes: Sequence[Bike],
    vehicle_types: Sequence[VehicleType],
    now: datetime,
    ttl: int = DEFAULT_TTL,
    *,
    alerts: Sequence[Alert] = (),
    reported: Mapping[str, datetime] | None = None,
) -> Feed:
    """``station_status.json`` v3: bikes and free docks per station, open or closed.

    A station is not renting/returning when it says so or when an active
    ``station_closure`` / ``system_closure`` alert covers it.
    """
    system_closed, closed = _closures(alerts, now)
    rows = []
    for st in stations:
        c = _station_counts(st, bikes, vehicle_types)
        shut = system_closed or st.station_id in closed
        rows.append(
            {
                "station_id": st.station_id,
                "num_vehicles_available": c["available"],
                "vehicle_types_available": c["per_type"],
                "num_vehicles_disabled": c["disabled"],
                "num_docks_available": c["docks_available"],
                "num_docks_disabled": st.num_docks_disabled,
                "is_installed": st.is_installed,
                "is_renting": st.is_installed and st.is_renting and not shut,
                "is_returning": st.is_installed and st.is_returning and not shut,
                "last_reported": local_rfc3339(_reported(st.station_id, reported, now), now),
            }
        )
    return _envelope({"stations": rows}, now, ttl, "3.0")


def vehicle_status_v3(
    bikes: Sequence[Bike],
    vehicle_types: Sequence[VehicleType],
    now: datetime,
    ttl: int = DEFAULT_TTL,
    *,
    id_key: str = "",
) -> Feed:
    """``vehicle_status.json`` v3: docked bikes (by station), with battery for e-bikes."""
    types = {vt.vehicle_type_id: vt for vt in vehicle_types}
    rows = []
    for b in _published(bikes):
        rows.append(
            {
                "vehicle_id": public_vehicle_id(b, id_key),
                "station_id": b.station_id,
                "is_reserved": b.status == BikeStatus.RESERVED,
                "is_disabled": b.is_disabled,
                "last_reported": local_rfc3339(b.last_reported or now, now),
                **_vehicle_fields(b, types),
            }
        )
    return _envelope({"vehicles": rows}, now, ttl, "3.0")


def _plan_common(plan: PricingPlan) -> Feed:
    out: Feed = {
        "plan_id": plan.plan_id,
        "currency": plan.currency,
        "price": plan.day_pass_price if plan.is_day_pass else plan.unlock_fee,
        "is_taxable": plan.is_taxable,
    }
    if plan.per_minute:
        out["per_min_pricing"] = [{"start": plan.free_minutes, "rate": plan.per_minute, "interval": 1}]
    if plan.url:
        out["url"] = plan.url
    return out


def system_pricing_plans_v3(
    plans: Sequence[PricingPlan], now: datetime, ttl: int = 3600, *, languages: Sequence[str] = ("id", "en")
) -> Feed:
    """``system_pricing_plans.json`` v3: unlock fee or pass price, then the per-minute rate."""
    rows = [
        {
            **_plan_common(p),
            "name": localized(p.name, languages),
            "description": localized(p.description, languages),
        }
        for p in plans
    ]
    return _envelope({"plans": rows}, now, ttl, "3.0")


def system_alerts_v3(
    alerts: Sequence[Alert], now: datetime, ttl: int = DEFAULT_TTL, *, languages: Sequence[str] = ("id", "en")
) -> Feed:
    """``system_alerts.json`` v3: closures, moved stations and other notices."""
    rows = []
    for a in alerts:
        row: Feed = {"alert_id": a.alert_id, "type": a.type, "summary": localized(a.summary, languages)}
        if a.times:
            row["times"] = [
                {"start": local_rfc3339(t.start, now), **({"end": local_rfc3339(t.end, now)} if t.end else {})}
                for t in a.times
            ]
        if a.station_ids:
            row["station_ids"] = list(a.station_ids)
        if a.region_ids:
            row["region_ids"] = list(a.region_ids)
        if a.url:
            row["url"] = localized(a.url, languages)
        if a.description:
            row["description"] = localized(a.description, languages)
        if a.last_updated:
            row["last_updated"] = local_rfc3339(a.last_updated, now)
        rows.append(row)
    return _envelope({"alerts": rows}, now, ttl, "3.0")


def _rule_v3(rule: GeofencingRule) -> Feed:
    out: Feed = {
        "ride_start_allowed": rule.ride_start_allowed,
        "ride_end_allowed": rule.ride_end_allowed,
        "ride_through_allowed": rule.ride_through_allowed,
    }
    if rule.vehicle_type_ids:
        out["vehicle_type_ids"] = list(rule.vehicle_type_ids)
    if rule.maximum_speed_kph is not None:
        out["maximum_speed_kph"] = rule.maximum_speed_kph
    if rule.station_parking is not None:
        out["station_parking"] = rule.station_parking
    return out


def geofencing_zones_v3(
    zones: Sequence[GeofencingZone],
    now: datetime,
    ttl: int = 3600,
    *,
    global_rules: Sequence[GeofencingRule] = (GeofencingRule(),),
    languages: Sequence[str] = ("id", "en"),
) -> Feed:
    """``geofencing_zones.json`` v3: zones as a GeoJSON FeatureCollection plus global rules."""
    features = []
    for z in zones:
        props: Feed = {"name": localized(z.name, languages), "rules": [_rule_v3(r) for r in z.rules]}
        if z.start:
            props["start"] = local_rfc3339(z.start, now)
        if z.end:
            props["end"] = local_rfc3339(z.end, now)
        features.append({"type": "Feature", "properties": props, "geometry": _multipolygon(z.geometry)})
    data = {
        "geofencing_zones": {"type": "FeatureCollection", "features": features},
        "global_rules": [_rule_v3(r) for r in global_rules],
    }
    return _envelope(data, now, ttl, "3.0")


def system_regions_v3(
    regions: Sequence[Region], now: datetime, ttl: int = 3600, *, languages: Sequence[str] = ("id", "en")
) -> Feed:
    """``system_regions.json`` v3."""
    rows = [{"region_id": r.region_id, "name": localized(r.name, languages)} for r in regions]
    return _envelope({"regions": rows}, now, ttl, "3.0")


def build_v3(state: SystemState, base_url: str, now: datetime, ttl: int = DEFAULT_TTL) -> dict[str, Feed]:
    """Every v3 feed of one system, keyed by feed name (``gbfs`` included, manifest excluded)."""
    langs = list(state.system.languages)
    return {
        "gbfs": gbfs_v3(state, base_url, now, ttl),
        "gbfs_versions": gbfs_versions_v3(state.system, base_url, now),
        "system_information": system_information_v3(state.system, now, base_url=base_url),
        "vehicle_types": vehicle_types_v3(state.vehicle_types, now, languages=langs),
        "station_information": station_information_v3(state.system, state.stations, base_url, now),
        "station_status": station_status_v3(
            state.stations, state.bikes, state.vehicle_types, now, ttl, alerts=state.alerts, reported=state.reported
        ),
        "vehicle_status": vehicle_status_v3(state.bikes, state.vehicle_types, now, ttl, id_key=state.vehicle_id_key),
        "system_pricing_plans": system_pricing_plans_v3(state.plans, now, languages=langs),
        "system_alerts": system_alerts_v3(state.alerts, now, ttl, languages=langs),
        "geofencing_zones": geofencing_zones_v3(state.zones, now, global_rules=state.global_rules, languages=langs),
        "system_regions": system_regions_v3(state.regions, now, languages=langs),
    }


# -- GBFS 2.3 --------------------------------------------------------------------


def gbfs_v2(state: SystemState, base_url: str, now: datetime, ttl: int = DEFAULT_TTL) -> Feed:
    """``gbfs.json`` v2.3: one feed list per language, each pointing at that language's feeds."""
    sid = state.system.system_id
    data = {
        lang: {
            "feeds": [{"name": f, "url": feed_url(base_url, "2.3", sid, f, lang)} for f in V2_FEEDS]
            + [{"name": "gbfs_versions", "url": feed_url(base_url, "2.3", sid, "gbfs_versions")}]
        }
        for lang in state.system.languages
    }
    return _envelope(data, now, ttl, "2.3")


def gbfs_versions_v2(system: System, base_url: str, now: datetime, ttl: int = 3600) -> Feed:
    """``gbfs_versions.json`` v2.3."""
    return _envelope({"versions": _versions(system, base_url)}, now, ttl, "2.3")


def system_information_v2(
    system: System, now: datetime, lang: str, ttl: int = 3600, *, base_url: str | None = None
) -> Feed:
    """``system_information.json`` v2.3 in one language."""
    data: Feed = {
        "system_id": system.system_id,
        "language": lang,
        "name": text_in(_demo_name(system), lang),
        "operator": text_in(system.operator, lang),
        "timezone": system.timezone,
        "feed_contact_email": system.feed_contact_email,
    }
    if system.short_name:
        data["short_name"] = text_in(system.short_name, lang)
    for key in ("url", "email", "phone_number", "start_date", "license_url"):
        if getattr(system, key):
            data[key] = getattr(system, key)
    if base_url:
        data.setdefault("url", route_catalogue_url(base_url, system.system_id))
        data["_route_catalogue_url"] = route_catalogue_url(base_url, system.system_id)  # a GBFS 2.x extension field
    if system.terms_url and system.terms_last_updated:
        data["terms_url"] = text_in(system.terms_url, lang)
        data["terms_last_updated"] = system.terms_last_updated
    if system.privacy_url and system.privacy_last_updated:
        data["privacy_url"] = text_in(system.privacy_url, lang)
        data["privacy_last_updated"] = system.privacy_last_updated
    return _envelope(data, now, ttl, "2.3")


def vehicle_types_v2(vehicle_types: Sequence[VehicleType], now: datetime, lang: str, ttl: int = 3600) -> Feed:
    """``vehicle_types.json`` v2.3 in one language."""
    rows = [{**_vehicle_type_common(vt), "name": text_in(vt.name, lang)} for vt in vehicle_types]
    return _envelope({"vehicle_types": rows}, now, ttl, "2.3")


def station_information_v2(
    system: System,
    stations: Sequence[Station],
    base_url: str,
    now: datetime,
    lang: str,
    ttl: int = 3600,
    *,
    rental_uri: Callable[[Station], str] | None = None,
) -> Feed:
    """``station_information.json`` v2.3 in one language."""
    rows = []
    for st in stations:
        row: Feed = {
            "station_id": st.station_id,
            "name": text_in(st.name, lang),
            "lat": round(st.lat, 6),
            "lon": round(st.lon, 6),
            "capacity": st.capacity,
            "is_virtual_station": False,
            "is_charging_station": st.is_charging_station,
            "rental_methods": list(st.rental_methods),
            "rental_uris": {"web": _rental_uri(system, st, base_url, rental_uri)},
        }
        if st.short_name:
            row["short_name"] = text_in(st.short_name, lang)
        if st.region_id:
            row["region_id"] = st.region_id
        if st.address:
            row["address"] = st.address
        rows.append(row)
    return _envelope({"stations": rows}, now, ttl, "2.3")


def station_status_v2(
    stations: Sequence[Station],
    bikes: Sequence[Bike],
    vehicle_types: Sequence[VehicleType],
    now: datetime,
    ttl: int = DEFAULT_TTL,
    *,
    alerts: Sequence[Alert] = (),
    reported: Mapping[str, datetime] | None = None,
) -> Feed:
    """``station_status.json`` v2.3 (``num_bikes_*`` counts, POSIX times)."""
    v3 = station_status_v3(stations, bikes, vehicle_types, now, ttl, alerts=alerts, reported=reported)
    rows = []
    for r in v3["data"]["stations"]:
        rows.append(
            {
                "station_id": r["station_id"],
                "num_bikes_available": r["num_vehicles_available"],
                "vehicle_types_available": r["vehicle_types_available"],
                "num_bikes_disabled": r["num_vehicles_disabled"],
                "num_docks_available": r["num_docks_available"],
                "num_docks_disabled": r["num_docks_disabled"],
                "is_installed": r["is_installed"],
                "is_renting": r["is_renting"],
                "is_returning": r["is_returning"],
                "last_reported": posix(_reported(r["station_id"], reported, now)),
            }
        )
    return _envelope({"stations": rows}, now, ttl, "2.3")


def free_bike_status_v2(
    bikes: Sequence[Bike],
    vehicle_types: Sequence[VehicleType],
    now: datetime,
    ttl: int = DEFAULT_TTL,
    *,
    id_key: str = "",
) -> Feed:
    """``free_bike_status.json`` v2.3: docked bikes as ``bikes`` with ``bike_id``."""
    types = {vt.vehicle_type_id: vt for vt in vehicle_types}
    rows = []
    for b in _published(bikes):
        rows.append(
            {
                "bike_id": public_vehicle_id(b, id_key),
                "station_id": b.station_id,
                "is_reserved": b.status == BikeStatus.RESERVED,
                "is_disabled": b.is_disabled,
                "last_reported": posix(b.last_reported or now),
                **_vehicle_fields(b, types),
            }
        )
    return _envelope({"bikes": rows}, now, ttl, "2.3")


def system_pricing_plans_v2(plans: Sequence[PricingPlan], now: datetime, lang: str, ttl: int = 3600) -> Feed:
    """``system_pricing_plans.json`` v2.3 in one language."""
    rows = [
        {**_plan_common(p), "name": text_in(p.name, lang), "description": text_in(p.description, lang)} for p in plans
    ]
    return _envelope({"plans": rows}, now, ttl, "2.3")


def system_alerts_v2(alerts: Sequence[Alert], now: datetime, lang: str, ttl: int = DEFAULT_TTL) -> Feed:
    """``system_alerts.json`` v2.3 in one language (POSIX times)."""
    rows = []
    for a in alerts:
        row: Feed = {"alert_id": a.alert_id, "type": a.type, "summary": text_in(a.summary, lang)}
        if a.times:
            row["times"] = [{"start": posix(t.start), **({"end": posix(t.end)} if t.end else {})} for t in a.times]
        if a.station_ids:
            row["station_ids"] = list(a.station_ids)
        if a.region_ids:
            row["region_ids"] = list(a.region_ids)
        if a.url:
            row["url"] = text_in(a.url, lang)
        if a.description:
            row["description"] = text_in(a.description, lang)
        if a.last_updated:
            row["last_updated"] = posix(a.last_updated)
        rows.append(row)
    return _envelope({"alerts": rows}, now, ttl, "2.3")


def geofencing_zones_v2(zones: Sequence[GeofencingZone], now: datetime, lang: str, ttl: int = 3600) -> Feed:
    """``geofencing_zones.json`` v2.3 (``ride_allowed`` = start and end allowed; no global rules)."""
    features = []
    for z in zones:
        rules = []
        for r in z.rules:
            rule: Feed = {
                "ride_allowed": r.ride_start_allowed and r.ride_end_allowed,
                "ride_through_allowed": r.ride_through_allowed,
            }
            if r.vehicle_type_ids:
                rule["vehicle_type_id"] = list(r.vehicle_type_ids)
            if r.maximum_speed_kph is not None:
                rule["maximum_speed_kph"] = r.maximum_speed_kph
            if r.station_parking is not None:
                rule["station_parking"] = r.station_parking
            rules.append(rule)
        props: Feed = {"name": text_in(z.name, lang), "rules": rules}
        if z.start:
            props["start"] = posix(z.start)
        if z.end:
            props["end"] = posix(z.end)
        features.append({"type": "Feature", "properties": props, "geometry": _multipolygon(z.geometry)})
    return _envelope({"geofencing_zones": {"type": "FeatureCollection", "features": features}}, now, ttl, "2.3")


def system_regions_v2(regions: Sequence[Region], now: datetime, lang: str, ttl: int = 3600) -> Feed:
    """``system_regions.json`` v2.3 in one language."""
    rows = [{"region_id": r.region_id, "name": text_in(r.name, lang)} for r in regions]
    return _envelope({"regions": rows}, now, ttl, "2.3")


def build_v2(state: SystemState, base_url: str, now: datetime, lang: str, ttl: int = DEFAULT_TTL) -> dict[str, Feed]:
    """Every v2.3 feed of one system in language ``lang`` (plus ``gbfs`` and ``gbfs_versions``)."""
    if lang not in state.system.languages:
        raise BikesError(N_("language {lang} is not offered by this system"), field="lang", status=404, lang=lang)
    return {
        "gbfs": gbfs_v2(state, base_url, now, ttl),
        "gbfs_versions": gbfs_versions_v2(state.system, base_url, now),
        "system_information": system_information_v2(state.system, now, lang, base_url=base_url),
        "vehicle_types": vehicle_types_v2(state.vehicle_types, now, lang),
        "station_information": station_information_v2(state.system, state.stations, base_url, now, lang),
        "station_status": station_status_v2(
            state.stations, state.bikes, state.vehicle_types, now, ttl, alerts=state.alerts, reported=state.reported
        ),
        "free_bike_status": free_bike_status_v2(
            state.bikes, state.vehicle_types, now, ttl, id_key=state.vehicle_id_key
        ),
        "system_pricing_plans": system_pricing_plans_v2(state.plans, now, lang),
        "system_alerts": system_alerts_v2(state.alerts, now, lang, ttl),
        "geofencing_zones": geofencing_zones_v2(state.zones, now, lang),
        "system_regions": system_regions_v2(state.regions, now, lang),
    }


def build_feed(
    version: str,
    feed: str,
    state: SystemState,
    base_url: str,
    now: datetime,
    *,
    lang: str = "id",
    ttl: int = DEFAULT_TTL,
) -> Feed:
    """One feed by version (``"3.0"`` / ``"2.3"``) and name, for the platform's routes.

    Raises
    ------
    BikesError
        404 for a feed name the version does not have.
    """
    feeds = (
        build_v3(state, base_url, now, ttl)
        if version == "3.0"
        else (build_v2(state, base_url, now, lang, ttl) if version == "2.3" else None)
    )
    if feeds is None or feed not in feeds:
        raise BikesError(N_("unknown GBFS feed {feed}"), field="feed", status=404, feed=feed)
    return feeds[feed]
