"""Every Bike Sharing message has a Bahasa Indonesia translation with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import kotacerdas.bikes as bikes_pkg
from kotacerdas.bikes.errors import BikesError
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, catalogue

SRC = Path(bikes_pkg.__file__).parent


def _messages() -> set[str]:
    found = set()
    for path in SRC.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
                found.add(node.args[0].value)
    return found


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_is_translated_with_same_placeholders():
    messages = _messages()
    assert len(messages) > 40
    cat = catalogue("id")
    missing = sorted(m for m in messages if m not in cat)
    assert missing == []
    for m in messages:
        assert _fields(cat[m]) == _fields(m), m


def test_bikes_error_is_a_platform_error():
    err = BikesError(N_("unknown station {station}"), field="station_id", status=404, station="x")
    assert isinstance(err, KotacerdasError) and err.status == 404 and err.field == "station_id"
    assert err.render("id") == "stasiun x tidak dikenal"
    assert err.render("en") == "unknown station x"
