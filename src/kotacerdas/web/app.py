"""The web application: API under ``/api/v1``, web pages, ``/healthz`` and ``/metrics``.

:func:`create_app` builds it for a settings object: the platform's own routes
(:mod:`kotacerdas.web.routes`, :mod:`kotacerdas.web.pages`) and, for every domain of
:mod:`kotacerdas.core.registry`, the API router, public router and pages it names.
"""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.engine import Engine

from kotacerdas import __version__
from kotacerdas.core.config import Settings, get_settings
from kotacerdas.core.db import engine_for, session_factory
from kotacerdas.core.orphans import sweep_at_start
from kotacerdas.http import problems
from kotacerdas.http.docs import install_docs
from kotacerdas.http.early_auth import MULTIPART_MARGIN, EarlyAuth, LimitProblems
from kotacerdas.http.methods import MethodsMiddleware
from kotacerdas.http.openapi import openapi_document
from kotacerdas.http.signing import CookieSigner
from kotacerdas.web.metrics import Metrics, MetricsMiddleware

STATIC_DIR = Path(__file__).resolve().parent / "static"
API_PREFIX = "/api/v1"
API_DESCRIPTION = """The API of kotacerdas, the smart-city platform that cities run themselves: Road Manager,
Bike Sharing, Lorong Wisata and the ASEAN Smart Cities Network.

* **Public data** (road conditions, stations, GBFS feeds, admin areas) needs no sign-in.
* **Private data and every write** need a bearer token (`POST /api/v1/auth/token`) of a user with the right
  role in the right city.
* **Errors** are RFC 9457 problem details (`application/problem+json`), in the language of the request
  (`Accept-Language: id` or `en`, or `?lang=`).
* **Lists** are paged with `limit` and `offset`; their answer carries the total and `next`/`prev` links.
* **Long work** (imports, reports) runs as a background job: the request answers `202 Accepted` with the job
  and its URL (`Location`), which tells its progress and, once done, its result.
"""


class Health(BaseModel):
    status: str = Field(description="ok, or error when the database does not answer")
    version: str
    database: str = Field(description="sqlite or postgresql")
    jobs: dict[str, str] = Field(description="The job queue and where its worker runs")
    payments: str = Field(
        description="sandbox: top-ups are paid by the pretend bank of the demo and the tests (never in production); "
        "off: no sandbox payments"
    )
    detail: str | None = None


def _jobs_state(settings: Settings) -> dict[str, str]:
    return {
        "queue": settings.jobs_url.split("://")[0] if settings.jobs_url else "sqlite",
        "worker": settings.jobs_worker,
    }


@asynccontextmanager
async def _lifespan(app: FastAPI):
    # The long-lived objects of a server (modules, routes, caches) are moved out of the garbage
    # collector's reach once at start-up: a full collection over them pauses every request for
    # tens of milliseconds, which shows in the p99 latency of busy endpoints such as GBFS feeds.
    gc.collect()
    gc.freeze()
    worker = None
    settings = app.state.settings
    # uploads that an import killed mid-way left behind (kotacerdas.core.orphans)
    await anyio.to_thread.run_sync(sweep_at_start, app.state.engine, settings)
    if settings.jobs_worker in ("inline", "inline-thread"):
        from kotacerdas.core.jobs import InlineWorker

        kind = "thread" if settings.jobs_worker == "inline-thread" else "process"
        worker = InlineWorker(settings, threads=settings.jobs_threads, kind=kind, engine=app.state.engine)
        worker.start()
    try:
        yield
    finally:
        if worker is not None:
            worker.stop()


class _App(FastAPI):
    """The application, its error answers as problem details even where Starlette answers before any route."""

    def build_middleware_stack(self):
        return LimitProblems(super().build_middleware_stack())


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the application for ``settings`` (default: from the environment).

    ``engine`` overrides the engine made from ``settings.database_url`` (tests use it).
    """
    settings = settings or get_settings()
    app = _App(
        title="kotacerdas",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        servers=[{"url": settings.base_url.rstrip("/") or "/", "description": "This server"}],
        lifespan=_lifespan,
        # No body larger than the upload limit (and its multipart framing) is read: refused on its
        # Content-Length, and reading stops at the limit when it has none (413).
        max_body_size=settings.max_upload_bytes + MULTIPART_MARGIN,
    )
    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    engine = engine or engine_for(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.write_sessions = session_factory(engine.execution_options(write=True))
    app.state.signer = CookieSigner(settings.secret_key)
    app.state.metrics = Metrics()
    app.add_middleware(EarlyAuth)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(MethodsMiddleware)  # outermost: HEAD, CORS preflights and open-data headers for every route
    problems.install(app)

    from kotacerdas.core.registry import domains
    from kotacerdas.web.routes import router as platform_router

    app.include_router(platform_router, prefix=API_PREFIX)
    for d in domains():
        if d.api:
            app.include_router(d.load("api"), prefix=API_PREFIX)
        if d.public:
            app.include_router(d.load("public"))
        if d.pages:
            app.include_router(d.load("pages"))

    @app.get(
        "/healthz",
        tags=["operations"],
        summary="Liveness and database check",
        response_model=Health,
        responses={503: {"model": Health, "description": "The database does not answer"}},
    )
    def healthz() -> JSONResponse:
        """Whether the server and its database answer; what monitors read (never raises)."""
        settings = app.state.settings
        body = {
            "status": "ok",
            "version": __version__,
            "database": engine.dialect.name,
            "jobs": _jobs_state(settings),
            "payments": "sandbox" if settings.payments_sandbox else "off",
        }
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return JSONResponse(body)
        except Exception as exc:  # report, never raise: this is what monitors read
            return JSONResponse(body | {"status": "error", "detail": str(exc)}, status_code=503)

    install_docs(app)

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics", include_in_schema=False)
    def metrics():
        return app.state.metrics.render()

    from kotacerdas.web.admin import router as admin_router
    from kotacerdas.web.pages import router as pages_router

    app.include_router(pages_router)
    app.include_router(admin_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
