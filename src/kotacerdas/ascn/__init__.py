"""ASEAN Smart Cities Network: member cities, projects, partners and good practices."""

from kotacerdas.core.i18n import N_
from kotacerdas.core.registry import Domain

DOMAIN = Domain(
    name="ascn",
    title=N_("ASCN network"),
    summary=N_("ASEAN Smart Cities Network: projects, partners and good practices"),
)
