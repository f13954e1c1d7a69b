"""The request and response models of Bike Sharing's API and GBFS feeds, and the errors each kind of route answers.

Money is integer rupiah; times are RFC 3339 strings with their offset; names shown to riders
are ``{"id": ..., "en": ...}``. Errors are RFC 9457 problem details
(:class:`kotacerdas.http.schemas.Problem`); :data:`PUBLIC`, :data:`RIDER`, :data:`OPERATOR_READ`
and :data:`OPERATOR_WRITE` document those each kind of route can answer (422: a parameter or body field of
the wrong type or range, as problem details too).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kotacerdas.http.pagination import Paged
from kotacerdas.http.schemas import problems

LocalText = Annotated[dict[str, str], Field(description='Text per language: {"id": "...", "en": "..."}')]
Timestamp = Annotated[
    str, Field(description="RFC 3339 date and time with offset", json_schema_extra={"format": "date-time"})
]
Rupiah = Annotated[int, Field(description="Integer rupiah")]

# -- the errors each kind of route answers ---------------------------------------------------------

#: A public read of a system or one of its records: unknown system or record (422: a parameter out of range).
PUBLIC = problems(404, 422)
#: A rider's read of their own records: not signed in (or a bad token), not a rider of the system.
RIDER_READ = problems(401, 404, 422)
#: A rider's write: invalid input, not signed in, a cross-site cookie write, unknown records, a state conflict.
RIDER = problems(400, 401, 403, 404, 409, 422)
#: An operator's read: not signed in, without ``bikes.read_private`` in the system's city, unknown records.
OPERATOR_READ = problems(401, 403, 404, 422)
#: An operator's write: also invalid input and conflicts with what is stored.
OPERATOR_WRITE = problems(400, 401, 403, 404, 409, 422)
#: An operator's upload: also a file over the size limit.
OPERATOR_UPLOAD = problems(400, 401, 403, 404, 409, 413, 422)


# -- request bodies --------------------------------------------------------------------------------


class RiderRegister(BaseModel):
    """A new rider: a phone number and a password, or nothing when already signed in."""

    phone: str | None = Field(None, description="Mobile number, e.g. 0812 3456 7890 (not needed when signed in)")
    password: str | None = Field(None, min_length=8)
    name: str = ""
    language: str = "id"


class RiderLogin(BaseModel):
    """A rider's sign-in."""

    phone: str
    password: str


class TopUp(BaseModel):
    """A top-up of the wallet through a QRIS payment."""

    amount: int = Field(gt=0, le=10_000_000, description="Rupiah")
    idempotency_key: str | None = Field(None, max_length=120)


class PassBuy(BaseModel):
    """A day pass bought from the wallet."""

    plan_id: str
    idempotency_key: str = Field(min_length=1, max_length=120)


class ReserveBody(BaseModel):
    """The bike to hold: its id, or the public ``vehicle_id`` shown at its station."""

    bike_id: str | None = Field(None, min_length=1, max_length=80)
    vehicle_id: str | None = Field(None, min_length=1, max_length=80)

    @model_validator(mode="after")
    def _one(self) -> ReserveBody:
        if (self.bike_id is None) == (self.vehicle_id is None):
            raise ValueError("give bike_id or vehicle_id")
        return self


class RentBody(BaseModel):
    """What to rent: a named bike (its id, or the public ``vehicle_id`` shown at its station), any available bike
    at a station, or (none of them) the reserved bike."""

    bike_id: str | None = None
    vehicle_id: str | None = Field(None, min_length=1, max_length=80)
    station_id: str | None = None
    vehicle_type_id: str | None = Field(
        None, description="With station_id: the type wanted (e.g. ebike); without it a classic bike comes first"
    )


class EndBody(BaseModel):
    """Where the ride ends, and whether the bike came back broken."""

    station_id: str
    broken: bool = False
    battery: float | None = Field(None, ge=0, le=1)
    note: str = ""


class ReportBody(BaseModel):
    """A broken bike."""

    bike_id: str
    note: str = Field("", max_length=2000)


class SystemBody(BaseModel):
    """A new system in a city."""

    city: str
    system_id: str
    name: dict[str, str] | str
    operator: dict[str, str] | str | None = None
    short_name: dict[str, str] | None = None
    feed_contact_email: str | None = None
    timezone: str | None = None
    opening_hours: str | None = None
    url: str | None = None
    email: str | None = None
    phone_number: str | None = None
    license_url: str | None = None
    reserve_minutes: int = Field(15, ge=1, le=120)
    redirect_credit_minutes: int = Field(15, ge=0, le=120)


