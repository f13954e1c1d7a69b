"""Settings: defaults that need nothing, environment over TOML, clear errors."""

from __future__ import annotations

import pytest

from kotacerdas.core.config import load_settings
from kotacerdas.core.errors import KotacerdasError


def test_defaults_need_nothing(tmp_path):
    s = load_settings({"KOTACERDAS_DATA_DIR": str(tmp_path)})
    assert s.database_url == f"sqlite:///{tmp_path / 'kotacerdas.sqlite3'}"
    assert len(s.secret_key) > 30 and s.secret_key == load_settings({"KOTACERDAS_DATA_DIR": str(tmp_path)}).secret_key
    assert "openstreetmap" in s.tile_url


def test_environment_wins_over_toml(tmp_path):
    toml = tmp_path / "kc.toml"
    toml.write_text('database_url = "sqlite:///from-toml.db"\ntile_url = "http://tiles.local/{z}/{x}/{y}.png"\n')
    s = load_settings(
        {
            "KOTACERDAS_CONFIG": str(toml),
            "KOTACERDAS_DATABASE_URL": "sqlite:///from-env.db",
            "KOTACERDAS_DATA_DIR": str(tmp_path),
        }
    )
    assert s.database_url == "sqlite:///from-env.db" and s.tile_url.startswith("http://tiles.local")


def test_bad_settings_are_named(tmp_path):
    toml = tmp_path / "kc.toml"
    toml.write_text("colour = 'blue'\n")
    with pytest.raises(KotacerdasError, match="Unknown setting colour"):
        load_settings({"KOTACERDAS_CONFIG": str(toml)})
    with pytest.raises(KotacerdasError, match="max_upload_mb"):
        load_settings({"KOTACERDAS_MAX_UPLOAD_MB": "lots", "KOTACERDAS_DATA_DIR": str(tmp_path)})
