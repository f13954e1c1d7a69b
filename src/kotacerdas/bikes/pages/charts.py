"""Server-rendered SVG charts of the Bike Sharing operator screens: values per day as bars or a line.

Written by hand (no chart library): the SVG carries only numbers and escaped text, so a
page can include it as markup. Each bar is a ``<rect class="bar">`` with a ``<title>``
holding the day and the value, so screen readers and tooltips give the exact figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 14, 40


def nice_max(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above ``value`` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def day_chart_svg(
    days: Sequence[str],
    values: Sequence[float],
    *,
    kind: str = "bar",
    title: str = "",
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}",
    colour: str = "#0f7b6c",
    chart_id: str = "",
) -> str:
    """An SVG chart of one value per day.

    Parameters
    ----------
    days
        ISO dates (``YYYY-MM-DD``), oldest first; the axis shows ``DD/MM``.
    values
        One number per day.
    kind
        ``"bar"`` (a ``rect.bar`` per day) or ``"line"`` (a ``path.line`` with a ``circle.point`` per day).
    title
        Accessible name of the chart (``<title>``, ``aria-label``).
    fmt
        Formats a value for the axis and the tooltips.
    colour
        Fill of the bars, stroke of the line.
    chart_id
        ``id`` attribute of the ``<svg>`` element.

    Returns
    -------
    str
        The ``<svg>`` element.
    """
    if len(days) != len(values):
        raise ValueError("days and values differ in length")
    top = nice_max(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(days), 1)
    slot = plot_w / n

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * (v / top)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="bikes-chart" '
        f'role="img" aria-label="{escape(title)}"' + (f' id="{escape(chart_id)}"' if chart_id else "") + ">",
        f"<title>{escape(title)}</title>",
    ]
    for k in range(5):
        v = top * k / 4
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#dde3e1" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11" fill="#5b6b70">'
            f"{escape(fmt(v))}</text>"
        )
    every = max(1, math.ceil(n / 10))
    points = []
    for i, (day, v) in enumerate(zip(days, values, strict=True)):
        cx = LEFT + slot * (i + 0.5)
        tip = f"<title>{escape(day)}: {escape(fmt(v))}</title>"
        if kind == "bar":
            w = max(2.0, slot * 0.7)
            out.append(
                f'<rect class="bar" x="{cx - w / 2:.1f}" y="{y(v):.1f}" width="{w:.1f}" '
                f'height="{TOP + plot_h - y(v):.1f}" fill="{colour}" data-date="{escape(day)}" '
                f'data-value="{v:g}">{tip}</rect>'
            )
        else:
            points.append((cx, y(v), tip, day, v))
        if i % every == 0:
            label = f"{day[8:10]}/{day[5:7]}" if len(day) >= 10 else day
            out.append(
                f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
                f'fill="#5b6b70">{escape(label)}</text>'
            )
    if points:
        d = " ".join(("M" if i == 0 else "L") + f"{px:.1f},{py:.1f}" for i, (px, py, *_r) in enumerate(points))
        out.append(f'<path class="line" d="{d}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for px, py, tip, day, v in points:
            out.append(
                f'<circle class="point" cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}" '
                f'data-date="{escape(day)}" data-value="{v:g}">{tip}</circle>'
            )
    out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#5b6b70"/>')
    out.append("</svg>")
    return "".join(out)
