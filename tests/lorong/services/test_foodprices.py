"""Recording food prices: no week after the current one in the city's time zone, no slip far from the recent
median unless confirmed, nothing stored by a refused price."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.services import foodprices
from kotacerdas.lorong.store.tables import LorongPrice


def _market(s, code="pasar-butung"):
    return foodprices.save_market(s, accounts.get_city(s, "73.71"), code, {"name": code})


def test_a_week_after_the_current_one_in_makassar_is_refused(world):
    # Sunday 12 January 2025 at 20:00 UTC is already Monday 13 January at 04:00 in Makassar (UTC+8)
    monday_in_makassar = datetime(2025, 1, 12, 20, tzinfo=UTC)
    sunday_in_makassar = datetime(2025, 1, 12, 10, tzinfo=UTC)
    with session_scope(world.engine) as s:
        market = _market(s)
        foodprices.record_price(s, market, "beras-medium", date(2025, 1, 13), 12_000, now=monday_in_makassar)
        with pytest.raises(LorongError, match="has not started yet") as exc:
            foodprices.record_price(s, market, "beras-medium", date(2025, 1, 14), 12_000, now=sunday_in_makassar)
        assert exc.value.field == "day"
        with pytest.raises(LorongError, match="has not started yet"):
            foodprices.record_price(s, market, "beras-medium", date(2099, 1, 5), 12_000)


def test_a_price_far_from_the_recent_median_is_refused_unless_confirmed(world):
    with session_scope(world.engine) as s:
        market, other = _market(s), _market(s, "pasar-terong")
        for day, price in ((date(2025, 1, 6), 12_000), (date(2025, 1, 13), 12_200), (date(2025, 1, 20), 12_100)):
            foodprices.record_price(s, other, "beras-medium", day, price)
        with pytest.raises(LorongError) as exc:
            foodprices.record_price(s, market, "beras-medium", date(2025, 1, 27), 9_000_000)
        assert exc.value.field == "price"
        assert "Rp12.100" in exc.value.render("id") and "pasar-butung" in exc.value.render("id")
        with pytest.raises(LorongError, match="median"):
            foodprices.record_price(s, market, "beras-medium", date(2025, 1, 27), 3_000)
        assert s.scalar(select(func.count()).select_from(LorongPrice).where(LorongPrice.market_id == market.id)) == 0
        foodprices.record_price(s, market, "beras-medium", date(2025, 1, 27), 13_000)
        row = foodprices.record_price(s, market, "beras-medium", date(2025, 1, 27), 40_000, confirm_outlier=True)
        assert row.price == 40_000
        # a correction is judged without the price it corrects
        assert foodprices.record_price(s, market, "beras-medium", date(2025, 1, 27), 12_500).price == 12_500
