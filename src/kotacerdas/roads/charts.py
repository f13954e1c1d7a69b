"""Server-rendered SVG charts of road roughness: IRI along the length of a road.

Drawn with the platform's one chart helper (:func:`kotacerdas.core.charts.range_chart`), so
the page shows a picture that tests can read: one bar per interval (``rect.bar`` with
``data-class``), its height the IRI and its colour the Bina Marga class, over bands and
dashed lines marking the class limits, with a title on each axis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kotacerdas.core import formats
from kotacerdas.core.charts import Band, Formatter, LegendItem, Span, range_chart
from kotacerdas.core.i18n import gettext
from kotacerdas.roads.bina_marga import BOUNDARIES_M_PER_KM, RoadClass, classify

#: One colour per class, used by the charts, the map and the report.
CLASS_COLOURS: dict[str, str] = {
    RoadClass.BAIK.value: "#1a9850",
    RoadClass.SEDANG.value: "#91cf60",
    RoadClass.RUSAK_RINGAN.value: "#fc8d59",
    RoadClass.RUSAK_BERAT.value: "#d73027",
}
NO_DATA_COLOUR = "#9e9e9e"


@dataclass(frozen=True)
class Bar:
    """One stretch of the chart: ``[from_m, to_m)`` along the road and its IRI (m/km)."""

    from_m: float
    to_m: float
    iri: float
    label: str = ""


def _y_max(value: float) -> float:
    """The top of the IRI axis: above the last class limit, an even number."""
    top = max(value, BOUNDARIES_M_PER_KM[-1] + 2.0)
    return float(math.ceil(top / 2.0) * 2.0)


def _distance(value: float) -> str:
    return f"{value:,.0f}"


def _iri(value: float) -> str:
    return f"{value:g}"


def _in(lang: str | None) -> tuple[Formatter, Formatter]:
    """Distance and IRI tick formatters in the reader's locale (``1.200`` / ``1,200``; ``2,5`` / ``2.5``)."""
    if lang is None:
        return _distance, _iri
    return (lambda v: formats.number(v, lang, 0)), (lambda v: formats.compact(v, lang, 1))


def iri_chart_svg(
    bars: Sequence[Bar],
    *,
    title: str = "",
    x_label: str = "distance (m)",
    y_label: str = "IRI (m/km)",
    class_labels: dict[str, str] | None = None,
    empty_text: str = "no measurement",
    width: int = 760,
    height: int = 260,
    length_m: float | None = None,
    lang: str | None = None,
    chart_id: str = "",
) -> str:
    """An SVG chart of IRI along a road.

    Parameters
    ----------
    bars:
        Stretches along the road (metres from its start) with their IRI.
    title, x_label, y_label, empty_text:
        Texts, already translated (the title names the chart for screen readers).
    class_labels:
        Label of each class code for the legend (translated); the codes when ``None``.

    Returns
    -------
    str
        A standalone ``<svg>`` element (``role="img"``) with one ``<rect class="bar" data-class=...>``
        per stretch; with no stretch it shows ``empty_text`` and no distance ticks.
    """
    fmt_x, fmt_y = _in(lang)
    y_max = _y_max(max((b.iri for b in bars), default=0.0))
    edges = (0.0, *BOUNDARIES_M_PER_KM, y_max)
    bands = [
        Band(lo, hi, CLASS_COLOURS[code]) for code, lo, hi in zip(CLASS_COLOURS, edges[:-1], edges[1:], strict=True)
    ]
    spans = []
    for b in bars:
        cls = classify(b.iri).value
        tip = f"{b.label} {fmt_x(b.from_m)}–{fmt_x(b.to_m)} m: IRI {fmt_y(round(b.iri, 2))}".strip()
        spans.append(Span(b.from_m, b.to_m, b.iri, CLASS_COLOURS[cls], tip, {"class": cls}))
    labels = class_labels or {c: c for c in CLASS_COLOURS}
    legend = [LegendItem(labels.get(code, code), colour) for code, colour in CLASS_COLOURS.items()]
    step = 2 if y_max <= 20 else 4
    return range_chart(
        spans,
        title=title or y_label,
        x_title=x_label,
        y_title=y_label,
        fmt_x=fmt_x,
        fmt_y=fmt_y,
        y_max=y_max,
        y_ticks=[float(v) for v in range(0, int(y_max) + 1, step)],
        bands=bands,
        thresholds=BOUNDARIES_M_PER_KM,
        legend=legend,
        empty_text=empty_text,
        css_class="iri-chart",
        chart_id=chart_id,
        width=width,
        height=height,
        x_min=0.0 if length_m else None,
        x_max=length_m or None,
        x_min_step=1.0,
    )


def road_chart_svg(
    title: str,
    bars: Sequence[Bar],
    lang: str,
    *,
    length_m: float | None = None,
    width: int = 760,
    chart_id: str = "",
) -> str:
    """The chart of a road's IRI bars with its texts and numbers in ``lang`` (the API's SVG and the road page),
    its distance axis over the road's whole ``length_m`` when known (an unmeasured road too)."""
    return iri_chart_svg(
        bars,
        title=title,
        x_label=gettext("distance along the road (m)", lang),
        y_label=gettext("IRI (m/km)", lang),
        empty_text=gettext("Not measured yet", lang),
        class_labels={c.value: c.label(lang) for c in RoadClass},
        length_m=length_m,
        lang=lang,
        width=width,
        chart_id=chart_id,
    )


def class_legend(lang: str) -> list[dict[str, str]]:
    """Each class with its label in ``lang`` and its colour (the legend and filters of the pages)."""
    return [{"code": c.value, "label": c.label(lang), "colour": CLASS_COLOURS[c.value]} for c in RoadClass]
