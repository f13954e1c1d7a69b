"""The detection models of a data dir in use: installing one from a path or a URL (the operator's explicit download,
``file://`` or ``https://``, through the platform's one fetch with its checksum record, then
:func:`kotacerdas.roads.models.install_model`), the damage model an import uses, the plate model, the map's codes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy.orm import Session

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.models import ModelManifest, install_model, is_url
from kotacerdas.roads.store import damage as store


def install(
    source: str | Path, name: str, data_dir: str | Path, *, manifest_file: Path | None = None, replace: bool = False
) -> ModelManifest:
    """Install the model at ``source`` (a file, a folder, or a URL fetched first) as ``name``."""
    if not is_url(source):
        return install_model(source, name, data_dir, manifest_file=manifest_file, replace_existing=replace)
    from kotacerdas.core.fetch import fetch

    with tempfile.TemporaryDirectory(prefix="kc-model-") as tmp:
        filename = Path(urlparse(str(source)).path).name or "model"
        got = fetch(str(source), Path(tmp), "models", filename)
        return install_model(Path(got.path), name, data_dir, manifest_file=manifest_file, replace_existing=replace)


def default_model(data_dir: str | Path, name: str | None = None) -> ModelManifest:
    """The model ``name``, or the only installed damage model when none is named.

    Raises
    ------
    RoadsError
        No model installed, several and none named, or the one named not installed (or its checksum wrong).
    """
    from kotacerdas.roads.models import get_model, list_models

    if name:
        return get_model(data_dir, name)
    damage_models = [m for m in list_models(data_dir) if m.purpose == "damage"]
    if len(damage_models) == 1:
        return get_model(data_dir, damage_models[0].name)
    if not damage_models:
        raise RoadsError(
            N_("no damage detection model is installed: kotacerdas roads models install PATH --name NAME"),
            field="model",
        )
    raise RoadsError(
        N_("several models are installed: say which one (model: {known})"),
        field="model",
        known=", ".join(m.name for m in damage_models),
    )


def map_codes(session: Session, city_id: int | None, data_dir: str | Path) -> list[str]:
    """The damage codes a city's map filters by: those of its damage records and those the installed damage models
    can find (the four common codes when there is neither), in order."""
    from kotacerdas.roads.models import list_models

    codes = set(store.city_codes(session, city_id)) if city_id is not None else set()
    for m in list_models(data_dir):
        if m.purpose == "damage":
            codes.update(m.codes)
    return sorted(codes or {"D00", "D10", "D20", "D40"})


def plate_model(data_dir: str | Path) -> ModelManifest | None:
    """An installed licence-plate detector (``purpose: plate``), if any."""
    from kotacerdas.roads.models import get_model, list_models

    plates = [m for m in list_models(data_dir) if m.purpose == "plate"]
    return get_model(data_dir, plates[0].name) if plates else None
