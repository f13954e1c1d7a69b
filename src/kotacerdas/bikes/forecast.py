"""Hourly pickups and returns per station, forecast from trip history.

Model: for each station and each target (pickups, returns) a Poisson
generalised linear model with a log link and a ridge (L2) penalty, fitted by
Newton's method (iteratively reweighted least squares) in numpy. Features
(full one-hot codes; the penalty makes them identifiable and shrinks every
level towards the unpenalised intercept rather than towards a reference level):

* hour of day (24 levels) and weekday (7 levels);
* *rest day* x hour of day: weekends and Indonesian public holidays
  (``holidays.Indonesia``) have their own daily profile;
* public holiday flag (a holiday on a weekday behaves like a Sunday);
* weather when given: rain in mm that hour (capped at 10) and a wet-hour flag.

A Poisson GLM is the textbook model for counts: the log-rate is additive in
the features and predictions are never negative. Hours of the day without a
single trip in the whole system during training (the system is closed) are
forecast as zero instead of a small shrunken rate.

Evaluation (:func:`evaluate`) uses rolling origins over held-out weeks: for
each test week the model is fitted on every earlier week and predicts the
whole week; the baseline is *seasonal naive* (the count of the same hour one
week earlier). Both are scored with MAE and RMSE over station-hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

import holidays
import numpy as np

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import WIB, Trip, check_aware
from kotacerdas.core.i18n import N_

WEEK = 168
N_BASE_FEATURES = 57
"""Intercept, hour (24), weekday (7), rest-day x hour (24), holiday; rain adds 2."""


@dataclass(frozen=True)
class HourlyCounts:
    """Trips started (pickups) and ended (returns) per station and hour.

    ``hours`` are consecutive local hour starts; arrays are ``[len(hours), S]``.
    """

    hours: tuple[datetime, ...]
    station_ids: tuple[str, ...]
    pickups: np.ndarray
    returns: np.ndarray

    def slice(self, start: int, stop: int) -> HourlyCounts:
        """The hours ``start:stop``."""
        return HourlyCounts(
            self.hours[start:stop], self.station_ids, self.pickups[start:stop], self.returns[start:stop]
        )


def hour_range(start: datetime, end: datetime, tz: tzinfo = WIB) -> tuple[datetime, ...]:
    """Local hour starts from ``start`` (floored to the hour) up to, not including, ``end``."""
    check_aware(start, "start")
    check_aware(end, "end")
    t = start.astimezone(tz).replace(minute=0, second=0, microsecond=0)
    out = []
    while t < end:
        out.append(t)
        t += timedelta(hours=1)
    return tuple(out)


def hourly_counts(
    trips: Iterable[Trip], station_ids: Sequence[str], start: datetime, end: datetime, *, tz: tzinfo = WIB
) -> HourlyCounts:
    """Count pickups (by start time and station) and returns (by end time and station) per hour."""
    hours = hour_range(start, end, tz)
    if not hours:
        raise BikesError(N_("the forecast period is empty"), field="end")
    idx = {s: i for i, s in enumerate(station_ids)}
    first = hours[0]
    pick = np.zeros((len(hours), len(station_ids)))
    ret = np.zeros_like(pick)
    for t in trips:
        for when, station, arr in (
            (t.start_time, t.start_station_id, pick),
            (t.end_time, t.end_station_id, ret),
        ):
            k = int((when - first) // timedelta(hours=1))
            if 0 <= k < len(hours) and station in idx:
                arr[k, idx[station]] += 1
    return HourlyCounts(hours, tuple(station_ids), pick, ret)


def indonesian_holidays_for(hours: Sequence[datetime]) -> set[date]:
    """Indonesian public holidays in the years the hours span."""
    years = sorted({h.year for h in hours})
    return set(holidays.Indonesia(years=years)) if years else set()


def design_matrix(
    hours: Sequence[datetime],
    *,
    holiday_dates: Iterable[date] | None = None,
    weather: Mapping[datetime, float] | None = None,
) -> np.ndarray:
    """Feature rows for ``hours``: intercept, hour, weekday, rest-day x hour, holiday, [rain, wet].

    Columns: 0 intercept; 1-24 hour of day; 25-31 weekday (Monday first);
    32-55 rest day x hour; 56 public holiday; 57 rain mm / 10 (capped); 58 wet hour.

    Parameters
    ----------
    hours:
        Local hour starts.
    holiday_dates:
        Public holidays (default: ``holidays.Indonesia`` for the years spanned).
    weather:
        Rain in mm per hour start; adds two columns when given (missing hours: dry).
    """
    hol = indonesian_holidays_for(hours) if holiday_dates is None else set(holiday_dates)
    n = len(hours)
    x = np.zeros((n, N_BASE_FEATURES + (2 if weather is not None else 0)))
    x[:, 0] = 1.0
    for i, h in enumerate(hours):
        x[i, 1 + h.hour] = 1.0
        x[i, 25 + h.weekday()] = 1.0
        holiday = h.date() in hol
        if holiday or h.weekday() >= 5:
            x[i, 32 + h.hour] = 1.0
        x[i, 56] = float(holiday)
        if weather is not None:
            rain = float(weather.get(h, 0.0))
            x[i, 57] = min(rain, 10.0) / 10.0
            x[i, 58] = float(rain >= 0.5)
    return x


def fit_poisson_ridge(
    x: np.ndarray, y: np.ndarray, l2: float = 1.0, *, max_iter: int = 100, tol: float = 1e-8
) -> np.ndarray:
    """Penalised maximum-likelihood Poisson regression (log link) by damped Newton steps.

    Maximises ``sum(y * eta - exp(eta)) - l2/2 * |beta[1:]|^2`` with
    ``eta = x @ beta``; the intercept (column 0) is not penalised.

    Returns
    -------
    numpy.ndarray
        The coefficients.
    """
    n, p = x.shape
    penalty = np.full(p, float(l2))
    penalty[0] = 0.0
    beta = np.zeros(p)
    beta[0] = np.log(max(y.mean(), 1e-6))

    def objective(b: np.ndarray) -> float:
        eta = np.clip(x @ b, -30, 30)
        return float(y @ eta - np.exp(eta).sum() - 0.5 * (penalty * b * b).sum())

    current = objective(beta)
    for _ in range(max_iter):
        eta = np.clip(x @ beta, -30, 30)
        mu = np.exp(eta)
        grad = x.T @ (y - mu) - penalty * beta
        hess = (x * mu[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(p)
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while t > 1e-6:
            candidate = beta + t * step
            value = objective(candidate)
            if value >= current - 1e-12:
                break
            t /= 2
        beta, previous, current = candidate, current, value
        if abs(current - previous) <= tol * (1 + abs(current)):
            break
    return beta


@dataclass
class DemandForecaster:
    """Fitted per-station Poisson models for pickups and returns (``coef_*`` is ``[S, F]``)."""

    station_ids: tuple[str, ...]
    coef_pickups: np.ndarray
    coef_returns: np.ndarray
    holiday_dates: frozenset[date]
    uses_weather: bool
    closed_hours: frozenset[int] = frozenset()

    def predict(
        self, hours: Sequence[datetime], weather: Mapping[datetime, float] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Expected pickups and returns, each ``[len(hours), S]``."""
        x = design_matrix(
            hours,
            holiday_dates=self.holiday_dates | indonesian_holidays_for(hours),
            weather=(weather or {}) if self.uses_weather else None,
        )
        open_ = np.array([h.hour not in self.closed_hours for h in hours], dtype=float)[:, None]
        return (
            open_ * np.exp(np.clip(x @ self.coef_pickups.T, -30, 30)),
            open_ * np.exp(np.clip(x @ self.coef_returns.T, -30, 30)),
        )


