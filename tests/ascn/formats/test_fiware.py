"""The FIWARE Smart Data Models shapes, checked with jsonschema against the models' documented properties."""

import jsonschema

from kotacerdas.ascn.formats import fiware

#: The parts of the two Smart Data Models' schemas these exports use (type, vocabularies, value types).
KPI_SCHEMA = {
    "type": "object",
    "required": ["id", "type", "kpiValue", "calculationPeriod", "category", "@context"],
    "properties": {
        "id": {"type": "string", "pattern": "^urn:ngsi-ld:KeyPerformanceIndicator:"},
        "type": {"enum": ["KeyPerformanceIndicator"]},
        "category": {
            "type": "array",
            "minItems": 1,
            "items": {
                "enum": [
                    "actionable",
                    "directional",
                    "financial",
                    "input",
                    "lagging",
                    "leading",
                    "output",
                    "practical",
                    "process",
                    "qualitative",
                    "quantitative",
                ]
            },
        },  # fmt: skip
        "calculationFrequency": {
            "enum": ["hourly", "daily", "weekly", "monthly", "yearly", "quarterly", "bimonthly", "biweekly"]
        },
        "calculationMethod": {"enum": ["manual", "automatic", "semiautomatic"]},
        "calculationPeriod": {
            "type": "object",
            "properties": {"from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"}},
        },
        "kpiValue": {"type": ["string", "number", "boolean", "object", "array"]},
        "location": {"type": "object", "properties": {"type": {"enum": ["Point"]}}},
        "@context": {"type": "array"},
    },
}
ORGANIZATION_SCHEMA = {
    "type": "object",
    "required": ["id", "type", "name", "@context"],
    "properties": {
        "id": {"type": "string", "pattern": "^urn:ngsi-ld:Organization:"},
        "type": {"enum": ["Organization"]},
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "alternateName": {"type": "string"},
        "address": {"type": "object"},
    },
}


def test_kpi_entities_one_per_value():
    project = {"id": 7, "title": "Bank sampah", "city_name": "Makassar", "lon": 119.4, "lat": -5.1}
    values = [
        {"observed_on": "2023-12-31", "value": 120.0, "source": "city"},
        {"observed_on": "2024-12-31", "value": 180.0, "source": ""},
    ]
    indicator = {"id": 3, "name": "Residents reached", "unit": "people", "values": values}
    entities = fiware.kpi_entities(project, indicator, "Indonesia")
    assert len(entities) == 2 and len({e["id"] for e in entities}) == 2
    checker = jsonschema.Draft202012Validator(KPI_SCHEMA, format_checker=jsonschema.FormatChecker())
    for e in entities:
        checker.validate(e)
    assert entities[1]["calculationPeriod"] == {"from": "2024-01-01", "to": "2024-12-31"}


def test_organization_entity_carries_public_fields_only():
    partner = {"slug": "adb", "name": "Asian Development Bank", "description": "Bank", "aliases": ["ADB"],
               "website": "https://www.adb.org", "country": None, "contact_email": "secret@example.org"}  # fmt: skip
    e = fiware.organization_entity(partner)
    jsonschema.Draft202012Validator(ORGANIZATION_SCHEMA, format_checker=jsonschema.FormatChecker()).validate(e)
    assert "secret" not in str(e) and e["alternateName"] == "ADB"
