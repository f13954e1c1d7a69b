"""Road Manager: road roughness (IRI) from patrol-vehicle phones, mapped onto the road network and graded by
Bina Marga's classes.

The domain describes itself to the platform in :data:`DOMAIN` (dotted names, imported only
when used); its public API is listed in ``__all__`` and loaded on first use.
"""

from kotacerdas.core.i18n import N_
from kotacerdas.core.registry import Domain, lazy_exports

DOMAIN = Domain(
    name="roads",
    title=N_("Road Manager"),
    summary=N_("Road roughness, damage and repairs from patrol-vehicle smartphones"),
    tables=("kotacerdas.roads.store.tables",),
    api="kotacerdas.roads.api:router",
    pages="kotacerdas.roads.pages:router",
    cli="kotacerdas.roads.cli:cli",
    cli_help="Road Manager: road network, surveys, vehicles, roughness (IRI) and condition reports.",
    demo="kotacerdas.roads.demo:load_demo",
    home="kotacerdas.roads.home:home_figures",
    home_link="/roads",
)

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {},
)
