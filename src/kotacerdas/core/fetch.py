"""Download the open data a city needs into a cache, with checksums.

Sources: an OpenStreetMap extract of a bounding box (the Overpass API, OSM XML)
and administrative boundaries (HDX Indonesia subnational boundaries, GeoJSON).
Each download lands in ``<data dir>/cache/<source>/`` beside a ``.sha256`` file,
and ``manifest.json`` records URL, size, checksum and time. A cached file whose
checksum still matches is not downloaded again. ``file://`` URLs are read
locally, which is how the tests run this without a network.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote, urlparse

from kotacerdas.core.db import utcnow
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.geometry import BBox
from kotacerdas.core.i18n import N_

OVERPASS_URL = "https://overpass-api.de/api/interpreter"
HDX_ADMIN_URL = "https://data.humdata.org/dataset/cod-ab-idn/resource/download/idn_adm_bps_20200401_shp.zip"


class FetchError(KotacerdasError):
    """A download that failed or did not match its checksum."""


@dataclass
class Fetched:
    source: str
    url: str
    path: str
    sha256: str
    size: int
    cached: bool
    fetched_at: str


def overpass_url(bbox: BBox, base: str = OVERPASS_URL) -> str:
    """The Overpass query URL for every highway way (with its nodes) in ``bbox``, as OSM XML."""
    box = f"{bbox.min_lat},{bbox.min_lon},{bbox.max_lat},{bbox.max_lon}"
    query = f'[out:xml][timeout:180];(way["highway"]({box}););(._;>;);out body;'
    return f"{base}?data={quote(query)}"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(
    url: str,
    cache_dir: Path,
    source: str,
    filename: str,
    *,
    expected_sha256: str | None = None,
    refresh: bool = False,
    timeout: float = 300.0,
) -> Fetched:
    """Download ``url`` to ``cache_dir/source/filename`` unless a verified copy is cached."""
    folder = cache_dir / source
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / filename
    sidecar = target.with_name(target.name + ".sha256")
    if target.exists() and sidecar.exists() and not refresh:
        digest = sha256_of(target)
        if digest == sidecar.read_text().split()[0] and (expected_sha256 in (None, digest)):
            return _record(
                folder, Fetched(source, url, str(target), digest, target.stat().st_size, True, utcnow().isoformat())
            )
    partial = target.with_name(target.name + ".part")
    try:
        parsed = urlparse(url)
        if parsed.scheme == "file":
            shutil.copyfile(Path(parsed.path), partial)
        elif parsed.scheme in ("http", "https"):
            import httpx

            from kotacerdas.core.progress import progress

            with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
                response.raise_for_status()
                total = int(response.headers.get("content-length") or 0) or None
                with partial.open("wb") as fh:
                    label = f"{source}: {total or '?'} B"
                    for chunk in progress(response.iter_bytes(1 << 16), total=None, label=label):
                        fh.write(chunk)
        else:
            raise FetchError(N_("Unsupported URL scheme: {url}"), field="url", url=url)
    except FetchError:
        raise
    except Exception as exc:
        partial.unlink(missing_ok=True)
        raise FetchError(N_("Download of {url} failed: {reason}"), field="url", url=url, reason=str(exc)) from exc
    digest = sha256_of(partial)
    if expected_sha256 and digest != expected_sha256:
        partial.unlink(missing_ok=True)
        raise FetchError(
            N_("Checksum mismatch for {url}: expected {expected}, got {actual}"),
            url=url,
            expected=expected_sha256,
            actual=digest,
        )
    partial.replace(target)
    sidecar.write_text(f"{digest}  {target.name}\n")
    size = target.stat().st_size
    return _record(folder, Fetched(source, url, str(target), digest, size, False, utcnow().isoformat()))


def _record(folder: Path, item: Fetched) -> Fetched:
    manifest = folder / "manifest.json"
    entries = json.loads(manifest.read_text()) if manifest.exists() else {}
    entries[Path(item.path).name] = asdict(item)
    manifest.write_text(json.dumps(entries, indent=2, sort_keys=True))
    return item
