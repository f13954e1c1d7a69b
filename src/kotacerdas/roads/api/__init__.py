"""Road Manager HTTP API (mounted under ``/api/v1``): one router assembled from one module per resource.

Public (published road conditions, :mod:`.segments`): segments, events, coverage,
summaries, roads, a road's IRI profile and chart. Private to the city: surveys and their
raw uploads (:mod:`.surveys`) and vehicles (:mod:`.vehicles`), read with
``roads.read_private``; uploading a survey needs ``roads.survey``; calibrating a vehicle
and deleting a survey need ``roads.manage``; the Excel report (:mod:`.reports`) needs
``roads.report``. The camera half (:mod:`.damage`): damage records, their crops and export, the SDI and the
combined condition (public); captures, status changes, entered distress and cameras (private). Each route
checks once with :func:`kotacerdas.http.deps.authorize` and
calls the domain; its request and response models are in :mod:`.schemas`.
"""

from fastapi import APIRouter

from kotacerdas.roads.api import damage, reports, segments, surveys, vehicles

router = APIRouter(prefix="/roads", tags=["roads"])
for _module in (segments, surveys, vehicles, reports, damage):
    router.include_router(_module.router)

__all__ = ["router"]
