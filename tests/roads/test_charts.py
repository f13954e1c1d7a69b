"""The IRI chart of a road, drawn by the platform's range chart: one bar per interval in its class colour, the
class bands and limits, titles on both axes, and no invented distances on an empty chart."""

from __future__ import annotations

import re

from kotacerdas.roads.bina_marga import BOUNDARIES_M_PER_KM
from kotacerdas.roads.charts import CLASS_COLOURS, Bar, class_legend, iri_chart_svg, road_chart_svg


def test_chart_draws_one_bar_per_interval_coloured_by_class():
    bars = [Bar(0, 100, 2.0), Bar(100, 200, 5.5), Bar(200, 300, 9.0), Bar(300, 350, 14.0)]
    svg = iri_chart_svg(bars, title="Jl. <Uji>")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="bar"') == 4
    for cls in ("baik", "sedang", "rusak_ringan", "rusak_berat"):
        assert f'data-class="{cls}"' in svg
    assert "Jl. &lt;Uji&gt;" in svg and "<Uji>" not in svg
    empty = iri_chart_svg([], empty_text="Belum diukur")
    assert 'class="bar"' not in empty and "Belum diukur" in empty


def test_bars_bands_thresholds_and_axis_titles():
    svg = iri_chart_svg([Bar(0, 100, 2.0), Bar(100, 250, 13.0)], x_label="jarak (m)", y_label="IRI (m/km)")
    bars = re.findall(r'<rect class="bar"[^>]*>', svg)
    assert [re.search(r'fill="([^"]+)"', b).group(1) for b in bars] == [
        CLASS_COLOURS["baik"],
        CLASS_COLOURS["rusak_berat"],
    ]
    assert svg.count('class="band"') == 4 and svg.count('class="threshold"') == len(BOUNDARIES_M_PER_KM)
    assert svg.rfind('class="grid"') < svg.find('class="threshold"')  # the class limits show over the grid
    assert 'class="axis-title x"' in svg and "jarak (m)" in svg and 'class="axis-title y"' in svg
    assert re.findall(r'class="tick x"[^>]*>([^<]+)<', svg)[0] == "0"
    for colour in CLASS_COLOURS.values():
        assert f'fill="{colour}"' in svg  # the legend names every class


def test_an_empty_chart_has_no_distance_ticks():
    svg = iri_chart_svg([], empty_text="Belum diukur", x_label="jarak (m)")
    assert 'class="tick x"' not in svg and 'class="bar"' not in svg
    assert "Belum diukur" in svg and "jarak (m)" in svg and 'class="tick y"' in svg


def test_road_chart_speaks_the_language_asked():
    bars = [Bar(0, 100, 5.0)]
    id_, en = road_chart_svg("Jl. A", bars, "id"), road_chart_svg("Jl. A", bars, "en")
    assert "Sedang" in id_ and "Fair" in en
    assert [c["code"] for c in class_legend("en")] == list(CLASS_COLOURS)
