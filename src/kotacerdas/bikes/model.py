"""Records of a docked bike-share system: system, stations, bikes, plans, rentals.

Plain frozen dataclasses, no storage: the platform maps them onto tables and
the other bike modules (:mod:`~kotacerdas.bikes.operations`,
:mod:`~kotacerdas.bikes.pricing`, :mod:`~kotacerdas.bikes.gbfs` ...) take and
return them. State changes return new records (``dataclasses.replace``).

Conventions
-----------
* Money is integer rupiah (``int``), never ``float``.
* Times are timezone-aware :class:`datetime.datetime` values.
* Coordinates are WGS84 degrees; geometries are Shapely 2 objects in
  ``(lon, lat)`` order.
* Text shown to riders is localized: a mapping ``{"id": ..., "en": ...}``
  (Bahasa Indonesia first, English second), see :func:`local`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from kotacerdas.bikes.errors import BikesError
from kotacerdas.core.formats import Quantity
from kotacerdas.core.i18n import N_

LocalText = Mapping[str, str]
"""Text in each language of the system: ``{"id": "Stasiun", "en": "Station"}``."""

LANGUAGES: tuple[str, ...] = ("id", "en")
WIB = timezone(timedelta(hours=7), "WIB")
"""Western Indonesia Time (UTC+07:00, no daylight saving), Banyuwangi's zone."""


def local(id_text: str, en_text: str | None = None) -> dict[str, str]:
    """Build a localized text; English defaults to the Indonesian text.

    Parameters
    ----------
    id_text:
        The Bahasa Indonesia text.
    en_text:
        The English text (``None``: same as ``id_text``, e.g. for proper names).

    Returns
    -------
    dict
        ``{"id": id_text, "en": en_text}``.
    """
    return {"id": id_text, "en": id_text if en_text is None else en_text}


def local_text(value: Any, field_name: str) -> dict[str, str]:
    """A localized text from what an operator sent: ``{"id": ..., "en": ...}`` (either may be missing) or a string.

    Raises
    ------
    BikesError
        When the text is empty in every language.
    """
    if isinstance(value, Mapping):
        if not value.get("id") and not value.get("en"):
            raise BikesError(N_("{name} must not be empty"), field=field_name, name=field_name)
        return local(value.get("id") or value["en"], value.get("en"))
    if not value or not str(value).strip():
        raise BikesError(N_("{name} must not be empty"), field=field_name, name=field_name)
    return local(str(value).strip())


def text_in(text: LocalText, lang: str = "id") -> str:
    """The text in ``lang``, falling back to Indonesian, then to any language."""
    if lang in text:
        return text[lang]
    if "id" in text:
        return text["id"]
    return next(iter(text.values()), "")


#: What an id an operator chooses may hold (station, alert, plan ids): it goes into URLs and GBFS feeds as it is.
IDENTIFIER = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


def check_identifier(value: str, field_name: str, record: str | None = None) -> str:
    """``value`` if it is a usable id (:data:`IDENTIFIER`), else a 400 naming the field."""
    if not IDENTIFIER.fullmatch(value):
        raise BikesError(
            N_("{name} may hold 1 to 64 letters, digits, '.', '_' and '-'"),
            field=field_name,
            name=field_name,
            record=record,
        )
    return value


def coordinate(value: float) -> Quantity:
    """A latitude or longitude as a message parameter, written in the reader's locale (``-8,21950``)."""
    return Quantity(value, "number", 5)


def whole_number(value: Any, field_name: str, record: str | None = None) -> int:
    """``value`` as a whole number (an int, or text holding one), else a 400 naming the field and what was given."""
    if isinstance(value, bool):
        value = str(value)
    try:
        return value if isinstance(value, int) else int(str(value).strip())
    except ValueError:
        raise BikesError(
            N_("{name} must be a whole number, not “{value}”"),
            field=field_name,
            name=field_name,
            record=record,
            value=str(value)[:40],
        ) from None


