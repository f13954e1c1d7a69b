"""The OpenAPI document of the API: problem details for every error, security schemes, servers and tags.

FastAPI builds the document from the routes' models; :func:`openapi_document` completes it so
that it says what the API really does: every error is ``application/problem+json`` with the
:class:`~kotacerdas.http.schemas.Problem` shape (FastAPI's default 422 body is replaced, since the
validation handler answers problem details), 422 is documented wherever a request can fail
validation and 500 everywhere, GeoJSON answers are ``application/geo+json``, and the tags
carry a description.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from kotacerdas.http.schemas import PROBLEM_JSON, Problem, problem_response

METHODS = ("get", "post", "put", "patch", "delete")

#: The tags of the API, in the order of the documentation, with what each holds.
TAGS: list[dict[str, str]] = [
    {"name": "auth", "description": "Sign in for API clients: bearer tokens, and who a token belongs to."},
    {"name": "cities", "description": "Cities on this platform; their members, audit log and imports (private)."},
    {"name": "admin areas", "description": "Province, regency, kecamatan and desa/kelurahan boundaries (GeoJSON)."},
    {"name": "road network", "description": "The city's road network from OpenStreetMap, shared by every system."},
    {"name": "jobs", "description": "Background jobs (imports, reports): status, progress and result."},
    {"name": "operations", "description": "Liveness and readiness of the server."},
]


def _problem_schema() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    return schema


def openapi_document(app: FastAPI, *, tags: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """The completed OpenAPI 3.1 document of ``app`` (built once, then cached on the app)."""
    if app.openapi_schema:
        return app.openapi_schema
    if tags is None:
        from kotacerdas.core.registry import domains

        tags = TAGS + [{"name": n, "description": d} for dom in domains() for n, d in dom.tags]
    doc = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=tags,
        servers=app.servers or None,
    )
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    problem_schema = _problem_schema()
    for name, sub in problem_schema.pop("$defs", {}).items():
        schemas.setdefault(name, sub)
    schemas["Problem"] = problem_schema
    for path_item in doc.get("paths", {}).values():
        for method in METHODS:
            op = path_item.get(method)
            if op is None:
                continue
            _complete(op)
    for unused in ("HTTPValidationError", "ValidationError"):
        if not _referenced(doc, unused):
            schemas.pop(unused, None)
    _declare_tags(doc)
    app.openapi_schema = doc
    return doc


def _complete(op: dict[str, Any]) -> None:
    responses = op.setdefault("responses", {})
    can_fail_validation = bool(op.get("parameters")) or "requestBody" in op
    for status, response in list(responses.items()):
        if status.isdigit() and int(status) >= 400:
            responses[status] = {**problem_response(int(status)), "description": response.get("description") or ""}
            if not responses[status]["description"]:
                responses[status]["description"] = problem_response(int(status))["description"]
    if can_fail_validation:
        responses["422"] = problem_response(422)
    else:
        responses.pop("422", None)
    responses.setdefault("500", problem_response(500))
    if "description" not in op or not op["description"].strip():
        op["description"] = op.get("summary", "")


def _referenced(doc: dict[str, Any], name: str) -> bool:
    needle = f"#/components/schemas/{name}"
    stack: list[Any] = [doc.get("paths", {}), {k: v for k, v in doc["components"]["schemas"].items() if k != name}]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("$ref") == needle:
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _declare_tags(doc: dict[str, Any]) -> None:
    declared = {t["name"] for t in doc.get("tags", [])}
    used: list[str] = []
    for path_item in doc.get("paths", {}).values():
        for method in METHODS:
            for tag in path_item.get(method, {}).get("tags", []):
                if tag not in declared and tag not in used:
                    used.append(tag)
    doc.setdefault("tags", []).extend({"name": t, "description": f"{t}"} for t in used)


__all__ = ["PROBLEM_JSON", "TAGS", "openapi_document"]
