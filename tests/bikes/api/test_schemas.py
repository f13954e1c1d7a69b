"""Bike Sharing's API is typed and documented: every operation has a summary, a description, a response model
and its errors as problem details; the GBFS routes declare the feed envelope and 304."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from kotacerdas.bikes.api import alerts, fleet, gbfs, insights, payments, plans, riders, stations, systems, trips

MODULES = (systems, stations, plans, alerts, riders, payments, fleet, trips, insights, gbfs)

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def openapi():
    from kotacerdas.web.app import create_app

    return create_app().openapi()


def _operations(spec, prefixes):
    for path, item in spec["paths"].items():
        if path.startswith(prefixes):
            for method, op in item.items():
                yield f"{method.upper()} {path}", op


def _is_file_download(route: APIRoute) -> bool:
    """A route answering a file (CSV ...) that declares its media type and a string body instead of a model."""
    content = (route.responses or {}).get(200, {}).get("content", {})
    return bool(content) and all(
        not media.endswith("json") and body.get("schema") == {"type": "string"} for media, body in content.items()
    )


def test_every_route_declares_a_response_model_or_no_content():
    routes = [route for module in MODULES for route in module.router.routes]
    assert len(routes) >= 45
    for route in routes:
        assert isinstance(route, APIRoute)
        assert route.response_model is not None or route.status_code == 204 or _is_file_download(route), route.path
        assert route.summary or not route.include_in_schema, route.path
        assert (route.description or "").strip(), route.path


def test_every_operation_is_documented_with_its_errors(openapi):
    ops = dict(_operations(openapi, ("/api/v1/bikes", "/gbfs")))
    assert len(ops) >= 45
    for name, op in ops.items():
        assert op.get("summary") and op.get("description"), name
        ok = {k: v for k, v in op["responses"].items() if k.startswith("2")}
        queued = ok.get("202", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
        if len(ok) == 2 and "200" in ok and queued.startswith("#/components/schemas/JobOut"):
            ok.pop("202")  # answered at once, or as a background job when heavy (202 with the job)
        assert len(ok) == 1, name
        ((status, answer),) = ok.items()
        if status == "204":
            assert "content" not in answer, name
        else:
            media, body = next(iter(answer["content"].items()))
            schema = body["schema"]
            if media.endswith("json"):
                assert schema.get("$ref") or schema.get("items") or schema.get("type") == "array", name
            else:  # a file download: its media type and a string body
                assert schema == {"type": "string"}, name
        errors = {k: v for k, v in op["responses"].items() if k.startswith(("4", "5"))}
        assert errors, name
        for status, answer in errors.items():
            assert answer["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}, (name, status)
            assert answer["description"] != "Validation Error", (name, status)


def test_lists_are_paged_and_geojson_says_so(openapi):
    paths = openapi["paths"]
    bikes = paths["/api/v1/bikes/systems/{system_id}/bikes"]["get"]
    names = {p["name"] for p in bikes["parameters"]}
    assert {"limit", "offset", "status", "station_id"} <= names
    stations = paths["/api/v1/bikes/systems/{system_id}/stations"]["get"]["responses"]["200"]["content"]
    assert list(stations) == ["application/geo+json"]
    end = paths["/api/v1/bikes/systems/{system_id}/me/rentals/current/end"]["post"]["responses"]
    assert "nearest_station_id" in end["409"]["description"]
    assert "402" in end and "402" in paths["/api/v1/bikes/systems/{system_id}/me/rentals"]["post"]["responses"]


def test_gbfs_routes_declare_the_envelope_and_not_modified(openapi):
    for name, op in _operations(openapi, ("/gbfs",)):
        assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/GbfsFeed"), name
        assert "304" in op["responses"] and "404" in op["responses"], name
    envelope = openapi["components"]["schemas"]["GbfsFeed"]
    assert set(envelope["required"]) == {"last_updated", "ttl", "version", "data"}
