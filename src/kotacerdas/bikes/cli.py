"""``kotacerdas bikes ...``: systems, stations, bikes, trip history, forecasts, rebalancing and GBFS files.

Every command prints text, or JSON with ``--json``; errors print a localised message and exit 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from kotacerdas.console import emit, engine, fail, lang, prepare, run, tr, write

app = typer.Typer(
    help="Bike Sharing: systems, stations, trips, forecasts, rebalancing, GBFS feeds.", no_args_is_help=True
)
systems_app = typer.Typer(help="Bike-share systems.", no_args_is_help=True)
stations_app = typer.Typer(help="Docking stations.", no_args_is_help=True)
bikes_app = typer.Typer(help="Bikes.", no_args_is_help=True)
trips_app = typer.Typer(help="Trip history.", no_args_is_help=True)
app.add_typer(systems_app, name="systems")
app.add_typer(stations_app, name="stations")
app.add_typer(bikes_app, name="bikes")
app.add_typer(trips_app, name="trips")

SYSTEM = typer.Option("banyuwangi", "--system", "-s", help="System id")
AS_JSON = typer.Option(False, "--json", help="Print JSON.")


def _write(fn, system_id: str, as_json: bool, *, action: str = "", target: str = ""):
    """``fn(session)`` in a write transaction; the system's feeds are refreshed afterwards. With ``action`` the
    change is recorded in the city's audit log, by the command line (``source: cli``), with ``fn``'s result."""
    from kotacerdas.bikes.services import feed_cache, systems
    from kotacerdas.bikes.services.writes import BIKE_CONFLICT
    from kotacerdas.core import accounts

    def body(s):
        out = fn(s)
        if action:
            summary = {k: v for k, v in (out or {}).items() if isinstance(v, int | float | str | bool)}
            city_id = systems.get_system(s, system_id).city_id
            accounts.audit(s, city_id, None, action, target or system_id, source="cli", **summary)
        return out

    return write(body, as_json, after=lambda: feed_cache.invalidate(system_id), conflict=BIKE_CONFLICT)


@systems_app.command("list")
def systems_list(as_json: bool = AS_JSON) -> None:
    """List the bike-share systems with their city and station count."""
    from kotacerdas.bikes.services import systems

    def fn(s):
        counts = systems.station_counts(s)
        return [row | {"stations": counts.get(row["system_id"], 0)} for row in systems.systems(s)]

    rows = run(fn, as_json)
    text = "\n".join(
        f"{r['system_id']:<20} {r['city']:<8} {r['stations']:>4}  {r['name'].get('id', '')}"
        + (" (demo)" if r["is_demo"] else "")
        for r in rows
    )
    emit(rows, as_json, text or tr("No bike-share system yet"))


@stations_app.command("list")
def stations_list(system: str = SYSTEM, as_json: bool = AS_JSON) -> None:
    """List the stations of a system with bikes available and free docks."""
    from kotacerdas.bikes.services import stations, systems

    rows = run(lambda s: stations.station_list(s, systems.get_system(s, system)), as_json)
    text = "\n".join(
        f"{r['station_id']:<22} {sum(r['bikes_available'].values()):>3} / {r['capacity']:<3} "
        f"{r['docks_available']:>3} free  {r['kecamatan']['name'] or '-':<14} {r['name'].get('id', '')}"
        for r in rows
    )
    emit(rows, as_json, text)


@stations_app.command("import")
def stations_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="CSV or GeoJSON"),
    system: str = SYSTEM,
    as_json: bool = AS_JSON,
) -> None:
    """Create or update stations from a CSV (station_id,name,lat,lon,capacity,...) or GeoJSON file."""
    from kotacerdas.bikes.services import stations, systems

    data = file.read_bytes()
    out = _write(
        lambda s: stations.import_stations(s, systems.get_system(s, system), data, file.name),
        system,
        as_json,
        action="bikes.stations.import",
        target=file.name,
    )
    emit(out, as_json, tr("{created} created, {updated} updated").format(**out))


@bikes_app.command("list")
def bikes_list(
    system: str = SYSTEM, status: str = typer.Option(None, help="Only this status"), as_json: bool = AS_JSON
) -> None:
    """List the bikes of a system with status, station and battery."""
    from kotacerdas.bikes.services import fleet, systems

    def fn(s):
        listing = fleet.bikes(s, systems.get_system(s, system), status=status)
        keys = ("bike_id", "vehicle_type_id", "status", "station_id", "battery")
        return [{k: b[k] for k in keys} for b in map(listing.item, s.execute(listing.statement))]

    rows = run(fn, as_json)
    text = "\n".join(
        f"{r['bike_id']:<12} {r['vehicle_type_id']:<8} {r['status']:<12} {r['station_id'] or '-':<20}"
        + (f" {round(100 * r['battery'])} %" if r["battery"] is not None else "")
        for r in rows
    )
    emit(rows, as_json, text)


@trips_app.command("import")
def trips_import(
    file: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        readable=True,
        help="CSV: trip_id,bike_id,start_station_id,end_station_id,start_time,end_time",
    ),
    system: str = SYSTEM,
    as_json: bool = AS_JSON,
) -> None:
    """Import a trip history CSV (idempotent: the same file or trip twice is stored once)."""
    from kotacerdas.bikes.services import systems, trips

    data = file.read_bytes()
    out = _write(
        lambda s: trips.import_trips(s, systems.get_system(s, system), data, file.name),
        system,
        as_json,
        action="bikes.trips.import",
        target=file.name,
    )
    if out.get("already_imported"):
        text = tr("Already imported: {file} (nothing changed)").format(file=file.name)
    else:
        text = tr("{imported} trips imported, {skipped} already stored").format(**out)
    emit(out, as_json, text)


@app.command("forecast")
def forecast_cmd(system: str = SYSTEM, hours: int = typer.Option(6, min=1, max=48), as_json: bool = AS_JSON) -> None:
    """Expected pickups and returns per station for the next hours (fitted on the stored trips)."""
    from kotacerdas.bikes.services import insights, systems

    out = run(lambda s: insights.forecast_json(s, systems.get_system(s, system), hours=hours), as_json)
    lines = [tr("{n} trips used").format(n=out["trips_used"])]
    for row in out["stations"]:
        lines.append(
            f"{row['station_id']:<22} {tr('pickups')} {sum(row['pickups']):6.1f}  "
            f"{tr('returns')} {sum(row['returns']):6.1f}"
        )
    emit(out, as_json, "\n".join(lines))


@app.command("rebalance")
def rebalance_cmd(
    system: str = SYSTEM,
    hours: int = typer.Option(6, min=1, max=24),
    trucks: int = typer.Option(2, min=1, max=10),
    capacity: int = typer.Option(14, min=1, max=60),
    shift_minutes: int = typer.Option(180, min=30, max=720),
    as_json: bool = AS_JSON,
) -> None:
    """Print a rebalancing plan: station needs from the forecast and van routes."""
    from kotacerdas.bikes.services import insights, systems

    out = run(
        lambda s: insights.rebalancing_plan(
            s,
            systems.get_system(s, system),
            hours=hours,
            trucks=trucks,
            truck_capacity=capacity,
            shift_minutes=shift_minutes,
        ),
        as_json,
    )
    lines = [
        tr("{moved} bikes moved, distances: {source}, solver: {solver}").format(
            moved=out["bikes_moved"], source=out["distance_source"], solver=out["solver"]
        )
    ]
    for route in out["routes"]:
        stops = ", ".join(f"{s['station_id']} {s['delta']:+d}" for s in route["stops"]) or "-"
        lines.append(
            f"{route['truck_id']}: {route['distance_m'] / 1000:.1f} km, {route['duration_minutes']:.0f} min: {stops}"
        )
    emit(out, as_json, "\n".join(lines))


@app.command("gbfs")
def gbfs_cmd(
    folder: Path = typer.Argument(..., file_okay=False, help="Folder to write the feed files into"),
    system: str = SYSTEM,
    base_url: str = typer.Option("https://kotacerdas.example", help="Base URL written into the feeds"),
    as_json: bool = AS_JSON,
) -> None:
    """Write every GBFS feed (v3.0, and v2.3 in id and en) of a system as files, laid out like the URLs
    (``gbfs/manifest.json`` and ``gbfs/v3/manifest.json`` included)."""
    from kotacerdas.bikes.services.feeds import build_feeds, build_manifest
    from kotacerdas.core.errors import KotacerdasError

    prepare()
    written = []
    try:
        root = folder / "gbfs"
        sets = [(root / "v3" / system, build_feeds(engine(), system, "3.0", "id", base_url))]
        for lang_ in ("id", "en"):
            feeds = build_feeds(engine(), system, "2.3", lang_, base_url)
            for name in ("gbfs", "gbfs_versions"):
                sets.append((root / "v2" / system, {name: feeds.pop(name)}))
            sets.append((root / "v2" / system / lang_, feeds))
        manifest = build_manifest(engine(), base_url)
        # system_information's manifest_url names {base}/gbfs/manifest.json: write it there, and under v3/
        sets.append((root / "v3", {"manifest": manifest}))
        sets.append((root, {"manifest": manifest}))
    except KotacerdasError as exc:
        fail(exc, as_json)
    for target, feeds in sets:
        target.mkdir(parents=True, exist_ok=True)
        for name, body in feeds.items():
            path = target / f"{name}.json"
            path.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
            written.append(str(path))
    emit(
        {"files": written},
        as_json,
        tr("{n} feed files written to {folder}").format(n=len(written), folder=folder),
    )


# -- cycling routes: routing, tours, destinations, curated routes, the bicycle network ------------------------------
tour_app = typer.Typer(help="Bicycle tours through destinations.", no_args_is_help=True)
destinations_app = typer.Typer(help="Destinations tours visit.", no_args_is_help=True)
routes_app = typer.Typer(help="Curated cycling routes (the catalogue).", no_args_is_help=True)
network_app = typer.Typer(help="The bicycle network: elevations and routing graphs.", no_args_is_help=True)
app.add_typer(tour_app, name="tour")
app.add_typer(destinations_app, name="destinations")
app.add_typer(routes_app, name="routes")
app.add_typer(network_app, name="network")
ROUTE_FORMATS = ("json", "gpx", "geojson", "kml")


def _daytime() -> dict[str, str]:
    """``{"open": "08:00", "close": "17:00"}``: when the planner visits a place whose hours are unknown."""
    from kotacerdas.bikes.opening_hours import DAYTIME
    from kotacerdas.bikes.tours import hhmm

    return {"open": hhmm(DAYTIME[0]), "close": hhmm(DAYTIME[1])}


def _point(text: str, field: str) -> tuple[float, float]:
    from kotacerdas.bikes.api.tours import parse_point

    return parse_point(text, field)


@app.command("route")
def route_cmd(
    city: str = typer.Option(..., "--city", help="City code, e.g. 35.10"),
    from_: str = typer.Option(..., "--from", help="LON,LAT"),
    to: str = typer.Option(..., "--to", help="LON,LAT"),
    profile: str = typer.Option("quiet", help="quiet, fast or shortest"),
    speed_kmh: float = typer.Option(15.0, "--speed", help="Riding speed (km/h)"),
    fmt: str = typer.Option("json", "--format", help="json, gpx, geojson or kml"),
) -> None:
    """A bicycle route between two points on the city's network (JSON: distance_m, duration_s, geometry,
    instructions; or a GPX, GeoJSON or KML file on standard output)."""
    from kotacerdas.bikes.formats.route_files import write_route
    from kotacerdas.core import accounts
    from kotacerdas.core.errors import KotacerdasError
    from kotacerdas.network.graphs import city_router

    if fmt not in ROUTE_FORMATS:
        typer.echo(tr("unknown format {fmt}: use json, gpx, geojson or kml").format(fmt=fmt), err=True)
        raise typer.Exit(2)

    def fn(s):
        router = city_router(s, accounts.get_city(s, city).id, profile)
        return router.route(_point(from_, "from"), _point(to, "to"), speed_kmh).as_dict()

    try:
        out = run(fn, fmt == "json")
    except KotacerdasError as exc:  # a bad point given on the command line
        fail(exc, fmt == "json")
    if fmt == "json":
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        typer.echo(write_route(out, fmt, "kotacerdas route", lang()).decode())


@tour_app.command("solve-op")
def solve_op_cmd(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="An orienteering instance (Tmax P; x y S)"),
    time_limit: float = typer.Option(0.9, "--time-limit", help="Seconds of search"),
    as_json: bool = AS_JSON,
) -> None:
    """Solve a standard orienteering file: the most score from point 0 to point 1 within the budget."""
    from kotacerdas.bikes.formats.op import read_op
    from kotacerdas.bikes.orienteering import solve
    from kotacerdas.core.errors import KotacerdasError

    try:
        inst = read_op(file)
    except KotacerdasError as exc:
        fail(exc, as_json)
    out = inst.answer(solve(inst.problem(), time_limit_s=time_limit))
    emit(
        out,
        as_json,
        tr("score {score}, length {length}: {route}").format(
            score=out["score"], length=out["length"], route=" ".join(map(str, out["route"]))
        ),
    )


@tour_app.command("plan")
def tour_plan_cmd(
    system: str = SYSTEM,
    start: str = typer.Option(..., "--start", help="A station id, or LON,LAT"),
    end: str = typer.Option(None, "--end", help="End station id (default: chosen by free docks)"),
    date: str = typer.Option(None, "--date", help="YYYY-MM-DD"),
    start_time: str = typer.Option("08:00", "--time", help="HH:MM"),
    budget: int = typer.Option(240, "--budget", help="Minutes"),
    speed_kmh: float = typer.Option(15.0, "--speed"),
    profile: str = typer.Option("quiet"),
    interest: list[str] = typer.Option([], "--interest", help="CATEGORY=WEIGHT (0-5), repeatable"),
    must: list[str] = typer.Option([], "--must", help="A destination every tour visits, repeatable"),
    fmt: str = typer.Option(None, "--format", help="json, gpx, geojson or kml (default: a text summary)"),
    alt: int = typer.Option(0, "--alt", min=0, max=2, help="With a file format: 0 the best tour, 1 or 2 another"),
    as_json: bool = AS_JSON,
) -> None:
    """Plan the best tour and up to two alternatives from a start, within a time budget and opening hours
    (``--format gpx|geojson|kml``: the tour ``--alt`` as a file on standard output)."""
    from kotacerdas.bikes.services import systems as system_service
    from kotacerdas.bikes.services import tours

    if fmt is not None and fmt not in ROUTE_FORMATS:
        typer.echo(tr("unknown format {fmt}: use json, gpx, geojson or kml").format(fmt=fmt), err=True)
        raise typer.Exit(2)
    as_json = as_json or fmt == "json"
    begin: dict = (
        {"station_id": start} if "," not in start else dict(zip(("lon", "lat"), _point(start, "start"), strict=True))
    )
    interests = {k: float(v) for k, _, v in (i.partition("=") for i in interest)}
    body = {
        "start": begin,
        "end_station_id": end,
        "date": date,
        "start_time": start_time,
        "budget_minutes": budget,
        "speed_kmh": speed_kmh,
        "profile": profile,
        "interests": interests,
        "must_visit": list(must),
    }
    out = run(lambda s: tours.plan(s, system_service.get_system(s, system), body), as_json)
    if fmt in ROUTE_FORMATS[1:]:
        typer.echo(tours.tour_file(out, fmt, lang(), alt).decode())
        return
    lines = []
    for k, t in enumerate(out["tours"]):
        names = " → ".join((st.get("name") or {}).get(lang(), st["key"]) for st in t["stops"])
        lines.append(f"{k + 1}. {t['finish']}  {t['distance_m'] / 1000:.1f} km  {names}")
    if "opening_hours_unknown" in out["notes"]:
        lines.append(
            tr(
                "Some places' opening hours are not known: they are planned between {open} and {close} only.",
                **_daytime(),
            )
        )
    if "no_destination_fits" in out["notes"]:
        lines.append(
            tr("No destination is open and reachable within this time: the tour only rides to the return station.")
        )
        if out.get("next_start"):
            later = out["next_start"]
            lines.append(f"{tr('The earliest start with a visit')}: {later['date']} {later['start_time']}")
    emit(out, as_json, "\n".join(lines))


@destinations_app.command("list")
def destinations_list(system: str = SYSTEM, as_json: bool = AS_JSON) -> None:
    """List the destinations of the system's city."""
    from kotacerdas.bikes.services import destinations
    from kotacerdas.bikes.services import systems as system_service

    rows = run(lambda s: destinations.destination_features(s, system_service.get_system(s, system)), as_json)
    text = "\n".join(
        f"{f['id']:<32} {f['properties']['category']:<10} {f['properties']['name'].get(lang(), '')}"
        for f in rows["features"]
    )
    emit(rows, as_json, text or tr("No destination yet"))


