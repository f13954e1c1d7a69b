"""The tour planner's answers to bad input on a small hand-made table: too short, all closed, unreachable."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from kotacerdas.bikes.destinations import Destination
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.opening_hours import parse_opening_hours
from kotacerdas.bikes.tours import TourRequest, plan_tour

TUESDAY = date(2025, 6, 10)
# points: 0 the start, 1 beach, 2 museum, 3 island (no path), 4 the end station
MINUTES = np.array(
    [
        [0, 10, 20, np.inf, 20],
        [10, 0, 12, np.inf, 8],
        [20, 12, 0, np.inf, 10],
        [np.inf, np.inf, np.inf, 0, np.inf],
        [20, 8, 10, np.inf, 0],
    ],
    dtype=float,
)
METRES = np.where(np.isfinite(MINUTES), MINUTES * 250.0, np.inf)


def places() -> list[Destination]:
    def place(pid, category, hours, visit):
        name = {"id": pid, "en": pid}
        return Destination(pid, name, category, 114.37, -8.21, opening_hours=hours, visit_minutes=visit)

    return [
        place("beach", "beach", "06:00-18:00", 60),
        place("museum", "history", "Tu-Su 08:00-15:00; Mo off", 45),
        place("island", "nature", "24/7", 30),
    ]


def plan(start_minute: int, budget: int, day: date = TUESDAY, **kw):
    request = TourRequest(day=day, start_minute=start_minute, budget_minutes=budget, **kw)
    return plan_tour(request, places(), ["end"], MINUTES, METRES, time_limit_s=0.2)


def test_a_good_request_keeps_the_budget_and_the_hours():
    found = plan(8 * 60, 240)
    best = found.tours[0]
    assert set(best.destinations) == {"beach", "museum"} and best.finish <= 8 * 60 + 240
    for v in best.visits:
        if v.kind == "destination":
            spec = next(d.opening_hours for d in places() if d.destination_id == v.key)
            windows = parse_opening_hours(spec).windows(TUESDAY)
            assert any(a <= v.start and v.leave <= b for a, b in windows)
    assert {"destination_id": "island", "reason": "unreachable"} in found.excluded


def test_a_budget_too_short_for_any_tour_names_the_least_that_would_do():
    with pytest.raises(BikesError) as err:
        plan(8 * 60, 15)  # riding to the end alone takes 20 minutes
    assert err.value.status == 422 and err.value.params["needed_minutes"] == 20
    assert "20 minutes" in err.value.render("en") and "20 menit" in err.value.render("id")


def test_all_closed_rides_to_the_end_and_names_the_earliest_later_start():
    night = plan(22 * 60 + 30, 90)  # 22:30: the beach closes at 18:00, the museum at 15:00
    assert night.tours[0].destinations == [] and "no_destination_fits" in night.notes
    # the next day: the beach opens at 06:00, 10 minutes' ride from the start: leave at 05:50
    assert night.next_start == (date(2025, 6, 11), 5 * 60 + 50)
    again = plan(night.next_start[1], 90, day=night.next_start[0])
    assert again.tours[0].destinations == ["beach"] and not again.notes
    monday = plan(17 * 60, 120, day=date(2025, 6, 9))  # Monday 17:00: museum closed all day, beach too late
    assert "no_destination_fits" in monday.notes
    assert {"destination_id": "museum", "reason": "closed"} in monday.excluded
    assert monday.next_start == (date(2025, 6, 10), 5 * 60 + 50)
    early = plan(4 * 60, 120)  # 04:00: the beach fits later the same morning
    assert early.tours[0].destinations == [] and early.next_start == (TUESDAY, 5 * 60 + 50)


def test_a_must_visit_place_with_no_bicycle_path_is_refused_by_name():
    with pytest.raises(BikesError) as err:
        plan(8 * 60, 240, must_visit=("island",))
    assert err.value.field == "must_visit" and err.value.params["destination"] == "island"
    assert "island" in err.value.render("id")


def test_unknown_opening_hours_are_planned_in_the_daytime_only():
    """A place whose hours are unknown (none given, or an OSM value that could not be read) is never visited at
    night: only within 08:00-17:00, with a note for the rider; a Monday-closed museum is not visited at 03:22."""
    from kotacerdas.bikes.destinations import from_osm_tags

    tags = {"tourism": "museum", "name": "Museum", "opening_hours": "Tu-Su 08:00-15:00 open on request"}
    unknown = from_osm_tags("node/5", tags, 114.37, -8.21)
    assert unknown.opening_hours is None and unknown.opening_hours_raw == tags["opening_hours"]
    closed = Destination("museum", {"id": "Museum", "en": "Museum"}, "history", 114.37, -8.21,
                         opening_hours="Tu-Su 08:00-15:00; Mo off; Jan 01 off", visit_minutes=45)  # fmt: skip
    minutes = np.array([[0, 10, 10, 20], [10, 0, 5, 8], [10, 5, 0, 8], [20, 8, 8, 0]], dtype=float)
    metres = minutes * 250.0
    monday = date(2025, 6, 9)

    def run(start: int, day: date = monday):
        request = TourRequest(day=day, start_minute=start, budget_minutes=120)
        return plan_tour(request, [unknown, closed], ["end"], minutes, metres, time_limit_s=0.2)

    night = run(3 * 60 + 22)
    assert night.tours[0].destinations == [] and "no_destination_fits" in night.notes
    assert {"destination_id": "museum", "reason": "closed"} in night.excluded
    assert night.next_start == (monday, 7 * 60 + 50)  # the daytime opens at 08:00, a 10-minute ride away
    day = run(9 * 60)
    visit = next(v for v in day.tours[0].visits if v.key == unknown.destination_id)
    assert 8 * 60 <= visit.start and visit.leave <= 17 * 60 and "opening_hours_unknown" in day.notes
    evening = run(16 * 60 + 30)  # a 60-minute visit no longer ends by 17:00
    assert unknown.destination_id not in evening.tours[0].destinations


def test_a_must_visit_place_that_cannot_be_visited_is_named_and_explained_in_the_readers_language():
    def named(pid, hours, **kw):
        return Destination(pid, {"id": f"Tempat {pid}", "en": f"Place {pid}"}, "history", 114.37, -8.21,
                           opening_hours=hours, visit_minutes=45, **kw)  # fmt: skip

    items = [named("beach", "06:00-18:00"), named("museum", "Tu-Su 08:00-15:00; Mo off"), named("island", "24/7")]
    monday = date(2025, 6, 9)

    def refused(must, day=monday):
        request = TourRequest(day=day, start_minute=9 * 60, budget_minutes=240, must_visit=(must,))
        with pytest.raises(BikesError) as err:
            plan_tour(request, items, ["end"], MINUTES, METRES, time_limit_s=0.2)
        return err.value

    closed = refused("museum")
    assert closed.render("id") == (
        "tempat wajib Tempat museum tutup pada hari itu, atau buka terlalu singkat untuk dikunjungi; "
        "hari terdekat yang bisa dikunjungi adalah 2025-06-10"
    )
    assert "Place museum is closed" in closed.render("en") and "closed" not in closed.render("id")
    assert closed.extra == {"destination_id": "museum", "next_open": "2025-06-10"} and closed.status == 422
    island = refused("island")
    assert "Tempat island" in island.render("id") and "tidak ada jalur sepeda yang mencapainya" in island.render("id")
    assert "nearest place one reaches is Place beach (0.0 km away)" in island.render("en")
    assert island.extra["nearest"]["destination_id"] == "beach" and island.field == "must_visit"


def test_a_budget_too_short_carries_the_least_budget_for_the_problem_document():
    with pytest.raises(BikesError) as err:
        plan(8 * 60, 15)
    assert err.value.extra == {"needed_minutes": 20}


def _town(n: int = 60, seed: int = 7):
    """``n`` places on a 12 km square with assorted hours, a start and an end: riding times at 15 km/h."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 12, (n + 2, 2))
    km = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1))
    hours = ["08:00-16:00", "Tu-Su 08:00-12:00,13:00-16:00", "06:00-18:00", "24/7", "09:00-11:00", "15:00-21:00"]
    items = [
        Destination(f"p{k}", {"id": f"Tempat {k}", "en": f"Place {k}"}, ("beach", "culture", "history")[k % 3],
                    114.37, -8.21, opening_hours=hours[k % len(hours)], visit_minutes=int(rng.choice([20, 30, 45])))
        for k in range(n)
    ]  # fmt: skip
    return items, km / 15.0 * 60.0, km * 1000.0


def test_the_same_request_gives_the_same_tours_however_busy_the_machine(monkeypatch):
    """The search is bounded by rounds with fixed seeds, not by the clock: the same request twice, and again on
    a machine three times slower (its clock seems to run three times faster) or four times faster, gives the
    same tours (a clock-bounded search found others)."""
    import time
    from types import SimpleNamespace

    from kotacerdas.bikes import orienteering, tours

    items, minutes, metres = _town(120)
    request = TourRequest(day=TUESDAY, start_minute=8 * 60, budget_minutes=540, interests={"beach": 3})

    def planned():
        found = plan_tour(request, items, ["end"], minutes, metres)
        return [(t.destinations, t.value, round(t.finish, 6)) for t in found.tours]

    first = planned()
    assert len(first) == 3 and len(first[0][0]) >= 8 and planned() == first
    real = time.perf_counter
    for factor in (3.0, 0.25):
        clock = SimpleNamespace(perf_counter=lambda f=factor: f * real())
        monkeypatch.setattr(orienteering, "time", clock)
        monkeypatch.setattr(tours, "time", clock, raising=False)
        assert planned() == first, factor
