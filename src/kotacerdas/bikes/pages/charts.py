"""The operator's charts: trips per day (bars) and revenue per day (a line), drawn by :mod:`kotacerdas.core.charts`.

Each mark carries the day (``data-date``, ISO) and the value (``data-value``) and a tooltip with
both; the axes are titled in the page's language and every number and day is written in its locale
(:mod:`kotacerdas.core.formats`: ``1.000`` / ``1,000``, ``Rp15 rb`` / ``Rp15k``, ``3 Mei`` / ``3 May``).
Each is drawn at a card's width and a phone's (:func:`kotacerdas.core.charts.responsive`).
"""

from __future__ import annotations

from collections.abc import Sequence

from kotacerdas.core import formats
from kotacerdas.core.charts import category_chart, responsive
from kotacerdas.core.i18n import N_, gettext

X_TITLE = N_("Day")
TRIPS_TITLE, TRIPS_AXIS = N_("Trips per day"), N_("Trips")
REVENUE_TITLE, REVENUE_AXIS = N_("Revenue per day (Rp)"), N_("Rupiah")
CARD_WIDTH = 560


def day_chart(
    days: Sequence[str],
    values: Sequence[float],
    lang: str,
    *,
    kind: str,
    title: str,
    y_title: str,
    chart_id: str,
    money: bool = False,
    colour: str = "#0f7b6c",
) -> str:
    """One value per day (ISO dates, oldest first) as an SVG chart, its texts and numbers in ``lang``, drawn at
    a card's width and a phone's."""

    def tick(v: float) -> str:
        return formats.rupiah_short(v, lang) if money else formats.compact(v, lang)

    def exact(v: float) -> str:
        return formats.rupiah(v, lang) if money else formats.count(int(v), lang)

    return responsive(
        category_chart,
        wide=CARD_WIDTH,
        chart_id=chart_id,
        labels=[formats.day_month(d, lang) for d in days],
        values=values,
        kind=kind,
        title=gettext(title, lang),
        x_title=gettext(X_TITLE, lang),
        y_title=gettext(y_title, lang),
        fmt=tick,
        colour=colour,
        tips=[f"{formats.date(d, lang)}: {exact(v)}" for d, v in zip(days, values, strict=True)],
        data=[{"date": d} for d in days],
        css_class="bikes-chart",
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
        money=True,
        colour="#c05621",
    )
