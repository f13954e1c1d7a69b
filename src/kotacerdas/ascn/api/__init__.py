"""The ASCN HTTP API, mounted under ``/api/v1``: one router per resource, joined in :data:`router`."""

from fastapi import APIRouter

from kotacerdas.ascn.api import cities, files, knowledge, match, network, partners, projects

router = APIRouter()
for module in (cities, projects, partners, network, knowledge, match, files):
    router.include_router(module.router)
