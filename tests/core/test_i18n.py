"""Language negotiation and the gettext catalogues."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kotacerdas.core.i18n import gettext, negotiate, normalise_language


def test_negotiation():
    assert negotiate(None) == "id"
    assert negotiate("en-US,en;q=0.9") == "en"
    assert negotiate("fr-FR, en;q=0.3, id;q=0.8") == "id"
    assert negotiate("de") == "id"
    assert normalise_language("EN_us") == "en" and normalise_language("in") == "id"


def test_translation_both_ways():
    assert gettext("Sign in", "id") == "Masuk"
    assert gettext("Sign in", "en") == "Sign in"
    assert gettext("A message nobody translated", "id") == "A message nobody translated"


def test_every_message_in_the_code_has_an_indonesian_translation():
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run([sys.executable, str(root / "scripts" / "po_tool.py"), "check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
