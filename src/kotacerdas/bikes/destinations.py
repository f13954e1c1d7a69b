"""Destinations a bicycle tour visits: the record, its categories, and how OpenStreetMap tags map to it.

A :class:`Destination` has a category (:data:`CATEGORIES`), opening hours in OSM syntax
(:mod:`kotacerdas.bikes.opening_hours`; ``None`` when not known, and then the tour planner visits
the place in the daytime only), a typical visit time, an entry fee in integer rupiah
(``None``: unknown), a name, a description and photo URLs in both languages' records.

:func:`from_osm_tags` reads a node or way of an OSM extract: ``natural=beach`` is a beach;
``tourism=viewpoint`` a viewpoint; ``historic=*``, ``tourism=museum`` history; ``craft=*``,
``shop=craft|art|batik``, ``tourism=gallery`` craft; ``amenity=restaurant|cafe|food_court``,
``shop=bakery|coffee`` culinary; ``natural=waterfall|peak|volcano|hot_spring``,
``leisure=park|nature_reserve|garden``, ``boundary=national_park``, ``waterway=waterfall`` nature;
``tourism=attraction|theme_park|zoo``, ``amenity=place_of_worship`` with ``tourism``, ``place=village``
with ``tourism`` culture. Its ``opening_hours`` and ``fee``/``charge`` tags are kept (``fee=no`` is
Rp0; ``charge=10000 IDR`` Rp10,000); an ``opening_hours`` value the parser cannot read is kept as
found in ``opening_hours_raw`` (the hours are then unknown, never guessed as open all day).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.opening_hours import parse_opening_hours
from kotacerdas.core.i18n import N_

CATEGORIES: tuple[str, ...] = ("beach", "nature", "culture", "culinary", "history", "viewpoint", "craft")
#: Typical visit (minutes) per category where none is given.
VISIT_MINUTES: dict[str, int] = {
    "beach": 60,
    "nature": 90,
    "culture": 60,
    "culinary": 45,
    "history": 45,
    "viewpoint": 30,
    "craft": 40,
}
CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "beach": {"id": "Pantai", "en": "Beach"},
    "nature": {"id": "Alam", "en": "Nature"},
    "culture": {"id": "Budaya & desa", "en": "Culture & villages"},
    "culinary": {"id": "Kuliner", "en": "Food"},
    "history": {"id": "Sejarah", "en": "History"},
    "viewpoint": {"id": "Titik pandang", "en": "Viewpoint"},
    "craft": {"id": "Kerajinan", "en": "Crafts"},
}


@dataclass(frozen=True)
class Destination:
    """A place a tour may visit (coordinates WGS84; money integer rupiah; texts ``{"id", "en"}``)."""

    destination_id: str
    name: dict[str, str]
    category: str
    lon: float
    lat: float
    opening_hours: str | None = None
    visit_minutes: int = 45
    fee: int | None = None
    description: dict[str, str] = field(default_factory=dict)
    photos: tuple[str, ...] = ()
    source: str = "operator"
    is_demo: bool = False
    #: An opening hours value of the source that could not be read, kept as found (``opening_hours`` is None).
    opening_hours_raw: str | None = None

    def __post_init__(self) -> None:
        check_destination(self)

    @property
    def hours_known(self) -> bool:
        """Whether the place's opening hours are known (else the planner visits it in the daytime only)."""
        return bool(self.opening_hours and self.opening_hours.strip())


