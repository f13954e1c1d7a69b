"""``kotacerdas roads ...``: network import, surveys, vehicles, exact IRI, segments export, report; the camera half
(models, eval, video, photos, damage) from :mod:`kotacerdas.roads.damage_cli`.

The CLI is the operator's tool on the server: it acts with the rights of whoever can
run it (like ``kotacerdas admin import-areas``) and records its writes in the city's
audit log. Every command prints a short text, or JSON with ``--json``; errors print a
clear, localised message and exit with status 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from kotacerdas.console import emit, fail, lang, prepare
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.formats import number
from kotacerdas.core.i18n import N_
from kotacerdas.roads import damage_cli

cli = typer.Typer(
    help="Road Manager: road network, surveys, vehicles, roughness (IRI) and condition reports.", no_args_is_help=True
)
network_app = typer.Typer(help="The road network (from OpenStreetMap).", no_args_is_help=True)
survey_app = typer.Typer(help="Survey drives.", no_args_is_help=True)
vehicles_app = typer.Typer(help="Survey vehicles and their calibration.", no_args_is_help=True)
cli.add_typer(network_app, name="network")
cli.add_typer(survey_app, name="survey")
cli.add_typer(vehicles_app, name="vehicles")
# the camera half (kotacerdas.roads.damage_cli): models, evaluation, videos, photos, damage records
cli.add_typer(damage_cli.models_app, name="models")
cli.add_typer(damage_cli.video_app, name="video")
cli.add_typer(damage_cli.photos_app, name="photos")
cli.add_typer(damage_cli.damage_app, name="damage")
cli.command("eval")(damage_cli.eval_command)


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    from kotacerdas.core.geometry import BBox

    return tuple(BBox.parse(text).as_list())  # type: ignore[return-value]


def _prepare():
    prepare()


@network_app.command("import")
def network_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help=".osm.pbf or .osm XML"),
    city: str = typer.Option(..., "--city", help="City code, e.g. 35.10"),
    bbox: str = typer.Option(None, help="Keep only segments touching west,south,east,north"),
    force: bool = typer.Option(False, "--force", help="Import an extract none of whose roads touch the city"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import (or update in place) the road segments of a city from an OSM extract."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.core.i18n import gettext
    from kotacerdas.network.graphs import store_routers
    from kotacerdas.network.store import import_network

    _prepare()
    try:
        with session_scope() as session:
            target = accounts.get_city(session, city)
            result = import_network(session, target, file, bbox=_bbox(bbox), force=force)
            if not result.already_imported:
                store_routers(session, target.id)  # the bicycle routing graphs, built once per import (as the job)
                accounts.audit(
                    session,
                    target.id,
                    None,
                    "roads.network.import",
                    file.name,
                    source="cli",
                    created=result.created,
                    updated=result.updated,
                    retired=result.retired,
                )
            out = result.as_dict()
    except KotacerdasError as exc:
        fail(exc, as_json)
    if out["already_imported"]:
        text = gettext("Already imported: {file} (nothing changed)", lang()).format(file=file.name)
    else:
        text = gettext(
            "{segments} segments ({km} km): {created} new, {updated} updated, {unchanged} unchanged, "
            "{retired} no longer in the extract",
            lang(),
        ).format(**{**out, "km": number(out["length_km"], lang(), 2)})
    emit(out, as_json, text)


#: how the odometer found the distance (:attr:`kotacerdas.roads.odometer.Odometer.source`)
ODOMETER_SOURCES = {
    "gps_speed": N_("the phone's GPS speed"),
    "map_path": N_("the matched path"),
    "gps_positions": N_("the GPS positions"),
}


@survey_app.command("import")
def survey_import(
    path: Path = typer.Argument(
        ...,
        exists=True,
        help="survey package zip, Sensor Logger / phyphox export, "
        "or GPX/NMEA with an accelerometer CSV (zip or folder)",
    ),
    vehicle: str = typer.Option(..., "--vehicle", help="Vehicle id (created uncalibrated if new)"),
    city: str = typer.Option(..., "--city", help="City code, e.g. 35.10"),
    keep_raw: bool = typer.Option(True, "--keep-raw/--no-keep-raw", help="Keep the raw file in the data dir"),
    replace: bool = typer.Option(
        False, "--replace", help="Import a recording imported before again (e.g. for the right vehicle)"
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import a survey drive: process roughness, match it onto the network, store the results."""
    from kotacerdas.core import accounts
    from kotacerdas.core.config import get_settings
    from kotacerdas.core.db import session_scope
    from kotacerdas.core.i18n import gettext
    from kotacerdas.roads.services.surveys import import_survey_file, raw_folder

    _prepare()
    try:
        with session_scope() as session:
            target = accounts.get_city(session, city)
            raw = raw_folder(get_settings().data_dir, target.code) if keep_raw else None
            result = import_survey_file(session, target, path, vehicle, raw_dir=raw, replace=replace)
            if not result.already_imported:
                accounts.audit(
                    session,
                    target.id,
                    None,
                    "roads.survey.import",
                    path.name,
                    source="cli",
                    survey=result.survey_id,
                    vehicle=result.vehicle,
                    replaced=result.replaced_survey,
                )
            out = result.as_dict()
    except KotacerdasError as exc:
        fail(exc, as_json)
    if out["already_imported"]:
        text = gettext("Already imported as survey {id} for vehicle {vehicle} (nothing changed)", lang()).format(
            id=out["survey_id"], vehicle=out["vehicle"]
        )
        if out.get("requested_vehicle") and out["requested_vehicle"] != out["vehicle"]:
            text += "\n" + gettext("To import it again for vehicle {vehicle}, add --replace", lang()).format(
                vehicle=out["requested_vehicle"]
            )
    else:
        text = gettext(
            "Survey {id}: {measured} of {length} m measured in {n} intervals, {events} events, "
            "{segments} segments driven",
            lang(),
        ).format(
            id=out["survey_id"],
            measured=number(out["measured_m"], lang()),
            length=number(out["length_m"], lang()),
            n=out["intervals"],
            events=sum(out["events"].values()),
            segments=out["segments_driven"],
        )
        if out["excluded"]:
            text += "\n" + gettext("Left out: {items}", lang()).format(
                items=", ".join(f"{k} {v}" for k, v in sorted(out["excluded"].items()))
            )
        if not out["calibrated"]:
            text += "\n" + gettext("Vehicle {vehicle} is not calibrated: results are flagged", lang()).format(
                vehicle=out["vehicle"]
            )
        if out.get("replaced_survey"):
            text += "\n" + gettext("It replaces survey {id}", lang()).format(id=out["replaced_survey"])
        odo = out.get("odometer") or {}
        if odo:
            text += "\n" + gettext(
                "Drive length {length} ± {sd} m ({source}); standing still {stopped} s", lang()
            ).format(
                length=number(odo.get("length_m"), lang(), 1),
                sd=number(odo.get("length_sd_m"), lang(), 1),
                source=gettext(ODOMETER_SOURCES.get(str(odo.get("source")), str(odo.get("source"))), lang()),
                stopped=number(odo.get("stopped_s"), lang()),
            )
            if odo.get("turns_matched") is not None:
                text += "\n" + gettext(
                    "Placed by {turns} turns of the road found in the gyroscope; {left} path positions left out",
                    lang(),
                ).format(turns=odo.get("turns_matched"), left=odo.get("path_outliers", 0))
            elif odo.get("path_used"):
                text += "\n" + gettext(
                    "No gyroscope in the recording: placed by the speeds and the matched path", lang()
                )
    emit(out, as_json, text)