def fit_forecaster(
    counts: HourlyCounts,
    *,
    weather: Mapping[datetime, float] | None = None,
    l2: float = 1.0,
    holiday_dates: Iterable[date] | None = None,
) -> DemandForecaster:
    """Fit one Poisson ridge model per station for pickups and for returns."""
    hol = frozenset(indonesian_holidays_for(counts.hours) if holiday_dates is None else holiday_dates)
    x = design_matrix(counts.hours, holiday_dates=hol, weather=weather)
    s = len(counts.station_ids)
    cp = np.vstack([fit_poisson_ridge(x, counts.pickups[:, j], l2) for j in range(s)])
    cr = np.vstack([fit_poisson_ridge(x, counts.returns[:, j], l2) for j in range(s)])
    activity = np.zeros(24)
    for h, p, r in zip(counts.hours, counts.pickups.sum(axis=1), counts.returns.sum(axis=1), strict=True):
        activity[h.hour] += p + r
    closed = frozenset(int(h) for h in np.flatnonzero(activity == 0))
    return DemandForecaster(counts.station_ids, cp, cr, hol, weather is not None, closed)


def seasonal_naive(counts: HourlyCounts, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
    """Forecast hours ``start:stop`` by the same hour one week earlier (needs ``start >= 168``)."""
    if start < WEEK:
        raise BikesError(N_("seasonal naive needs a week of history before the forecast"), field="start")
    return counts.pickups[start - WEEK : stop - WEEK], counts.returns[start - WEEK : stop - WEEK]


@dataclass(frozen=True)
class Scores:
    """Mean absolute error and root mean squared error over station-hours."""

    mae: float
    rmse: float


def score(actual: np.ndarray, predicted: np.ndarray) -> Scores:
    """MAE and RMSE of ``predicted`` against ``actual``."""
    err = np.asarray(predicted, dtype=float) - np.asarray(actual, dtype=float)
    return Scores(float(np.abs(err).mean()), float(np.sqrt((err**2).mean())))


@dataclass(frozen=True)
class Evaluation:
    """Model and seasonal-naive scores on held-out weeks, for pickups and returns."""

    model_pickups: Scores
    naive_pickups: Scores
    model_returns: Scores
    naive_returns: Scores
    test_weeks: int
    test_hours: int

    def improvement(self) -> dict[str, float]:
        """Relative error reduction of the model over seasonal naive (0.2 = 20 % lower)."""
        return {
            "pickups_mae": 1 - self.model_pickups.mae / self.naive_pickups.mae,
            "pickups_rmse": 1 - self.model_pickups.rmse / self.naive_pickups.rmse,
            "returns_mae": 1 - self.model_returns.mae / self.naive_returns.mae,
            "returns_rmse": 1 - self.model_returns.rmse / self.naive_returns.rmse,
        }


def evaluate(
    counts: HourlyCounts,
    *,
    test_weeks: int = 2,
    weather: Mapping[datetime, float] | None = None,
    l2: float = 1.0,
    holiday_dates: Iterable[date] | None = None,
) -> Evaluation:
    """Rolling-origin evaluation on the last ``test_weeks`` whole weeks of ``counts``.

    Raises
    ------
    BikesError
        When fewer than two weeks remain for training before the test weeks.
    """
    n = len(counts.hours)
    first_test = n - test_weeks * WEEK
    if test_weeks < 1 or first_test < 2 * WEEK:
        raise BikesError(
            N_("need at least two weeks of history before {weeks} test weeks"),
            field="test_weeks",
            weeks=test_weeks,
        )
    hol = set(indonesian_holidays_for(counts.hours)) if holiday_dates is None else set(holiday_dates)
    preds_p, preds_r, naive_p, naive_r = [], [], [], []
    for w in range(test_weeks):
        a, b = first_test + w * WEEK, first_test + (w + 1) * WEEK
        model = fit_forecaster(counts.slice(0, a), weather=weather, l2=l2, holiday_dates=hol)
        p, r = model.predict(counts.hours[a:b], weather)
        preds_p.append(p)
        preds_r.append(r)
        np_, nr = seasonal_naive(counts, a, b)
        naive_p.append(np_)
        naive_r.append(nr)
    act_p, act_r = counts.pickups[first_test:], counts.returns[first_test:]
    return Evaluation(
        score(act_p, np.vstack(preds_p)),
        score(act_p, np.vstack(naive_p)),
        score(act_r, np.vstack(preds_r)),
        score(act_r, np.vstack(naive_r)),
        test_weeks,
        n - first_test,
    )
