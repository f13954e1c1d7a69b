"""Public pages: the directory in both languages with theme search, a lorong's page, food prices."""

import pytest


@pytest.mark.parametrize(
    ("lang", "words"),
    [("id", ["Semua tema", "Destinasi kuliner", "ditemukan"]), ("en", ["All themes", "Culinary destination", "found"])],
)
def test_directory_in_both_languages(client, api_world, lang, words):
    r = client.get(f"/lorong?city=73.71&lang={lang}")
    assert r.status_code == 200 and r.headers["content-language"] == lang
    for w in words:
        assert w in r.text
    assert "Lorong Anggrek" in r.text and "081234567890" not in r.text


def test_search_by_theme_and_text(client, api_world):
    r = client.get("/lorong?city=73.71&theme=destinasi-sejarah")
    assert "Lorong Cempaka" in r.text and "Lorong Anggrek" not in r.text
    r = client.get("/lorong?city=73.71&q=dahlia")
    assert "Lorong Dahlia" in r.text and "Lorong Cempaka" not in r.text


def test_a_lorong_page_shows_what_to_see_and_buy_but_no_private_contact(client, api_world):
    r = client.get("/lorong/73.71/lorong-anggrek?lang=id")
    assert r.status_code == 200
    assert "Maradekaya" in r.text and "Pokdarwis 0811" in r.text and "qr.svg" in r.text
    assert "Ibu Lorong" not in r.text and "081234567890" not in r.text
    assert client.get("/lorong/73.71/nothing-here").status_code == 404


def test_prices_page(client, api_world):
    r = client.get("/lorong/prices?city=73.71&lang=en")
    assert r.status_code == 200 and "No price was recorded yet" in r.text and "Price alerts" not in r.text


def test_price_alerts_name_the_kecamatan(client, api_world):
    from datetime import date

    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.lorong.services import foodprices
    from tests.lorong.pages.test_staff import sign_in

    with session_scope(api_world.engine) as s:
        market = foodprices.save_market(
            s, accounts.get_city(s, "73.71"), "pasar-terong", {"name": "Pasar Terong", "kecamatan_code": "73.71.06"}
        )
        for day, price in ((date(2025, 1, 6), 40_000), (date(2025, 1, 13), 41_000), (date(2025, 1, 20), 52_000)):
            foodprices.record_price(s, market, "cabai-rawit", day, price)
    sign_in(client, "lorongadmin.7371")
    page = client.get("/lorong/prices?city=73.71&lang=en").text
    alerts = page[page.index('<table class="alerts">') :]
    assert "Bontoala <small>73.71.06</small>" in alerts and "whole city" in alerts
