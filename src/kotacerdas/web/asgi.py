"""ASGI entry point: ``uvicorn kotacerdas.web.asgi:app``."""

from kotacerdas.web.app import create_app

app = create_app()
