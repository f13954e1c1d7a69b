"""The one chart helper: axes with titles and readable ticks, one mark per value, escaped text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from kotacerdas.core.charts import Band, LegendItem, Span, category_chart, nice_max, range_chart, ticks

NS = "{http://www.w3.org/2000/svg}"


def test_round_ticks():
    assert nice_max(0) == 1.0 and nice_max(7.3) == 8.0 and nice_max(1234) == 1500.0
    assert ticks(0, 1000) == [0, 200, 400, 600, 800, 1000]


def test_category_chart_has_bars_titles_and_formatted_ticks():
    svg = category_chart(
        ["01/03", "02/03", "03/03"],
        [1200, 0, 3400.5],
        title="Trips <per day>",
        x_title="day",
        y_title="trips",
        fmt=lambda v: f"{v:,.0f}".replace(",", "."),
    )
    root = ET.fromstring(svg)
    bars = root.findall(f"{NS}rect[@class='bar']")
    assert len(bars) == 3 and bars[2].get("data-value") == "3400.5"
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "day" in texts and "trips" in texts and "4.000" in texts
    sizes = {int(t.get("font-size")) for t in root.iter(f"{NS}text")}
    assert min(sizes) >= 11
    assert "Trips &lt;per day&gt;" in svg


def test_line_chart_and_legend():
    svg = category_chart(["a", "b"], [1, 2], kind="line", legend=[LegendItem("pickups", "#123456")])
    root = ET.fromstring(svg)
    assert len(root.findall(f"{NS}circle")) == 2 and root.find(f"{NS}path") is not None
    assert "pickups" in svg


def test_range_chart_draws_spans_bands_and_says_when_empty():
    spans = [Span(0, 100, 3.5, "#1a9850", "0–100 m", {"class": "baik"}), Span(100, 250, 9.0, "#d73027")]
    svg = range_chart(spans, bands=[Band(0, 4, "#1a9850")], thresholds=[4, 8], x_title="m", y_title="IRI")
    root = ET.fromstring(svg)
    assert [r.get("data-class") for r in root.findall(f"{NS}rect[@class='bar']")] == ["baik", None]
    assert len(root.findall(f"{NS}line[@class='threshold']")) == 2
    empty = range_chart([], empty_text="Not measured yet", x_title="m")
    assert "Not measured yet" in empty and not re.search(r'class="tick x"', empty)


def test_lengths_must_match():
    with pytest.raises(ValueError):
        category_chart(["a"], [1, 2])
