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
    api="kotacerdas.ascn.api:router",
    pages="kotacerdas.ascn.pages:router",
    cli="kotacerdas.ascn.cli:app",
    cli_help="ASCN network: member cities, projects, partners, knowledge-base search, matchmaking, imports, reports.",
    demo="kotacerdas.ascn.demo:load_demo",
    home="kotacerdas.ascn.home:home_figures",
    home_link="/ascn",
    jobs=("kotacerdas.ascn.jobs",),
    uploads="kotacerdas.ascn.services.documents:kept_uploads",
    tags=(
        (
            "ascn",
            "ASEAN Smart Cities Network: member cities, projects, partners and partnerships, published figures, "
            "the knowledge base and its search, matchmaking, imports, M&E reports and open exports.",
        ),
    ),
)

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "AscnError": "kotacerdas.ascn.errors",
        "FOCUS_AREAS": "kotacerdas.ascn.framework",
        "PARTNERSHIP_TYPES": "kotacerdas.ascn.framework",
        "PROJECT_STATUSES": "kotacerdas.ascn.framework",
        "MEMBER_CITIES": "kotacerdas.ascn.facts",
        "DEFAULT_MODEL": "kotacerdas.ascn.embedding",
        "embedder": "kotacerdas.ascn.embedding",
        "search": "kotacerdas.ascn.services.knowledge",
        "refresh_embeddings": "kotacerdas.ascn.services.knowledge",
        "rank_partners": "kotacerdas.ascn.matching",
        "side_by_side": "kotacerdas.ascn.figures",
        "live_figures": "kotacerdas.ascn.services.live",
        "load_demo": "kotacerdas.ascn.demo",
    },
)
