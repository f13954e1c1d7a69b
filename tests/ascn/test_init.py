"""The ASCN domain's public API is pinned, and its description names every part it plugs in."""

import kotacerdas.ascn as ascn
from kotacerdas.core.registry import domain


def test_public_api_is_pinned():
    assert ascn.__all__ == [
        "AscnError",
        "DEFAULT_MODEL",
        "FOCUS_AREAS",
        "MEMBER_CITIES",
        "PARTNERSHIP_TYPES",
        "PROJECT_STATUSES",
        "embedder",
        "live_figures",
        "load_demo",
        "rank_partners",
        "refresh_embeddings",
        "search",
        "side_by_side",
    ]
    for name in ascn.__all__:
        assert getattr(ascn, name) is not None


def test_domain_names_every_part_and_each_loads():
    d = domain("ascn")
    for part in ("api", "pages", "cli", "demo", "home"):
        assert d.load(part) is not None, part
    assert d.tables == ("kotacerdas.ascn.store.tables",)
