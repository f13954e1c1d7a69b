"""The web application: API under ``/api/v1``, web pages, ``/healthz`` and ``/metrics``.

:func:`create_app` builds it for a settings object; every domain contributes its
API router and its pages through :data:`DOMAIN_ROUTERS` and :data:`DOMAIN_PAGES`.
"""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.engine import Engine

from kotacerdas import __version__
from kotacerdas.core.config import Settings, get_settings
from kotacerdas.core.db import engine_for, session_factory
from kotacerdas.web import problems
from kotacerdas.web.metrics import Metrics, MetricsMiddleware
from kotacerdas.web.signing import CookieSigner

STATIC_DIR = Path(__file__).resolve().parent / "static"
API_PREFIX = "/api/v1"


@asynccontextmanager
async def _lifespan(app: FastAPI):
    # The long-lived objects of a server (modules, routes, caches) are moved out of the garbage
    # collector's reach once at start-up: a full collection over them pauses every request for
    # tens of milliseconds, which shows in the p99 latency of busy endpoints such as GBFS feeds.
    gc.collect()
    gc.freeze()
    yield


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the application for ``settings`` (default: from the environment).

    ``engine`` overrides the engine made from ``settings.database_url`` (tests use it).
    """
    settings = settings or get_settings()
    app = FastAPI(
        title="kotacerdas",
        version=__version__,
        description="Smart-city platform API: Road Manager, Bike Sharing, Lorong Wisata, ASCN network.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=_lifespan,
    )
    engine = engine or engine_for(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.signer = CookieSigner(settings.secret_key)
    app.state.metrics = Metrics()
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    problems.install(app)

    from kotacerdas.core.api import router as core_router

    app.include_router(core_router, prefix=API_PREFIX)
    from kotacerdas.domains import plugins

    for _name, plugin in plugins():
        if getattr(plugin, "api_router", None) is not None:
            app.include_router(plugin.api_router, prefix=API_PREFIX)
        if getattr(plugin, "public_router", None) is not None:
            app.include_router(plugin.public_router)
        if getattr(plugin, "pages_router", None) is not None:
            app.include_router(plugin.pages_router)

    @app.get("/healthz", tags=["operations"], summary="Liveness and database check")
    def healthz() -> JSONResponse:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return JSONResponse({"status": "ok", "version": __version__, "database": engine.dialect.name})
        except Exception as exc:  # report, never raise: this is what monitors read
            return JSONResponse({"status": "error", "detail": str(exc)}, status_code=503)

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics", include_in_schema=False)
    def metrics():
        return app.state.metrics.render()

    from kotacerdas.web.pages import router as pages_router

    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
