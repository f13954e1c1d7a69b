"""Units: what the public sees, what a coordinator may change, and how bad units are refused."""

import pytest
from sqlalchemy import select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.core.errors import KotacerdasError, PermissionDenied
from kotacerdas.core.models import User
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.services import access, units
from kotacerdas.lorong.store.tables import LorongProgramme, LorongUnit
from tests.lorong.conftest import K1, line

PRIVATE = {"coordinator", "coordinator_name", "contact_phone", "contact_email", "score", "theme_scores"}


def principal(s, username):
    return accounts.principal_of(s, s.scalar(select(User).where(User.username == username)))


def test_public_fields_carry_nothing_private(world):
    with session_scope(world.engine) as s:
        unit = s.get(LorongUnit, world.units["lr-a1"])
        public = units.public_fields(unit, ["seni"])
        assert not PRIVATE & set(public)
        assert "081234567890" not in repr(public) and "Ibu" not in repr(public)
        assert public["public_contact"] == "Pokdarwis 0811"
        assert units.private_fields(s, unit)["coordinator"] == "lorongcoordinator.7371"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kecamatan_code": "73.71.99", "kelurahan_code": "73.71.99.1001"}, "Unknown kecamatan"),
        ({"kecamatan_code": "73.71.03", "kelurahan_code": "73.71.01.1001"}, "not a kelurahan code of kecamatan"),
        ({"kecamatan_code": "35.10.01", "kelurahan_code": "35.10.01.2001"}, "not a kecamatan code of city"),
        ({"geometry": {"type": "Point", "coordinates": [119.4, -5.1]}}, "Expected a geometry"),
        ({"geometry": "LINESTRING(200 0, 201 1)"}, "outside WGS84"),
        ({"geometry": "not wkt"}, "not valid WKT"),
        ({"code": "lr-a1"}, "already exists"),
        ({"themes": ["no-such-theme"]}, "No theme"),
        ({"grade": "Z"}, "not a grade"),
        ({"geometry": "LINESTRING(106.82 -6.17, 106.821 -6.171)"}, "lies outside city 73.71"),  # a Jakarta alley
    ],
)
def test_bad_units_are_refused(world, change, message):
    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.lw)
        city = accounts.get_city(s, "73.71")
        data = {
            "code": "lr-new",
            "name": "Lorong Baru",
            "kecamatan_code": "73.71.03",
            "kelurahan_code": K1,
            "geometry": line(119.42, -5.14),
        } | change
        with pytest.raises(KotacerdasError, match=message):
            units.save_unit(s, prog, city, data)


def test_coordinators_edit_their_own_unit_only_and_only_some_fields(world):
    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.lw)
        city = accounts.get_city(s, "73.71")
        mine, other = s.get(LorongUnit, world.units["lr-a1"]), s.get(LorongUnit, world.units["lr-b1"])
        p = principal(s, "lorongcoordinator.7371")
        access.write_unit(s, p, mine)
        with pytest.raises(PermissionDenied):
            access.write_unit(s, p, other)
        units.save_unit(s, prog, city, {"address": "Jl. Veteran Lr. 3"}, unit=mine, allowed=units.COORDINATOR_FIELDS)
        with pytest.raises(PermissionDenied, match="may not change"):
            units.save_unit(s, prog, city, {"grade": "A"}, unit=mine, allowed=units.COORDINATOR_FIELDS)
        assert mine.address == "Jl. Veteran Lr. 3" and mine.grade == "B"


def test_the_lurah_verifies_in_their_kelurahan_only(world):
    with session_scope(world.engine) as s:
        lurah = principal(s, "lurah.7371")
        access.verify_unit(s, lurah, s.get(LorongUnit, world.units["lr-a1"]))
        with pytest.raises(PermissionDenied, match="lurah"):
            access.verify_unit(s, lurah, s.get(LorongUnit, world.units["lr-b1"]))
        with pytest.raises(PermissionDenied):  # the other city's lurah holds no role here
            access.verify_unit(s, principal(s, "lurah.3510"), s.get(LorongUnit, world.units["lr-a1"]))
        seen = set(s.scalars(select(LorongUnit.code).where(access.unit_condition(s, lurah, world.mks))))
        assert seen == {"lr-a1", "lr-a2"}
        assert (
            set(
                s.scalars(
                    select(LorongUnit.code).where(access.unit_condition(s, principal(s, "public.7371"), world.mks))
                )
            )
            == set()
        )


