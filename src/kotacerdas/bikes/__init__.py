"""Bike Sharing: docked bike-share operations, a payments ledger, GBFS feeds and rebalancing.

The domain describes itself to the platform in :data:`DOMAIN` (dotted names, imported only
when used); its public API is listed in ``__all__`` and loaded on first use.
"""

from kotacerdas.core.i18n import N_
from kotacerdas.core.registry import Domain, lazy_exports

DOMAIN = Domain(
    name="bikes",
    title=N_("Bike Sharing"),
    summary=N_("Docked bike share between destinations, with an open GBFS feed"),
    tables=("kotacerdas.bikes.store.tables",),
    api="kotacerdas.bikes.api:router",
    public="kotacerdas.bikes.api.gbfs:router",
    pages="kotacerdas.bikes.pages:router",
    cli="kotacerdas.bikes.cli:app",
    cli_help="Bike Sharing: systems, stations, trips, forecasts, rebalancing, GBFS feeds.",
    demo="kotacerdas.bikes.home:load_demo",
    home="kotacerdas.bikes.home:home_figures",
    home_link="/bikes",
)

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {},
)
