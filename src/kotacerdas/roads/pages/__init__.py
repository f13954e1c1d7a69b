"""Road Manager web pages: the road condition map and a road's page."""

from kotacerdas.roads.pages.map import router

__all__ = ["router"]
