"""Bike Sharing's HTTP API under ``/api/v1/bikes``: one router assembled from a module per resource.

Thin routes: they parse the request (:mod:`.schemas`), check the role once
(:func:`.deps.system_for` with ``bikes.manage`` / ``bikes.read_private`` in the system's city),
call a service of :mod:`kotacerdas.bikes.services` and shape the answer with a response model.
Public station data (:mod:`.systems`, :mod:`.stations`, :mod:`.plans`, :mod:`.alerts`), the
rider's account, rides and wallet (:mod:`.riders`, :mod:`.payments`), the operator's fleet,
trips and figures (:mod:`.fleet`, :mod:`.trips`, :mod:`.insights`). The GBFS feeds are the
public router of :mod:`.gbfs`. The endpoint list is in ``docs/bikes.md``.
"""

from fastapi import APIRouter

from kotacerdas.bikes.api import alerts, fleet, insights, payments, plans, riders, stations, systems, tours, trips

router = APIRouter(prefix="/bikes", tags=["bikes"])
for _module in (systems, stations, plans, alerts, riders, payments, fleet, trips, insights, tours):
    router.include_router(_module.router)
