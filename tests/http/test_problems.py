"""Errors as problem details: a busy database answers 503 with Retry-After, an unexpected error a 500 without
internals, a 405 keeps its Allow header."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from kotacerdas.core import db


def test_a_write_that_cannot_get_the_sqlite_writer_slot_answers_503(client, auth, seeded, monkeypatch):
    if seeded.dialect.name != "sqlite":
        pytest.skip("the write gate is SQLite's")
    monkeypatch.setattr(db, "WRITE_WAIT_S", 0.2)
    headers = auth("cityadmin.3510")
    held, done = threading.Event(), threading.Event()

    def hold():
        with db.session_scope(seeded, write=True) as s:
            s.execute(text("UPDATE cities SET name = name"))
            held.set()
            done.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    try:
        body = {"username": "new.user", "password": "long-enough-pw", "roles": ["road_officer"]}
        r = client.post("/api/v1/cities/35.10/members", headers=headers | {"Accept-Language": "en"}, json=body)
    finally:
        done.set()
        t.join()
    assert r.status_code == 503 and r.headers["retry-after"] == "1"
    assert r.headers["content-type"].startswith("application/problem+json") and "busy" in r.json()["detail"]
    again = client.post("/api/v1/cities/35.10/members", headers=headers, json=body)
    assert again.status_code == 201


def test_an_unexpected_error_is_a_500_problem_without_internals(client, monkeypatch):
    from kotacerdas.web.routes import cities

    def boom(*a, **k):
        raise ValueError("secret internals")

    monkeypatch.setattr(cities, "city_json", boom)
    from fastapi.testclient import TestClient

    with TestClient(client.app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/cities")
    assert r.status_code == 500 and r.headers["content-type"].startswith("application/problem+json")
    assert "secret" not in r.text


def test_405_says_which_methods_are_allowed(client):
    r = client.delete("/api/v1/cities")
    assert r.status_code == 405 and "GET" in r.headers["allow"]
    assert r.headers["content-type"].startswith("application/problem+json")


def test_a_domain_error_carries_its_extra_public_fields_into_the_problem_document():
    """``extra`` adds fields (the least budget, the nearest place ...) beside the detail; it never replaces the
    document's own members, and the message's parameters stay out."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from kotacerdas.core.errors import KotacerdasError
    from kotacerdas.http.problems import install

    app = FastAPI()
    install(app)

    @app.get("/plan")
    def plan():
        raise KotacerdasError(
            "the budget is too short: {minutes} minutes",
            field="budget_minutes",
            status=422,
            minutes=35,
            secret="internal",
            extra={"needed_minutes": 35, "nearest": {"destination_id": "paltuding"}, "status": 200, "detail": "x"},
        )

    @app.get("/plain")
    def plain():
        raise KotacerdasError("nothing extra", field="x")

    with TestClient(app) as c:
        body = c.get("/plan").json()
        assert body["status"] == 422 and body["detail"] == "the budget is too short: 35 minutes"
        assert body["needed_minutes"] == 35 and body["nearest"] == {"destination_id": "paltuding"}
        assert body["field"] == "budget_minutes" and "secret" not in body and "minutes" not in body
        assert set(c.get("/plain").json()) == {"type", "title", "status", "detail", "instance", "field"}
