"""Request and response models of Bike Sharing's cycling routes: destinations, routes, tours, the route catalogue.

Texts shown to riders are ``{"id": ..., "en": ...}``; times of a tour are local ``HH:MM`` of the
system's time zone; distances metres, durations seconds (``riding_minutes`` minutes), money integer
rupiah. The shapes are those of :mod:`kotacerdas.bikes.services.tours` and ``services.routes``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

LocalText = Annotated[dict[str, str], Field(description='Text per language: {"id": "...", "en": "..."}')]
Category = Literal["beach", "nature", "culture", "culinary", "history", "viewpoint", "craft"]
Profile = Literal["quiet", "fast", "shortest"]


class LineString(BaseModel):
    """A GeoJSON LineString (lon, lat)."""

    type: Literal["LineString"] = "LineString"
    coordinates: list[list[float]]


class Instruction(BaseModel):
    """One turn-by-turn step: where, what, the way taken and how far it runs."""

    kind: str = Field(description="depart, continue, left, right, slight_*, sharp_*, uturn, steps, ferry, arrive")
    way: str | None
    lon: float
    lat: float
    distance_m: float
    text: LocalText


class StationBrief(BaseModel):
    """A station as a route shows it."""

    station_id: str
    name: LocalText
    lon: float
    lat: float
    docks_available: int
    docks_expected: int | None = Field(None, description="Free docks expected when the tour ends (forecast)")
    distance_m: float | None = None
    at_m: float | None = Field(None, description="Where along the route it is passed (metres)")


class RouteOut(BaseModel):
    """A point-to-point bicycle route."""

    profile: Profile
    speed_kmh: float
    distance_m: float
    duration_s: float
    climb_m: float
    descent_m: float
    geometry: LineString
    road_types: dict[str, float] = Field(description="Share of the distance on each road class")
    surfaces: dict[str, float] = Field(description="Share of the distance on each surface ('unknown' untagged)")
    elevation: list[list[float]] | None = Field(description="[distance m, elevation m] along the route (with a DEM)")
    instructions: list[Instruction]
    snapped_m: list[float] = Field(
        description="How far the two points were from the network (ridden at the speed: in distance_m and duration_s)"
    )
    stations_on_way: list[StationBrief]
    return_station: StationBrief | None = None


class DestinationProps(BaseModel):
    """A destination's public fields."""

    destination_id: str
    name: LocalText
    category: Category
    category_name: LocalText
    lon: float
    lat: float
    opening_hours: str | None
    opening_hours_raw: str | None = Field(
        None, description="The source's opening hours as found when they could not be read (opening_hours is null)"
    )
    hours_known: bool = Field(True, description="False: hours unknown, the planner visits the place 08:00-17:00 only")
    week: list[dict[str, Any]] = Field(
        description='Open windows per weekday as the planner uses them: [{"day": "Mo", "windows": [...]}]'
    )
    visit_minutes: int
    fee: int | None = Field(description="Entry fee in integer rupiah (null: unknown)")
    description: dict[str, str]
    photos: list[str]
    source: str
    is_demo: bool


class DestinationBody(BaseModel):
    """A destination, or the fields of one to change."""

    destination_id: str | None = Field(None, max_length=80)
    name: dict[str, str] | str | None = None
    category: Category | None = None
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    opening_hours: str | None = Field(None, max_length=300, description="OSM opening_hours syntax")
    visit_minutes: int | None = Field(None, ge=0, le=1440)
    fee: int | None = Field(None, ge=0, description="Integer rupiah")
    description: dict[str, str] | str | None = None
    photos: list[str] | None = None


class UnreadableHours(BaseModel):
    """A place of an import whose opening hours could not be read (stored with its hours unknown)."""

    destination_id: str
    name: LocalText
    source: str
    opening_hours: str


class DestinationsImported(BaseModel):
    """The result of an OSM destinations import."""

    filename: str
    already_imported: bool
    created: int
    updated: int
    skipped: dict[str, int]
    unreadable_hours: list[UnreadableHours] = Field(
        default_factory=list, description="Places stored with unknown hours: their opening_hours could not be read"
    )


class TourStart(BaseModel):
    """Where a tour starts: a station, or a point (a hotel ...)."""

    station_id: str | None = None
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    name: dict[str, str] | str | None = None


