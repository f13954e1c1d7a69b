"""A small neighbourhood-programme world on the seeded database: Lorong Wisata in Makassar with generated
kelurahan boundaries, four lorong in two kelurahan (two coordinated by ``lorongcoordinator.7371``, whose lurah
is ``lurah.7371``), and Smart Kampung in Banyuwangi with one desa."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from kotacerdas.core import accounts
from kotacerdas.core import wilayah_makassar as areas_makassar
from kotacerdas.core.admin_areas import import_areas
from kotacerdas.core.db import session_scope
from kotacerdas.core.models import User
from kotacerdas.lorong import generate, seeds
from kotacerdas.lorong.services import units
from kotacerdas.lorong.services.programmes import ensure_programme
from kotacerdas.lorong.store.tables import LorongOfficer

K1, K2 = "73.71.03.1003", "73.71.01.1001"  # Maradekaya (Makassar), Bontorannu (Mariso)


def line(lon: float, lat: float) -> dict:
    return {"type": "LineString", "coordinates": [[lon, lat], [lon + 0.001, lat + 0.0005], [lon + 0.002, lat + 0.0004]]}


def build(engine: Engine) -> SimpleNamespace:
    with session_scope(engine) as s:
        mks = accounts.get_city(s, "73.71")
        bwi = accounts.get_city(s, "35.10")
        import_areas(
            s,
            mks,
            generate.village_cells(areas_makassar.VILLAGES, kecamatan=areas_makassar.KECAMATAN),
            filename="generated-villages",
        )
        lw = ensure_programme(s, mks, seeds.LORONG_WISATA)
        sk = ensure_programme(s, bwi, seeds.SMART_KAMPUNG)
        user = {u.username: u for u in s.scalars(select(User))}
        made = {}
        for code, name, kel, themes, coord in (
            (
                "lr-a1",
                "Lorong Anggrek",
                K1,
                ["destinasi-kuliner", "ekonomi-sirkular", "seni"],
                "lorongcoordinator.7371",
            ),
            ("lr-a2", "Lorong Bougenville", K1, ["urban-farming", "lorong-bersih"], "lorongcoordinator.7371"),
            ("lr-b1", "Lorong Cempaka", K2, ["destinasi-sejarah", "seni"], None),
            ("lr-b2", "Lorong Dahlia", K2, ["destinasi-kuliner"], None),
        ):
            u = units.save_unit(
                s,
                lw,
                mks,
                {
                    "code": code,
                    "name": name,
                    "kecamatan_code": kel.rsplit(".", 1)[0],
                    "kelurahan_code": kel,
                    "geometry": line(119.42 + len(made) * 0.002, -5.143),
                    "themes": themes,
                    "coordinator": coord,
                    "coordinator_name": f"Ibu {name}",
                    "contact_phone": "081234567890",
                    "public_contact": "Pokdarwis 0811" if code == "lr-a1" else "",
                    "description": {"id": "Lorong uji", "en": "Test lorong"},
                    "grade": "B",
                },
            )
            made[code] = u.id
        desa = units.save_unit(
            s,
            sk,
            bwi,
            {
                "code": "ds-kepatihan",
                "name": "Kelurahan Kepatihan",
                "kecamatan_code": "35.10.16",
                "kelurahan_code": "35.10.16.1008",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[114.37, -8.21], [114.38, -8.21], [114.38, -8.22], [114.37, -8.21]]],
                },
                "themes": [t.code for t in seeds.SMART_KAMPUNG.themes],
                "coordinator": "lorongcoordinator.3510",
            },
        )
        s.add(LorongOfficer(user_id=user["lurah.7371"].id, city_id=mks.id, kelurahan_code=K1))
        s.add(LorongOfficer(user_id=user["lurah.3510"].id, city_id=bwi.id, kelurahan_code="35.10.16.1008"))
        return SimpleNamespace(engine=engine, lw=lw.id, sk=sk.id, units=made, desa=desa.id, mks=mks.id, bwi=bwi.id)


@pytest.fixture
def world(seeded: Engine) -> SimpleNamespace:
    return build(seeded)


@pytest.fixture
def api_world(client, seeded: Engine) -> SimpleNamespace:
    """The world, in the database the ``client`` app serves."""
    return build(seeded)
