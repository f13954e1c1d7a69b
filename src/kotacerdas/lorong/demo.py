"""The Lorong Wisata demo for Kota Makassar and the Smart Kampung demo over Banyuwangi's desa and kelurahan.

Real: the kecamatan and kelurahan (desa) names and Kemendagri codes, and the market names.
Generated and labelled demo: every boundary, lorong, activity, report, waste-bank account and price.
Idempotent: a city whose programme is already stored is left as it is.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core import wilayah_banyuwangi as areas_banyuwangi
from kotacerdas.core import wilayah_makassar as areas_makassar
from kotacerdas.core.admin_areas import import_areas
from kotacerdas.core.models import City, User
from kotacerdas.lorong import generate, periods, seeds
from kotacerdas.lorong.services import areas as area_service
from kotacerdas.lorong.services import foodprices as price_service
from kotacerdas.lorong.services import scores, units, wastebank
from kotacerdas.lorong.services.programmes import ensure_programme
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import LorongOfficer, LorongProgramme, LorongReport, LorongUnit

PER_KELURAHAN = 2
MONTHS = 12
#: Real traditional markets of Makassar (names only; their positions here are approximate, prices generated).
MARKETS = (
    ("pasar-terong", "Pasar Terong", "73.71.06", 119.4225, -5.1300),
    ("pasar-pabaeng-baeng", "Pasar Pa'baeng-baeng", "73.71.10", 119.4310, -5.1720),
    ("pasar-daya", "Pasar Daya", "73.71.11", 119.5050, -5.1040),
    ("pasar-butung", "Pasar Butung", "73.71.05", 119.4135, -5.1330),
    ("pasar-panampu", "Pasar Panampu", "73.71.07", 119.4230, -5.1185),
    ("pasar-maricaya", "Pasar Maricaya", "73.71.03", 119.4270, -5.1500),
)
BASE_PRICES = {
    "beras-medium": 13_500,
    "beras-premium": 15_500,
    "cabai-merah-keriting": 45_000,
    "cabai-rawit": 50_000,
    "bawang-merah": 38_000,
    "bawang-putih": 36_000,
    "minyak-goreng": 17_000,
    "telur-ayam": 28_000,
    "daging-ayam": 36_000,
    "gula-pasir": 17_500,
    "daging-sapi": 135_000,
    "ikan-bandeng": 32_000,
}
RESIDENTS = ("Andi", "Muh.", "Nur", "Sitti", "Daeng", "Hasnah", "Rahmat", "Irma", "Syamsul", "Fitri", "Basri", "Ani")


def _officers(session: Session, city: City, username: str, kelurahan: list[str]) -> None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        return
    for code in kelurahan:
        if (
            session.scalar(
                select(LorongOfficer).where(
                    LorongOfficer.user_id == user.id,
                    LorongOfficer.city_id == city.id,
                    LorongOfficer.kelurahan_code == code,
                )
            )
            is None
        ):
            session.add(LorongOfficer(user_id=user.id, city_id=city.id, kelurahan_code=code))
    session.flush()


def _coordinate(session: Session, username: str, unit_ids: list[int]) -> None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        return
    for uid in unit_ids:
        must_get(session, LorongUnit, uid).coordinator_user_id = user.id
    session.flush()


def _activities(session: Session, rng: random.Random, unit: LorongUnit, outline=None) -> None:
    plan = [
        ("kebun", "urban_farm", "urban-farming", {"id": "Kebun lorong (demo)", "en": "Alley garden (demo)"}, []),
        (
            "umkm-1",
            "umkm",
            "umkm-digital",
            {"id": "Dapur Daeng (demo)", "en": "Daeng's kitchen (demo)"},
            [
                {"name": {"id": "Pisang epe", "en": "Pressed grilled banana"}, "price": 10_000, "unit": "porsi"},
                {"name": {"id": "Es pisang ijo", "en": "Green banana ice"}, "price": 12_000, "unit": "gelas"},
            ],
        ),
        ("mural", "mural", "seni", {"id": "Mural lorong (demo)", "en": "Alley mural (demo)"}, []),
        ("pojok-baca", "reading_corner", "pojok-baca", {"id": "Pojok baca (demo)", "en": "Reading corner (demo)"}, []),
    ]
    description = {"id": "Kegiatan contoh (demo)", "en": "Example activity (demo)"}
    taking_part = set(units.unit_theme_codes(session, [unit.id])[unit.id])
    for code, kind, theme, name, products in rng.sample(plan, 3):
        if theme not in taking_part:  # an activity is under a theme of its lorong, or under none
            theme = ""
        units.save_activity(
            session,
            unit,
            code,
            {
                "kind": kind,
                "theme": theme,
                "name": name,
                "description": description,
                "started_on": date(2024, rng.randint(1, 12), 1).isoformat(),
                "products": products,
                "contact": f"0813{rng.randint(10_000_000, 99_999_999)}" if products else "",
                "contact_public": bool(products),
                "location": {"type": "Point", "coordinates": [unit.lon, unit.lat]},
            },
            outline=outline,
        )


def _waste_banks(session: Session, rng: random.Random, unit_ids: list[int], months: list[periods.Period]) -> int:
    count = 0
    for uid in unit_ids:
        unit = must_get(session, LorongUnit, uid)
        bank = wastebank.create_bank(session, unit, f"bs-{unit.code}", f"Bank Sampah {unit.name}", is_demo=True)
        start = months[0].start
        for material, price in (("pet", 3000), ("kardus", 1500), ("aluminium", 9000), ("minyak-jelantah", 5000)):
            wastebank.set_price(session, bank, material, start, price)
            wastebank.set_price(session, bank, material, months[len(months) // 2].start, int(price * 1.1))
        wastebank.add_capital(
            session,
            bank,
            500_000,
            key=f"demo-capital-{bank.code}",
            at=datetime(start.year, start.month, 1, 9, tzinfo=UTC),
        )
        accts = [
            wastebank.open_account(
                session, bank, f"{rng.choice(RESIDENTS)} {rng.choice(RESIDENTS)} (demo)", "", is_demo=True
            )
            for _ in range(8)
        ]
        for p in months:
            at = datetime(p.start.year, p.start.month, 5, 8, tzinfo=UTC)
            for a in accts:
                if rng.random() < 0.7:
                    items = [("pet", round(rng.uniform(1, 6), 1)), ("kardus", round(rng.uniform(0.5, 4), 1))]
                    wastebank.deposit(session, bank, a, items, key=f"demo-{a.account_no}-{p.key}", at=at)
            wastebank.sell(
                session,
                bank,
                rng.randint(80, 160) * 1000,
                key=f"demo-sale-{bank.code}-{p.key}",
                at=at + timedelta(days=20),
            )
            a = rng.choice(accts)
            amount = min(a.balance, bank.cash, 20_000)
            if amount > 0:
                wastebank.withdraw(
                    session, bank, a, amount, key=f"demo-wd-{a.account_no}-{p.key}", at=at + timedelta(days=21)
                )
        count += 1
    return count


def _prices(session: Session, city: City, rng: random.Random) -> int:
    weeks = generate.week_list(generate.today(), 52)
    price_service.save_settings(session, city.id, alert_share=0.10, baseline_start=weeks[0], baseline_end=weeks[12])
    n = 0
    for code, name, kec, lon, lat in MARKETS:
        market = price_service.save_market(
            session,
            city,
            code,
            {
                "name": name,
                "kind": "market",
                "kecamatan_code": kec,
                "location": {"type": "Point", "coordinates": [lon, lat]},
            },
        )
        for commodity, base in BASE_PRICES.items():
            spike = 44 if commodity.startswith("cabai") else None
            for week, price in zip(
                weeks,
                generate.weekly_prices(rng, int(base * rng.uniform(0.95, 1.05)), weeks, spike_week=spike),
                strict=True,
            ):
                price_service.record_price(session, market, commodity, week, price)
                n += 1
    return n


def load_makassar(session: Session) -> dict:
    city = accounts.get_city(session, areas_makassar.CITY)
    if session.scalar(
        select(LorongProgramme).where(
            LorongProgramme.city_id == city.id, LorongProgramme.code == seeds.LORONG_WISATA.code
        )
    ):
        return {"already_loaded": True}
    rng = random.Random(7371)
    areas = import_areas(
        session,
        city,
        generate.village_cells(areas_makassar.VILLAGES, kecamatan=areas_makassar.KECAMATAN),
        filename="demo-73.71-kelurahan-generated.geojson",
    )
    prog = ensure_programme(session, city, seeds.LORONG_WISATA, is_demo=True)
    ids = generate.units(session, prog, areas_makassar.VILLAGES, PER_KELURAHAN, seed=1)
    until = periods.containing(generate.today(), "month").previous()
    made = generate.reports(session, prog, until, MONTHS, seed=2)
    # The demo coordinator runs two lorong of Maradekaya; the demo lurah verifies Maradekaya's reports.
    mine = list(
        session.scalars(
            select(LorongUnit.id).where(
                LorongUnit.programme_id == prog.id, LorongUnit.kelurahan_code == "73.71.03.1003"
            )
        )
    )
    _coordinate(session, "lorong.mks", mine)
    _officers(session, city, "lurah.mks", ["73.71.03.1003"])
    outline = area_service.city_outline(session, city)
    for uid in ids[:40]:
        _activities(session, rng, must_get(session, LorongUnit, uid), outline)
    for uid in mine:
        unit = must_get(session, LorongUnit, uid)
        unit.public_contact = "Pokdarwis lorong (demo): 0811 0000 000"
        units.add_photo(
            session, unit, generate.demo_photo(uid), user_id=None, caption="Foto contoh (demo)", is_public=True
        )
        # The newest report waits for the lurah with a (generated) photo of the whole report as its evidence.
        pending = session.scalar(
            select(LorongReport).where(LorongReport.unit_id == uid, LorongReport.status == "submitted")
        )
        if pending is not None:
            units.add_photo(
                session,
                unit,
                generate.demo_photo(uid + 1000),
                user_id=None,
                caption="Bukti (demo)",
                report_id=pending.id,
            )
    banks = _waste_banks(session, rng, mine + ids[:4], periods.last(6, "month", until))
    prices = _prices(session, city, rng)
    scored = scores.recompute(session, prog, until=until.previous().key)
    return {
        "areas": areas.as_dict() | {"skipped": len(areas.skipped)},
        "units": len(ids),
        **made,
        "waste_banks": banks,
        "prices": prices,
        "scores": scored,
    }


def load_banyuwangi(session: Session) -> dict:
    city = accounts.get_city(session, areas_banyuwangi.CITY)
    if session.scalar(
        select(LorongProgramme).where(
            LorongProgramme.city_id == city.id, LorongProgramme.code == seeds.SMART_KAMPUNG.code
        )
    ):
        return {"already_loaded": True}
    prog = ensure_programme(session, city, seeds.SMART_KAMPUNG, is_demo=True)
    # Each desa is one unit; its polygon is a generated cell around its real position (labelled demo).
    cell_of = generate.voronoi_cells([(v[3], v[4]) for v in areas_banyuwangi.VILLAGES], 0.03)
    index = {v[0]: i for i, v in enumerate(areas_banyuwangi.VILLAGES)}
    ids = generate.units(
        session,
        prog,
        areas_banyuwangi.VILLAGES,
        1,
        seed=3,
        geometry=lambda _r, v: cell_of[index[v[0]]],
        themes_per_unit=(7, 7),
        name=lambda v, _k: f"{'Kelurahan' if v[0].split('.')[-1].startswith('1') else 'Desa'} {v[1]}",
        grades=("maju", "berkembang", "kurang"),
    )
    until = periods.containing(generate.today(), "quarter").previous()
    made = generate.reports(session, prog, until, 4, seed=4, pending_last=False, reporting_share=0.97)
    scored = scores.recompute(session, prog, until=until.key)
    return {"units": len(ids), **made, "scores": scored}


def load_demo(session: Session) -> dict:
    """Load both demo programmes (each city only if it exists and has not been loaded)."""
    out = {}
    codes = set(session.scalars(select(City.code)))
    if areas_makassar.CITY in codes:
        out["73.71"] = load_makassar(session)
    if areas_banyuwangi.CITY in codes:
        out["35.10"] = load_banyuwangi(session)
    return out
