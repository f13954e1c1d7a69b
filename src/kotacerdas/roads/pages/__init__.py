"""Road Manager web pages: the road condition map (:mod:`.map`), a road's page with its IRI chart
(:mod:`.road`) and the staff's screens of surveys, vehicles and the network (:mod:`.manage`), rendered on
the server (``http.pages.render``)."""

from fastapi import APIRouter

from kotacerdas.roads.pages import manage as manage_page
from kotacerdas.roads.pages import map as map_page
from kotacerdas.roads.pages import road as road_page

router = APIRouter(include_in_schema=False)
router.include_router(map_page.router)
router.include_router(road_page.router)
router.include_router(manage_page.router)

__all__ = ["router"]
