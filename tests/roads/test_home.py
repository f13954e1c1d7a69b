"""Road Manager's card on the home page: network length, length surveyed, jalan mantap; nothing without a network."""

from __future__ import annotations


def test_home_card_shows_road_figures(surveyed):
    html = surveyed.get("/?city=35.10&lang=en").text
    card = html.split('id="system-roads"')[1].split("</article>")[0]
    assert "Road network" in card and "km" in card and "Jalan mantap" in card and 'href="/roads?city=35.10"' in card
    other = surveyed.get("/?city=73.71&lang=en").text.split('id="system-roads"')[1].split("</article>")[0]
    assert "Road network" not in other
