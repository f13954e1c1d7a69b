"""Server-rendered SVG charts of road roughness: IRI along the length of a road.

A plain function of numbers to an SVG string (no browser, no JavaScript), so pages
show a picture that tests can read: one bar per interval, its height the IRI and its
colour the Bina Marga class, over bands marking the class limits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

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


def _nice_max(value: float) -> float:
    top = max(value, BOUNDARIES_M_PER_KM[-1] + 2.0)
    return float(math.ceil(top / 2.0) * 2.0)


def _ticks(length: float, n: int = 5) -> list[float]:
    if length <= 0:
        return [0.0]
    raw = length / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 5, 10) if m * mag >= raw), default=raw)
    return [i * step for i in range(int(length // step) + 1)]


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
) -> str:
    """An SVG chart of IRI along a road.

    Parameters
    ----------
    bars:
        Stretches along the road (metres from its start) with their IRI.
    title, x_label, y_label, empty_text:
        Texts, already translated.
    class_labels:
        Label of each class code for the legend (translated); the codes when ``None``.

    Returns
    -------
    str
        A standalone ``<svg>`` element (``role="img"``) with one ``<rect class="bar">`` per stretch.
    """
    left, right, top, bottom = 52, 12, 30, 40
    pw, ph = width - left - right, height - top - bottom
    length = max((b.to_m for b in bars), default=0.0)
    start = min((b.from_m for b in bars), default=0.0)
    span = max(length - start, 1.0)
    ymax = _nice_max(max((b.iri for b in bars), default=0.0))

    def x(v: float) -> float:
        return left + (v - start) / span * pw

    def y(v: float) -> float:
        return top + ph - min(v, ymax) / ymax * ph

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="iri-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" aria-label="{escape(title or y_label)}">'
    ]
    if title:
        out.append(f'<text x="{left}" y="17" class="title" font-size="13" font-weight="bold">{escape(title)}</text>')
    edges = (0.0, *BOUNDARIES_M_PER_KM, ymax)
    for code, lo, hi in zip(CLASS_COLOURS, edges[:-1], edges[1:], strict=True):
        out.append(
            f'<rect class="band" x="{left}" y="{y(hi):.1f}" width="{pw}" height="{y(lo) - y(hi):.1f}" '
            f'fill="{CLASS_COLOURS[code]}" fill-opacity="0.10"/>'
        )
    for limit in BOUNDARIES_M_PER_KM:
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y(limit):.1f}" y2="{y(limit):.1f}" '
            f'stroke="#777" stroke-dasharray="3,3" stroke-width="0.7"/>'
        )
    for v in range(0, int(ymax) + 1, 2 if ymax <= 20 else 4):
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="11" text-anchor="end">{v}</text>')
    for t in _ticks(span):
        out.append(
            f'<text x="{x(start + t):.1f}" y="{top + ph + 16}" font-size="11" text-anchor="middle">{t:,.0f}</text>'
        )
    for b in bars:
        cls = classify(b.iri).value
        x0, x1 = x(b.from_m), x(b.to_m)
        tip = f"{b.label} {b.from_m:,.0f}–{b.to_m:,.0f} m: IRI {b.iri:.2f}".strip()
        out.append(
            f'<rect class="bar" data-class="{cls}" x="{x0:.1f}" y="{y(b.iri):.1f}" '
            f'width="{max(x1 - x0 - 0.5, 0.8):.1f}" height="{y(0) - y(b.iri):.1f}" '
            f'fill="{CLASS_COLOURS[cls]}"><title>{escape(tip)}</title></rect>'
        )
    if not bars:
        out.append(
            f'<text x="{left + pw / 2}" y="{top + ph / 2}" font-size="13" text-anchor="middle" '
            f'fill="#666">{escape(empty_text)}</text>'
        )
    out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#333"/>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{y(0):.1f}" stroke="#333"/>')
    out.append(
        f'<text x="{left + pw / 2}" y="{height - 6}" font-size="11" text-anchor="middle">{escape(x_label)}</text>'
    )
    out.append(
        f'<text x="12" y="{top + ph / 2}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + ph / 2})">{escape(y_label)}</text>'
    )
    labels = class_labels or {c: c for c in CLASS_COLOURS}
    lx = left + pw
    for code in reversed(list(CLASS_COLOURS)):
        text = escape(labels.get(code, code))
        lx -= 12 + 7 * len(labels.get(code, code)) + 10
        out.append(
            f'<rect x="{lx}" y="8" width="10" height="10" fill="{CLASS_COLOURS[code]}"/>'
            f'<text x="{lx + 13}" y="17" font-size="10">{text}</text>'
        )
    out.append("</svg>")
    return "".join(out)
