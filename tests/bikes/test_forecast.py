"""Poisson ridge forecasts of hourly pickups/returns against the seasonal-naive baseline."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import pytest

from kotacerdas.bikes import demo, forecast
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import WIB, Trip

START = datetime.combine(demo.DEFAULT_START, time(0), WIB)


@pytest.fixture(scope="module")
def counts() -> forecast.HourlyCounts:
    trips = demo.demo_trips(weeks=5)
    ids = [s.station_id for s in demo.demo_stations()]
    return forecast.hourly_counts(trips, ids, START, START + timedelta(weeks=5))


def test_hourly_counts_conserve_trips():
    a = START + timedelta(hours=7, minutes=10)
    trips = [
        Trip("t1", "b", "x", "y", a, a + timedelta(minutes=55)),
        Trip("t2", "b", "y", "x", a + timedelta(hours=30), a + timedelta(hours=30, minutes=5)),
        Trip("t3", "b", "x", "zz", a, a + timedelta(minutes=5)),  # unknown station: ignored for returns
        Trip("t4", "b", "x", "y", a - timedelta(days=1), a),  # starts before the period
    ]
    c = forecast.hourly_counts(trips, ["x", "y"], START, START + timedelta(days=2))
    assert c.pickups.shape == (48, 2)
    assert c.pickups[7, 0] == 2 and c.returns[8, 1] == 1 and c.returns[7, 1] == 1
    assert c.pickups[37, 1] == 1 and c.returns[37, 0] == 1
    assert c.pickups.sum() == 3 and c.returns.sum() == 3


def test_design_matrix_marks_holidays_as_rest_days():
    eid = datetime(2025, 3, 31, 8, tzinfo=WIB)  # Idul Fitri, a Monday
    monday = datetime(2025, 3, 24, 8, tzinfo=WIB)
    x = forecast.design_matrix([eid, monday])
    assert x[0, 56] == 1 and x[1, 56] == 0
    assert x[0, 32 + 8] == 1 and x[1, 32 + 8] == 0
    assert x[0, 1 + 8] == x[1, 1 + 8] == 1 and x[1, 25] == 1
    assert date(2025, 3, 31) in forecast.indonesian_holidays_for([eid])


def test_poisson_ridge_recovers_coefficients():
    rng = np.random.default_rng(3)
    x = np.column_stack([np.ones(4000), rng.normal(size=(4000, 3))])
    beta = np.array([0.5, 0.8, -0.4, 0.0])
    y = rng.poisson(np.exp(x @ beta))
    fitted = forecast.fit_poisson_ridge(x, y, l2=1e-3)
    assert np.allclose(fitted, beta, atol=0.06)
    shrunk = forecast.fit_poisson_ridge(x, y, l2=5000.0)
    assert np.abs(shrunk[1:]).sum() < np.abs(fitted[1:]).sum()


def test_model_beats_seasonal_naive_on_held_out_weeks(counts):
    ev = forecast.evaluate(counts, test_weeks=2, l2=1.0)
    assert ev.test_hours == 2 * 168
    gain = ev.improvement()
    assert ev.model_pickups.mae < ev.naive_pickups.mae
    assert ev.model_pickups.rmse < ev.naive_pickups.rmse
    assert ev.model_returns.mae < ev.naive_returns.mae
    assert ev.model_returns.rmse < ev.naive_returns.rmse
    assert gain["pickups_rmse"] > 0.1


def test_forecast_profiles_follow_the_story(counts):
    model = forecast.fit_forecaster(counts)
    ids = list(counts.station_ids)
    day = forecast.hour_range(datetime(2025, 4, 7, tzinfo=WIB), datetime(2025, 4, 8, tzinfo=WIB))
    pick, ret = model.predict(day)
    home, centre = ids.index("lateng"), ids.index("sritanjung")
    assert pick[7, home] > 3 * pick[7, centre] / 1.4  # morning: out of the neighbourhoods
    assert ret[8, centre] > ret[8, home]  # and into the centre
    assert pick[2].sum() == 0 and 2 in model.closed_hours  # closed at night
    assert (pick >= 0).all() and (ret >= 0).all()


def test_errors():
    c = forecast.hourly_counts([], ["x"], START, START + timedelta(weeks=2))
    with pytest.raises(BikesError):
        forecast.evaluate(c, test_weeks=1)
    with pytest.raises(BikesError):
        forecast.seasonal_naive(c, 10, 20)
    with pytest.raises(BikesError):
        forecast.hourly_counts([], ["x"], START, START)
