"""A city's own systems give its projects live indicators through the registry, without imports between domains."""

from kotacerdas.ascn.services import registry
from kotacerdas.ascn.services.live import live_figures
from kotacerdas.core.db import session_scope


def test_smart_kampung_shows_road_manager_figures_of_banyuwangi(network_db):
    from kotacerdas.ascn.demo import load_demo

    with session_scope(network_db) as s:
        load_demo(s)
        banyuwangi = registry.get_city(s, "banyuwangi")
        live = {x["system"]: x for x in live_figures(s, banyuwangi, ["roads", "bikes"])}
        assert live["roads"]["link"] == "/roads?city=35.10"
        assert dict(live["roads"]["figures"])["Road network"].endswith("km")
        # a member city that runs no kotacerdas here has no live figures, never invented ones
        assert live_figures(s, registry.get_city(s, "hanoi"), ["roads", "bikes"]) == []
