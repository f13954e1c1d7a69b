"""The demo: the 31 real member cities, programmes and 2024 practices as they are; generated records labelled."""

from sqlalchemy import func, select

from kotacerdas.ascn.demo import load_demo
from kotacerdas.ascn.facts import MEMBER_CITIES
from kotacerdas.ascn.services import figures
from kotacerdas.ascn.store.tables import AscnCity, AscnClaim, AscnPartner, AscnProject
from kotacerdas.core.db import session_scope


def test_member_cities_are_the_31_of_2018_and_2024():
    assert len(MEMBER_CITIES) == 31
    assert sum(c.year == 2018 for c in MEMBER_CITIES) == 26
    assert {c.name for c in MEMBER_CITIES if c.year == 2024} == {
        "Chiang Mai",
        "Khon Kaen",
        "Rayong",
        "Sumedang",
        "Sihanoukville",
    }
    assert len({c.country for c in MEMBER_CITIES}) == 10


def test_demo_is_idempotent_real_facts_unlabelled_generated_ones_labelled(ascn_db):
    with session_scope(ascn_db) as s:
        first = load_demo(s)
        assert first == load_demo(s)
        assert s.scalar(select(func.count()).select_from(AscnCity)) == 31
        real = s.scalars(select(AscnProject).where(AscnProject.is_demo.is_(False))).all()
        assert {p.title for p in real} == {
            "Lorong Wisata: neighbourhood alleys as green, tidy places to visit",
            "Smart Kampung with Road Manager and Bike Sharing",
        }
        assert all("Annual Meeting 2024" in p.source for p in real)
        assert all(
            p.is_demo and p.source.startswith("demo") for p in s.scalars(select(AscnProject).where(AscnProject.is_demo))
        )
        assert s.scalar(select(AscnPartner.is_demo).where(AscnPartner.slug == "mlit-japan")) is False
        claim = s.scalar(select(AscnClaim).where(AscnClaim.metric == "projects"))
        assert (claim.value, claim.qualifier, claim.as_of) == (50, "about", "2024") and "Shepherd" in claim.source
        linked = dict(s.execute(select(AscnCity.slug, AscnCity.city_id).where(AscnCity.city_id.is_not(None))).all())
        assert set(linked) == {"banyuwangi", "makassar"}
        by_metric = {f.metric: f for f in figures.figures(s)}
        assert by_metric["projects"].computed == first["projects"] and by_metric["projects"].claims[0].value == 50
