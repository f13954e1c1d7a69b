"""The neighbourhood-programme API under ``/api/v1/lorong``: one router per resource, joined here."""

from fastapi import APIRouter

from kotacerdas.http.schemas import problems
from kotacerdas.lorong.api import dashboard, officers, programmes, reports, tools, units

router = APIRouter(responses=problems(500))
for _module in (programmes, officers, units, reports, tools, dashboard):
    router.include_router(_module.router)
