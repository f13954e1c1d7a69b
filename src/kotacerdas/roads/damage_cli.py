"""``kotacerdas roads models|eval|video|photos|damage ...``: the camera half of Road Manager on the command line.

* ``roads models install PATH_OR_URL --name NAME [--manifest FILE]`` verifies a model's checksums and output layout
  and stores it in the data dir; ``roads models list`` shows the installed ones;
* ``roads eval --images DIR --labels DIR --model NAME [--json] [--submission FILE]`` scores a model (challenge F1,
  per-class precision and recall, mAP@0.5);
* ``roads video import VIDEO... --vehicle ID --city CODE [--track FILE] [--offset S] [--start ISO8601] [--every M]``
  inspects videos (several on a process pool, or on Ray with ``--executor ray --address ...``); ``--start`` is when
  a video that does not say started; ``roads photos import`` photos;
* ``roads damage list`` and ``roads damage export --format csv|geojson|kml``; ``roads damage status ID STATUS
  [--note TEXT]`` moves a damage along the repair workflow (the API's rules; audited with the CLI as the actor).

Thin over :mod:`kotacerdas.roads.models`, :mod:`kotacerdas.roads.evaluation` and
:mod:`kotacerdas.roads.services.damage`; imports happen inside the commands, so ``--help`` loads no model runtime.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from kotacerdas.console import emit, fail, lang, prepare, tr
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_

models_app = typer.Typer(help="Damage detection models: install (checksums verified) and list.", no_args_is_help=True)
video_app = typer.Typer(help="Dashcam and phone videos: inspect them for road damage.", no_args_is_help=True)
photos_app = typer.Typer(help="Geotagged photos: inspect them for road damage.", no_args_is_help=True)
damage_app = typer.Typer(
    help="Road damage records: list, export, and move along the repair workflow.", no_args_is_help=True
)


REPLACE_HELP = (
    "import a file imported before with this model again, with the settings given: its earlier capture, its frames "
    "and sightings are replaced, damages only it found removed (unless an officer reviewed them)"
)


def _audit_replaced(city: str, results) -> None:
    """Record each replaced capture in the city's audit log, with the CLI as the actor."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope

    replaced = [r for r in results if r.replaced]
    if not replaced:
        return
    with session_scope(write=True) as session:
        target = accounts.get_city(session, city)
        for r in replaced:
            accounts.audit(
                session,
                target.id,
                None,
                "roads.capture.replace",
                r.filename,
                source="cli",
                capture=r.capture_id,
                replaced=r.replaced["capture_id"],
                model=r.model,
            )


def _data_dir() -> Path:
    from kotacerdas.core.config import get_settings

    return Path(get_settings().data_dir)


