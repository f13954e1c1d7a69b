"""``kotacerdas bikes ...``: systems, stations, bikes, trip history, forecasts, rebalancing and GBFS files.

Every command prints text, or JSON with ``--json``; errors print a localised message and exit 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from kotacerdas.console import emit, engine, fail, prepare, run, tr, write

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


def _write(fn, system_id: str, as_json: bool):
    """``fn(session)`` in a write transaction; the system's feeds are refreshed afterwards."""
    from kotacerdas.bikes.services import feed_cache
    from kotacerdas.bikes.services.writes import BIKE_CONFLICT

    return write(fn, as_json, after=lambda: feed_cache.invalidate(system_id), conflict=BIKE_CONFLICT)


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
    out = _write(lambda s: stations.import_stations(s, systems.get_system(s, system), data, file.name), system, as_json)
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
    out = _write(lambda s: trips.import_trips(s, systems.get_system(s, system), data, file.name), system, as_json)
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