class SystemPatch(BaseModel):
    """Fields of a system to change (the others stay)."""

    name: dict[str, str] | str | None = None
    operator: dict[str, str] | str | None = None
    feed_contact_email: str | None = None
    opening_hours: str | None = None
    url: str | None = None
    email: str | None = None
    phone_number: str | None = None
    license_url: str | None = None
    reserve_minutes: int | None = Field(None, ge=1, le=120)
    redirect_credit_minutes: int | None = Field(None, ge=0, le=120)


class StationBody(BaseModel):
    """A station, or the fields of one to change."""

    station_id: str | None = None
    name: dict[str, str] | str | None = None
    short_name: dict[str, str] | str | None = None
    lat: float | None = None
    lon: float | None = None
    capacity: int | None = Field(None, ge=0, le=500)
    num_docks_disabled: int | None = Field(None, ge=0)
    address: str | None = None
    region_id: str | None = None
    nearby: list[str] | None = None
    opening_hours: str | None = None
    is_charging_station: bool | None = None
    is_installed: bool | None = None
    is_renting: bool | None = None
    is_returning: bool | None = None


class BikeBody(BaseModel):
    """A new bike put into service."""

    bike_id: str = Field(min_length=1, max_length=64)
    vehicle_type_id: str
    station_id: str
    battery: float | None = Field(None, ge=0, le=1)


class BikePatch(BaseModel):
    """A change to a bike: status, station (``""`` with ``maintenance``: off its dock), battery."""

    status: str | None = None
    station_id: str | None = None
    battery: float | None = Field(None, ge=0, le=1)


class PlanBody(BaseModel):
    """A pricing plan, or the fields of one to change (integer rupiah)."""

    name: dict[str, str] | str | None = None
    description: dict[str, str] | str | None = None
    unlock_fee: int | None = None
    per_minute: int | None = None
    free_minutes: int | None = None
    day_pass_price: int | None = None
    pass_valid_minutes: int | None = None
    vehicle_type_ids: list[str] | None = None
    is_active: bool | None = None


class AlertBody(BaseModel):
    """An alert to riders (GBFS ``system_alerts``)."""

    alert_id: str | None = None
    type: str = "other"
    summary: dict[str, str] | str
    description: dict[str, str] | str | None = None
    times: list[dict[str, str | None]] = []
    station_ids: list[str] = []
    region_ids: list[str] = []


class TaskBody(BaseModel):
    """A new task for the field team."""

    kind: str
    bike_id: str | None = None
    station_id: str | None = None
    note: str = ""
    priority: int = Field(2, ge=1, le=3)


class TaskPatch(BaseModel):
    """A task's new status."""

    status: str


# -- systems, stations, plans, alerts ---------------------------------------------------------------


class GbfsLinks(BaseModel):
    """The system's GBFS discovery files."""

    v3: str
    v2: str


class System(BaseModel):
    """A bike-share system (one GBFS data set)."""

    system_id: str
    city: str = Field(description="Code of the city, e.g. 35.10")
    name: LocalText
    short_name: LocalText | None
    operator: LocalText
    timezone: str
    opening_hours: str | None
    feed_contact_email: str | None
    url: str | None
    is_demo: bool
    reserve_minutes: int
    redirect_credit_minutes: int
    gbfs: GbfsLinks


class ChangeUndone(BaseModel):
    """A recorded change put back."""

    undone: int = Field(description="The audit log entry undone")
    stations: list[str] = Field(description="The stations put back as they were before it")


class VehicleType(BaseModel):
    """A kind of bike (classic or e-bike)."""

    vehicle_type_id: str
    name: LocalText
    propulsion_type: str
    form_factor: str
    max_range_meters: float | None
    wheel_count: int
    max_permitted_speed: int | None
    default_reserve_time: int
    return_constraint: str
    default_pricing_plan_id: str | None
    pricing_plan_ids: list[str]


class SystemDetail(System):
    """A system with its live totals and vehicle types."""

    stations: int
    bikes_available: int
    vehicle_types: list[VehicleType]


class Kecamatan(BaseModel):
    """The kecamatan holding a station (from the city's admin areas)."""

    code: str | None
    name: str | None


class Station(BaseModel):
    """A docking station."""

    station_id: str
    name: LocalText
    short_name: LocalText | None
    lat: float
    lon: float
    capacity: int
    num_docks_disabled: int
    address: str | None
    kecamatan: Kecamatan
    region_id: str | None
    nearby: list[str]
    opening_hours: str | None
    is_charging_station: bool
    is_installed: bool
    is_renting: bool
    is_returning: bool
    docked: int = Field(description="Bikes standing in its docks")
    docks_available: int = Field(description="Docks a rider can return a bike to now")


class StationLive(Station):
    """A station with the bikes available in it now."""

    bikes_available: dict[str, int] = Field(description="Available bikes per vehicle type")


