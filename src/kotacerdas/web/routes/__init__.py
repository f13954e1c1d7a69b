"""The platform's own API routes (under ``/api/v1``): sign-in, cities, admin areas, the road network, jobs."""

from fastapi import APIRouter

from kotacerdas.web.routes import admin_areas, auth, cities, jobs, network

router = APIRouter()
for _module in (auth, cities, admin_areas, network, jobs):
    router.include_router(_module.router)