def decimal_number(value: Any, field_name: str, record: str | None = None) -> float:
    """``value`` as a finite number (``-8.2195``; a decimal comma is read too), else a 400 naming the field."""
    try:
        number = float(value) if isinstance(value, int | float) else float(str(value).strip().replace(",", "."))
    except ValueError:
        number = float("nan")
    if isinstance(value, bool) or number != number or number in (float("inf"), float("-inf")):
        raise BikesError(
            N_("{name} must be a number, not “{value}”"),
            field=field_name,
            name=field_name,
            record=record,
            value=str(value)[:40],
        )
    return number


@dataclass(frozen=True)
class LocalName:
    """A name in each language as a message parameter: an error names the place in its reader's language.

    :meth:`kotacerdas.core.errors.KotacerdasError.render` calls :meth:`render`; as plain text (a stored
    job's parameters) it is the Indonesian name.
    """

    text: LocalText

    def render(self, lang: str = "id") -> str:
        return text_in(self.text, lang)

    def __str__(self) -> str:
        return self.render("id")


def check_money(value: Any, field_name: str) -> int:
    """Return ``value`` if it is a non-negative integer amount of rupiah.

    Raises
    ------
    BikesError
        For floats, booleans, non-numbers and negative amounts.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise BikesError(
            N_("{name} must be a whole number of rupiah, not {value!r}"),
            field=field_name,
            name=field_name,
            value=value,
        )
    if value < 0:
        raise BikesError(N_("{name} must not be negative"), field=field_name, name=field_name)
    return value


def check_aware(value: datetime, field_name: str) -> datetime:
    """Return ``value`` if it is a timezone-aware datetime, else raise BikesError."""
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise BikesError(N_("{name} must be a date and time with a time zone"), field=field_name, name=field_name)
    return value


class BikeStatus(StrEnum):
    """Where a bike stands in its life cycle (see :mod:`kotacerdas.bikes.operations`)."""

    AVAILABLE = "available"
    RENTED = "rented"
    RESERVED = "reserved"
    BROKEN = "broken"
    MAINTENANCE = "maintenance"
    MISSING = "missing"


@dataclass(frozen=True)
class System:
    """One bike-share system (one GBFS data set).

    ``is_demo`` marks generated data (the Banyuwangi demo); feeds then say so
    in the system name.
    """

    system_id: str
    name: LocalText
    operator: LocalText
    feed_contact_email: str
    short_name: LocalText | None = None
    timezone: str = "Asia/Jakarta"
    languages: tuple[str, ...] = LANGUAGES
    opening_hours: str = "Mo-Su 05:00-22:00"
    url: str | None = None
    email: str | None = None
    phone_number: str | None = None
    start_date: str | None = None
    license_url: str | None = None
    terms_url: LocalText | None = None
    terms_last_updated: str | None = None
    privacy_url: LocalText | None = None
    privacy_last_updated: str | None = None
    is_demo: bool = False


@dataclass(frozen=True)
class Region:
    """A named part of the system (a kecamatan, a district of the city)."""

    region_id: str
    name: LocalText


@dataclass(frozen=True)
class VehicleType:
    """A kind of bike: classic (human powered) or e-bike (electric assist).

    ``max_range_meters`` is required for e-bikes (range on a full battery).
    """

    vehicle_type_id: str
    name: LocalText
    propulsion_type: str = "human"
    form_factor: str = "bicycle"
    max_range_meters: float | None = None
    wheel_count: int = 2
    max_permitted_speed: int | None = None
    default_reserve_time: int = 15
    return_constraint: str = "any_station"
    default_pricing_plan_id: str | None = None
    pricing_plan_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.propulsion_type not in ("human", "electric_assist", "electric"):
            raise BikesError(N_("unknown propulsion type {value}"), field="propulsion_type", value=self.propulsion_type)
        if self.is_electric and (self.max_range_meters is None or self.max_range_meters <= 0):
            raise BikesError(
                N_("an e-bike type needs a positive max_range_meters"),
                field="max_range_meters",
                record=self.vehicle_type_id,
            )

    @property
    def is_electric(self) -> bool:
        """True for e-bikes (electric assist or fully electric)."""
        return self.propulsion_type != "human"


#: Most docks one station may have (the largest docking stations have a few hundred; a depot may be
#: entered as a station holding the whole fleet).
MAX_CAPACITY = 10_000
#: Longest id of a station, bike or trip (GBFS ids are short; the database holds 64 characters).
MAX_ID_LENGTH = 64


def check_id(value: str, name: str) -> str:
    """``value`` when it is a usable id: not empty, at most :data:`MAX_ID_LENGTH` printable characters."""
    if not value or not value.strip():
        raise BikesError(N_("{name} must not be empty"), field=name, name=name)
    if len(value) > MAX_ID_LENGTH or not value.isprintable():
        raise BikesError(
            N_("{name} must be at most {max} printable characters"),
            field=name,
            record=value[:40],
            name=name,
            max=MAX_ID_LENGTH,
        )
    return value


@dataclass(frozen=True)
class Station:
    """A docking station: location, number of docks, and whether it is open."""

    station_id: str
    name: LocalText
    lat: float
    lon: float
    capacity: int
    region_id: str | None = None
    address: str | None = None
    short_name: LocalText | None = None
    is_charging_station: bool = False
    is_installed: bool = True
    is_renting: bool = True
    is_returning: bool = True
    num_docks_disabled: int = 0
    rental_methods: tuple[str, ...] = ("key", "phone")

    def __post_init__(self) -> None:
        check_id(self.station_id, "station_id")
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise BikesError(
                N_("coordinates {lat}, {lon} are outside WGS84 bounds"),
                field="lat",
                record=self.station_id,
                lat=coordinate(self.lat),
                lon=coordinate(self.lon),
            )
        if not 0 <= self.capacity <= MAX_CAPACITY or not 0 <= self.num_docks_disabled <= self.capacity:
            raise BikesError(
                N_("capacity {capacity} and disabled docks {disabled} do not fit"),
                field="capacity",
                record=self.station_id,
                capacity=self.capacity,
                disabled=self.num_docks_disabled,
            )

    @property
    def usable_docks(self) -> int:
        """Docks that can hold a bike (capacity less disabled docks)."""
        return self.capacity - self.num_docks_disabled


@dataclass(frozen=True)
class Bike:
    """One bike: its type, status, where it is and (e-bikes) its battery (0..1).

    A docked bike has ``station_id``; a rented or missing bike has none and may
    carry a last known ``lat``/``lon``.
    """

    bike_id: str
    vehicle_type_id: str
    status: BikeStatus = BikeStatus.AVAILABLE
    station_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    battery: float | None = None
    last_reported: datetime | None = None
    pricing_plan_id: str | None = None

    def __post_init__(self) -> None:
        if self.battery is not None and not 0.0 <= self.battery <= 1.0:
            raise BikesError(
                N_("battery level {value} is outside 0..1"),
                field="battery",
                record=self.bike_id,
                value=self.battery,
            )

    @property
    def is_disabled(self) -> bool:
        """GBFS ``is_disabled``: broken, in maintenance or missing."""
        return self.status in (BikeStatus.BROKEN, BikeStatus.MAINTENANCE, BikeStatus.MISSING)


@dataclass(frozen=True)
class PricingPlan:
    """A price list in integer rupiah.

    A *per-ride* plan charges ``unlock_fee`` at each ride start, then
    ``per_minute`` for each started minute after the first ``free_minutes``.
    A *day pass* plan (``day_pass_price`` set) is bought once and is valid for
    ``pass_valid_minutes``; rides under it use the same ride terms (usually no
    unlock fee and a long free period).
    """

    plan_id: str
    name: LocalText
    description: LocalText
    unlock_fee: int = 0
    per_minute: int = 0
    free_minutes: int = 0
    day_pass_price: int | None = None
    pass_valid_minutes: int = 24 * 60
    currency: str = "IDR"
    is_taxable: bool = False
    url: str | None = None
    vehicle_type_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_money(self.unlock_fee, "unlock_fee")
        check_money(self.per_minute, "per_minute")
        if isinstance(self.free_minutes, bool) or not isinstance(self.free_minutes, int) or (self.free_minutes < 0):
            raise BikesError(N_("{name} must not be negative"), field="free_minutes", name="free_minutes")
        if self.day_pass_price is not None:
            check_money(self.day_pass_price, "day_pass_price")
        minutes = self.pass_valid_minutes
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            raise BikesError(
                N_("{name} must be a whole number above zero"), field="pass_valid_minutes", name="pass_valid_minutes"
            )

    @property
    def is_day_pass(self) -> bool:
        """True when the plan is a pass bought once for a period."""
        return self.day_pass_price is not None


@dataclass(frozen=True)
class Rider:
    """A registered rider (the wallet lives in the ledger, see :mod:`~kotacerdas.bikes.ledger`)."""

    rider_id: str
    name: str
    language: str = "id"


@dataclass(frozen=True)
class DayPass:
    """A day pass a rider bought: plan, purchase time and end of validity."""

    pass_id: str
    rider_id: str
    plan_id: str
    purchased_at: datetime
    valid_until: datetime

    def covers(self, at: datetime) -> bool:
        """True when the pass is valid at ``at`` (purchase time inclusive, end exclusive)."""
        return self.purchased_at <= at < self.valid_until


@dataclass(frozen=True)
class Reservation:
    """A bike held for a rider until ``expires_at``.

    ``status``: ``active``, ``converted`` (became a rental), ``cancelled`` or ``expired``.
    """

    reservation_id: str
    rider_id: str
    bike_id: str
    station_id: str
    created_at: datetime
    expires_at: datetime
    status: str = "active"


@dataclass(frozen=True)
class Rental:
    """A ride: who, which bike, from where to where, and the fare once ended.

    ``status``: ``active`` or ``ended``. ``fare`` is integer rupiah, set at the end.
    """

    rental_id: str
    rider_id: str
    bike_id: str
    start_station_id: str
    start_time: datetime
    plan_id: str
    end_station_id: str | None = None
    end_time: datetime | None = None
    pass_id: str | None = None
    fare: int | None = None
    status: str = "active"
    credit_minutes: int = 0


@dataclass(frozen=True)
class Trip:
    """One completed ride of the trip history (input to forecasting and simulation)."""

    trip_id: str
    bike_id: str
    start_station_id: str
    end_station_id: str
    start_time: datetime
    end_time: datetime
    rider_id: str | None = None
    vehicle_type_id: str | None = None

    @property
    def duration_s(self) -> float:
        """Ride duration in seconds."""
        return (self.end_time - self.start_time).total_seconds()


@dataclass(frozen=True)
class AlertTime:
    """When an alert applies; ``end`` is ``None`` for open-ended alerts. Aware times, ``end`` after ``start``."""

    start: datetime
    end: datetime | None = None

    def __post_init__(self) -> None:
        for name, value in (("start", self.start), ("end", self.end)):
            if value is not None and value.utcoffset() is None:
                raise BikesError(N_("{name} must be a time with its UTC offset"), field=f"times.{name}", name=name)
        if self.end is not None and self.end <= self.start:
            raise BikesError(N_("an alert must end after it starts"), field="times.end")


#: Alert times outside these years are typing mistakes, not alerts.
ALERT_YEARS = (2000, 2100)
#: The longest alert summary and description a feed carries (characters).
ALERT_TEXT_MAX = 2000


def alert_time(value: Any, zone: timezone | Any) -> AlertTime:
    """An :class:`AlertTime` from what an operator sent: ``{"start": ISO 8601, "end": ISO 8601 or null}`` (or a pair).

    A time without a UTC offset is read in the system's time zone ``zone`` (a ``tzinfo``).

    Raises
    ------
    BikesError
        When the start is missing, a time is not ISO 8601 or outside :data:`ALERT_YEARS`, or the end is not after
        the start.
    """
    if isinstance(value, Mapping):
        start_raw, end_raw = value.get("start"), value.get("end")
    elif isinstance(value, list | tuple) and value:
        start_raw, end_raw = value[0], value[1] if len(value) > 1 else None
    else:
        start_raw = end_raw = None
    if not start_raw:
        raise BikesError(N_("an alert time needs its start"), field="times.start")

    def parse(raw: Any, name: str) -> datetime:
        try:
            when = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except ValueError as exc:
            raise BikesError(
                N_("{name} must be an ISO 8601 time, not {value}"),
                field=f"times.{name}",
                name=name,
                value=str(raw)[:40],
            ) from exc
        if not ALERT_YEARS[0] <= when.year <= ALERT_YEARS[1]:
            raise BikesError(
                N_("{name} must lie between the years {first} and {last}"),
                field=f"times.{name}",
                name=name,
                first=ALERT_YEARS[0],
                last=ALERT_YEARS[1],
            )
        return when if when.utcoffset() is not None else when.replace(tzinfo=zone)

    return AlertTime(parse(start_raw, "start"), parse(end_raw, "end") if end_raw else None)


@dataclass(frozen=True)
class Alert:
    """A notice to riders (GBFS ``system_alerts``).

    ``type``: ``system_closure``, ``station_closure``, ``station_move`` or ``other``.
    """

    alert_id: str
    type: str
    summary: LocalText
    description: LocalText | None = None
    url: LocalText | None = None
    times: tuple[AlertTime, ...] = ()
    station_ids: tuple[str, ...] = ()
    region_ids: tuple[str, ...] = ()
    last_updated: datetime | None = None

    def __post_init__(self) -> None:
        if self.type not in ("system_closure", "station_closure", "station_move", "other"):
            raise BikesError(N_("unknown alert type {value}"), field="type", record=self.alert_id, value=self.type)


@dataclass(frozen=True)
class GeofencingRule:
    """What riders may do inside a geofencing zone (GBFS v3 rule)."""

    ride_start_allowed: bool = True
    ride_end_allowed: bool = True
    ride_through_allowed: bool = True
    maximum_speed_kph: int | None = None
    station_parking: bool | None = None
    vehicle_type_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class GeofencingZone:
    """An area with riding rules; ``geometry`` is a Shapely Polygon/MultiPolygon (lon, lat)."""

    zone_id: str
    name: LocalText
    geometry: Any
    rules: tuple[GeofencingRule, ...] = ()
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class OperatorTask:
    """Work for the field team: ``repair``, ``recover``, ``rebalance`` or ``charge``.

    ``status``: ``open``, ``in_progress`` or ``done``.
    """

    task_id: str
    kind: str
    created_at: datetime
    bike_id: str | None = None
    station_id: str | None = None
    note: str = ""
    status: str = "open"
    priority: int = 2
    closed_at: datetime | None = None


@dataclass
class SystemState:
    """Everything the feeds describe at one moment, gathered for the GBFS builders."""

    system: System
    stations: list[Station] = field(default_factory=list)
    bikes: list[Bike] = field(default_factory=list)
    vehicle_types: list[VehicleType] = field(default_factory=list)
    plans: list[PricingPlan] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    zones: list[GeofencingZone] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    global_rules: tuple[GeofencingRule, ...] = (GeofencingRule(),)
    #: When each station (by id) last reported: its docks or settings last changed.
    reported: dict[str, datetime] = field(default_factory=dict)
    #: The secret the public (rotating) vehicle ids are made with (:func:`kotacerdas.bikes.gbfs.public_vehicle_id`).
    vehicle_id_key: str = ""
