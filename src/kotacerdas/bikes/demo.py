"""The Banyuwangi demo system (``banyuwangi``): generated, seeded, clearly labelled demo data.

Stations stand at real places of Banyuwangi (East Java) at approximate
coordinates -- the town square Taman Sritanjung with the Pendopo and the
Masjid Agung, Taman Blambangan, the beaches Boom, Pulau Santen, Cacalan, Watu
Dodol and Grand Watu Dodol, Ketapang harbour, Karangasem station (Banyuwangi
Kota), the Osing village Kemiren and three town neighbourhoods. Everything
else (bikes, riders, prices, trips, weather) is invented and deterministic
for a given seed. The system's name says "demo" in every feed.

Demand follows a simple story: on working days people ride from the
neighbourhoods, the station and the harbour into the town centre in the
morning and back in the evening; on weekends and public holidays
(``holidays.Indonesia``) riders go to the beaches in the morning and come
back in the afternoon; rain cuts demand.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import holidays
import numpy as np
from shapely.geometry import Point

from kotacerdas.bikes.demand_sim import RESTDAY, WORKDAY, DemandProfile, day_kind
from kotacerdas.bikes.model import (
    WIB,
    Alert,
    AlertTime,
    Bike,
    BikeStatus,
    GeofencingRule,
    GeofencingZone,
    PricingPlan,
    Region,
    Rider,
    Station,
    System,
    SystemState,
    Trip,
    VehicleType,
    local,
)
from kotacerdas.core.geometry import distance_m

SYSTEM_ID = "banyuwangi"
DEFAULT_START = date(2025, 3, 3)
"""A Monday; six weeks from here include Nyepi and Idul Fitri 2025."""

# station id, name (id, en), lat, lon, docks, role, size, region
_STATIONS: tuple[tuple[str, str, str, float, float, int, str, float, str], ...] = (
    (
        "sritanjung",
        "Taman Sritanjung (Alun-alun)",
        "Sritanjung Park (town square)",
        -8.2137,
        114.3676,
        20,
        "centre",
        1.4,
        "banyuwangi",
    ),
    (
        "pendopo",
        "Pendopo Sabha Swagata Blambangan",
        "Sabha Swagata Blambangan Pavilion",
        -8.2126,
        114.3669,
        12,
        "centre",
        0.8,
        "banyuwangi",
    ),
    (
        "masjid-agung",
        "Masjid Agung Baiturrahman",
        "Baiturrahman Grand Mosque",
        -8.2144,
        114.3658,
        12,
        "centre",
        0.8,
        "banyuwangi",
    ),
    ("blambangan", "Taman Blambangan", "Blambangan Park", -8.2086, 114.3736, 16, "centre", 1.0, "banyuwangi"),
    (
        "pantai-boom",
        "Pantai Boom (Marina Boom)",
        "Boom Beach (Marina Boom)",
        -8.2004,
        114.3803,
        16,
        "beach",
        1.0,
        "banyuwangi",
    ),
    (
        "pulau-santen",
        "Pantai Pulau Santen",
        "Pulau Santen Beach",
        -8.2255,
        114.3765,
        10,
        "beach",
        0.6,
        "banyuwangi",
    ),
    ("lateng", "Lateng", "Lateng", -8.2025, 114.3695, 12, "home", 1.0, "banyuwangi"),
    ("kampung-mandar", "Kampung Mandar", "Kampung Mandar", -8.2047, 114.3790, 12, "home", 0.9, "banyuwangi"),
    ("penganjuran", "Penganjuran", "Penganjuran", -8.2236, 114.3640, 12, "home", 1.0, "banyuwangi"),
    (
        "stasiun-kota",
        "Stasiun Banyuwangi Kota (Karangasem)",
        "Banyuwangi Kota railway station (Karangasem)",
        -8.2232,
        114.3546,
        16,
        "transport",
        1.1,
        "glagah",
    ),
    (
        "kemiren",
        "Desa Wisata Osing Kemiren",
        "Kemiren Osing tourism village",
        -8.2128,
        114.3288,
        10,
        "home",
        0.5,
        "glagah",
    ),
    ("cacalan", "Pantai Cacalan", "Cacalan Beach", -8.1778, 114.3884, 12, "beach", 0.7, "kalipuro"),
    (
        "ketapang",
        "Pelabuhan Ketapang",
        "Ketapang ferry harbour",
        -8.1425,
        114.3972,
        20,
        "transport",
        1.2,
        "kalipuro",
    ),
    (
        "grand-watu-dodol",
        "Pantai Grand Watu Dodol",
        "Grand Watu Dodol Beach",
        -8.1070,
        114.4030,
        10,
        "beach",
        0.4,
        "kalipuro",
    ),
    ("watu-dodol", "Pantai Watu Dodol", "Watu Dodol Beach", -8.1000, 114.4060, 10, "beach", 0.4, "kalipuro"),
)

#: The GBFS regions are the kecamatan, by their Kemendagri code, as for every station an operator adds
#: (:func:`kotacerdas.bikes.services.stations.upsert_station`).
_REGION_CODE = {"banyuwangi": "35.10.16", "glagah": "35.10.15", "kalipuro": "35.10.21"}
_REGIONS = tuple((_REGION_CODE[k], f"Kecamatan {k.title()}", f"{k.title()} district") for k in _REGION_CODE)

_FIRST = (
    "Agus",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fitri",
    "Gilang",
    "Hana",
    "Indra",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nur",
    "Oka",
    "Putri",
    "Rizky",
    "Sari",
    "Teguh",
    "Wahyu",
    "Yuni",
    "Zainal",
)
_LAST = (
    "Santoso",
    "Wibowo",
    "Lestari",
    "Pratama",
    "Hidayat",
    "Saputra",
    "Rahayu",
    "Kurniawan",
    "Setiawan",
    "Wulandari",
    "Nugroho",
    "Handayani",
)

# Hourly pickup shape per role (index: hour), working day and rest day.
_HOURS = np.arange(24)


def _bump(centre: float, width: float, height: float) -> np.ndarray:
    return height * np.exp(-0.5 * ((_HOURS + 0.5 - centre) / width) ** 2)


def _open(shape: np.ndarray) -> np.ndarray:
    out = shape.copy()
    out[(_HOURS < 5) | (_HOURS >= 22)] = 0.0
    return out


_PICKUP = {
    WORKDAY: {
        "home": _open(0.3 + _bump(7.0, 1.0, 3.2) + _bump(13, 2, 0.4)),
        "centre": _open(0.4 + _bump(12.5, 2.0, 0.8) + _bump(17.5, 1.2, 3.0)),
        "transport": _open(0.3 + _bump(7.5, 1.2, 2.4) + _bump(17, 2, 0.6)),
        "beach": _open(0.1 + _bump(17.0, 1.5, 1.2)),
    },
    RESTDAY: {
        "home": _open(0.3 + _bump(8.0, 1.5, 1.4) + _bump(15, 2, 0.6)),
        "centre": _open(0.3 + _bump(8.5, 1.5, 2.0) + _bump(19, 1.5, 1.4)),
        "transport": _open(0.4 + _bump(10, 3, 0.8)),
        "beach": _open(0.1 + _bump(16.0, 1.5, 2.6)),
    },
}


def _attraction(kind: int, hour: int, role: str) -> float:
    if kind == WORKDAY:
        if 5 <= hour < 11:
            return {"centre": 3.0, "transport": 1.2, "home": 0.4, "beach": 0.3}[role]
        if 15 <= hour < 22:
            return {"centre": 0.6, "transport": 1.8, "home": 3.0, "beach": 0.7}[role]
        return {"centre": 1.5, "transport": 1.0, "home": 1.0, "beach": 0.8}[role]
    if 5 <= hour < 12:
        return {"centre": 1.2, "transport": 0.6, "home": 0.6, "beach": 3.0}[role]
    return {"centre": 2.0, "transport": 1.2, "home": 2.2, "beach": 0.5}[role]


def demo_system() -> System:
    """The ``banyuwangi`` system record (flagged ``is_demo``)."""
    return System(
        system_id=SYSTEM_ID,
        name=local("Sepeda Kota Banyuwangi", "Banyuwangi City Bikes"),
        short_name=local("SeKoBa", "SeKoBa"),
        operator=local("kotacerdas (demo)", "kotacerdas (demo)"),
        feed_contact_email="gbfs@kotacerdas.example",
        timezone="Asia/Jakarta",
        opening_hours="Mo-Su 05:00-22:00",
        url=None,  # the platform publishes its route catalogue page as the system's url
        start_date="2025-01-01",
        license_url="https://creativecommons.org/licenses/by/4.0/",
        is_demo=True,
    )


def demo_regions() -> list[Region]:
    """The three kecamatan the demo stations lie in."""
    return [Region(rid, local(i, e)) for rid, i, e in _REGIONS]


def demo_stations() -> list[Station]:
    """Fifteen stations at approximate coordinates of real Banyuwangi places."""
    return [
        Station(
            sid,
            local(n_id, n_en),
            lat,
            lon,
            cap,
            region_id=_REGION_CODE[region],
            is_charging_station=sid in ("sritanjung", "ketapang", "stasiun-kota"),
        )
        for sid, n_id, n_en, lat, lon, cap, _role, _size, region in _STATIONS
    ]


def demo_vehicle_types() -> list[VehicleType]:
    """A classic bike and an e-bike (25 km/h assist, 40 km range)."""
    return [
        VehicleType(
            "classic",
            local("Sepeda biasa", "Classic bike"),
            "human",
            default_pricing_plan_id="pay-classic",
            pricing_plan_ids=("pay-classic", "day-pass"),
        ),
        VehicleType(
            "ebike",
            local("Sepeda listrik", "E-bike"),
            "electric_assist",
            max_range_meters=40_000.0,
            max_permitted_speed=25,
            default_pricing_plan_id="pay-ebike",
            pricing_plan_ids=("pay-ebike", "day-pass"),
        ),
    ]


def demo_plans() -> list[PricingPlan]:
    """Pay-as-you-go plans for both bike types and a day pass, in rupiah."""
    return [
        PricingPlan(
            "pay-classic",
            local("Sekali jalan", "Single ride"),
            local(
                "Rp3.000 buka kunci, 30 menit pertama gratis, lalu Rp250 per menit",
                "Rp3,000 to unlock, first 30 minutes free, then Rp250 per minute",
            ),
            unlock_fee=3000,
            per_minute=250,
            free_minutes=30,
            vehicle_type_ids=("classic",),
        ),
        PricingPlan(
            "pay-ebike",
            local("Sekali jalan sepeda listrik", "Single e-bike ride"),
            local(
                "Rp5.000 buka kunci, 15 menit pertama gratis, lalu Rp500 per menit",
                "Rp5,000 to unlock, first 15 minutes free, then Rp500 per minute",
            ),
            unlock_fee=5000,
            per_minute=500,
            free_minutes=15,
            vehicle_type_ids=("ebike",),
        ),
        PricingPlan(
            "day-pass",
            local("Tiket harian", "Day pass"),
            local(
                "Rp15.000 untuk 24 jam: setiap perjalanan 60 menit pertama gratis, lalu Rp250 per menit",
                "Rp15,000 for 24 hours: each ride free for 60 minutes, then Rp250 per minute",
            ),
            unlock_fee=0,
            per_minute=250,
            free_minutes=60,
            day_pass_price=15000,
        ),
    ]


def demo_riders(n: int = 300, seed: int = 7) -> list[Rider]:
    """``n`` invented riders with common Indonesian names."""
    rng = np.random.default_rng(seed)
    return [
        Rider(
            f"rider-{i:04d}",
            f"{_FIRST[rng.integers(len(_FIRST))]} {_LAST[rng.integers(len(_LAST))]}",
            "en" if rng.random() < 0.15 else "id",
        )
        for i in range(1, n + 1)
    ]


def demo_bikes(
    now: datetime, *, fill: float = 0.6, ebike_share: float = 0.25, broken: int = 3, seed: int = 7
) -> list[Bike]:
    """Bikes docked over the stations at about ``fill`` of the docks, some e-bikes, a few broken."""
    rng = np.random.default_rng(seed)
    bikes: list[Bike] = []
    for st in demo_stations():
        for _ in range(int(round(st.capacity * fill))):
            electric = rng.random() < ebike_share
            bikes.append(
                Bike(
                    f"bwi-{len(bikes) + 1:04d}",
                    "ebike" if electric else "classic",
                    BikeStatus.AVAILABLE,
                    st.station_id,
                    st.lat,
                    st.lon,
                    round(float(rng.uniform(0.15, 1.0)), 2) if electric else None,
                    now - timedelta(minutes=int(rng.integers(1, 240))),
                )
            )
    for i in rng.choice(len(bikes), size=min(broken, len(bikes)), replace=False):
        bikes[int(i)] = replace(bikes[int(i)], status=BikeStatus.BROKEN)
    return bikes


def demo_alerts(now: datetime) -> list[Alert]:
    """A station closure for a festival at Pantai Boom and an e-bike notice."""
    return [
        Alert(
            "boom-festival",
            "station_closure",
            local(
                "Stasiun Pantai Boom tutup sementara selama festival",
                "Boom Beach station closed during the festival",
            ),
            description=local(
                "Kembalikan sepeda di Kampung Mandar atau Taman Blambangan.",
                "Please return bikes at Kampung Mandar or Taman Blambangan.",
            ),
            times=(AlertTime(now - timedelta(hours=1), now + timedelta(hours=5)),),
            station_ids=("pantai-boom",),
            region_ids=(_REGION_CODE["banyuwangi"],),
            last_updated=now,
        ),
        Alert(
            "ebike-charging",
            "other",
            local(
                "Sepeda listrik diisi ulang di Sritanjung, Ketapang dan Stasiun Kota",
                "E-bikes charge at Sritanjung, Ketapang and Kota station",
            ),
            last_updated=now,
        ),
    ]


def demo_zones() -> list[GeofencingZone]:
    """No riding on the harbour apron; 10 km/h around the town square."""
    to_deg = 1 / 111_320
    return [
        GeofencingZone(
            "ketapang-apron",
            local("Area dermaga Ketapang", "Ketapang harbour apron"),
            Point(114.3985, -8.1430).buffer(250 * to_deg, 8),
            (GeofencingRule(False, False, False),),
        ),
        GeofencingZone(
            "sritanjung-slow",
            local("Kawasan pelan alun-alun", "Town square slow zone"),
            Point(114.3672, -8.2135).buffer(200 * to_deg, 8),
            (GeofencingRule(True, True, True, maximum_speed_kph=10),),
        ),
    ]


def demo_state(now: datetime | None = None, *, seed: int = 7) -> SystemState:
    """The whole demo at ``now`` (default: 2025-04-14 08:00 WIB), ready for the GBFS builders."""
    now = now or datetime(2025, 4, 14, 8, 0, tzinfo=WIB)
    return SystemState(
        system=demo_system(),
        stations=demo_stations(),
        bikes=demo_bikes(now, seed=seed),
        vehicle_types=demo_vehicle_types(),
        plans=demo_plans(),
        alerts=demo_alerts(now),
        zones=demo_zones(),
        regions=demo_regions(),
    )


def demo_profile(speed_kmh: float = 11.0) -> DemandProfile:
    """The generating demand model of the demo (true rates, destinations, ride minutes)."""
    n = len(_STATIONS)
    roles = [s[6] for s in _STATIONS]
    sizes = np.array([s[7] for s in _STATIONS])
    lon1, lon2 = np.meshgrid([s[4] for s in _STATIONS], [s[4] for s in _STATIONS], indexing="ij")
    lat1, lat2 = np.meshgrid([s[3] for s in _STATIONS], [s[3] for s in _STATIONS], indexing="ij")
    dist = np.asarray(distance_m(lon1, lat1, lon2, lat2))
    rate = np.zeros((2, 24, n))
    dest = np.zeros((2, 24, n, n))
    for k in (WORKDAY, RESTDAY):
        for o in range(n):
            rate[k, :, o] = _PICKUP[k][roles[o]] * sizes[o]
        for h in range(24):
            attract = np.array([_attraction(k, h, r) for r in roles]) * np.sqrt(sizes)
            w = attract[None, :] * np.exp(-dist / 2500.0)
            np.fill_diagonal(w, 0.05 * np.diag(w))
            dest[k, h] = w / w.sum(axis=1, keepdims=True)
    minutes = 3.0 + 1.3 * dist / (speed_kmh * 1000 / 60)
    np.fill_diagonal(minutes, 25.0)
    return DemandProfile(tuple(s[0] for s in _STATIONS), rate, dest, minutes)


def demo_weather(start: date = DEFAULT_START, days: int = 42, seed: int = 11) -> dict[datetime, float]:
    """Hourly rain in mm (afternoon showers of the rainy season), keyed by the hour's start (WIB)."""
    rng = np.random.default_rng(seed)
    out: dict[datetime, float] = {}
    for d in range(days):
        day = start + timedelta(days=d)
        wet = rng.random() < 0.45
        onset = int(rng.integers(13, 18))
        for h in range(24):
            rain = float(rng.gamma(1.5, 3.0)) if wet and onset <= h < onset + int(rng.integers(1, 4)) else 0.0
            out[datetime.combine(day, time(h), WIB)] = round(rain, 1)
    return out


