"""The one chart helper of the platform: server-rendered SVG from numbers, with axes, titles and a legend.

Pages, reports and exports draw their charts here, so every chart of every domain reads the
same way: ticks at round values in a readable size, a title on each axis, numbers written by
the caller's formatter (the page's locale), an accessible name, and one ``<title>`` tooltip per
mark with the exact figure. The SVG holds only numbers and escaped text, so a page may
include it as markup.

Two kinds of chart:

* :func:`category_chart`: one value per category (a day, a station, a kecamatan) as bars or a line;
* :func:`range_chart`: marks that span a range of the x axis (IRI per stretch of a road), over
  optional coloured bands and threshold lines.

An SVG chart scales with its box, its text too: drawn 640 units wide and shown 330 px wide on a
phone, an 11-unit tick reads as 5.7 px. :func:`responsive` therefore draws a chart twice, at a
phone's width and at a wider one, and the page shows the one that fits (CSS ``.chart-box``); a
chart is never shown wider than it was drawn (``max-width``), so its ticks stay at least
``TICK_FONT`` × (shown width / drawn width) px: about 11 px on a 390 px phone and on a desktop.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

Formatter = Callable[[float], str]
FONT = 13
TICK_FONT = 12
#: The width a phone's chart is drawn at (a 390 px screen less the page's margins).
NARROW = 340


def _plain(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"


def nice_step(span: float, target: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about ``target`` ticks over ``span``."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(target, 1)
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return float(m * power)
    return float(10 * power)


def nice_max(value: float, target: int = 4) -> float:
    """The smallest multiple of a round step at or above ``value`` (1 for nothing)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    step = nice_step(value, target)
    return float(math.ceil(value / step - 1e-9) * step)


def ticks(lo: float, hi: float, target: int = 5, min_step: float = 0.0) -> list[float]:
    """Round values from ``lo`` to ``hi`` (inclusive where they fall on a step), at least ``min_step`` apart."""
    step = max(nice_step(hi - lo, target), min_step)
    first = math.ceil(lo / step - 1e-9) * step
    out, k = [], 0
    while first + k * step <= hi + step * 1e-9:
        out.append(round(first + k * step, 10))
        k += 1
    return out


@dataclass(frozen=True)
class LegendItem:
    """One entry of a chart's legend: a colour swatch and its (translated) label."""

    label: str
    colour: str


@dataclass(frozen=True)
class Span:
    """A mark of :func:`range_chart`: ``[start, end)`` on the x axis with its value, colour and data attributes."""

    start: float
    end: float
    value: float
    colour: str
    tip: str = ""
    data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Band:
    """A coloured background between two values of the y axis (a class band)."""

    low: float
    high: float
    colour: str
    opacity: float = 0.10


@dataclass
class _Frame:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    y_max: float
    y_min: float = 0.0

    @property
    def plot_w(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> float:
        return self.height - self.top - self.bottom

    def y(self, v: float) -> float:
        v = min(max(v, self.y_min), self.y_max)
        return self.top + self.plot_h - (v - self.y_min) / (self.y_max - self.y_min) * self.plot_h


def _left_margin(fmt: Formatter, lo: float, hi: float, y_ticks: Sequence[float] | None, has_title: bool) -> int:
    """Room left of the plot for the longest y tick (and the axis title beside it)."""
    labels = [fmt(v) for v in (y_ticks if y_ticks is not None else ticks(lo, hi, 4))]
    longest = max((len(label) for label in labels), default=1)
    return int((26 if has_title else 8) + TICK_FONT * 0.62 * longest + 8)


def _data(attrs: Mapping[str, str]) -> str:
    return "".join(f' data-{escape(k)}="{escape(str(v))}"' for k, v in attrs.items())


def _open(frame: _Frame, title: str, css_class: str, chart_id: str) -> list[str]:
    ident = f' id="{escape(chart_id)}"' if chart_id else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {escape(css_class)}"{ident} role="img" '
        f'viewBox="0 0 {frame.width} {frame.height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'style="max-width:{frame.width}px" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]


