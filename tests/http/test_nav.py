"""The staff links of the navigation and the account page: a screen is offered where it has something to open
(the bike operator screens only in a city with a bike-share system)."""

from __future__ import annotations

from tests.conftest import DEMO_PASSWORD

BIKES = "Bike operator screens"


def _sign_in(client, username: str) -> None:
    client.cookies.clear()
    client.get("/login")
    r = client.post(
        "/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf": client.cookies.get("kc_csrf"), "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def test_the_bike_operator_screens_show_only_in_a_city_with_a_bike_system(client, seeded):
    from tests.bikes.factories import make_system

    _sign_in(client, "root")
    assert BIKES not in client.get("/account?lang=en").text  # no city runs bikes yet: nothing to open
    make_system(seeded)  # a system in Banyuwangi (35.10)
    assert BIKES in client.get("/account?lang=en").text
    _sign_in(client, "cityadmin.7371")  # Makassar's administrator: Makassar has no bike system
    for path in ("/account?lang=en", "/?city=73.71&lang=en", "/roads?city=73.71&lang=en"):
        page = client.get(path).text
        assert BIKES not in page and "/bikes/operator" not in page, path
        assert "City administration" in page, path  # the other screens stay
    assert "Layar operator sepeda" not in client.get("/account?lang=id").text
    _sign_in(client, "cityadmin.3510")
    home = client.get("/?city=35.10&lang=en").text
    assert BIKES in home and 'href="/bikes/operator?city=35.10"' in home
    assert BIKES in client.get("/?city=73.71&lang=en").text  # on another city's page: the screen of their own
