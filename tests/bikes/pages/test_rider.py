"""The rider's screens: the systems of a city, the rider page in both languages and its public parts, the QR code."""

from __future__ import annotations

import re

import pytest

from ..factories import SYSTEM

PAGE = f"/bikes/{SYSTEM}"


def test_index_lists_the_systems_of_the_chosen_city(web):
    r = web.get("/bikes?city=35.10&lang=en")
    assert r.status_code == 200 and r.headers["content-language"] == "en"
    assert f'href="/bikes/{SYSTEM}"' in r.text and "Test" in r.text and "Find and rent a bike" in r.text
    assert "Operator screens" not in r.text  # anonymous
    r = web.get("/bikes?city=35.10&lang=id")
    assert "Cari dan sewa sepeda" in r.text and "Uji" in r.text
    other = web.get("/bikes?city=73.71&lang=en")
    assert f'href="/bikes/{SYSTEM}"' not in other.text
    assert "No bike-share system in Kota Makassar yet." in other.text and "administrator can set one up" in other.text


@pytest.mark.parametrize(
    ("lang", "words", "absent"),
    [
        ("id", ["Daftar", "Nomor ponsel", "Di dekat saya", "Riwayat perjalanan", "Sewa di sini"], "Sign up"),
        ("en", ["Sign up", "Mobile number", "Near me", "Trip history", "Rent here"], "Nomor ponsel"),
    ],
)
def test_rider_page_reads_in_both_languages(web, lang, words, absent):
    r = web.get(PAGE, headers={"Accept-Language": lang})
    assert r.status_code == 200 and r.headers["content-language"] == lang
    for word in words:
        assert word in r.text, word
    assert absent not in r.text
    assert f'data-system="{SYSTEM}"' in r.text and "/static/js/bikes-rider.js" in r.text
    assert "/static/vendor/leaflet/leaflet.js" in r.text


def test_rider_page_public_parts(web):
    r = web.get(PAGE + "?lang=en")
    prices = r.text[r.text.index('id="plans"') :]
    assert "Rp3,000" in prices and "Rp250" in prices and "Rp15,000" in prices  # the plans of make_system, in English
    indonesian = web.get(PAGE + "?lang=id").text
    assert "Rp3.000" in indonesian[indonesian.index('id="plans"') :]
    assert f"/gbfs/v3/{SYSTEM}/gbfs.json" in r.text
    assert 'id="operator-link"' not in r.text
    texts = re.search(r'<script type="application/json" id="bikes-data">(.*?)</script>', r.text, re.S)
    assert texts and "Return here" in texts.group(1)
    # the map's data is public
    stations = web.get(f"/api/v1/bikes/systems/{SYSTEM}/stations").json()
    assert len(stations["features"]) == 3


def test_unknown_system_is_a_localised_404_page(web):
    r = web.get("/bikes/tidak-ada", headers={"Accept-Language": "en"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Not found" in r.text


def test_qr_code_of_a_payload(web):
    pytest.importorskip("segno")
    r = web.get(f"{PAGE}/qr.svg", params={"data": "00020101021226"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml") and b"<svg" in r.content
    assert web.get(f"{PAGE}/qr.svg", params={"data": "x" * 700}).status_code == 404


def test_the_station_page_writes_its_opening_hours_for_people(web):
    """``Mo-Su 05:00-22:00`` (OSM syntax) reads as a person says it, in the page's language."""
    from kotacerdas.bikes.services.stations import save

    save(web.app.state.engine, SYSTEM, {"station_id": "alpha", "opening_hours": "Mo-Su 05:00-22:00"}, user_id=None)
    idn = web.get(f"/bikes/{SYSTEM}/stations/alpha?lang=id").text
    assert "Jam buka: Setiap hari 05.00–22.00" in idn and "Mo-Su" not in idn
    en = web.get(f"/bikes/{SYSTEM}/stations/alpha?lang=en").text
    assert "Opening hours: Every day 05:00–22:00" in en