def rain_factor(rain_mm: float) -> float:
    """Share of demand left when it rains ``rain_mm`` in an hour."""
    return 1.0 if rain_mm < 0.5 else 0.45


def indonesian_holidays(start: date, days: int) -> set[date]:
    """Indonesian public holidays (``holidays.Indonesia``) between ``start`` and ``start + days``."""
    end = start + timedelta(days=days)
    cal = holidays.Indonesia(years=range(start.year, end.year + 1))
    return {d for d in cal if start <= d < end}


def demo_trips(
    start: date = DEFAULT_START,
    weeks: int = 6,
    *,
    seed: int = 7,
    weather: dict[datetime, float] | None = None,
) -> list[Trip]:
    """A trip history of ``weeks`` weeks drawn from :func:`demo_profile`, seeded and deterministic.

    Rest days (weekends and Indonesian public holidays) follow the rest-day
    demand; rainy hours keep :func:`rain_factor` of it. Bikes and riders are
    drawn from :func:`demo_bikes` and :func:`demo_riders`.
    """
    rng = np.random.default_rng(seed)
    days = 7 * weeks
    weather = demo_weather(start, days) if weather is None else weather
    profile = demo_profile()
    ids = profile.station_ids
    n = len(ids)
    hol = indonesian_holidays(start, days)
    bikes = demo_bikes(datetime.combine(start, time(0), WIB), seed=seed)
    riders = demo_riders(seed=seed)
    trips: list[Trip] = []
    for d in range(days):
        day = start + timedelta(days=d)
        kind = day_kind(day, hol)
        for h in range(24):
            t0 = datetime.combine(day, time(h), WIB)
            f = rain_factor(weather.get(t0, 0.0))
            counts = rng.poisson(profile.pickup_rate[kind, h] * f)
            for o in range(n):
                for _ in range(int(counts[o])):
                    dst = int(rng.choice(n, p=profile.dest_prob[kind, h, o]))
                    ride = max(2.0, profile.ride_minutes[o, dst] * float(rng.lognormal(0.0, 0.25)))
                    begin = t0 + timedelta(seconds=int(rng.integers(0, 3600)))
                    bike = bikes[int(rng.integers(len(bikes)))]
                    trips.append(
                        Trip(
                            f"trip-{len(trips) + 1:06d}",
                            bike.bike_id,
                            ids[o],
                            ids[dst],
                            begin,
                            begin + timedelta(seconds=int(ride * 60)),
                            riders[int(rng.integers(len(riders)))].rider_id,
                            bike.vehicle_type_id,
                        )
                    )
    trips.sort(key=lambda t: (t.start_time, t.trip_id))
    return [replace(t, trip_id=f"trip-{i:06d}") for i, t in enumerate(trips, start=1)]