def check_destination(d: Destination) -> None:
    """Refuse a destination the planner could not use (a :class:`BikesError` naming the field)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,79}", d.destination_id):
        raise BikesError(
            N_("a destination id is 1-80 lower-case letters, digits, '.', '_' or '-': {value}"),
            field="destination_id",
            value=d.destination_id[:90],
        )
    if d.category not in CATEGORIES:
        raise BikesError(N_("unknown destination category {category}"), field="category", category=d.category)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (d.lon, d.lat)):
        raise BikesError(N_("a destination needs a longitude and a latitude in degrees"), field="lon")
    if not (-180 <= d.lon <= 180 and -90 <= d.lat <= 90):
        raise BikesError(N_("a destination needs a longitude and a latitude in degrees"), field="lon")
    if not isinstance(d.visit_minutes, int) or not 0 <= d.visit_minutes <= 24 * 60:
        raise BikesError(N_("a visit lasts 0 to 1440 minutes"), field="visit_minutes")
    if d.fee is not None and (not isinstance(d.fee, int) or isinstance(d.fee, bool) or d.fee < 0):
        raise BikesError(N_("an entry fee is a whole number of rupiah, 0 or more"), field="fee")
    if not isinstance(d.name, dict) or not all(isinstance(v, str) for v in d.name.values()):
        raise BikesError(N_("a destination needs a name"), field="name")
    if not (d.name.get("id") or d.name.get("en")):
        raise BikesError(N_("a destination needs a name"), field="name")
    parse_opening_hours(d.opening_hours)


def osm_category(tags: dict[str, str]) -> str | None:
    """The destination category of an OSM object's tags, ``None`` when it is not a destination."""
    tourism, natural, amenity, shop = (tags.get(k) for k in ("tourism", "natural", "amenity", "shop"))
    if natural == "beach" or tags.get("leisure") == "beach_resort":
        return "beach"
    if tourism == "viewpoint":
        return "viewpoint"
    if "historic" in tags or tourism == "museum":
        return "history"
    if "craft" in tags or shop in ("craft", "art", "batik") or tourism == "gallery":
        return "craft"
    if amenity in ("restaurant", "cafe", "food_court") or shop in ("bakery", "coffee"):
        return "culinary"
    if (
        natural in ("waterfall", "peak", "volcano", "hot_spring", "cave_entrance")
        or tags.get("leisure") in ("park", "nature_reserve", "garden")
        or tags.get("boundary") == "national_park"
        or tags.get("waterway") == "waterfall"
    ):
        return "nature"
    if tourism in ("attraction", "theme_park", "zoo") or (tourism and tags.get("place") == "village"):
        return "culture"
    if amenity == "place_of_worship" and tourism:
        return "culture"
    return None


def osm_fee(tags: dict[str, str]) -> int | None:
    """Rupiah from ``fee``/``charge`` tags: ``fee=no`` is 0, ``charge=10000 IDR`` 10000, else ``None``."""
    if tags.get("fee", "").strip().lower() == "no":
        return 0
    charge = tags.get("charge", "")
    m = re.search(r"(\d[\d.,]*)\s*(?:IDR|Rp)?", charge.replace("Rp", ""))
    if m and ("IDR" in charge or "Rp" in charge or charge.strip().replace(".", "").isdigit()):
        return int(re.sub(r"[.,]", "", m.group(1)))
    return None


def slug(text: str) -> str:
    """A destination id made of a name: lower case, dashes."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:80] or "destination"


def from_osm_tags(osm_id: str, tags: dict[str, str], lon: float, lat: float) -> Destination | None:
    """The destination an OSM object stands for (``None`` when it is none or has no name)."""
    category = osm_category(tags)
    name_id = tags.get("name:id") or tags.get("name")
    name_en = tags.get("name:en") or tags.get("name")
    if category is None or not name_id:
        return None
    hours, raw = tags.get("opening_hours"), None
    try:
        parse_opening_hours(hours)
    except BikesError:
        hours, raw = None, (tags.get("opening_hours") or "")[:300]  # kept as found, not guessed; the import counts it
    desc = {
        k: v
        for k, v in (("id", tags.get("description:id") or tags.get("description")), ("en", tags.get("description:en")))
        if v
    }
    photos = tuple(u for u in (tags.get("image"),) if u and u.startswith(("http://", "https://")))
    return Destination(
        destination_id=slug(f"{name_id}-{osm_id.replace('/', '')}"),
        name={"id": name_id, "en": name_en},
        category=category,
        lon=float(lon),
        lat=float(lat),
        opening_hours=hours,
        visit_minutes=VISIT_MINUTES[category],
        fee=osm_fee(tags),
        description=desc,
        photos=photos,
        source=f"osm:{osm_id}",
        opening_hours_raw=raw,
    )