def test_directory_search_by_theme_keyword_and_text(world):
    with session_scope(world.engine) as s:
        prog = s.get(LorongProgramme, world.lw)
        by_theme = set(s.scalars(units.directory(s, prog, theme="kuliner").with_only_columns(LorongUnit.code)))
        assert by_theme == {"lr-a1", "lr-b2"}
        assert set(
            s.scalars(units.directory(s, prog, theme="destinasi-sejarah").with_only_columns(LorongUnit.code))
        ) == {"lr-b1"}
        assert set(s.scalars(units.directory(s, prog, q="cemp").with_only_columns(LorongUnit.code))) == {"lr-b1"}
        s.get(LorongUnit, world.units["lr-b1"]).is_published = False
        s.flush()
        assert set(s.scalars(units.directory(s, prog, q="cemp").with_only_columns(LorongUnit.code))) == set()


def test_activities_and_photos(world):
    from kotacerdas.lorong.generate import demo_photo

    with session_scope(world.engine) as s:
        unit = s.get(LorongUnit, world.units["lr-a1"])
        act = units.save_activity(
            s,
            unit,
            "warung",
            {
                "kind": "umkm",
                "theme": "destinasi-kuliner",
                "name": "Warung Coto",
                "products": [{"name": "Coto", "price": 25000, "unit": "mangkok"}],
                "contact": "0813",
                "contact_public": False,
            },
        )
        assert units.activity_fields(act, {})["contact"] is None
        with pytest.raises(LorongError, match="whole number"):
            units.save_activity(s, unit, "warung", {"products": [{"name": "Coto", "price": 2.5}]})
        with pytest.raises(LorongError, match="end before"):
            units.save_activity(s, unit, "warung", {"started_on": "2025-05-01", "ended_on": "2025-04-01"})
        with pytest.raises(LorongError, match="JPEG or PNG"):
            units.add_photo(s, unit, b"GIF89a....", user_id=None)
        p1 = units.add_photo(s, unit, demo_photo(5), user_id=None, is_public=True)
        assert units.add_photo(s, unit, demo_photo(5), user_id=None, is_public=True).id == p1.id
        assert [p.id for p in units.public_photos(s, unit.id)] == [p1.id]


def test_activities_only_under_the_units_themes_and_in_the_city(world):
    with session_scope(world.engine) as s:
        unit = s.get(LorongUnit, world.units["lr-a2"])  # urban farming and clean lorong
        with pytest.raises(LorongError, match="lr-a2 does not take part in the theme seni") as exc:
            units.save_activity(s, unit, "mural", {"kind": "mural", "name": "Mural", "theme": "seni"})
        assert exc.value.field == "theme"
        far = {"type": "Point", "coordinates": [106.82, -6.17]}
        with pytest.raises(LorongError, match="outside city 73.71") as exc:
            units.save_activity(s, unit, "kebun", {"kind": "urban_farm", "name": "Kebun", "location": far})
        assert exc.value.field == "location"
        act = units.save_activity(s, unit, "kebun", {"kind": "urban_farm", "name": "Kebun", "theme": "urban-farming"})
        assert act.theme_id is not None


def test_an_activity_speaks_two_languages(world):
    with session_scope(world.engine) as s:
        unit = s.get(LorongUnit, world.units["lr-a1"])
        act = units.save_activity(
            s,
            unit,
            "dapur",
            {
                "kind": "umkm",
                "name": {"id": "Dapur Daeng", "en": "Daeng's kitchen"},
                "description": "Masakan rumahan",  # a plain string: the Indonesian text
                "products": [{"name": {"id": "Pisang epe", "en": "Grilled banana"}, "price": 10000}, {"name": "Coto"}],
            },
        )
        fields = units.activity_fields(act, {})
        assert fields["name"] == {"id": "Dapur Daeng", "en": "Daeng's kitchen"}
        assert fields["description"] == {"id": "Masakan rumahan", "en": ""}
        assert [p["name"] for p in fields["products"]] == [
            {"id": "Pisang epe", "en": "Grilled banana"},
            {"id": "Coto", "en": ""},
        ]
        with pytest.raises(LorongError, match="Bahasa Indonesia") as english_only:
            units.save_activity(s, unit, "dapur", {"name": {"en": "Kitchen"}})
        assert english_only.value.field == "name.id"
        with pytest.raises(LorongError) as product:
            units.save_activity(s, unit, "dapur", {"products": [{"name": {"en": "Tea"}}]})
        assert product.value.field == "products.0.name.id"
        assert units.activity_fields(act, {})["name"]["en"] == "Daeng's kitchen"  # nothing changed
