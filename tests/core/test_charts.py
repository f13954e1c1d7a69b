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


def test_a_missing_value_is_a_gap_not_a_zero():
    svg = category_chart(["a", "b", "c", "d"], [2, None, 3, 4], kind="line", missing_text="no value")
    # the line lifts its pen at "b": two pieces, the second starting again with a move
    path = re.search(r'<path class="line" d="([^"]+)"', svg).group(1)
    assert [step[0] for step in path.split()] == ["M", "M", "L"]
    assert svg.count('class="point"') == 3
    assert re.search(r'<circle class="missing"[^>]*><title>b: no value</title>', svg)
    bars = category_chart(["a", "b"], [None, 5])
    assert bars.count('class="bar"') == 1 and 'data-value="0"' not in bars


def test_no_figure_at_all_says_so():
    svg = category_chart(["a", "b"], [None, None], kind="line", empty_text="nothing yet")
    assert "nothing yet" in svg and 'class="line"' not in svg
    assert "nothing yet" not in category_chart(["a"], [0.0], empty_text="nothing yet")
