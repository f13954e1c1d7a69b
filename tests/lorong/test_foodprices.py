"""Food prices: index against a baseline and alerts on sharp rises."""

from datetime import date, timedelta

import pytest

from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.foodprices import check_commodity, median, outlier_reference, price_index, rises, week_of

W0 = date(2025, 1, 6)
SERIES = {W0 + timedelta(weeks=i): p for i, p in enumerate([40_000, 42_000, 38_000, 40_000, 52_000, 50_000])}


def test_week_of_is_monday():
    assert week_of(date(2025, 1, 9)) == W0 and week_of(W0) == W0


def test_index_against_the_baseline_mean():
    idx = price_index(SERIES, W0, W0 + timedelta(weeks=3))
    assert idx[W0] == 100.0 and idx[W0 + timedelta(weeks=4)] == 130.0
    with pytest.raises(LorongError, match="baseline"):
        price_index(SERIES, date(2024, 1, 1), date(2024, 2, 1))


def test_alerts_over_the_share():
    alerts = rises(SERIES, 0.10, commodity="cabai-rawit", area="city")
    assert [(a.week, a.change) for a in alerts] == [(W0 + timedelta(weeks=4), 0.3)]
    assert rises(SERIES, 0.35, commodity="cabai-rawit", area="city") == []
    with pytest.raises(LorongError):
        rises(SERIES, 0, commodity="x", area="city")


def test_unknown_commodity():
    with pytest.raises(LorongError, match="Unknown commodity"):
        check_commodity("caviar")


def test_outliers_are_judged_against_the_recent_median():
    recent = [12_000.0, 12_500.0, 11_800.0, 13_000.0]
    assert median(recent) == 12_250.0 and median([1.0, 5.0, 2.0]) == 2.0
    assert outlier_reference(9_000_000, recent) == 12_250.0
    assert outlier_reference(3_000, recent) == 12_250.0  # under a third
    assert outlier_reference(36_000, recent) is None and outlier_reference(4_100, recent) is None
    assert outlier_reference(9_000_000, recent[:2]) is None  # too few prices to judge