@models_app.command("install")
def models_install(
    source: str = typer.Argument(..., help="a model file or folder, or a file:// or https:// URL"),
    name: str = typer.Option(..., "--name", help="the name to install it under"),
    manifest: Path = typer.Option(None, "--manifest", exists=True, dir_okay=False, help="the model's manifest.json"),
    replace: bool = typer.Option(False, "--replace", help="replace an installed model of that name"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Install a detection model into the data dir after verifying its checksums and output layout."""
    from kotacerdas.roads.services.models import install

    try:
        m = install(source, name, _data_dir(), manifest_file=manifest, replace=replace)
    except KotacerdasError as exc:
        fail(exc, as_json)
    out = m.as_dict() | {"folder": m.folder}
    emit(
        out,
        as_json,
        tr(
            N_("Installed model {name} ({runtime}, {n} classes: {codes})"),
            name=m.name,
            runtime=m.runtime,
            n=len(m.classes),
            codes=", ".join(m.codes),
        ),
    )


@models_app.command("list")
def models_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """List the installed detection models."""
    from kotacerdas.roads.models import list_models

    rows = [m.as_dict() for m in list_models(_data_dir())]
    lines = []
    for r in rows:
        codes = ", ".join(sorted({c["code"] for c in r["classes"] if c["code"]}))
        lines.append(f"{r['name']:<28} {r['runtime']:<8} {r['input_size']:>5}  {r['purpose']:<7} {codes}")
    text = "\n".join(lines) or tr(N_("No model installed: kotacerdas roads models install PATH --name NAME"))
    emit(rows, as_json, text)


def eval_table(result: dict) -> str:
    """The evaluation as a text table."""
    lines = [
        f"F1 {result['f1']:.3f}   P {result['precision']:.3f}   R {result['recall']:.3f}   "
        f"mAP@0.5 {result['map50'] if result['map50'] is None else format(result['map50'], '.3f')}   "
        f"({result['images']} images)",
        f"{'':6}{'P':>8}{'R':>8}{'F1':>8}{'AP50':>8}{'TP':>5}{'FP':>5}{'FN':>5}",
    ]
    for code, c in result["per_class"].items():
        ap = "–" if c["ap50"] is None else f"{c['ap50']:.3f}"
        lines.append(
            f"{code:<6}{c['precision']:>8.3f}{c['recall']:>8.3f}{c['f1']:>8.3f}{ap:>8}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}"
        )
    return "\n".join(lines)


def eval_command(
    images: Path = typer.Option(..., "--images", exists=True, file_okay=False, help="folder of images"),
    labels: Path = typer.Option(..., "--labels", exists=True, file_okay=False, help="YOLO .txt or Pascal VOC .xml"),
    model: str = typer.Option(..., "--model", help="installed model name"),
    classes: str = typer.Option("D00,D10,D20,D40", "--classes", help="class order of the YOLO labels"),
    submission: Path = typer.Option(None, "--submission", help="also write the challenge submission CSV"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Score a model on a labelled set: challenge F1 (IoU ≥ 0.5, 5 boxes per image), per-class P/R, mAP@0.5."""
    from kotacerdas.roads.detection import load_detector
    from kotacerdas.roads.evaluation import evaluate_folder, submission_csv
    from kotacerdas.roads.models import get_model

    try:
        detector = load_detector(get_model(_data_dir(), model), threads=2)
        scored = evaluate_folder(detector, images, labels, [c.strip() for c in classes.split(",") if c.strip()])
    except KotacerdasError as exc:
        fail(exc, as_json)
    if submission is not None:
        submission.write_text(submission_csv(scored.predictions), encoding="utf-8")
    out = scored.evaluation.as_dict() | {"model": model}
    emit(out, as_json, eval_table(out))


def _zone(city: str) -> str | None:
    """The city's time zone, for the times the CLI prints."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope

    with session_scope() as session:
        return accounts.get_city(session, city).timezone


def _summary(out: dict, tz: str | None = None) -> str:
    from kotacerdas.roads.errors import stored_text

    if out.get("status") == "failed":
        reason = stored_text(out.get("error", ""), out.get("error_params"), lang())
        return f"{out['filename']}: " + tr(N_("failed: {reason}"), reason=reason)
    if out["already_imported"]:
        return _already(out, tz)
    lines = [
        "  "
        + tr(N_("frame {frame}"), frame=f["frame"])
        + (f" ({f['source']})" if f.get("source") else "")
        + ": "
        # a report stored before reasons were kept as message ids holds the text as "reason"
        + stored_text(f.get("message", f.get("reason", "")), f.get("params"), lang())
        for f in out.get("failed_frames", [])
    ]
    return "\n".join([_done(out), *lines])


def _already(out: dict, tz: str | None) -> str:
    """Which capture a file already is (when, with which settings) and how to import it again."""
    from kotacerdas.core import formats

    settings = (
        tr(
            N_("a frame every {every} m, offset {offset} s"),
            every=formats.number(out["every_m"], lang(), 1),
            offset=formats.number(out["offset_s"], lang(), 1),
        )
        if out["kind"] == "video"
        else tr(N_("photos"))
    )
    return tr(
        N_(
            "Already imported as capture {id} ({file}, {when}, model {model}, {settings}): nothing changed. To import "
            "it again with other settings, add --replace (the earlier capture and what only it found are replaced)"
        ),
        id=out["capture_id"],
        file=out["filename"],
        when=formats.datetime(out["imported_at"] or None, lang(), tz or formats.DEFAULT_TZ),
        model=out["model"],
        settings=settings,
    )


def _done(out: dict) -> str:
    replaced = out.get("replaced")
    if replaced:
        return (
            tr(
                N_(
                    "Capture {old} replaced: {removed} damages only it found removed, {refigured} re-figured from "
                    "other drives, {kept} reviewed by an officer kept"
                ),
                old=replaced["capture_id"],
                removed=replaced["removed"],
                refigured=replaced["refigured"],
                kept=replaced["kept"],
            )
            + "\n"
            + _captured(out)
        )
    return _captured(out)


def _captured(out: dict) -> str:
    return tr(
        N_(
            "Capture {id}: {frames} frames ({failed} failed), {new} new damages, {sightings} sightings, "
            "{missed} not seen again"
        ),
        id=out["capture_id"],
        frames=out["frames_done"],
        failed=out["frames_failed"],
        new=out["damages_new"],
        sightings=out["sightings"],
        missed=out["damages_not_seen_again"],
    )


@video_app.command("import")
def video_import(
    videos: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="MP4/MOV/MKV files"),
    vehicle: str = typer.Option(..., "--vehicle", help="vehicle id"),
    city: str = typer.Option(..., "--city", help="city code, e.g. 35.10"),
    track: Path = typer.Option(None, "--track", exists=True, help="GPS track (GPX, NMEA or a survey) of the video"),
    offset: float = typer.Option(0.0, "--offset", help="seconds added to the video's clock to match the track"),
    start: str = typer.Option(
        None,
        "--start",
        help="when the video started, ISO 8601 with its zone (2025-07-01T08:00:00+07:00), for a video that does "
        "not say (WhatsApp strips it); one video only",
    ),
    every: float = typer.Option(5.0, "--every", help="a frame every this many metres"),
    model: str = typer.Option(None, "--model", help="installed model (default: the only one)"),
    executor: str = typer.Option("process", "--executor", help="process (a local pool) or ray"),
    address: str = typer.Option(None, "--address", help="the Ray cluster's address"),
    workers: int = typer.Option(2, "--workers", help="processes of the local pool"),
    replace: bool = typer.Option(False, "--replace", help=REPLACE_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Inspect videos for road damage and store one record per damage (a rerun goes on where it stopped; a video
    imported before is left as it is unless --replace)."""
    from kotacerdas.console import engine
    from kotacerdas.roads.services import damage
    from kotacerdas.roads.services.captures_input import prepare_video, read_track
    from kotacerdas.roads.services.models import default_model
    from kotacerdas.roads.video import parse_start

    prepare()
    try:
        started = parse_start(start)
        if started is not None and len(videos) > 1:
            raise KotacerdasError(N_("--start is the start of one video: import the videos one by one"), field="start")
        manifest = default_model(_data_dir(), model)
        if len(videos) == 1 and executor != "ray":
            prepared = prepare_video(
                videos[0], read_track(track) if track else None, offset_s=offset, every_m=every, start=started
            )
            results = [
                damage.import_capture(
                    engine(), city, prepared, vehicle, manifest, data_dir=_data_dir(), threads=2, replace=replace
                )
            ]
        else:
            items = [damage.BatchItem(v, vehicle, track, offset, started) for v in videos]
            results = damage.import_captures(
                engine(),
                city,
                items,
                manifest,
                data_dir=_data_dir(),
                executor=executor,
                workers=workers,
                address=address,
                every_m=every,
                replace=replace,
            )
        _audit_replaced(city, results)
    except KotacerdasError as exc:
        fail(exc, as_json)
    rows = [r.as_dict() for r in results]
    tz = _zone(city) if any(r["already_imported"] for r in rows) else None
    emit(rows, as_json, "\n".join(_summary(r, tz) for r in rows))


@photos_app.command("import")
def photos_import(
    path: Path = typer.Argument(..., exists=True, help="a folder or zip of geotagged JPEGs, or one JPEG"),
    vehicle: str = typer.Option(..., "--vehicle", help="vehicle id"),
    city: str = typer.Option(..., "--city", help="city code, e.g. 35.10"),
    model: str = typer.Option(None, "--model", help="installed model (default: the only one)"),
    replace: bool = typer.Option(False, "--replace", help=REPLACE_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Inspect geotagged photos for road damage (photos without EXIF GPS are listed and left out; photos imported
    before are left as they are unless --replace)."""
    from kotacerdas.console import engine
    from kotacerdas.roads.services import damage
    from kotacerdas.roads.services.captures_input import prepare_photos
    from kotacerdas.roads.services.models import default_model

    prepare()
    try:
        manifest = default_model(_data_dir(), model)
        result = damage.import_capture(
            engine(), city, prepare_photos(path), vehicle, manifest, data_dir=_data_dir(), replace=replace
        )
        _audit_replaced(city, [result])
    except KotacerdasError as exc:
        fail(exc, as_json)
    from kotacerdas.roads.errors import stored_text

    out = result.as_dict()
    text = _summary(out, _zone(city) if out["already_imported"] else None)
    for item in out["refused"]:
        text += "\n  " + item["file"] + ": " + stored_text(item["message"], item["params"], lang())
    emit(out, as_json, text)


def _damages(city: str, code: str | None, status: str | None):
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.roads.store import damage as store

    with session_scope() as session:
        target = accounts.get_city(session, city)
        stmt = store.damages_query(
            session, target.id, codes=store.parse_codes(code), statuses=store.parse_statuses(status)
        )
        return target, [store.damage_feature(r, target.code, lang()) for r in session.execute(stmt)]


@damage_app.command("list")
def damage_list(
    city: str = typer.Option(..., "--city"),
    code: str = typer.Option(None, "--code", help="D00,D10,D20,D40 ..."),
    status: str = typer.Option(None, "--status", help="detected,confirmed,rejected,scheduled,repaired"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List a city's damage records."""
    prepare()
    try:
        _city, items = _damages(city, code, status)
    except KotacerdasError as exc:
        fail(exc, as_json)
    rows = [
        f["properties"] | {"lon": f["geometry"]["coordinates"][0], "lat": f["geometry"]["coordinates"][1]}
        for f in items
    ]
    demo = tr(N_("demo"))
    text = "\n".join(
        f"{r['id']:>6}  {r['code']}  {r['status_label']:<16} {r['confidence']:.2f}  {r['area_m2']:>6.2f} m²  "
        f"{r['sightings']:>3}x  {r['last_seen'][:10]}{'  ' + demo if r['demo'] else ''}"
        for r in rows
    )
    emit(rows, as_json, text)


@damage_app.command("export")
def damage_export(
    city: str = typer.Option(..., "--city"),
    fmt: str = typer.Option("geojson", "--format", help="csv, geojson or kml"),
    out: Path = typer.Option(None, "--out", help="write to this file instead of the screen"),
    code: str = typer.Option(None, "--code"),
    status: str = typer.Option(None, "--status"),
) -> None:
    """Export a city's damage records as CSV, GeoJSON or KML."""
    from kotacerdas.core.geometry import feature_collection
    from kotacerdas.core.i18n import gettext
    from kotacerdas.roads.store import damage as store

    prepare()
    try:
        if fmt not in ("csv", "geojson", "kml"):
            raise KotacerdasError(N_("format must be csv, geojson or kml"), field="format")
        target, items = _damages(city, code, status)
    except KotacerdasError as exc:
        fail(exc)
    if fmt == "csv":
        text = store.damages_csv(items)
    elif fmt == "kml":
        text = store.damages_kml(items, gettext("Road damage", lang()) + f" · {target.name}")
    else:
        text = json.dumps(feature_collection(items), ensure_ascii=False)
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"{out} ({len(items)})")
    else:
        typer.echo(text)


@damage_app.command("status")
def damage_status(
    damage_id: int = typer.Argument(..., help="the damage record's id (roads damage list)"),
    status: str = typer.Argument(..., help="confirmed, rejected, scheduled, repaired or detected"),
    note: str = typer.Option("", "--note", help="why, kept in the damage's history"),
    city: str = typer.Option(None, "--city", help="the damage's city (checked when given)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Move a damage along the repair workflow (detected -> confirmed or rejected -> scheduled -> repaired), by the
    same rules as the API; kept in its history and audited, with the command line as the actor."""
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.roads.damage import STATUS_LABELS
    from kotacerdas.roads.services.repairs import set_status
    from kotacerdas.roads.store import damage as store

    prepare()
    try:
        with session_scope(write=True) as session:
            if city:
                target = accounts.get_city(session, city)
                d, code = store.city_damage(session, target.id, damage_id), target.code
            else:
                d, code = store.damage_of(session, damage_id)
            previous = d.status
            set_status(session, d, status.strip().lower(), user_id=None, note=note)
            accounts.audit(session, d.city_id, None, "roads.damage.status", str(d.id), status=d.status, source="cli")
            out = store.damage_properties(d, code, None, lang()) | {
                "previous": previous,
                "history": store.status_history(session, d.id, private=True),
            }
    except KotacerdasError as exc:
        fail(exc, as_json)
    text = tr(
        N_("Damage {id} ({code}): {previous} -> {status}"),
        id=out["id"],
        code=out["code"],
        previous=tr(STATUS_LABELS[previous]),
        status=tr(STATUS_LABELS[out["status"]]),
    )
    emit(out, as_json, text)