def _y_axis(frame: _Frame, fmt: Formatter, y_title: str, y_ticks: Sequence[float] | None) -> list[str]:
    out = []
    for v in y_ticks if y_ticks is not None else ticks(frame.y_min, frame.y_max, 4):
        yy = frame.y(v)
        out.append(
            f'<line class="grid" x1="{frame.left}" x2="{frame.width - frame.right}" y1="{yy:.1f}" y2="{yy:.1f}" '
            'stroke="#dde3e1" stroke-width="1"/>'
        )
        out.append(
            f'<text class="tick y" x="{frame.left - 6}" y="{yy + 4:.1f}" text-anchor="end" '
            f'font-size="{TICK_FONT}" fill="#44545a">{escape(fmt(v))}</text>'
        )
    if y_title:
        cy = frame.top + frame.plot_h / 2
        out.append(
            f'<text class="axis-title y" x="14" y="{cy:.1f}" text-anchor="middle" font-size="{FONT}" '
            f'fill="#2b3a3f" transform="rotate(-90 14 {cy:.1f})">{escape(y_title)}</text>'
        )
    return out


def _x_title(frame: _Frame, x_title: str) -> list[str]:
    if not x_title:
        return []
    return [
        f'<text class="axis-title x" x="{frame.left + frame.plot_w / 2:.1f}" y="{frame.height - 6}" '
        f'text-anchor="middle" font-size="{FONT}" fill="#2b3a3f">{escape(x_title)}</text>'
    ]


def _axes(frame: _Frame) -> list[str]:
    base = frame.y(frame.y_min)
    return [
        f'<line class="axis" x1="{frame.left}" x2="{frame.width - frame.right}" y1="{base:.1f}" y2="{base:.1f}" '
        'stroke="#44545a"/>',
        f'<line class="axis" x1="{frame.left}" x2="{frame.left}" y1="{frame.top}" y2="{base:.1f}" stroke="#44545a"/>',
    ]


def _legend_places(width: int, items: Sequence[LegendItem]) -> list[tuple[float, float]]:
    """Where each legend entry starts (x, baseline y), wrapping onto a new row at the chart's width."""
    places, x, y = [], 8.0, 14.0
    for item in items:
        w = 15 + TICK_FONT * 0.6 * len(item.label) + 14
        if x > 8 and x + w > width - 4:
            x, y = 8.0, y + TICK_FONT + 6
        places.append((x, y))
        x += w
    return places


def _legend_top(width: int, items: Sequence[LegendItem]) -> int:
    """The top margin a legend needs: one row of entries or more."""
    if not items:
        return 14
    return int(_legend_places(width, items)[-1][1]) + 14


def _legend(frame: _Frame, items: Sequence[LegendItem]) -> list[str]:
    out = ['<g class="legend">']
    for item, (x, y) in zip(items, _legend_places(frame.width, items), strict=True):
        out.append(
            f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="11" height="11" fill="{escape(item.colour)}"/>'
            f'<text x="{x + 15:.1f}" y="{y:.1f}" font-size="{TICK_FONT}" fill="#2b3a3f">{escape(item.label)}</text>'
        )
    out.append("</g>")
    return out


def _empty(frame: _Frame, text: str) -> list[str]:
    return [
        f'<text class="empty" x="{frame.left + frame.plot_w / 2:.1f}" y="{frame.top + frame.plot_h / 2:.1f}" '
        f'font-size="13" text-anchor="middle" fill="#5b6b70">{escape(text)}</text>'
    ]


