"""Survey files of any format: an unknown input refused, errors translated, every reader's message translated."""

from __future__ import annotations

from pathlib import Path

import pytest

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.survey import import_survey, read_survey, write_survey_package

from .drives import make_drive


def test_unknown_input_refused(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("nothing here")
    with pytest.raises(RoadsError, match="not a survey format"):
        read_survey(p)
    with pytest.raises(RoadsError, match="does not exist"):
        read_survey(tmp_path / "nope.zip")


def test_error_message_translates(tmp_path):
    drive = make_drive(hz=20.0)
    with pytest.raises(RoadsError) as err:
        import_survey(write_survey_package(drive, tmp_path / "slow.zip"))
    text = err.value.render("id")
    assert "Hz" in text and text != err.value.render("en")


def test_every_message_has_an_indonesian_translation():
    import ast
    import re

    from kotacerdas.core.i18n import catalogue

    cat = catalogue("id")
    src = Path(__file__).resolve().parents[3] / "src" / "kotacerdas" / "roads"
    files = sorted((src / "formats").glob("*.py")) + [src / "map_matching.py"]
    assert len(files) > 6
    for f in files:
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
                msg = node.args[0].value
                assert msg in cat, f"{f.name}: {msg}"
                assert set(re.findall(r"\{(\w+)\}", msg)) == set(re.findall(r"\{(\w+)\}", cat[msg]))