@survey_app.command("reprocess")
def survey_reprocess(
    city: str = typer.Option(..., "--city", help="City code, e.g. 35.10"),
    vehicle: str = typer.Option(None, "--vehicle", help="Every survey of this vehicle"),
    survey: int = typer.Option(None, "--survey", help="This survey"),
    every: bool = typer.Option(False, "--all", help="Every survey of the city"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Recompute stored surveys (after a vehicle is calibrated or the network updated) and print what changed."""
    from kotacerdas.core import accounts
    from kotacerdas.core.config import get_settings
    from kotacerdas.core.db import session_scope
    from kotacerdas.core.i18n import gettext
    from kotacerdas.roads.services.surveys import RoadSurvey, raw_folder, reprocess_survey, surveys_to_reprocess

    _prepare()
    done: list[dict] = []
    try:
        with session_scope() as session:
            target = accounts.get_city(session, city)
            ids = [s.id for s in surveys_to_reprocess(session, target, vehicle=vehicle, survey_id=survey, every=every)]
        raw = raw_folder(get_settings().data_dir, city)
        for sid in ids:
            with session_scope(write=True) as session:
                target = accounts.get_city(session, city)
                change = reprocess_survey(session, target, session.get(RoadSurvey, sid), raw)
                if change["status"] == "reprocessed":
                    accounts.audit(
                        session, target.id, None, "roads.survey.reprocess", str(sid), source="cli", survey=sid
                    )
                done.append(change)
    except KotacerdasError as exc:
        fail(exc, as_json)
    lines = []
    for c in done:
        if c["status"] != "reprocessed":
            lines.append(
                gettext("Survey {id} ({vehicle}): skipped, {reason}", lang()).format(
                    id=c["survey_id"],
                    vehicle=c["vehicle"],
                    reason=gettext(SKIP_REASONS.get(c["reason"], c["reason"]), lang()),
                )
            )
            continue
        b, a = c["before"], c["after"]
        lines.append(
            gettext(
                "Survey {id} ({vehicle}): calibrated {cb} -> {ca}; measured {mb} -> {ma} m; "
                "mean IRI {ib} -> {ia} m/km; {changed} of {segments} segments changed class",
                lang(),
            ).format(
                id=c["survey_id"],
                vehicle=c["vehicle"],
                cb=_yes(b["calibrated"]),
                ca=_yes(a["calibrated"]),
                mb=b["measured_m"],
                ma=a["measured_m"],
                ib=b["mean_iri"] if b["mean_iri"] is not None else "–",
                ia=a["mean_iri"] if a["mean_iri"] is not None else "–",
                changed=c["segments_changed_class"],
                segments=c["segments"],
            )
        )
    if not done:
        lines.append(gettext("No survey to reprocess", lang()))
    emit({"surveys": done}, as_json, "\n".join(lines))


SKIP_REASONS = {
    "no_raw_file": N_("its raw file was not kept (imported with --no-keep-raw)"),
    "raw_file_differs": N_("its kept raw file is not the recording it was imported from"),
}


def _yes(value: object) -> str:
    from kotacerdas.core.i18n import gettext

    return gettext("yes", lang()) if value else gettext("no", lang())


@survey_app.command("list")
def survey_list(city: str = typer.Option(..., "--city"), as_json: bool = typer.Option(False, "--json")) -> None:
    """List the surveys of a city."""
    from sqlalchemy import select

    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.roads.services.surveys import survey_json
    from kotacerdas.roads.store.tables import RoadSurvey, RoadVehicle

    _prepare()
    try:
        with session_scope() as session:
            target = accounts.get_city(session, city)
            codes = dict(session.execute(select(RoadVehicle.id, RoadVehicle.code)).all())
            rows = [
                survey_json(s, codes.get(s.vehicle_id, ""))
                for s in session.scalars(
                    select(RoadSurvey).where(RoadSurvey.city_id == target.id).order_by(RoadSurvey.started_at)
                )
            ]
    except KotacerdasError as exc:
        fail(exc, as_json)
    text = "\n".join(
        f"{r['id']:>5}  {r['started_at'][:16]}  {r['vehicle']:<16} {r['measured_m']:>9.0f} m"
        f"{'' if r['calibrated'] else '  *'}"
        for r in rows
    )
    emit(rows, as_json, text)


def _vehicle_city(session, vehicle: str, city: str | None):
    from sqlalchemy import select

    from kotacerdas.core import accounts
    from kotacerdas.core.models import City
    from kotacerdas.roads.store.tables import RoadVehicle

    if city:
        return accounts.get_city(session, city)
    owners = list(session.scalars(select(RoadVehicle.city_id).where(RoadVehicle.code == vehicle)))
    cities = list(session.scalars(select(City)))
    if len(owners) == 1:
        return session.get(City, owners[0])
    if len(cities) == 1:
        return cities[0]
    raise KotacerdasError(N_("say which city the vehicle belongs to (--city)"), field="city")


@vehicles_app.command("calibrate")
def vehicles_calibrate(
    path: list[Path] = typer.Argument(..., exists=True, help="the calibration drive(s) (any survey format)"),
    vehicle: str = typer.Option(..., "--vehicle", help="Vehicle id"),
    reference: list[Path] = typer.Option(
        ...,
        "--reference",
        exists=True,
        dir_okay=False,
        help="CSV from_m,to_m,iri_m_per_km, or a longitudinal profile (ERD or CSV); one per drive, in order",
    ),
    city: str = typer.Option(None, "--city", help="City code (needed when several cities exist)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Fit and store a vehicle's coefficients from a drive over a reference section of known IRI."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.core.i18n import gettext
    from kotacerdas.roads.services.vehicles import calibrate_vehicle

    _prepare()
    try:
        with session_scope() as session:
            target = _vehicle_city(session, vehicle, city)
            cal = calibrate_vehicle(session, target, vehicle, path, reference)
            out = cal.to_dict()
            accounts.audit(
                session,
                target.id,
                None,
                "roads.vehicle.calibrate",
                vehicle,
                source="cli",
                rmse=out["fit_rmse_m_per_km"],
                intervals=out["n_intervals"],
            )
    except KotacerdasError as exc:
        fail(exc, as_json)
    rmse = out["fit_rmse_m_per_km"]
    r2 = out.get("fit_r2")
    text = gettext("Vehicle {vehicle} calibrated on {n} intervals (RMSE {rmse} m/km, R² {r2})", lang()).format(
        vehicle=vehicle,
        n=out["n_intervals"],
        rmse=f"{rmse:.2f}" if rmse is not None else "–",
        r2=f"{r2:.3f}" if r2 is not None else "–",
    )
    for run in out.get("runs") or []:
        if run.get("used"):
            text += "\n" + gettext("  run {run}: {n} intervals, RMSE {rmse} m/km, R² {r2}", lang()).format(
                run=run["run"], n=run["intervals"], rmse=run.get("rmse_m_per_km"), r2=run.get("r2")
            )
        else:
            text += "\n" + gettext("  run {run}: left out, {reason}", lang()).format(
                run=run["run"], reason=gettext(RUN_REASONS.get(str(run.get("reason")), str(run.get("reason"))), lang())
            )
    emit(out, as_json, text)


RUN_REASONS = {
    "too_few_intervals": N_("too few measured intervals with a reference"),
    "does_not_follow_reference": N_("it does not follow its reference"),
}


@vehicles_app.command("camera")
def vehicles_camera(
    vehicle: str = typer.Argument(..., help="Vehicle id"),
    city: str = typer.Option(None, "--city", help="City code (needed when several cities exist)"),
    height: float = typer.Option(None, "--height", help="mount height above the road (m)"),
    pitch: float = typer.Option(None, "--pitch", help="tilt down from the horizontal (degrees)"),
    hfov: float = typer.Option(None, "--hfov", help="horizontal field of view (degrees)"),
    offset_right: float = typer.Option(None, "--offset-right", help="camera right of the centre line (m)"),
    max_range: float = typer.Option(None, "--max-range", help="farthest ground point trusted (m)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Show a vehicle's camera model (how its camera is mounted: what places its damages on the road), or change
    the settings given (the others stay; the API's ranges); captures imported after it use it; audited."""
    from kotacerdas.console import tr
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.roads.services.vehicles import city_vehicle, set_camera, vehicle_camera

    given = {
        k: v
        for k, v in (
            ("height_m", height),
            ("pitch_deg", pitch),
            ("hfov_deg", hfov),
            ("offset_right_m", offset_right),
            ("max_range_m", max_range),
        )
        if v is not None
    }
    _prepare()
    try:
        with session_scope(write=bool(given)) as session:
            target = _vehicle_city(session, vehicle, city)
            v = city_vehicle(session, target.id, vehicle)
            camera = set_camera(v, **given) if given else vehicle_camera(v)
            if given:
                accounts.audit(session, target.id, None, "roads.vehicle.camera", v.code, source="cli", **given)
    except KotacerdasError as exc:
        fail(exc, as_json)
    c = camera.to_dict()
    text = tr(
        N_(
            "Camera of {vehicle}: {height} m high, pitched {pitch}° down, {hfov}° wide, {offset} m right of the "
            "centre line, trusted to {range} m"
        ),
        vehicle=vehicle,
        height=number(c["height_m"], lang(), 2),
        pitch=number(c["pitch_deg"], lang(), 1),
        hfov=number(c["hfov_deg"], lang(), 1),
        offset=number(c["offset_right_m"], lang(), 2),
        range=number(c["max_range_m"], lang(), 1),
    )
    emit(c | {"vehicle": vehicle}, as_json, text)


@vehicles_app.command("list")
def vehicles_list(city: str = typer.Option(..., "--city"), as_json: bool = typer.Option(False, "--json")) -> None:
    """List a city's survey vehicles and whether they are calibrated."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.roads.services.vehicles import city_vehicles, vehicle_json

    _prepare()
    try:
        with session_scope() as session:
            target = accounts.get_city(session, city)
            rows = [vehicle_json(v) for v in city_vehicles(session, target.id)]
    except KotacerdasError as exc:
        fail(exc, as_json)
    emit(rows, as_json, "\n".join(f"{v['id']:<20} {'calibrated' if v['calibrated'] else 'default'}" for v in rows))


@cli.command("iri")
def exact_iri(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="longitudinal profile: ERD or CSV"),
    interval: float = typer.Option(100.0, "--interval", help="interval length (m)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Exact IRI (ASTM E1926) of a profile, per wheel track and per interval, in m/km and in/mi."""
    from kotacerdas.roads.iri import IN_PER_MI_PER_M_PER_KM, read_profile

    try:
        profile = read_profile(file)
        whole = profile.iri()
        per = profile.iri_intervals(interval)
    except KotacerdasError as exc:
        fail(exc, as_json)

    def num(v: float) -> float | None:
        return None if v != v else round(float(v), 4)

    tracks = {}
    for name, ints in per.items():
        tracks[name] = {
            "iri_m_per_km": num(whole[name]),
            "iri_in_per_mi": num(whole[name] * IN_PER_MI_PER_M_PER_KM),
            "intervals": [
                {
                    "from_m": round(float(a), 3),
                    "to_m": round(float(b), 3),
                    "iri_m_per_km": num(v),
                    "iri_in_per_mi": num(v * IN_PER_MI_PER_M_PER_KM),
                }
                for a, b, v in zip(ints.from_m, ints.to_m, ints.iri, strict=True)
            ],
        }
    out = {
        "file": file.name,
        "length_m": round(profile.length_m, 3),
        "dx_m": profile.dx,
        "interval_m": interval,
        "tracks": tracks,
    }
    lines = [f"{file.name}: {profile.length_m:.1f} m, dx {profile.dx:g} m"]
    for name, tr in tracks.items():
        lines.append(f"{name}: IRI {tr['iri_m_per_km']:.3f} m/km = {tr['iri_in_per_mi']:.1f} in/mi")
        for iv in tr["intervals"]:
            v = iv["iri_m_per_km"]
            lines.append(
                f"  {iv['from_m']:>9.1f} – {iv['to_m']:>9.1f} m  "
                + ("–" if v is None else f"{v:7.3f} m/km  {iv['iri_in_per_mi']:7.1f} in/mi")
            )
    emit(out, as_json, "\n".join(lines))


@cli.command("segments")
def segments(
    city: str = typer.Option(..., "--city"),
    fmt: str = typer.Option("geojson", "--format", help="geojson or csv"),
    out: Path = typer.Option(None, "--out", help="write to this file instead of the screen"),
    bbox: str = typer.Option(None, help="west,south,east,north"),
    road_class: str = typer.Option(None, "--class", help="baik,sedang,rusak_ringan,rusak_berat,none"),
) -> None:
    """Export the road segments with their condition (IRI, SDI, the combined class and what it rests on) as GeoJSON
    or CSV."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.core.geometry import BBox, feature_collection
    from kotacerdas.roads.store import damage, features

    _prepare()
    try:
        if fmt not in ("geojson", "csv"):
            raise KotacerdasError(N_("format must be geojson or csv"), field="format")
        with session_scope() as session:
            target = accounts.get_city(session, city)
            items = damage.segment_exports(
                session,
                target.id,
                target.code,
                bbox=BBox.parse(bbox) if bbox else None,
                classes=features.parse_classes(road_class),
            )
            if fmt == "csv":
                text = features.segments_csv(items)
            else:
                text = json.dumps(feature_collection([features.segment_feature(*i) for i in items]), ensure_ascii=False)
    except KotacerdasError as exc:
        fail(exc)
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"{out} ({len(items)})")
    else:
        typer.echo(text)


@cli.command("report")
def report(
    city: str = typer.Option(..., "--city"),
    out: Path = typer.Option(..., "--out", help="the .xlsx file to write"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Write the Excel report: length per class and jalan mantap per kecamatan and per road."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.roads.services.report import report_workbook
    from kotacerdas.roads.store.condition import city_totals

    _prepare()
    try:
        with session_scope() as session:
            target = accounts.get_city(session, city)
            data = report_workbook(session, target, lang())
            totals = city_totals(session, target.id).as_dict()
    except KotacerdasError as exc:
        fail(exc, as_json)
    out.write_bytes(data)
    share = totals["mantap_share"]
    emit(
        {"file": str(out), **totals},
        as_json,
        f"{out}: {totals['network_km']:.1f} km, mantap " + (f"{share * 100:.1f} %" if share is not None else "–"),
    )


@cli.command("summary")
def summary(city: str = typer.Option(..., "--city"), as_json: bool = typer.Option(False, "--json")) -> None:
    """Network, surveyed and measured length, and the jalan mantap share of a city."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.roads.store.condition import city_totals, surveyed_km

    _prepare()
    try:
        with session_scope() as session:
            target = accounts.get_city(session, city)
            out = {
                "city": target.code,
                **city_totals(session, target.id).as_dict(),
                "surveyed_km": round(surveyed_km(session, target.id), 3),
            }
    except KotacerdasError as exc:
        fail(exc, as_json)
    share = out["mantap_share"]
    emit(
        out,
        as_json,
        f"{out['city']}: {out['network_km']:.1f} km, {out['surveyed_km']:.1f} km surveyed, "
        f"mantap " + (f"{share * 100:.1f} %" if share is not None else "–"),
    )
