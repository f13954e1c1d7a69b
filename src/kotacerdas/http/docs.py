"""The API's documentation pages, Swagger UI at ``/api/v1/docs`` and ReDoc at ``/api/v1/redoc``, served locally.

Both come from the npm registry at install time (``make assets`` copies ``swagger-ui-dist`` and
``redoc``'s standalone bundle into ``web/static/vendor/``), so they work with no internet and
load nothing from a CDN.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

VENDOR = "/static/vendor"


def install_docs(app: FastAPI, prefix: str = "/api/v1") -> None:
    """Add the two documentation pages to ``app``."""
    openapi_url = app.openapi_url or f"{prefix}/openapi.json"

    @app.get(f"{prefix}/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title}: API",
            swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
            swagger_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
        )

    @app.get(f"{prefix}/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title}: API",
            redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js",
            redoc_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
            with_google_fonts=False,
        )