@destinations_app.command("import")
def destinations_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help=".osm.pbf or .osm XML"),
    system: str = SYSTEM,
    as_json: bool = AS_JSON,
) -> None:
    """Import the destinations of an OpenStreetMap extract into the system's city (idempotent)."""
    from kotacerdas.bikes.services import destinations
    from kotacerdas.core.errors import KotacerdasError

    prepare()
    try:
        out = destinations.import_osm(engine(), system, file, file.name, user_id=None)
    except KotacerdasError as exc:
        fail(exc, as_json)
    lines = [tr("{created} new, {updated} updated").format(**out)]
    for place in out.get("unreadable_hours", []):
        lines.append(
            tr("Opening hours of {name} ({source}) cannot be read, kept as found: {value}").format(
                name=place["name"].get(lang()) or place["destination_id"],
                source=place["source"],
                value=place["opening_hours"],
            )
        )
    if out.get("unreadable_hours"):
        lines.append(
            tr(
                "{n} places with unknown opening hours: the planner visits them between {open} and {close} only",
                n=len(out["unreadable_hours"]),
                **_daytime(),
            )
        )
    emit(out, as_json, "\n".join(lines))


@routes_app.command("list")
def routes_list(system: str = SYSTEM, as_json: bool = AS_JSON) -> None:
    """List the published routes of the catalogue."""
    from kotacerdas.bikes.services import routes
    from kotacerdas.bikes.services import systems as system_service

    rows = run(lambda s: routes.catalogue(s, system_service.get_system(s, system)), as_json)
    text = "\n".join(f"{r['slug']:<32} {r['distance_m'] / 1000:6.1f} km  {r['name'].get(lang(), '')}" for r in rows)
    emit(rows, as_json, text or tr("No route yet"))


