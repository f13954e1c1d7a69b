"""What people read for the road network's codes: OSM ``highway`` classes and the sources of a network.

An OSM tag (``residential``, ``tertiary``) is a code, not a word a reader of the pages or the
report understands; :func:`highway_label` names it in the reader's language (the OSM tag stays in
exports and the API). :func:`source_label` does the same for where a network came from
(``generated`` demo streets, an OpenStreetMap extract).
"""

from __future__ import annotations

from kotacerdas.core.i18n import N_, gettext

#: Each OSM ``highway`` class the platform imports, as the reader calls it.
HIGHWAY_LABELS: dict[str, str] = {
    "motorway": N_("Motorway (toll road)"),
    "motorway_link": N_("Motorway slip road"),
    "trunk": N_("Trunk road"),
    "trunk_link": N_("Trunk road slip road"),
    "primary": N_("Primary road"),
    "primary_link": N_("Primary road link"),
    "secondary": N_("Secondary road"),
    "secondary_link": N_("Secondary road link"),
    "tertiary": N_("Tertiary road"),
    "tertiary_link": N_("Tertiary road link"),
    "unclassified": N_("Minor road"),
    "residential": N_("Residential street"),
    "living_street": N_("Living street"),
    "service": N_("Service road"),
    "road": N_("Road of unknown class"),
    "track": N_("Track"),
    "cycleway": N_("Cycle path"),
    "path": N_("Path"),
    "footway": N_("Footway"),
    "pedestrian": N_("Pedestrian street"),
}


def highway_label(highway: str | None, lang: str | None) -> str:
    """The OSM ``highway`` class in ``lang`` (the tag itself when the platform has no name for it)."""
    if not highway:
        return "–"
    label = HIGHWAY_LABELS.get(highway)
    return gettext(label, lang) if label else highway


def source_label(source: str | None, lang: str | None) -> str:
    """Where a network came from, in ``lang``: generated demo streets, an OSM extract (its file kept)."""
    if not source:
        return "–"
    if source == "generated" or "generated" in source:
        return gettext(N_("generated demo streets (not a real network)"), lang)
    if source.startswith("osm:"):
        return gettext(N_("OpenStreetMap extract {file}"), lang).format(file=source[4:])
    return source
