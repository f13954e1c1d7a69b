"""The food-price recording page: a coordinator types a week's prices at their lorong's market in one form; a refused
price is said next to its field, with every typed price kept and none stored; only markets the user may record at are
offered, and an outlier passes only when an admin confirms it."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.lorong.services import foodprices
from kotacerdas.lorong.store.tables import LorongPrice
from tests.lorong.pages.test_staff import sign_in

DAY = "2025-01-15"  # a Wednesday: the week of Monday 13 January


@pytest.fixture
def markets(api_world):
    with session_scope(api_world.engine) as s:
        city = accounts.get_city(s, "73.71")
        own = {"name": "Pasar Lorong Anggrek", "kind": "lorong", "unit_id": api_world.units["lr-a1"]}
        foodprices.save_market(s, city, "pasar-anggrek", own)
        foodprices.save_market(s, city, "pasar-terong", {"name": "Pasar Terong", "kind": "market"})
        for market, day, price in (
            ("pasar-terong", date(2025, 1, 6), 40_000),
            ("pasar-anggrek", date(2025, 1, 6), 42_000),
            ("pasar-terong", date(2024, 12, 30), 41_000),
        ):
            foodprices.record_price(s, foodprices.get_market(s, city.id, market), "cabai-rawit", day, price)


def _post(client, data, lang="id"):
    body = {"csrf": client.cookies.get("kc_csrf"), "day": DAY, **data}
    return client.post(f"/lorong/prices/record/73.71?lang={lang}", data=body, follow_redirects=False)


def _prices(engine) -> dict:
    with session_scope(engine) as s:
        return {
            (c, str(w)): p for c, w, p in s.execute(select(LorongPrice.commodity, LorongPrice.week, LorongPrice.price))
        }


def test_a_coordinator_records_a_weeks_prices_at_their_market(client, api_world, markets):
    sign_in(client, "lorongcoordinator.7371")
    page = client.get("/lorong/prices/record?city=73.71&lang=id")
    assert page.status_code == 200 and "Catat harga pangan" in page.text and "Cabai rawit" in page.text
    offered = re.findall(r'<select id="pick-market".*?</select>', page.text, re.S)[0]
    assert "pasar-anggrek" in offered and "pasar-terong" not in offered  # only their own lorong's market
    r = _post(client, {"market": "pasar-anggrek", "p-cabai-rawit": "45.000", "p-bawang-merah": "38000"})
    assert r.status_code == 303 and "done=2" in r.headers["location"]
    done = client.get(r.headers["location"] + "&lang=id").text
    assert "2 harga telah dicatat." in done and "tercatat Rp45.000" in done and 'placeholder="45000"' in done
    assert 'id="p-cabai-rawit" name="p-cabai-rawit" type="text" inputmode="numeric" value=""' in done  # not sent again
    stored = _prices(api_world.engine)
    assert stored[("cabai-rawit", "2025-01-13")] == 45_000 and stored[("bawang-merah", "2025-01-13")] == 38_000
    again = _post(client, {"market": "pasar-anggrek", "p-cabai-rawit": "44000"})  # the same week: corrects
    assert again.status_code == 303 and _prices(api_world.engine)[("cabai-rawit", "2025-01-13")] == 44_000


def test_a_refused_price_is_said_next_to_its_field_and_nothing_is_stored(client, api_world, markets):
    sign_in(client, "lorongcoordinator.7371")
    client.get("/lorong/prices/record?city=73.71")
    before = _prices(api_world.engine)
    r = _post(client, {"market": "pasar-anggrek", "p-bawang-merah": "38000", "p-cabai-rawit": "empat puluh"})
    assert r.status_code == 400
    assert re.search(r'id="record-error" role="alert">Cabai rawit: [^<]*rupiah', r.text)
    assert re.search(r'id="p-cabai-rawit"[^>]*value="empat puluh"[^>]*aria-invalid="true"', r.text)
    assert 'value="38000"' in r.text  # what was typed stays
    r = _post(client, {"market": "pasar-anggrek", "p-bawang-merah": "38000", "p-cabai-rawit": "4000000"}, lang="en")
    assert r.status_code == 400 and re.search(r"Bird&#39;s eye chili: [^<]*median", r.text)
    assert re.search(r'id="p-cabai-rawit"[^>]*aria-invalid="true"', r.text)
    r = _post(client, {"market": "pasar-anggrek"}, lang="en")
    assert r.status_code == 400 and "Type at least one price" in r.text
    r = _post(client, {"market": "pasar-anggrek", "day": "2099-01-05", "p-beras-medium": "12000"}, lang="en")
    assert r.status_code == 400 and "has not started yet" in r.text
    assert _prices(api_world.engine) == before


def test_markets_and_confirmation_follow_the_role(client, api_world, markets):
    sign_in(client, "lorongcoordinator.7371")
    client.get("/lorong/prices/record?city=73.71")
    assert _post(client, {"market": "pasar-terong", "p-cabai-rawit": "40000"}).status_code == 403
    r = _post(client, {"market": "pasar-anggrek", "p-cabai-rawit": "4000000", "confirm": "1"})
    assert r.status_code == 400  # a coordinator cannot confirm an outlier
    client.cookies.clear()
    sign_in(client, "lorongadmin.7371")
    page = client.get("/lorong/prices/record?city=73.71&lang=en").text
    assert "pasar-terong" in page and 'name="confirm"' in page
    r = _post(client, {"market": "pasar-terong", "p-cabai-rawit": "4000000", "confirm": "1"})
    assert r.status_code == 303 and _prices(api_world.engine)[("cabai-rawit", "2025-01-13")] == 4_000_000
    assert _post(client, {"csrf": "forged", "market": "pasar-terong", "p-cabai-rawit": "40000"}).status_code == 400
    client.cookies.clear()
    r = client.post("/lorong/prices/record/73.71", data={"market": "pasar-terong"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    for user in ("lurah.7371", "lorongcoordinator.3510"):
        sign_in(client, user)
        assert client.get("/lorong/prices/record?city=73.71").status_code == 403, user
        assert _post(client, {"market": "pasar-terong", "p-cabai-rawit": "40000"}).status_code == 403, user
        client.cookies.clear()
    with session_scope(api_world.engine) as s:
        assert s.scalar(select(func.count()).select_from(LorongPrice)) == 4  # three before, one confirmed
