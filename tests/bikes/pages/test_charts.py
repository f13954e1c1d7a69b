"""The operator's charts: bars and a line that scale with the values, titled axes in both languages, every number
and day in the page's locale, a phone's copy, escaped text."""

from __future__ import annotations

import re

import pytest

from kotacerdas.bikes.pages.charts import day_chart, revenue_chart, trips_chart

DAYS = ["2025-03-01", "2025-03-02", "2025-03-03"]


def wide(svg: str) -> str:
    """The chart drawn for a card (the page also holds a phone's copy)."""
    return svg.split('class="chart-narrow"')[0]


def test_trip_bars_scale_with_the_values_and_carry_the_day():
    svg = wide(trips_chart(DAYS, [10, 0, 40], "en"))
    heights = [float(h) for h in re.findall(r'<rect class="bar"[^>]*height="([\d.]+)"', svg)]
    assert len(heights) == 3 and heights[1] == 0 and heights[2] == pytest.approx(4 * heights[0])
    assert 'id="trips-chart"' in svg and 'class="chart bikes-chart"' in svg
    assert re.findall(r'data-date="([\d-]+)"', svg) == DAYS and "<title>3 Mar 2025: 40</title>" in svg
    assert ">1 Mar<" in svg  # the x axis reads the day in the page's language


def test_a_phone_gets_its_own_copy_drawn_narrow():
    svg = trips_chart(DAYS, [10, 0, 40], "id")
    assert 'id="trips-chart-narrow"' in svg and 'viewBox="0 0 340 ' in svg
    assert re.search(r'id="trips-chart"[^>]*style="max-width:560px"', svg)


@pytest.mark.parametrize(("lang", "thousand", "money"), [("id", "1.000", "Rp1.000"), ("en", "1,000", "Rp1,000")])
def test_numbers_follow_the_page_locale(lang, thousand, money):
    trips = wide(trips_chart(DAYS, [1000, 500, 250], lang))
    assert f">{thousand}<" in trips  # a y tick
    revenue = wide(revenue_chart(DAYS, [1000, 0, 2500], lang))
    assert f": {money}</title>" in revenue


@pytest.mark.parametrize(("lang", "words"), [("en", ("Day", "Trips")), ("id", ("Hari", "Perjalanan"))])
def test_axes_are_titled_in_the_page_language(lang, words):
    svg = wide(trips_chart(DAYS, [1, 2, 3], lang))
    titles = re.findall(r'class="axis-title [xy]"[^>]*>([^<]+)<', svg)
    assert sorted(titles) == sorted(words)


def test_revenue_is_a_line_in_rupiah():
    svg = wide(revenue_chart(DAYS, [1500, 0, 12000], "id"))
    assert svg.count('class="point"') == 3 and 'class="line"' in svg and 'id="revenue-chart"' in svg
    assert "Pendapatan per hari (Rp)" in svg and "<title>3 Mar 2025: Rp12.000</title>" in svg
    assert re.search(r'class="axis-title y"[^>]*>Rupiah<', svg)
    assert ">Rp10 rb<" in svg or ">Rp12 rb<" in svg  # ticks in thousands, the Indonesian way


def test_titles_are_escaped_and_lengths_checked():
    svg = day_chart(DAYS, [1, 2, 3], "en", kind="bar", title="Trips <per day>", y_title="n", chart_id="c")
    assert "Trips &lt;per day&gt;" in svg and "<per day>" not in svg
    with pytest.raises(ValueError):
        trips_chart(DAYS, [1, 2], "en")


@pytest.mark.parametrize(("lang", "tick"), [("id", ">Rp1 jt<"), ("en", ">Rp1M<")])
def test_revenue_in_millions_reads_in_millions(lang, tick):
    svg = wide(revenue_chart(DAYS, [400_000, 1_000_000, 1_600_000], lang))
    assert tick in svg and "Rp1.000 rb" not in svg and "Rp1,000k" not in svg and "Rp2.000 rb" not in svg
