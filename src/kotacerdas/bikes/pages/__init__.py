"""Bike Sharing's web screens: the rider's (:mod:`.rider`) and the operator's (:mod:`.operator`), one router.

Every text goes through ``t()``, so each screen reads in Bahasa Indonesia or English; the
scripts (``static/js/bikes-rider.js``, ``bikes-operator.js``) get their texts translated from
the page. The screens read through :mod:`kotacerdas.bikes.services` and write through the same
services as the JSON API.
"""

from fastapi import APIRouter

from kotacerdas.bikes.pages import operator, rider, routes

router = APIRouter(include_in_schema=False)
router.include_router(rider.router)
router.include_router(operator.router)
router.include_router(routes.router)
