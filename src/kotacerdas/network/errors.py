"""The error type of the road network domain (OpenStreetMap import, routable graph)."""

from __future__ import annotations

from kotacerdas.core.errors import KotacerdasError


class NetworkError(KotacerdasError):
    """A road network input or query the platform cannot use.

    Raised for an OpenStreetMap file that cannot be read, a bounding box that makes no
    sense, or a routing query naming nodes the graph does not hold.
    """

    title = "Invalid road network input"
