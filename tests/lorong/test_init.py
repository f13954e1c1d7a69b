"""The domain's public API (listed in its ``__init__``) and its registration with the platform."""

import subprocess
import sys

import kotacerdas.lorong as lorong


def test_public_api_is_pinned():
    assert lorong.__all__ == [
        "COMMODITIES",
        "IndicatorRule",
        "LORONG_WISATA",
        "Ledger",
        "LorongError",
        "MATERIALS",
        "PROGRAMMES",
        "Period",
        "SMART_KAMPUNG",
        "ScoringRules",
        "price_index",
        "qr_png",
        "qr_svg",
        "rank",
        "rises",
        "score_unit",
    ]
    for name in lorong.__all__:
        assert getattr(lorong, name) is not None


def test_the_domain_registers_everything_by_name():
    d = lorong.DOMAIN
    assert d.tables == ("kotacerdas.lorong.store.tables",)
    for part in ("api", "pages", "cli", "demo", "home"):
        assert d.load(part) is not None, part
    assert d.home_link == "/lorong" and d.cli_help


def test_importing_the_domain_loads_no_web_framework():
    code = (
        "import sys, kotacerdas.lorong as l; l.DOMAIN; "
        "print(any(m in sys.modules for m in ('fastapi', 'typer', 'sqlalchemy.orm')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
