"""Web pages of the neighbourhood programmes: the public directory and unit pages and food prices
(:mod:`.directory`); the coordinator's report form kept on the phone while offline, the lurah's verification
list, the dashboard and the waste bank (:mod:`.staff`)."""

from fastapi import APIRouter

from kotacerdas.lorong.pages import directory, staff

router = APIRouter(include_in_schema=False)
router.include_router(staff.router)
router.include_router(directory.router)
