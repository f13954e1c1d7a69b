"""The Road Manager part of the OpenAPI document: every route typed, described, with its media type and the errors
it can really answer."""

from __future__ import annotations

import typing

import pytest

from kotacerdas.core.config import Settings
from kotacerdas.roads.api.schemas import ClassCode
from kotacerdas.roads.bina_marga import RoadClass
from kotacerdas.web.app import create_app

GEOJSON = "application/geo+json"
JSON = "application/json"
CSV = "text/csv; charset=utf-8"
KML = "application/vnd.google-earth.kml+xml"
PUBLIC = {"400", "404", "422"}
PRIVATE = {"401", "403", "404", "422"}
#: (method, path) -> (success status, media type, errors beyond 500)
ROUTES = {
    ("get", "/segments"): ("200", GEOJSON, PUBLIC),
    ("get", "/segments/{segment_id}"): ("200", GEOJSON, {"404", "422"}),
    ("get", "/events"): ("200", GEOJSON, PUBLIC),
    ("get", "/coverage"): ("200", GEOJSON, PUBLIC),
    ("get", "/summary"): ("200", JSON, PUBLIC),
    ("get", "/roads"): ("200", JSON, PUBLIC),
    ("get", "/road-profile"): ("200", JSON, PUBLIC),
    ("get", "/segments/download"): ("200", ("text/csv", GEOJSON), PUBLIC),
    ("get", "/road-chart.svg"): ("200", "image/svg+xml", PUBLIC),
    ("get", "/cities/{code}/surveys"): ("200", JSON, PRIVATE),
    ("post", "/cities/{code}/surveys"): ("202", JSON, PRIVATE | {"400", "413"}),
    ("get", "/cities/{code}/surveys/{survey_id}"): ("200", GEOJSON, PRIVATE),
    ("delete", "/cities/{code}/surveys/{survey_id}"): ("200", JSON, PRIVATE),
    ("get", "/cities/{code}/surveys/{survey_id}/intervals"): ("200", GEOJSON, PRIVATE),
    ("get", "/cities/{code}/surveys/{survey_id}/raw"): ("200", "application/octet-stream", PRIVATE),
    ("get", "/cities/{code}/vehicles"): ("200", JSON, PRIVATE),
    ("post", "/cities/{code}/vehicles"): ("201", JSON, PRIVATE | {"400"}),
    ("post", "/cities/{code}/vehicles/{vehicle_id}/calibration"): (
        "202",
        JSON,
        PRIVATE | {"400", "413"},
    ),
    ("get", "/cities/{code}/report.xlsx"): (
        "200",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        PRIVATE,
    ),
    # the camera half: damage, captures, SDI, camera models
    ("get", "/condition"): ("200", GEOJSON, PUBLIC),
    ("get", "/damage"): ("200", GEOJSON, PUBLIC | {"401", "403"}),  # staff-only filters answer 401/403
    ("get", "/damage/export"): ("200", (CSV, GEOJSON, KML), PUBLIC | {"401", "403"}),
    ("get", "/damage/{damage_id}"): ("200", GEOJSON, {"404", "422"}),
    ("get", "/damage-crops/{sighting_id}.jpg"): ("200", "image/jpeg", {"404", "422"}),
    ("get", "/segments/{segment_id}/sdi"): ("200", JSON, {"404", "422"}),
    ("get", "/models"): ("200", JSON, set()),
    ("get", "/cities/{code}/captures"): ("200", JSON, PRIVATE),
    ("post", "/cities/{code}/captures"): ("202", JSON, PRIVATE | {"400", "413"}),
    ("post", "/cities/{code}/damage/{damage_id}/status"): ("200", GEOJSON, PRIVATE | {"400", "409"}),
    ("put", "/cities/{code}/segments/{segment_id}/distress"): ("200", JSON, PRIVATE | {"400"}),
    ("get", "/cities/{code}/vehicles/{vehicle_id}/camera"): ("200", JSON, PRIVATE),
    ("put", "/cities/{code}/vehicles/{vehicle_id}/camera"): ("200", JSON, PRIVATE | {"400"}),
}


@pytest.fixture(scope="module")
def spec(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("roads-openapi")
    app = create_app(
        Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'x.sqlite3'}", secret_key="x", jobs_url="immediate")
    )
    return app.openapi()


def roads_operations(spec: dict) -> dict[tuple[str, str], dict]:
    out = {}
    for path, item in spec["paths"].items():
        if path.startswith("/api/v1/roads/") and not path.endswith("/network"):  # the network route is the platform's
            for method, op in item.items():
                out[(method, path.removeprefix("/api/v1/roads"))] = op
    return out


def test_every_roads_route_is_listed_here(spec):
    assert set(roads_operations(spec)) == set(ROUTES)


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_each_route_is_typed_described_and_documents_its_errors(spec, route):
    op = roads_operations(spec)[route]
    success, media, errors = ROUTES[route]
    assert op["summary"] and len(op["description"]) > len(op["summary"]) / 2 and op["tags"] == ["roads"]
    content = op["responses"][success]["content"]
    medias = list(media) if isinstance(media, tuple) else [media]
    assert list(content) == medias
    for one in medias:
        schema = content[one]["schema"]
        if one.endswith("json"):
            assert "$ref" in schema or schema.get("type") == "array", schema  # a response model
        else:
            assert schema["type"] == "string"
    assert set(op["responses"]) - {success} == errors | {"500"}


def test_geojson_collections_name_their_properties(spec):
    schemas = spec["components"]["schemas"]
    ref = roads_operations(spec)[("get", "/segments")]["responses"]["200"]["content"][GEOJSON]["schema"]["$ref"]
    collection = schemas[ref.rsplit("/", 1)[1]]
    feature = schemas[collection["properties"]["features"]["items"]["$ref"].rsplit("/", 1)[1]]
    props = schemas[feature["properties"]["properties"]["$ref"].rsplit("/", 1)[1]]
    assert {"segment_id", "class", "iri_m_per_km", "measured_at", "calibrated"} <= set(props["properties"])
    params = {p["name"] for p in roads_operations(spec)[("get", "/segments")]["parameters"]}
    assert params == {"city", "bbox", "since", "until", "class", "highway", "road", "district", "limit", "offset"}


def test_the_class_codes_are_the_bina_marga_classes():
    assert set(typing.get_args(ClassCode)) == {c.value for c in RoadClass}