class DockedBike(BaseModel):
    """A bike available at a station: the public knows it by its rotating ``vehicle_id``, staff by its id too."""

    bike_id: str | None = Field(description="The bike's stable id: only for the system's staff (null otherwise)")
    vehicle_id: str = Field(description="The GBFS vehicle_id: changes after every trip (reserve the bike with it)")
    vehicle_type_id: str
    status: str
    battery: float | None


class StationDetail(StationLive):
    """A station with its available bikes."""

    bikes: list[DockedBike]


class Plan(BaseModel):
    """A pricing plan in integer rupiah."""

    plan_id: str
    name: LocalText
    description: LocalText
    currency: Literal["IDR"]
    unlock_fee: Rupiah
    per_minute: Rupiah
    free_minutes: int
    day_pass_price: Rupiah | None
    pass_valid_minutes: int
    vehicle_type_ids: list[str]
    is_active: bool


class AlertTime(BaseModel):
    """When an alert applies (no end: until withdrawn)."""

    start: Timestamp
    end: Timestamp | None


class Alert(BaseModel):
    """An alert to riders."""

    alert_id: str
    type: str
    summary: LocalText
    description: LocalText | None
    times: list[AlertTime]
    station_ids: list[str]
    region_ids: list[str]
    last_updated: Timestamp


# -- riders ---------------------------------------------------------------------------------------------


class Rider(BaseModel):
    """A rider account with its wallet."""

    rider_id: str
    name: str
    phone: str | None
    language: str
    balance: Rupiah
    debt: Rupiah


class Registered(BaseModel):
    """A new rider account, and a bearer token for a new user."""

    rider: Rider
    access_token: str | None
    token_type: Literal["bearer"] | None


class Token(BaseModel):
    """A rider's bearer token."""

    access_token: str
    token_type: Literal["bearer"]


class Rental(BaseModel):
    """A rental, or a trip of the imported history."""

    rental_id: str
    bike_id: str
    vehicle_type_id: str | None
    start_station_id: str
    end_station_id: str | None
    start_time: Timestamp
    end_time: Timestamp | None
    plan_id: str | None
    pass_id: str | None
    fare: Rupiah | None
    credit_minutes: int = Field(description="Free minutes granted for detours from full stations")
    status: str


class Reservation(BaseModel):
    """A bike held for the rider."""

    reservation_id: str
    bike_id: str
    station_id: str
    created_at: Timestamp
    expires_at: Timestamp
    status: str


class DayPassHeld(BaseModel):
    """A valid day pass."""

    pass_id: str
    plan_id: str
    valid_until: Timestamp


class Account(Rider):
    """The rider's account now: the active rental, a live reservation, a valid day pass."""

    active_rental: Rental | None
    reservation: Reservation | None
    day_pass: DayPassHeld | None


class FareDetail(BaseModel):
    """How the fare of a ride was made."""

    minutes: int
    billable_minutes: int
    unlock_fee: Rupiah
    time_charge: Rupiah
    total: Rupiah


class RideEnded(Rental):
    """An ended ride with its fare and the wallet after it."""

    fare_detail: FareDetail
    balance: Rupiah
    debt: Rupiah


#: The errors of ending a ride. A full or closed station's 409 carries, beside the problem details, where to
#: ride on: ``station_id``, ``nearest_station_id`` (none when every dock is taken), ``distance_m``, the free
#: minutes granted now (``credit_minutes``, once per full station) and in all (``total_credit_minutes``).
RIDE_END = problems(400, 401, 402, 403, 404, 409, 422)
RIDE_END[409] = {
    **RIDE_END[409],
    "description": "The station is full or closed: nearest_station_id, distance_m, credit_minutes and "
    "total_credit_minutes say where to ride on and the free minutes granted; or the rider has no active rental",
}


class ReportMade(BaseModel):
    """A broken-bike report: the bike is out of service and a repair task is open."""

    bike_id: str
    status: str
    task_id: str


# -- payments --------------------------------------------------------------------------------------------


class StatementLine(BaseModel):
    """One movement of the wallet."""

    txn_id: str
    kind: str
    amount: Rupiah = Field(description="Into the wallet (positive) or out of it (negative)")
    reference: str | None
    at: Timestamp


class Statement(Paged[StatementLine]):
    """A page of the wallet statement, with the balance and the debt now."""

    balance: Rupiah
    debt: Rupiah


class Intent(BaseModel):
    """A payment intent with its dynamic QRIS payload."""

    intent_id: str
    provider: str
    amount: Rupiah
    currency: Literal["IDR"]
    status: str
    qr_payload: str
    created_at: Timestamp
    expires_at: Timestamp
    idempotency_key: str


class PaymentResult(BaseModel):
    """A payment applied: the intent's status and the wallet's balance."""

    intent_id: str
    status: str
    balance: Rupiah


class PassBought(BaseModel):
    """A day pass bought, and the wallet after it."""

    pass_id: str
    plan_id: str
    purchased_at: Timestamp
    valid_until: Timestamp
    balance: Rupiah


