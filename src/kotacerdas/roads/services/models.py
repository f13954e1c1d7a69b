"""Installing a detection model from a path or a URL: the operator's explicit download (``file://``, ``https://``,
through the platform's one fetch with its checksum record), then :func:`kotacerdas.roads.models.install_model`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlparse

from kotacerdas.roads.models import ModelManifest, install_model, is_url


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
