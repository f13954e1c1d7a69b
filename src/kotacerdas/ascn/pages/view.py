"""What every ASCN page shows alike: vocabulary labels in the page's language, numbers and charts."""

from __future__ import annotations

from markupsafe import Markup

from kotacerdas.ascn import framework
from kotacerdas.core import charts
from kotacerdas.core.i18n import gettext


def labels(lang: str) -> dict[str, dict[str, str]]:
    """Every vocabulary's labels in ``lang``, for templates (``labels.focus['civic_social']``)."""

    def tr(vocabulary: dict[str, str]) -> dict[str, str]:
        return {code: gettext(label, lang) for code, label in vocabulary.items()}

    return {
        "focus": tr(framework.FOCUS_AREAS),
        "status": tr(framework.PROJECT_STATUSES),
        "ptype": tr(framework.PARTNERSHIP_TYPES),
        "pstatus": tr(framework.PARTNERSHIP_STATUSES),
        "kind": tr(framework.PARTNER_KINDS),
        "country": tr(framework.ASEAN_COUNTRIES),
        "language": tr(framework.ASEAN_LANGUAGES),
    }


def number(value: float | None, lang: str) -> str:
    """A number as the page's language writes it (Indonesian: 1.234,5; English: 1,234.5)."""
    if value is None:
        return "–"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if lang == "id":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def bar_chart(
    rows: list[tuple[str, int]], title: str, y_title: str, lang: str, chart_id: str, short: list[str] | None = None
) -> Markup:
    """A bar chart of counts per category (``core.charts``; the SVG holds escaped text only).

    ``short`` labels the x axis when the full labels would not fit (country codes); the tooltips keep the full ones.
    """
    return Markup(
        charts.category_chart(
            short or [label for label, _ in rows],
            [float(n) for _, n in rows],
            tips=[f"{label}: {number(n, lang)}" for label, n in rows],
            width=1000,
            title=title,
            y_title=y_title,
            fmt=lambda v: number(v, lang),
            chart_id=chart_id,
            css_class="ascn-chart",
            height=260,
            max_labels=12,
        )
    )


def line_chart(points: list[tuple[str, float]], title: str, y_title: str, lang: str, chart_id: str) -> Markup:
    """An indicator's values over time as a line (``core.charts``)."""
    return Markup(
        charts.category_chart(
            [x for x, _ in points],
            [v for _, v in points],
            kind="line",
            title=title,
            y_title=y_title,
            fmt=lambda v: number(v, lang),
            chart_id=chart_id,
            css_class="ascn-chart",
            height=220,
        )
    )