# -- the fleet ----------------------------------------------------------------------------------------------


class Bike(BaseModel):
    """A bike in the operator's list."""

    bike_id: str
    vehicle_type_id: str
    status: str
    station_id: str | None
    battery: float | None
    lat: float | None
    lon: float | None
    last_reported: Timestamp


class BikeChanged(BaseModel):
    """A bike's status and station after a change."""

    bike_id: str
    status: str
    station_id: str | None


class Task(BaseModel):
    """A task of the field team."""

    task_id: str
    kind: str
    bike_id: str | None
    station_id: str | None
    note: str
    status: str
    priority: int
    created_at: Timestamp
    closed_at: Timestamp | None


class Report(BaseModel):
    """A broken-bike report."""

    bike_id: str
    note: str
    task_id: str | None
    at: Timestamp


class StationsImported(BaseModel):
    """What a station import did."""

    created: int
    updated: int


class TripsImported(BaseModel):
    """What a trip history import did (the same file twice: ``already_imported``)."""

    imported: int
    skipped: int = Field(description="Trips already stored (by trip id), left as they were")
    skipped_ids: list[str] = Field(default_factory=list, description="The first 20 trip ids skipped as stored")
    already_imported: bool


# -- insights ----------------------------------------------------------------------------------------------


class DayFigures(BaseModel):
    """Trips and revenue of one local day."""

    date: str = Field(json_schema_extra={"format": "date"})
    trips: int
    revenue: Rupiah


class Attention(BaseModel):
    """A bike needing attention."""

    bike_id: str
    status: str
    battery: float | None
    station_id: str | None
    reason: Literal["broken", "maintenance", "missing", "low_battery"]


class Dashboard(BaseModel):
    """The operator's figures."""

    system_id: str
    days: list[DayFigures]
    stations: int
    empty_stations: list[str]
    full_stations: list[str]
    bikes: dict[str, int] = Field(description="Bikes per status")
    bikes_needing_attention: list[Attention]
    open_tasks: dict[str, int] = Field(description="Open tasks per kind")
    active_rentals: int


class StationForecast(BaseModel):
    """Expected pickups and returns of a station, one per forecast hour."""

    station_id: str
    pickups: list[float]
    returns: list[float]


class Forecast(BaseModel):
    """Expected pickups and returns per station and hour."""

    system_id: str
    trips_used: int
    hours: list[Timestamp]
    stations: list[StationForecast]


class Need(BaseModel):
    """A station's stock now, its safe range for the window and the target a van should leave."""

    station_id: str
    current: int
    low: int
    high: int
    target: int
    delta: int = Field(description="Bikes to bring (positive) or take (negative)")


class Stop(BaseModel):
    """A stop of a van."""

    station_id: str
    delta: int
    arrival_minute: float
    load_after: int


class VanRoute(BaseModel):
    """A van's route."""

    truck_id: str
    distance_m: float
    duration_minutes: float
    stops: list[Stop]


class RebalancingPlan(BaseModel):
    """Station needs from the forecast and van routes to meet them."""

    system_id: str
    trips_used: int
    window: list[Timestamp]
    distance_source: Literal["road_network", "haversine"] = Field(
        description="road_network: the city's stored road network; haversine: straight lines x 1.3"
    )
    distance_reason: Literal["no_road_network", "stations_off_network", "not_connected", "no_stations"] | None = Field(
        description="Why the road network was not used (null when it was)"
    )
    depot_station_id: str | None
    solver: str
    bikes_moved: int
    unserved: dict[str, int]
    problems: list[str]
    needs: list[Need]
    routes: list[VanRoute]


class Invariants(BaseModel):
    """Money, docks and rentals recomputed from the rows."""

    ok: bool
    problems: list[str]


# -- GBFS ----------------------------------------------------------------------------------------------------


class GbfsFeed(BaseModel):
    """A GBFS file: the envelope of every feed (v3.0 and v2.3), the feed's content in ``data``."""

    model_config = ConfigDict(extra="allow")

    last_updated: str | int = Field(description="v3.0: RFC 3339; v2.3: POSIX seconds")
    ttl: int = Field(description="Seconds the feed is valid")
    version: Literal["3.0", "2.3"]
    data: dict[str, Any]


#: The answers of a GBFS route: 304 to a matching ``If-None-Match``, 404 for an unknown system, feed or language.
GBFS_RESPONSES: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the If-None-Match header names the feed's current ETag"},
    **problems(404, 422),
}


class PaymentNotice(BaseModel):
    """The payment provider's notification (the sandbox provider's shape), signed in ``X-Signature``."""

    event_id: str
    intent_id: str
    status: Literal["paid", "expired", "failed"]
    amount: Rupiah
    at: Timestamp
