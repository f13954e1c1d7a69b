"""Every route commits its database work before the response leaves (no "done" for a rolled-back write)."""

from __future__ import annotations

from kotacerdas.http.deps import db_session, read_session
from kotacerdas.web.app import create_app


def _routes(routes):
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
        elif hasattr(route, "dependant"):
            yield route


def _session_scopes(dependant, out):
    for sub in dependant.dependencies:
        if sub.call in (db_session, read_session):
            out.append(sub.scope)
        _session_scopes(sub, out)
    return out


def test_database_sessions_end_before_the_response_is_sent(tmp_path, monkeypatch):
    monkeypatch.setenv("KOTACERDAS_DATA_DIR", str(tmp_path))
    from kotacerdas.core import config

    config.get_settings.cache_clear()
    app = create_app()
    config.get_settings.cache_clear()
    checked, wrong = 0, []
    for route in _routes(app.routes):
        for scope in _session_scopes(route.dependant, []):
            checked += 1
            if scope != "function":
                wrong.append(f"{sorted(route.methods)} {route.path}: scope={scope}")
    assert checked > 50
    assert not wrong, "\n".join(wrong)
