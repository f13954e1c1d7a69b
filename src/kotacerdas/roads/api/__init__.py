"""Road Manager HTTP API (mounted under ``/api/v1``): the router of every resource."""

from kotacerdas.roads.api.segments import router

__all__ = ["router"]
