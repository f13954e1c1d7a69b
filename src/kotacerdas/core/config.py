"""Settings: environment variables over an optional TOML file over defaults that need nothing.

Environment variables (all optional):

``KOTACERDAS_DATABASE_URL``
    SQLAlchemy URL. Default: an embedded SQLite file in the data directory.
    ``postgresql+psycopg://user@host/db`` selects PostgreSQL + PostGIS.
``KOTACERDAS_DATA_DIR``
    Where the SQLite database, uploads and the download cache live (default ``./var``).
``KOTACERDAS_SECRET_KEY``
    Signs web sessions. Default: a random key kept in ``<data dir>/secret_key``.
``KOTACERDAS_BASE_URL``
    The public address of this server (``https://kota.example.id``): used for the links it
    writes into feeds and documents. Default: none (links from the request's own address, and only
    when its host is one of ``KOTACERDAS_TRUSTED_HOSTS``).
``KOTACERDAS_TRUSTED_HOSTS``
    Host names (comma-separated) whose ``Host`` header may be written into links when no base URL
    is set. Default ``localhost,127.0.0.1,::1``.
``KOTACERDAS_TILE_URL`` / ``KOTACERDAS_TILE_ATTRIBUTION``
    Base-map tiles for the web map (OpenStreetMap by default).
``KOTACERDAS_MAX_UPLOAD_MB``
    Largest accepted upload (default 50).
``KOTACERDAS_JOBS_URL``
    The task queue of background jobs: empty (default) for an SQLite queue in the data
    directory, ``redis://host:6379/0`` for Redis (several servers and workers), ``memory`` for
    an in-process queue, ``immediate`` to run each job at once in the submitting thread (tests).
``KOTACERDAS_JOBS_WORKER``
    ``inline`` (default): the web server starts a worker of its own (a ``kotacerdas worker``
    process with the server's settings, stopped with it), so ``kotacerdas serve`` needs nothing
    else; ``inline-thread``: jobs run in threads of the server itself; ``external``: jobs wait for
    ``kotacerdas worker`` processes started elsewhere.
``KOTACERDAS_JOBS_THREADS``
    Jobs an inline worker runs at once (default 1).
``KOTACERDAS_PAYMENTS_SANDBOX``
    ``1`` to turn on the sandbox payment provider (top-ups paid by a pretend bank, for the demo
    and tests). Off by default: a production server never credits money that no bank moved.
``KOTACERDAS_CONFIG``
    A TOML file with the same keys in lower case, without the prefix.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_

PREFIX = "KOTACERDAS_"


@dataclass(frozen=True)
class Settings:
    """The platform's settings, resolved once per process (see :func:`get_settings`)."""

    data_dir: Path = Path("var")
    database_url: str = ""
    secret_key: str = ""
    base_url: str = ""
    trusted_hosts: str = "localhost,127.0.0.1,::1"
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_attribution: str = "&copy; OpenStreetMap contributors"
    max_upload_mb: float = 50.0
    default_language: str = "id"
    jobs_url: str = ""
    jobs_worker: str = "inline"
    jobs_threads: int = 1
    payments_sandbox: bool = False

    @property
    def sqlite_path(self) -> Path:
        """The embedded database file used when no database URL is set."""
        return self.data_dir / "kotacerdas.sqlite3"

    @property
    def cache_dir(self) -> Path:
        """Downloaded open data (OSM extracts, boundaries) with their checksums."""
        return self.data_dir / "cache"

    @property
    def jobs_dir(self) -> Path:
        """Files handed to background jobs (uploads waiting to be processed)."""
        return self.data_dir / "jobs"

    @property
    def trusted_host_names(self) -> frozenset[str]:
        """The hosts of :attr:`trusted_hosts`, lower case, without brackets."""
        return frozenset(h.strip().strip("[]").lower() for h in self.trusted_hosts.split(",") if h.strip())

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)


def _coerce(name: str, raw: object) -> object:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind in ("bool", bool):
            return _boolean(name, raw)
        if kind in ("Path", Path):
            return Path(str(raw)).expanduser()
        if kind in ("float", float):
            return float(raw)  # type: ignore[arg-type]
        if kind in ("int", int):
            return int(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise KotacerdasError(
            N_("Setting {name} has an invalid value: {value}"), field=name, name=name, value=raw
        ) from exc
    return str(raw)


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _boolean(name: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise KotacerdasError(N_("Setting {name} has an invalid value: {value}"), field=name, name=name, value=raw)


def as_environ(settings: Settings) -> dict[str, str]:
    """``settings`` as the ``KOTACERDAS_*`` environment that :func:`load_settings` reads back (for a child process,
    such as the server's job worker, that must run with the same settings)."""
    out = {}
    for f in fields(Settings):
        value = getattr(settings, f.name)
        out[PREFIX + f.name.upper()] = ("1" if value else "0") if isinstance(value, bool) else str(value)
    return out


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Resolve settings from ``environ`` (default ``os.environ``) and the optional TOML file."""
    env = dict(os.environ if environ is None else environ)
    values: dict[str, object] = {}
    config_file = env.get(PREFIX + "CONFIG")
    if config_file:
        path = Path(config_file)
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise KotacerdasError(
                N_("Cannot read the configuration file {path}: {reason}"), path=str(path), reason=str(exc)
            ) from exc
        names = {f.name for f in fields(Settings)}
        for key, value in data.items():
            if key not in names:
                raise KotacerdasError(N_("Unknown setting {name} in {path}"), field=key, name=key, path=str(path))
            values[key] = _coerce(key, value)
    for f in fields(Settings):
        raw = env.get(PREFIX + f.name.upper())
        if raw not in (None, ""):
            values[f.name] = _coerce(f.name, raw)
    settings = Settings(**values)  # type: ignore[arg-type]
    if not settings.database_url:
        settings = _replace(settings, database_url=f"sqlite:///{settings.sqlite_path}")
    if not settings.secret_key:
        settings = _replace(settings, secret_key=_stored_secret(settings.data_dir))
    return settings


def _replace(settings: Settings, **changes: object) -> Settings:
    from dataclasses import replace

    return replace(settings, **changes)


def _stored_secret(data_dir: Path) -> str:
    """A random secret kept in the data directory, so sessions survive restarts."""
    path = data_dir / "secret_key"
    try:
        if path.exists():
            return path.read_text().strip()
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key
    except OSError:
        return secrets.token_urlsafe(48)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cleared in tests with ``get_settings.cache_clear()``)."""
    return load_settings()
