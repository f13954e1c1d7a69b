"""The command line loads lazily: ``kotacerdas --help`` imports no web framework and no domain; a domain's group
loads only when it is used."""

from __future__ import annotations

import json
import os
import subprocess
import sys

#: Packages that ``kotacerdas --help`` must not load (web framework, database, numerics, model runtimes, queue).
HEAVY = {
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "numpy",
    "scipy",
    "shapely",
    "onnxruntime",
    "cv2",
    "ortools",
    "huey",
    "jinja2",
}


def _loaded(code: str) -> set[str]:
    out = (
        subprocess.run(
            [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "KOTACERDAS_PROGRESS": "0"},
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    return set(json.loads(out))


def test_help_imports_no_web_framework_and_no_domain():
    mods = _loaded(
        "import sys\nfrom kotacerdas.cli import app\ntry:\n    app(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert not {m.split(".")[0] for m in mods} & HEAVY
    assert not any(m.startswith(("kotacerdas.roads.", "kotacerdas.bikes.", "kotacerdas.web")) for m in mods)


def test_help_lists_every_domain_group_without_loading_it():
    r = subprocess.run([sys.executable, "-m", "kotacerdas", "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    from kotacerdas.core.registry import domains

    for d in domains():
        if d.cli:
            assert d.name in r.stdout


def test_a_domain_group_loads_when_asked():
    r = subprocess.run([sys.executable, "-m", "kotacerdas", "roads", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "survey" in r.stdout


def test_import_tables_loads_no_web_framework():
    mods = _loaded("import kotacerdas.tables")
    assert not {m for m in mods if m.split(".")[0] in ("fastapi", "starlette", "typer", "uvicorn", "jinja2")}
    assert "kotacerdas.roads.store.tables" in mods and "kotacerdas.network.tables" in mods
