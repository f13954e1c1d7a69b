"""The damage layer of the road map in headless Chromium against a real ``kotacerdas demo`` server (whose demo ran
the real detector over the RDD2022 samples when ``../shared`` is there, else generated records): markers for every
damage the API lists, a popup with the blurred crop, the filters, and the segments coloured by SDI and by the
combined class with the legend saying which; screenshots in both languages at desktop and phone size."""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest

SHOTS = Path(os.environ.get("KOTACERDAS_SCREENSHOTS", "")) if os.environ.get("KOTACERDAS_SCREENSHOTS") else None


def test_map_page_has_the_damage_filters(client):
    html = client.get("/roads?city=35.10&lang=id").text
    assert "roads-damage.js" in html and 'id="show-damage"' in html and 'id="colour-by"' in html
    assert "Kerusakan jalan (kamera)" in html and 'value="D40"' in html
    assert 'id="damage-vehicle"' not in html  # the vehicle filter is for the city's staff only
    en = client.get("/roads?city=35.10&lang=en").text
    assert "Road damage (camera)" in en and "SDI (surface distress)" in en


def test_the_code_filter_lists_the_codes_of_the_records_and_the_models(client, roads_db, tmp_path):
    """D43, D44 or any other code a record or an installed model has gets its box, named in both languages; every
    such code can be filtered by."""
    from datetime import UTC, datetime

    import numpy as np
    from shapely.geometry import Point

    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.roads.models import install_model
    from kotacerdas.roads.store.damage_tables import RoadDamage
    from tests.roads.camera import onnx_manifest, tiny_onnx

    def boxes(lang: str) -> str:
        html = client.get(f"/roads?city=35.10&lang={lang}").text
        return " ".join(re.findall(r'name="damage-code" value="(D\d\d)"', html)), html

    assert boxes("en")[0] == "D00 D10 D20 D40"  # no record, no model: the four common codes
    when = datetime(2025, 9, 1, tzinfo=UTC)
    with session_scope(roads_db, write=True) as s:
        city = accounts.get_city(s, "35.10")
        for code in ("D44", "D50"):
            s.add(RoadDamage(city_id=city.id, code=code, first_seen=when, last_seen=when, geom=Point(114.366, -8.2195)))
    codes, en = boxes("en")
    assert codes == "D44 D50" and "D44 Faded road marking" in en
    assert "D44 Marka jalan pudar" in boxes("id")[1]
    out = np.zeros((1, 6, 4), np.float32)
    tiny_onnx(tmp_path / "model.onnx", out)
    classes = [{"name": "crosswalk", "code": "D43"}, {"name": "hole", "code": "D40"}]
    manifest = onnx_manifest(tmp_path / "manifest.json", "markings", classes, "yolov8")
    install_model(tmp_path / "model.onnx", "markings", client.app.state.settings.data_dir, manifest_file=manifest)
    codes, html = boxes("id")
    assert codes == "D40 D43 D44 D50" and "D43 Zebra cross pudar" in html
    for code in ("D44", "D50"):
        got = client.get("/api/v1/roads/damage", params={"city": "35.10", "code": code}).json()
        assert got["numberMatched"] == 1
    assert client.get("/api/v1/roads/damage", params={"city": "35.10", "code": "X9"}).status_code == 400


def _shot(page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate(
            "() => { const p = document.querySelector('.leaflet-popup'); "
            "(p || document.getElementById('map')).scrollIntoView({block: 'center'}); }"
        )
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


@pytest.mark.browser
def test_damage_layer_in_the_browser(demo_server, phone_page):
    api = httpx.get(demo_server + "/api/v1/roads/damage", params={"city": "35.10", "limit": 1000}).json()
    assert api["numberMatched"] > 0
    page = phone_page
    page.goto(demo_server + "/roads?city=35.10")
    page.wait_for_function("document.getElementById('map').dataset.damage !== undefined")
    assert page.get_attribute("#map", "data-damage") == str(api["numberMatched"])
    markers = page.locator(".leaflet-marker-pane .kc-damage")
    assert markers.count() == api["numberMatched"]
    _shot(page, "damage-phone-id")
    # a marker's popup: class, confidence and the blurred crop (when the demo ran the real detector)
    first = api["features"][0]["properties"]
    page.evaluate(
        "id => document.getElementById('map').kcDamageLayer"
        ".eachLayer(l => { if (l.feature.id === id) { l.openPopup(); } })",
        first["id"],
    )
    popup = page.locator(".damage-popup")
    popup.wait_for()
    assert first["code"] in popup.inner_text()
    if first["crop"]:
        page.wait_for_function(
            "() => { const i = document.querySelector('.damage-popup img'); return i && i.naturalWidth > 0; }"
        )
    _shot(page, "damage-popup-phone-id")
    # every code the demo's damages have gets a box (D43 and D44 too, when the real detector found them)
    listed = set(page.eval_on_selector_all("input[name=damage-code]", "l => l.map(e => e.value)"))
    assert {f["properties"]["code"] for f in api["features"]} <= listed
    # filter: only potholes
    for code in sorted(listed - {"D40"}):
        page.uncheck(f"input[name=damage-code][value={code}]")
    n40 = sum(1 for f in api["features"] if f["properties"]["code"] == "D40")
    page.wait_for_function(f"document.querySelectorAll('.leaflet-marker-pane .kc-damage').length === {n40}")
    # colour by SDI: the IRI segments hidden, the condition layer drawn
    page.select_option("#colour-by", "sdi")
    page.wait_for_function("document.getElementById('map').dataset.colour === 'sdi'")
    assert "kc-hide-iri" in page.get_attribute("#map", "class")
    assert page.locator("path.kc-cond").count() > 0
    assert page.inner_text("#legend-title") == "Kondisi menurut SDI"
    page.select_option("#colour-by", "combined")
    page.wait_for_function("document.getElementById('map').dataset.colour === 'combined'")
    assert page.locator("path.kc-cond").count() > 0
    _shot(page, "combined-phone-id")
    page.select_option("#colour-by", "iri")
    page.wait_for_function("document.getElementById('map').dataset.colour === 'iri'")
    assert "kc-hide-iri" not in (page.get_attribute("#map", "class") or "")


@pytest.mark.browser
def test_damage_layer_in_english_on_a_desktop(demo_server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(demo_server + "/roads?city=35.10&lang=en")
        page.wait_for_function("document.getElementById('map').dataset.damage !== undefined")
        assert int(page.get_attribute("#map", "data-damage")) > 0
        assert "Road damage (camera)" in page.inner_text("#damage-filter")
        _shot(page, "damage-desktop-en")
        page.select_option("#colour-by", "combined")
        page.wait_for_function("document.getElementById('map').dataset.colour === 'combined'")
        assert page.inner_text("#legend-title") == "Condition by IRI and SDI"
        _shot(page, "combined-desktop-en")
    finally:
        context.close()
