"""Destinations: checks on the record, categories and fees from OSM tags, the curated demo list."""

from __future__ import annotations

import pytest

from kotacerdas.bikes.demo_destinations import demo_destinations
from kotacerdas.bikes.destinations import CATEGORIES, Destination, from_osm_tags, osm_category, osm_fee
from kotacerdas.bikes.errors import BikesError


@pytest.mark.parametrize(
    ("tags", "category"),
    [
        ({"natural": "beach"}, "beach"),
        ({"tourism": "viewpoint"}, "viewpoint"),
        ({"historic": "monument"}, "history"),
        ({"tourism": "museum"}, "history"),
        ({"craft": "basket_maker"}, "craft"),
        ({"amenity": "cafe"}, "culinary"),
        ({"natural": "waterfall"}, "nature"),
        ({"leisure": "park"}, "nature"),
        ({"tourism": "attraction"}, "culture"),
        ({"amenity": "bank"}, None),
        ({"highway": "residential"}, None),
    ],
)
def test_osm_categories(tags, category):
    assert osm_category(tags) == category


def test_osm_object_becomes_a_destination_with_hours_and_fee():
    d = from_osm_tags(
        "node/42",
        {
            "natural": "beach",
            "name": "Pantai X",
            "name:en": "X Beach",
            "opening_hours": "06:00-18:00",
            "charge": "10000 IDR",
        },
        114.4,
        -8.2,
    )
    assert d.category == "beach" and d.fee == 10000 and d.name == {"id": "Pantai X", "en": "X Beach"}
    assert d.source == "osm:node/42" and d.opening_hours == "06:00-18:00"
    unreadable = from_osm_tags("way/7", {"tourism": "museum", "name": "M", "opening_hours": "Jan 08:00-12:00"}, 1, 1)
    assert unreadable.opening_hours is None  # kept out, not guessed
    assert unreadable.opening_hours_raw == "Jan 08:00-12:00" and not unreadable.hours_known  # the value as found
    dated = from_osm_tags(
        "node/8", {"tourism": "museum", "name": "M", "opening_hours": "Tu-Su 08:00-15:00; Mo off; Jan 01 off"}, 1, 1
    )
    assert dated.opening_hours == "Tu-Su 08:00-15:00; Mo off; Jan 01 off" and dated.opening_hours_raw is None
    assert from_osm_tags("node/1", {"natural": "beach"}, 0, 0) is None  # no name
    assert osm_fee({"fee": "no"}) == 0 and osm_fee({"fee": "yes"}) is None


def test_bad_records_are_refused_by_field():
    base = dict(destination_id="x", name={"id": "X"}, category="beach", lon=114.0, lat=-8.0)
    for field, value in (
        ("category", "casino"),
        ("fee", -1),
        ("fee", 10.5),
        ("lon", 200.0),
        ("opening_hours", "Mo 8-9"),
        ("destination_id", "Bad Id"),
    ):
        with pytest.raises(BikesError) as err:
            Destination(**{**base, field: value})
        assert err.value.field == field


def test_curated_demo_list_is_real_places_labelled_demo():
    items = demo_destinations()
    names = {d.name["id"] for d in items}
    assert {
        "Pantai Boom",
        "Taman Blambangan",
        "Desa Adat Kemiren",
        "De Djawatan",
        "Pantai Pulau Merah",
        "Pantai Cacalan",
        "Bangsring Underwater",
        "Kawah Ijen",
    } <= names
    assert all(d.is_demo and d.source == "demo" and d.category in CATEGORIES for d in items)
    assert all(d.description.get("id") and d.description.get("en") for d in items)
