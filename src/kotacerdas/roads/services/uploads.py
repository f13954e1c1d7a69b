"""What a patrol uploads for the camera half: a video (with a track), photos, or a survey package carrying them,
imported as captures (:func:`kotacerdas.roads.services.damage.import_capture`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.roads.services.captures_input import prepare_photos, prepare_video, read_track
from kotacerdas.roads.services.damage import CaptureResult, content_sha256, import_capture
from kotacerdas.roads.services.models import default_model
from kotacerdas.roads.streams import Track
from kotacerdas.roads.video import EVERY_M


def _package_track(
    engine: Engine, city_code: str, path: Path, vehicle: str, user_id: int | None, data_dir
) -> tuple[Track, int]:
    """Import a survey package's streams as a survey (roughness, in its own transaction); its track and id."""
    from kotacerdas.roads.formats.survey import import_survey
    from kotacerdas.roads.services.surveys import import_survey_file, raw_folder

    with session_scope(engine, write=True) as s:
        city = accounts.get_city(s, city_code)
        result = import_survey_file(s, city, path, vehicle, user_id=user_id, raw_dir=raw_folder(data_dir, city.code))
        survey_id = result.survey_id
    return import_survey(path).streams.track, survey_id


def import_upload(
    engine: Engine,
    data_dir: str | Path,
    *,
    city: str,
    vehicle: str,
    path: str | Path,
    filename: str = "",
    sha256: str = "",
    model: str | None = None,
    track: str | Path | None = None,
    offset_s: float = 0.0,
    every_m: float = EVERY_M,
    start: float | None = None,
    user_id: int | None = None,
    progress: Callable[[float, str], None] | None = None,
    replace: bool = False,
) -> list[CaptureResult]:
    """Import what a patrol uploaded: a video (with ``track``, or GPS of its own; ``start`` when it does not say
    when it was recorded), geotagged photos (a zip, a folder, a JPEG), or a survey package with its streams and
    media (the streams imported as a survey, the media inspected against its track, placed by the package). One
    result per video or photo set. ``replace``: each video or photo set imported before with this model replaces
    its earlier capture (:func:`import_capture`); a package's survey is imported as surveys are."""
    import tempfile

    from kotacerdas.roads.formats.media import extract_media, media_entries
    from kotacerdas.roads.formats.reading import Source
    from kotacerdas.roads.video import is_video

    path = Path(path)
    manifest = default_model(data_dir, model)
    name = filename or path.name
    common: dict[str, Any] = dict(data_dir=data_dir, user_id=user_id, progress=progress, threads=2, replace=replace)
    if is_video(path):
        prepared = prepare_video(
            path, read_track(track) if track else None, offset_s=offset_s, every_m=every_m, start=start
        )
        return [
            import_capture(engine, city, prepared, vehicle, manifest, sha256=sha256 or None, filename=name, **common)
        ]
    source = Source(path)
    try:
        has_media = bool(media_entries(source))
    finally:
        source.close()
    if not has_media:
        prepared = prepare_photos(path)
        return [
            import_capture(engine, city, prepared, vehicle, manifest, sha256=sha256 or None, filename=name, **common)
        ]
    track_of, survey_id = _package_track(engine, city, path, vehicle, user_id, data_dir)
    out = []
    with tempfile.TemporaryDirectory(prefix="kc-media-") as tmp:
        for media in extract_media(path, Path(tmp)):
            if media.kind == "video":
                prepared = prepare_video(media.path, track_of, offset_s=offset_s + media.offset_s, every_m=every_m)
            else:
                prepared = prepare_photos(media.path)
            digest = content_sha256(media.path)
            out.append(
                import_capture(
                    engine,
                    city,
                    prepared,
                    vehicle,
                    manifest,
                    sha256=digest,
                    filename=f"{name}:{media.path.name}",
                    survey_id=survey_id,
                    **common,
                )
            )
    return out
