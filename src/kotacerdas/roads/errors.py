"""The error type of Road Manager (road surveys, roughness, road condition)."""

from __future__ import annotations

from kotacerdas.core.errors import KotacerdasError


class RoadsError(KotacerdasError):
    """A Road Manager input or operation the platform cannot accept.

    Raised, for example, for a survey file with a truncated row, timestamps that go
    backwards, or an accelerometer sampled too slowly to measure roughness. The
    message names the file, the row and the reason.
    """

    title = "Invalid road survey input"
