"""Lorong Wisata: alleys as community spaces, with activities, indicators and rankings."""

from kotacerdas.core.i18n import N_
from kotacerdas.core.registry import Domain

DOMAIN = Domain(
    name="lorong",
    title=N_("Lorong Wisata"),
    summary=N_("Alleys turned into community spaces, with activities and indicators"),
)
