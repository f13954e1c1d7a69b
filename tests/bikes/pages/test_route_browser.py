"""The route pages in Chromium against ``kotacerdas demo``: plan a tour from the form, see the map, share the link."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize(("lang", "size"), [("id", (390, 844)), ("en", (1280, 800))])
def test_plan_a_tour_and_open_a_curated_route(demo_server, chromium, tmp_path, lang, size):
    context = chromium.new_context(
        viewport={"width": size[0], "height": size[1]}, locale="id-ID" if lang == "id" else "en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{demo_server}/bikes/banyuwangi/routes?lang={lang}")
    assert page.locator(".route-card").count() >= 3
    page.fill("#tour-budget", "240")
    page.locator(".interest-weight[data-category='beach']").fill("4")
    page.click("#tour-submit")
    page.wait_for_selector("#time-plan")
    assert "interests=beach%3A4" in page.url or "interests=beach:4" in page.url
    page.wait_for_function("document.querySelectorAll('.stop-marker').length >= 3")  # numbered stops, no tiles
    assert page.locator("#time-plan tbody tr").count() >= 3
    page.screenshot(path=str(tmp_path / f"tour-{lang}.png"), full_page=True)
    page.click("#copy-link")
    page.goto(f"{demo_server}/bikes/banyuwangi/routes/banyuwangi-city-tour?lang={lang}")
    assert page.locator(".stop-marker").count() >= 5
    assert page.locator("#file-gpx").get_attribute("href").endswith("format=gpx")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size[0] + 1  # nothing wider than the screen
    context.close()
