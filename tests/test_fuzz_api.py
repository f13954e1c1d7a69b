"""No body makes a write route of the API answer 500: a walk over every JSON write operation of the OpenAPI document.

For each POST, PUT and PATCH operation that takes a JSON body, the walk sends, as the platform administrator (so
that permission is not what answers), bodies a careless client or an attacker would send: no object at all, an
empty object, and for each property of the schema in turn a value of every wrong kind (null, a number where text
is wanted and text where a number is, a huge or a negative number, an overlong string, an impossible date, a list,
an object). Every answer must be below 500: bad input is a 4xx naming what is wrong, never an internal error. The
routes' own ids are those of the audit walk's world (:mod:`tests.test_audit`); a 404 for an id is fine here.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.test_audit import Ctx, everything, fill  # noqa: F401  (the world of the audit walk)

#: What each property gets, one at a time.
WRONG: tuple[Any, ...] = (
    None,
    "",
    "x" * 5000,
    -1,
    0,
    10**30,
    1e308,
    "nan",
    "9999-99-99",
    "2026-01-01T00:00:00",
    True,
    [],
    [None],
    {},
    {"id": None},
)
#: Whole bodies that are not the object the route expects.
NOT_AN_OBJECT: tuple[Any, ...] = ([], "x", 0, None)


def _schema(doc: dict, node: dict | None) -> dict:
    """``node`` with its ``$ref`` (and an ``anyOf`` of one object) resolved."""
    while node and "$ref" in node:
        node = doc["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "oneOf", "allOf"):
        for option in (node or {}).get(key, []):
            resolved = _schema(doc, option)
            if resolved.get("properties"):
                return resolved
    return node or {}


def json_writes(doc: dict) -> list[tuple[str, str, list[str]]]:
    """(method, path template, property names) of every write operation with a JSON body."""
    out = []
    for path, item in doc["paths"].items():
        for method in ("post", "put", "patch"):
            op = item.get(method)
            content = (op or {}).get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            schema = _schema(doc, content["application/json"].get("schema"))
            out.append((method.upper(), path, sorted(schema.get("properties", {}))))
    return sorted(out)


def bodies(props: list[str]) -> list[Any]:
    return [*NOT_AN_OBJECT, {}, *({p: v} for p, v in itertools.product(props, WRONG))]


def _fill(template: str, ctx: Ctx) -> str:
    from tests.test_audit import _path

    try:
        return "/api/v1" + fill(_path(template), ctx)
    except (KeyError, IndexError):
        return "/api/v1" + _path(template).replace("{", "").replace("}", "")  # an unknown id: a 404 is fine


@pytest.fixture
def answering(network_db, tmp_path):
    """An in-process client that answers an unhandled error as the server does (a 500), instead of raising it."""
    from fastapi.testclient import TestClient

    from kotacerdas.web.app import create_app
    from tests.conftest import settings_for

    with TestClient(
        create_app(settings_for(network_db, tmp_path), engine=network_db), raise_server_exceptions=False
    ) as c:
        yield c


@pytest.mark.slow
def test_no_body_makes_a_write_route_answer_500(answering, everything, network_db):  # noqa: F811
    from tests.conftest import token_for

    client = answering
    doc = client.get("/api/v1/openapi.json").json()
    writes = json_writes(doc)
    assert len(writes) > 40  # the walk reaches the API, not an empty document
    ctx = Ctx(unit=everything["lorong_unit"], kept_project=1, pair=("a", "b"))
    head = token_for(client, "root")
    failures = []
    sent = 0
    for method, template, props in writes:
        path = _fill(template, ctx)
        for body in bodies(props):
            r = client.request(method, path, json=body, headers=head)
            sent += 1
            if r.status_code >= 500:
                failures.append(f"{method} {template} {str(body)[:80]!s}: {r.status_code} {r.text[:200]}")
    assert sent > 1000
    import os

    if os.environ.get("KOTACERDAS_FUZZ_REPORT"):  # the whole list, for whoever fixes them
        with open(os.environ["KOTACERDAS_FUZZ_REPORT"], "w", encoding="utf-8") as out:
            out.write("\n".join(failures))
    assert not failures, f"{len(failures)} of {sent} answered 5xx:\n" + "\n".join(failures[:40])
