"""FIWARE Smart Data Models shapes, as NGSI-LD key-values entities: ``KeyPerformanceIndicator``
(dataModel.KeyPerformanceIndicator) for project indicators, one entity per measured value, and
``Organization`` (dataModel.Organization) for partners.

Property names follow the two models' specifications; values the models restrict are kept in
their vocabularies (``calculationFrequency``: ``yearly``; ``calculationMethod``: ``manual``;
``category``: ``quantitative``).
"""

from __future__ import annotations

from typing import Any

NGSI_LD_CORE = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"
KPI_CONTEXT = (
    "https://raw.githubusercontent.com/smart-data-models/dataModel.KeyPerformanceIndicator/master/context.jsonld"
)
ORGANIZATION_CONTEXT = "https://smart-data-models.github.io/dataModel.Organization/context.jsonld"
URN = "urn:ngsi-ld:{type}:kotacerdas:ascn:{ident}"


def kpi_entities(project: dict[str, Any], indicator: dict[str, Any], country_name: str) -> list[dict[str, Any]]:
    """One KeyPerformanceIndicator per value of a project's indicator (its calculation period: that year)."""
    out = []
    for v in indicator["values"]:
        day = v["observed_on"]
        entity = {
            "id": URN.format(type="KeyPerformanceIndicator", ident=f"{project['id']}-{indicator['id']}-{day}"),
            "type": "KeyPerformanceIndicator",
            "name": indicator["name"],
            "description": f"{indicator['name']} ({indicator['unit']}) of the project: {project['title']}",
            "category": ["quantitative"],
            "kpiValue": v["value"],
            "calculationPeriod": {"from": f"{day[:4]}-01-01", "to": day},
            "calculationFrequency": "yearly",
            "calculationMethod": "manual",
            "organization": project["city_name"],
            "process": project["title"],
            "address": {"addressLocality": project["city_name"], "addressCountry": country_name},
            "@context": [NGSI_LD_CORE, KPI_CONTEXT],
        }
        if project.get("lon") is not None and project.get("lat") is not None:
            entity["location"] = {"type": "Point", "coordinates": [project["lon"], project["lat"]]}
        if v.get("source"):
            entity["calculatedBy"] = v["source"]
        out.append(entity)
    return out


def organization_entity(partner: dict[str, Any]) -> dict[str, Any]:
    """A partner as an Organization entity (public fields only)."""
    entity: dict[str, Any] = {
        "id": URN.format(type="Organization", ident=partner["slug"]),
        "type": "Organization",
        "name": partner["name"],
        "legalName": partner["name"],
        "description": partner["description"],
        "@context": [ORGANIZATION_CONTEXT],
    }
    if partner.get("aliases"):
        entity["alternateName"] = partner["aliases"][0]
    if partner.get("website"):
        entity["url"] = partner["website"]
    if partner.get("country"):
        entity["address"] = {"addressCountry": partner["country"]}
    return entity