@routes_app.command("export")
def routes_export(
    slug: str = typer.Argument(..., help="The route's slug"),
    system: str = SYSTEM,
    fmt: str = typer.Option("gpx", "--format", help="gpx, geojson or kml"),
) -> None:
    """Print a published route as GPX, GeoJSON or KML."""
    from kotacerdas.bikes.formats.route_files import write_route
    from kotacerdas.bikes.services import routes
    from kotacerdas.bikes.services import systems as system_service

    if fmt not in ROUTE_FORMATS[1:]:
        typer.echo(tr("unknown format {fmt}: use json, gpx, geojson or kml").format(fmt=fmt), err=True)
        raise typer.Exit(2)
    out = run(lambda s: routes.public_route(s, system_service.get_system(s, system), slug))
    typer.echo(write_route(out["plan"]["tours"][0], fmt, out["name"].get(lang()) or slug, lang()).decode())


@network_app.command("elevation")
def network_elevation(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A DEM GeoTIFF (e.g. SRTM)"),
    city: str = typer.Option(..., "--city", help="City code, e.g. 35.10"),
    as_json: bool = AS_JSON,
) -> None:
    """Add elevations from a DEM to the city's network and rebuild its routing graphs."""
    from kotacerdas.core import accounts
    from kotacerdas.network.graphs import store_routers
    from kotacerdas.network.store import import_elevation

    def fn(s):
        target = accounts.get_city(s, city)
        out = import_elevation(s, target, file).as_dict()
        if not out["already_imported"]:
            out["graphs"] = store_routers(s, target.id)
        return out

    out = run(fn, as_json)
    emit(out, as_json, tr("{segments} segments with elevations, {outside} outside the model").format(**out))


@network_app.command("build")
def network_build(city: str = typer.Option(..., "--city"), as_json: bool = AS_JSON) -> None:
    """Build and store the routing graphs of the city's current network (quiet, fast, shortest)."""
    from kotacerdas.core import accounts
    from kotacerdas.network.graphs import store_routers

    out = run(lambda s: store_routers(s, accounts.get_city(s, city).id), as_json)
    emit(
        out,
        as_json,
        "\n".join(f"{k}: {v['nodes']} nodes, {v['edges']} edges, {v['build_s']} s" for k, v in out.items()),
    )
