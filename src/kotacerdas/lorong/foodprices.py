"""Food prices for inflation control: staple commodities, weekly prices, a price index and rise alerts.

Prices are recorded per week (the Monday that starts it), per market or lorong, in whole rupiah
per the commodity's unit. For an area (a market, a kecamatan, the city) a week's price is the
mean over the places that reported that commodity that week.

* **Index.** ``100 * price(week) / baseline``, where the baseline is the mean of the area's weekly
  prices inside the baseline period (for example the first quarter of the year): 112 means 12 %
  dearer than in the baseline period.
* **Alert.** A week whose price rose by more than the set share (``alert_share``, 0.10 = 10 %)
  over the previous reported week of the same commodity and area.
* **Outlier.** A price more than :data:`OUTLIER_FACTOR` times, or less than a :data:`OUTLIER_FACTOR`-th of, the
  median of the city's prices of that commodity in the :data:`RECENT_WEEKS` weeks up to its week (a typing
  slip: Rp 9,000,000 for a kg of rice). Judged only with at least :data:`MIN_REFERENCE` such prices.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from kotacerdas.core.i18n import N_
from kotacerdas.lorong.errors import LorongError

#: Commodity code -> (Bahasa Indonesia, English, unit). Staples watched by regional inflation teams (TPID).
COMMODITIES: dict[str, tuple[str, str, str]] = {
    "beras-medium": ("Beras medium", "Rice (medium)", "kg"),
    "beras-premium": ("Beras premium", "Rice (premium)", "kg"),
    "cabai-merah-keriting": ("Cabai merah keriting", "Red curly chili", "kg"),
    "cabai-rawit": ("Cabai rawit", "Bird's eye chili", "kg"),
    "bawang-merah": ("Bawang merah", "Shallot", "kg"),
    "bawang-putih": ("Bawang putih", "Garlic", "kg"),
    "minyak-goreng": ("Minyak goreng curah", "Cooking oil (bulk)", "liter"),
    "telur-ayam": ("Telur ayam ras", "Chicken eggs", "kg"),
    "daging-ayam": ("Daging ayam ras", "Broiler chicken", "kg"),
    "gula-pasir": ("Gula pasir", "Sugar", "kg"),
    "daging-sapi": ("Daging sapi", "Beef", "kg"),
    "ikan-bandeng": ("Ikan bandeng", "Milkfish", "kg"),
}
DEFAULT_ALERT_SHARE = 0.10
#: An outlier is more than this many times the recent median, or less than its reciprocal.
OUTLIER_FACTOR = 3.0
#: The weeks (the entry's week and those before it) whose prices make the reference median.
RECENT_WEEKS = 8
#: Fewer reference prices than this: no judgement (a new commodity or city).
MIN_REFERENCE = 3


def check_commodity(code: str) -> str:
    if code not in COMMODITIES:
        raise LorongError(
            N_("Unknown commodity {value}; commodities are: {commodities}"),
            field="commodity",
            value=code,
            commodities=", ".join(COMMODITIES),
        )
    return code


def week_of(day: date) -> date:
    """The Monday that starts the week of ``day``."""
    return day - timedelta(days=day.weekday())


def check_price(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 10_000_000:
        raise LorongError(N_("A price must be a whole number of rupiah between 1 and 10,000,000"), field="price")
    return value


def median(values: list[float]) -> float:
    """The median of a non-empty list of numbers."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2.0


def outlier_reference(price: int, recent: list[float], factor: float = OUTLIER_FACTOR) -> float | None:
    """The median of ``recent`` prices if ``price`` lies outside ``[median / factor, median * factor]``, else None.

    None also when there are fewer than :data:`MIN_REFERENCE` recent prices to judge by.
    """
    if len(recent) < MIN_REFERENCE:
        return None
    ref = median(recent)
    if ref <= 0 or ref / factor <= price <= ref * factor:
        return None
    return ref


def price_index(series: Mapping[date, float], baseline_start: date, baseline_end: date) -> dict[date, float]:
    """The index (baseline = 100) of a weekly price series; the baseline is its mean inside the period."""
    base = [v for w, v in series.items() if baseline_start <= w <= baseline_end]
    if not base:
        raise LorongError(
            N_("No price was reported in the baseline period {start} to {end}"),
            field="baseline",
            start=baseline_start.isoformat(),
            end=baseline_end.isoformat(),
        )
    mean = sum(base) / len(base)
    return {w: round(100.0 * v / mean, 2) for w, v in sorted(series.items())}


@dataclass(frozen=True)
class Alert:
    """A price rise over the set share between two consecutive reported weeks."""

    commodity: str
    area: str
    week: date
    previous: float
    price: float

    @property
    def change(self) -> float:
        return round(self.price / self.previous - 1.0, 4)


def rises(series: Mapping[date, float], share: float, *, commodity: str, area: str) -> list[Alert]:
    """Every week whose price rose by more than ``share`` over the previous reported week."""
    if not 0 < share < 10:
        raise LorongError(N_("The alert share must be between 0 and 10 (0.10 = 10 %)"), field="alert_share")
    out = []
    weeks = sorted(series)
    for prev, week in zip(weeks, weeks[1:], strict=False):
        before, now = series[prev], series[week]
        if before > 0 and now / before - 1.0 > share + 1e-12:
            out.append(Alert(commodity, area, week, before, now))
    return out
