"""Whether a survey drive lies in the city it is filed under (a drive of another city, or at 0,0, is refused)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kotacerdas.core.admin_areas import city_extent
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.streams import Track


def check_in_city(session: Session, city: City, track: Track, name: str) -> None:
    """Refuse a drive none of whose GPS fixes lies in the city's extent (a drive of another city, a track at 0,0)."""
    extent = city_extent(session, city)
    if extent is None or not len(track):
        return
    west, south, east, north = extent
    inside = (track.lon >= west) & (track.lon <= east) & (track.lat >= south) & (track.lat <= north)
    if inside.any():
        return
    raise RoadsError(
        N_("the drive ({bbox}) is nowhere in city {city} ({extent})"),
        field="location",
        record=name,
        bbox=f"{track.lon.min():.3f},{track.lat.min():.3f},{track.lon.max():.3f},{track.lat.max():.3f}",
        city=city.code,
        extent=",".join(f"{v:.3f}" for v in extent),
    )
