"""ASCN network: the ASEAN Smart Cities Network's registry (member cities, projects, partners, partnerships,
programmes), its knowledge base of good practices with full-text and semantic search, its matchmaker and its
monitoring-and-evaluation reports.

The domain describes itself to the platform in :data:`DOMAIN` (dotted names, imported only
when used); its public API is listed in ``__all__`` and loaded on first use.
"""

from kotacerdas.core.i18n import N_
from kotacerdas.core.registry import Domain, lazy_exports

DOMAIN = Domain(
    name="ascn",
    title=N_("ASCN network"),
    summary=N_("ASEAN Smart Cities Network: projects, partners and good practices"),
    tables=("kotacerdas.ascn.store.tables",),
)