class TourBody(BaseModel):
    """What the rider asks for."""

    start: TourStart
    end_station_id: str | None = Field(
        None, description="The station to return the bike to; none: chosen among those expected to have a free dock"
    )
    date: str | None = Field(None, description="YYYY-MM-DD (default: today in the system's time zone)")
    start_time: str = Field("08:00", pattern=r"^\d{1,2}:\d{2}$")
    budget_minutes: int = Field(240, ge=15, le=1440)
    speed_kmh: float = Field(15.0, ge=4, le=40)
    profile: Profile = "quiet"
    interests: dict[Category, float] = Field(default_factory=dict, description="Weight 0-5 per category (1 default)")
    must_visit: list[str] = Field(default_factory=list)
    candidates: list[str] | None = Field(None, description="Only these destinations (default: all active ones)")
    alternatives: int = Field(2, ge=0, le=2)
    background: bool = Field(False, description="Plan as a background job (answers 202); signed-in users only")


class Stop(BaseModel):
    """One stop of a tour (``number`` 0 is the start)."""

    number: int
    kind: Literal["start", "destination", "end"]
    key: str
    arrive: str
    leave: str
    start: str | None = None
    wait_minutes: float | None = None
    visit_minutes: int | None = None
    name: dict[str, str] | None = None
    category: str | None = None
    category_name: dict[str, str] | None = None
    fee: int | None = None
    lon: float | None = None
    lat: float | None = None
    opening_hours: str | None = None
    hours_known: bool | None = Field(None, description="False: hours unknown, planned within 08:00-17:00 only")
    description: dict[str, str] | None = None
    photos: list[str] | None = None
    station_id: str | None = None
    docks_available: int | None = None
    docks_expected: int | None = None
    network_point: list[float] | None = Field(None, description="The junction the stop is reached from (lon, lat)")
    off_network_m: float | None = Field(None, description="Straight-line metres from the stop to that junction")


class Leg(BaseModel):
    """The ride between two stops (the off-network stretches at both ends included, at the riding speed)."""

    distance_m: float
    duration_s: float
    off_network_m: float | None = Field(None, description="Of distance_m, the metres off the network")
    climb_m: float
    instructions: list[Instruction]


class TourOut(BaseModel):
    """One planned tour."""

    stops: list[Stop]
    legs: list[Leg]
    geometry: LineString
    distance_m: float
    riding_minutes: float
    total_minutes: float
    finish: str
    climb_m: float
    descent_m: float
    value: float
    fees: int
    elevation: list[list[float]] | None
    destinations: list[str]
    return_station: StationBrief
    stations_on_way: list[StationBrief]


class Excluded(BaseModel):
    """A destination left out of the plan, why, and the nearest reachable one."""

    destination_id: str
    name: LocalText
    reason: str = Field(description="far, unreachable, closed or hours_unknown")
    message: LocalText
    nearest: dict[str, Any] | None


class NextStart(BaseModel):
    """A start date and time (local) at which the same request would visit a place."""

    date: str
    start_time: str


class PlanOut(BaseModel):
    """The best tour and up to two clearly different alternatives."""

    system_id: str
    profile: Profile
    speed_kmh: float
    date: str
    start_time: str
    budget_minutes: int | None = None
    start: dict[str, Any]
    tours: list[TourOut]
    excluded: list[Excluded]
    notes: list[str] = Field(
        description="no_destination_fits, end_station_may_be_full, opening_hours_unknown (a tour visits a place "
        "whose hours are not known: planned within 08:00-17:00)"
    )
    next_start: NextStart | None = Field(
        None, description="With the note no_destination_fits: the earliest later start at which a place fits"
    )
    warnings: list[dict[str, Any]] | None = None


class RouteBody(BaseModel):
    """A curated route: stops in order from a start station to an end station."""

    slug: str = Field(max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: dict[str, str] | str
    description: dict[str, str] | str | None = None
    photos: list[str] = Field(default_factory=list)
    start_station_id: str
    end_station_id: str | None = None
    stops: list[str] = Field(min_length=1)
    start_time: str = Field("08:00", pattern=r"^\d{1,2}:\d{2}$")
    profile: Profile = "quiet"
    speed_kmh: float = Field(15.0, ge=4, le=40)
    publish: bool = False


class SavedRoute(BaseModel):
    """A saved route with its plan."""

    slug: str
    kind: str
    name: LocalText
    description: dict[str, str]
    photos: list[str]
    profile: str
    speed_kmh: float
    distance_m: float
    duration_s: float
    climb_m: float
    is_published: bool
    is_demo: bool
    plan: PlanOut


class CatalogueItem(BaseModel):
    """A route of the public catalogue."""

    slug: str
    kind: str
    name: LocalText
    description: dict[str, str]
    photos: list[str]
    profile: str
    speed_kmh: float
    distance_m: float
    duration_s: float
    climb_m: float
    is_published: bool
    is_demo: bool
    stops: list[dict[str, str] | None]
    start_station: dict[str, str] | None
    return_station: StationBrief
    geometry: LineString


class StationRoute(BaseModel):
    """A published route linked to a station."""

    slug: str
    name: LocalText
    role: Literal["start", "end", "on_way"]
    distance_m: float
