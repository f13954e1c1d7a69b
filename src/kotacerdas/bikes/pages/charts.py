"""The operator's charts: trips per day (bars) and revenue per day (a line), drawn by :mod:`kotacerdas.core.charts`.

Each mark carries the day (``data-date``, ISO) and the value (``data-value``) and a tooltip with
both; the axes are titled in the page's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from kotacerdas.core.charts import category_chart
from kotacerdas.core.i18n import N_, gettext

X_TITLE = N_("Day")
TRIPS_TITLE, TRIPS_AXIS = N_("Trips per day"), N_("Trips")
REVENUE_TITLE, REVENUE_AXIS = N_("Revenue per day (Rp)"), N_("Rupiah")


def _day_label(day: str) -> str:
    """``DD/MM`` of an ISO date."""
    return f"{day[8:10]}/{day[5:7]}" if len(day) >= 10 else day


def _rupiah(value: float) -> str:
    return f"{value / 1000:,.0f}k" if value >= 1000 else f"{value:,.0f}"


def _count(value: float) -> str:
    return f"{value:,.0f}"


def day_chart(
    days: Sequence[str],
    values: Sequence[float],
    lang: str,
    *,
    kind: str,
    title: str,
    y_title: str,
    chart_id: str,
    fmt=_count,
    colour: str = "#0f7b6c",
) -> str:
    """One value per day (ISO dates, oldest first) as an SVG chart, its texts in ``lang``."""
    return category_chart(
        [_day_label(d) for d in days],
        values,
        kind=kind,
        title=gettext(title, lang),
        x_title=gettext(X_TITLE, lang),
        y_title=gettext(y_title, lang),
        fmt=fmt,
        colour=colour,
        tips=[f"{d}: {fmt(v)}" for d, v in zip(days, values, strict=True)],
        data=[{"date": d} for d in days],
        css_class="bikes-chart",
        chart_id=chart_id,
    )


def trips_chart(days: Sequence[str], trips: Sequence[int], lang: str) -> str:
    """Trips per day as bars (``#trips-chart``)."""
    return day_chart(days, trips, lang, kind="bar", title=TRIPS_TITLE, y_title=TRIPS_AXIS, chart_id="trips-chart")


def revenue_chart(days: Sequence[str], revenue: Sequence[int], lang: str) -> str:
    """Revenue per day in rupiah as a line (``#revenue-chart``)."""
    return day_chart(
        days,
        revenue,
        lang,
        kind="line",
        title=REVENUE_TITLE,
        y_title=REVENUE_AXIS,
        chart_id="revenue-chart",
        fmt=_rupiah,
        colour="#c05621",
    )