def category_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    kind: str = "bar",
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    fmt: Formatter = _plain,
    colour: str = "#0f7b6c",
    tips: Sequence[str] | None = None,
    data: Sequence[Mapping[str, str]] | None = None,
    legend: Sequence[LegendItem] = (),
    empty_text: str = "",
    missing_text: str = "",
    css_class: str = "",
    chart_id: str = "",
    width: int = 640,
    height: int = 240,
    max_labels: int = 10,
) -> str:
    """One value per category as bars (``rect.bar``) or a line (``path.line`` and ``circle.point``).

    ``labels`` are the x-axis texts (already formatted and translated); at most ``max_labels``
    of them are written. ``tips`` default to ``"<label>: <value>"``; ``data`` adds ``data-*``
    attributes per mark. A value of ``None`` is a category without a figure: it gets no bar or point
    and a line breaks there (a gap, never a fall to zero); ``missing_text`` (for example "no value")
    is then the tooltip of a hollow mark on the axis. With no figure at all the chart says
    ``empty_text``. Returns a standalone ``<svg>`` element.
    """
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    top_value = nice_max(max((v for v in values if v is not None), default=0))
    left = _left_margin(fmt, 0.0, top_value, None, bool(y_title))
    frame = _Frame(width, height, left, 12, _legend_top(width, legend), 46 if x_title else 30, top_value)
    out = _open(frame, title, css_class, chart_id)
    if legend:
        out += _legend(frame, legend)
    out += _y_axis(frame, fmt, y_title, None)
    n = max(len(labels), 1)
    slot = frame.plot_w / n
    longest = max((len(label) for label in labels), default=1)
    fits = max(2, int(frame.plot_w // (TICK_FONT * 0.62 * longest + 10)))  # labels that fit side by side
    every = max(1, math.ceil(n / min(max_labels, fits)))
    points: list[tuple[float, float, str, str] | None] = []
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        cx = frame.left + slot * (i + 0.5)
        if v is None:
            points.append(None)
            if missing_text:
                tip = f"<title>{escape(f'{label}: {missing_text}')}</title>"
                out.append(
                    f'<circle class="missing" cx="{cx:.1f}" cy="{frame.y(0):.1f}" r="3" fill="#ffffff" '
                    f'stroke="#8a989c"{_data(data[i] if data else {})}>{tip}</circle>'
                )
        else:
            tip = f"<title>{escape(tips[i] if tips else f'{label}: {fmt(v)}')}</title>"
            attrs = _data({"value": f"{v:g}", **(data[i] if data else {})})
            if kind == "bar":
                w = max(2.0, slot * 0.7)
                out.append(
                    f'<rect class="bar" x="{cx - w / 2:.1f}" y="{frame.y(v):.1f}" width="{w:.1f}" '
                    f'height="{frame.y(0) - frame.y(v):.1f}" fill="{colour}"{attrs}>{tip}</rect>'
                )
            else:
                points.append((cx, frame.y(v), tip, attrs))
        if i % every == 0:
            out.append(
                f'<text class="tick x" x="{cx:.1f}" y="{frame.top + frame.plot_h + 16:.1f}" text-anchor="middle" '
                f'font-size="{TICK_FONT}" fill="#44545a">{escape(label)}</text>'
            )
    drawn = [p for p in points if p is not None]
    if drawn:
        steps, pen_down = [], False  # a missing figure lifts the pen: the line has a gap there
        for p in points:
            if p is None:
                pen_down = False
                continue
            steps.append(("L" if pen_down else "M") + f"{p[0]:.1f},{p[1]:.1f}")
            pen_down = True
        out.append(f'<path class="line" d="{" ".join(steps)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for px, py, tip, attrs in drawn:
            out.append(f'<circle class="point" cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"{attrs}>{tip}</circle>')
    if empty_text and all(v is None for v in values):
        out += _empty(frame, empty_text)
    out += _axes(frame) + _x_title(frame, x_title)
    out.append("</svg>")
    return "".join(out)


def range_chart(
    spans: Sequence[Span],
    *,
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    fmt_x: Formatter = _plain,
    fmt_y: Formatter = _plain,
    y_max: float | None = None,
    y_ticks: Sequence[float] | None = None,
    bands: Sequence[Band] = (),
    thresholds: Sequence[float] = (),
    legend: Sequence[LegendItem] = (),
    empty_text: str = "",
    css_class: str = "",
    chart_id: str = "",
    width: int = 760,
    height: int = 280,
    x_min: float | None = None,
    x_max: float | None = None,
    x_min_step: float = 0.0,
) -> str:
    """Bars that each span a range of the x axis (``rect.bar``), over bands and dashed threshold lines.

    The x axis runs from ``x_min`` to ``x_max`` when given (a road's whole length), else from the
    first span's start to the last span's end, with ticks at least ``x_min_step`` apart; with no
    spans it shows ``empty_text`` (and x ticks only over a known range: never invented numbers).
    Returns a standalone ``<svg>`` element.
    """
    top_value = y_max if y_max is not None else nice_max(max((s.value for s in spans), default=0.0))
    left = _left_margin(fmt_y, 0.0, top_value, y_ticks, bool(y_title))
    frame = _Frame(width, height, left, 12, _legend_top(width, legend), 50 if x_title else 34, top_value)
    out = _open(frame, title, css_class, chart_id)
    if legend:
        out += _legend(frame, legend)
    for band in bands:
        y0, y1 = frame.y(band.high), frame.y(band.low)
        out.append(
            f'<rect class="band" x="{frame.left}" y="{y0:.1f}" width="{frame.plot_w:.1f}" height="{y1 - y0:.1f}" '
            f'fill="{band.colour}" fill-opacity="{band.opacity}"/>'
        )
    out += _y_axis(frame, fmt_y, y_title, y_ticks)
    for limit in thresholds:  # over the grid, which would hide a threshold that falls on a tick
        yy = frame.y(limit)
        out.append(
            f'<line class="threshold" x1="{frame.left}" x2="{frame.left + frame.plot_w:.1f}" y1="{yy:.1f}" '
            f'y2="{yy:.1f}" stroke="#777" stroke-dasharray="3,3" stroke-width="0.8"/>'
        )
    known = x_min is not None and x_max is not None and x_max > x_min
    if spans or known:
        start = x_min if x_min is not None else min(s.start for s in spans)
        end = x_max if x_max is not None else max(s.end for s in spans)
        extent = max(end - start, 1e-9)

        def x(v: float) -> float:
            return frame.left + (min(max(v, start), end) - start) / extent * frame.plot_w

        target = max(2, min(5, int(frame.plot_w // 70)))
        for t in ticks(0.0, extent, target, x_min_step):
            out.append(
                f'<text class="tick x" x="{x(start + t):.1f}" y="{frame.top + frame.plot_h + 16:.1f}" '
                f'text-anchor="middle" font-size="{TICK_FONT}" fill="#44545a">{escape(fmt_x(t))}</text>'
            )
    if spans:
        for s in spans:
            x0, x1 = x(s.start), x(s.end)
            out.append(
                f'<rect class="bar" x="{x0:.1f}" y="{frame.y(s.value):.1f}" width="{max(x1 - x0 - 0.5, 0.8):.1f}" '
                f'height="{frame.y(0) - frame.y(s.value):.1f}" fill="{s.colour}"{_data(s.data)}>'
                f"<title>{escape(s.tip)}</title></rect>"
            )
    elif empty_text:
        out += _empty(frame, empty_text)
    out += _axes(frame) + _x_title(frame, x_title)
    out.append("</svg>")
    return "".join(out)


def responsive(draw: Callable[..., str], *, wide: int, narrow: int = NARROW, chart_id: str = "", **kwargs) -> str:
    """A chart drawn at two widths, ``wide`` and a phone's ``narrow``, in a ``.chart-box`` that shows the one
    that fits (the wide one keeps ``chart_id``, the narrow one ``chart_id + "-narrow"``)."""
    narrow_id = f"{chart_id}-narrow" if chart_id else ""
    return (
        '<div class="chart-box">'
        f'<div class="chart-wide">{draw(width=wide, chart_id=chart_id, **kwargs)}</div>'
        f'<div class="chart-narrow">{draw(width=narrow, chart_id=narrow_id, **kwargs)}</div>'
        "</div>"
    )
