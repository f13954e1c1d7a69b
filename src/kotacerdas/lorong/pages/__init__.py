"""Web pages of the neighbourhood programmes: the public directory and unit pages and food prices
(:mod:`.directory`); the coordinator's report form kept on the phone while offline, the lurah's verification
list and the dashboard (:mod:`.staff`); the waste bank with its forms (:mod:`.wastebank`); the import of sheets
(:mod:`.imports`) and the recording of food prices (:mod:`.prices`)."""

from fastapi import APIRouter

from kotacerdas.lorong.pages import directory, imports, prices, staff, wastebank

router = APIRouter(include_in_schema=False)
router.include_router(staff.router)
router.include_router(wastebank.router)
router.include_router(imports.router)
router.include_router(prices.router)
router.include_router(directory.router)  # last: its /lorong/{city}/{slug} would take the others' paths
