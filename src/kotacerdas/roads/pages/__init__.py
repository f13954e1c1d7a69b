"""Road Manager web pages: the road condition map (:mod:`.map`) and a road's page with its IRI chart
(:mod:`.road`), rendered on the server (``http.pages.render``)."""

from fastapi import APIRouter

from kotacerdas.roads.pages import map as map_page
from kotacerdas.roads.pages import road as road_page

router = APIRouter(include_in_schema=False)
router.include_router(map_page.router)
router.include_router(road_page.router)

__all__ = ["router"]
