"""The route screens in both languages: catalogue, curated route, planned tour by link, PNG and PDF maps."""

from __future__ import annotations

import io

import pytest
from PIL import Image


@pytest.mark.parametrize(
    ("lang", "words"), [("id", ["Rute bersepeda", "Rencanakan tur"]), ("en", ["Cycling routes", "Plan the tour"])]
)
def test_catalogue_and_tour_pages(routes_api, auth, lang, words):
    page = routes_api.get(f"/bikes/uji/routes?lang={lang}")
    assert page.status_code == 200 and all(w in page.text for w in words)
    tour = routes_api.get(f"/bikes/uji/tour?start=alpha&date=2025-06-10&time=08:00&budget=240&lang={lang}")
    assert tour.status_code == 200
    assert ("Rencana waktu" if lang == "id" else "Time plan") in tour.text and "route-data" in tour.text
    assert "/bikes/uji/tour.pdf?" in tour.text and "share-url" in tour.text
    png = routes_api.get("/bikes/uji/tour.png?start=alpha&date=2025-06-10&time=08:00&budget=240")
    assert png.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (1200, 900)
    bad = routes_api.get(f"/bikes/uji/tour?start=nowhere&lang={lang}")
    assert bad.status_code == 404


def test_curated_route_page_and_pdf(routes_api, auth):
    body = {
        "slug": "kota",
        "name": {"id": "Kota", "en": "Town"},
        "start_station_id": "alpha",
        "end_station_id": "gamma",
        "stops": ["taman-blambangan"],
        "publish": True,
    }
    assert (
        routes_api.post("/api/v1/bikes/systems/uji/routes", json=body, headers=auth("bikeoperator.3510")).status_code
        == 201
    )
    page = routes_api.get("/bikes/uji/routes/kota?lang=en")
    assert page.status_code == 200 and "Return station" in page.text and "Taman Blambangan" in page.text
    pdf = routes_api.get("/bikes/uji/routes/kota.pdf?lang=id")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert routes_api.get("/bikes/uji/routes/missing").status_code == 404


@pytest.mark.parametrize(("lang", "words"), [("id", "Tidak ada tur dengan pilihan ini"), ("en", "No tour with these")])
def test_a_tour_that_cannot_be_planned_keeps_the_form(routes_api, lang, words):
    """A budget too short for any tour: the planner's form again, the rider's values kept, the reason said."""
    page = routes_api.get(
        f"/bikes/uji/tour?start=alpha&end=gamma&time=09:30&budget=15&speed=6&interests=beach:4&lang={lang}"
    )
    assert page.status_code == 422 and words in page.text and 'id="tour-error"' in page.text
    assert "menit" in page.text if lang == "id" else "minutes" in page.text
    assert 'value="09:30"' in page.text and 'value="15"' in page.text
    assert '<option value="alpha" selected>' in page.text and 'value="4" data-category="beach"' in page.text


def test_every_place_closed_says_so_and_links_the_earliest_start(routes_api):
    page = routes_api.get(
        "/bikes/uji/tour?start=alpha&date=2025-06-10&time=22:30&budget=90&interests=culture:0,viewpoint:0&lang=id"
    )
    assert page.status_code == 200 and 'id="no-destination"' in page.text
    assert "Tidak ada destinasi yang buka" in page.text and 'id="next-start"' in page.text
    assert "date=2025-06-11" in page.text


def test_a_planned_tour_downloads_as_gpx_geojson_and_kml(routes_api):
    """The tour page links the shown tour as GPX 1.1 (a track and a waypoint per stop), GeoJSON and KML."""
    import json

    import gpxpy

    query = "start=alpha&date=2025-06-10&time=08:00&budget=240&interests=beach:3"
    page = routes_api.get(f"/bikes/uji/tour?{query}&lang=en")
    for f in ("gpx", "geojson", "kml"):
        assert f'id="file-{f}"' in page.text
        assert f'href="/bikes/uji/tour.{f}?start=alpha&amp;date=2025-06-10' in page.text
    shown = json.loads(page.text.split('<script id="route-data" type="application/json">')[1].split("</script>")[0])
    gpx = routes_api.get(f"/bikes/uji/tour.gpx?{query}&lang=en")
    assert gpx.status_code == 200 and gpx.headers["content-type"].startswith("application/gpx+xml")
    assert 'filename="tour.gpx"' in gpx.headers["content-disposition"]
    track = gpxpy.parse(gpx.text)
    assert track.version == "1.1" and len(track.tracks) == 1 and track.name == "Your bicycle tour"
    points = track.tracks[0].segments[0].points
    line = shown["tour"]["geometry"]["coordinates"]
    assert len(points) == len(line) > 10
    assert (points[0].longitude, points[0].latitude) == pytest.approx(tuple(line[0]), abs=1e-6)
    stops = shown["tour"]["stops"]
    assert [w.name for w in track.waypoints] == [f"{s['number']}. {s['name']['en']}" for s in stops]
    geojson = routes_api.get(f"/bikes/uji/tour.geojson?{query}").json()
    assert geojson["features"][0]["geometry"]["type"] == "LineString" and len(geojson["features"]) == 1 + len(stops)
    kml = routes_api.get(f"/bikes/uji/tour.kml?{query}&lang=id")
    assert kml.headers["content-type"].startswith("application/vnd.google-earth.kml+xml")
    assert "Tur sepeda Anda" in kml.text and "<LineString>" in kml.text.replace("ns0:", "")
    alternatives = routes_api.post(
        "/api/v1/bikes/systems/uji/tours",
        json={"start": {"station_id": "alpha"}, "date": "2025-06-10", "start_time": "08:00", "budget_minutes": 240,
              "interests": {"beach": 3}},
    ).json()["tours"]  # fmt: skip
    if len(alternatives) > 1:  # alt=1: the first alternative's stops, not the best tour's
        other = gpxpy.parse(routes_api.get(f"/bikes/uji/tour.gpx?{query}&alt=1&lang=en").text)
        assert len(other.waypoints) == len(alternatives[1]["stops"])
    assert routes_api.get("/bikes/uji/tour.gpx?start=nowhere").status_code == 404
