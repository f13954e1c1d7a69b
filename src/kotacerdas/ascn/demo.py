"""The ASCN demo: the network's real member cities, programmes, partners, 2024 practices and published claims
(:mod:`kotacerdas.ascn.facts`), and a generated registry around them, every generated record labelled demo.

Generated: partner organisations with invented names, one project per demo practice of the
knowledge base (:mod:`kotacerdas.ascn.demo_knowledge`), budgets, dates, indicators and past
partnerships. Partnerships are drawn at random (seeded, so the demo is the same on every machine)
from each partner's hidden preferences for focus areas, countries and kinds of support, so the
matchmaking bench has a history to learn from; they describe no real agreement.

The knowledge base is embedded as it is loaded (the demo runs from the command line, off any event
loop), so semantic search works at once. Idempotent: loading twice changes nothing.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.ascn import facts
from kotacerdas.ascn.demo_knowledge import ENGLISH_TITLES, PRACTICES
from kotacerdas.ascn.services import knowledge, partners, registry
from kotacerdas.ascn.store.tables import AscnCity, AscnClaim, AscnPartnership, AscnProgramme, AscnProject
from kotacerdas.core.models import City, User

DEMO_SOURCE = "demo: generated for trying the platform"
SEED = 14
#: Currency of each country's demo budgets.
CURRENCIES = {
    "BN": "BND", "KH": "USD", "ID": "IDR", "LA": "LAK", "MY": "MYR",
    "MM": "MMK", "PH": "PHP", "SG": "SGD", "TH": "THB", "VN": "VND",
}  # fmt: skip
#: A rough size of a demo budget in each currency (one unit of "budget scale").
BUDGET_SCALE = {
    "BND": 1e5, "USD": 1e5, "IDR": 1.5e9, "LAK": 2e9, "MYR": 4e5,
    "MMK": 2e8, "PHP": 5e6, "SGD": 1.3e5, "THB": 3.5e6, "VND": 2.4e9,
}  # fmt: skip


@dataclass(frozen=True)
class DemoPartner:
    slug: str
    name: str
    kind: str
    country: str | None
    offers: tuple[str, ...]
    focus_areas: tuple[str, ...]
    countries: tuple[str, ...]  # where it prefers to work (hidden from the matcher)
    popularity: float
    description: str


DEMO_PARTNERS: tuple[DemoPartner, ...] = (
    DemoPartner("mekong-urban-data-lab", "Mekong Urban Data Lab", "university", "VN",
                ("knowledge_sharing", "capacity_building"), ("quality_environment", "safety_security"),
                ("VN", "KH", "LA"), 1.0, "University lab for water, flood and environment data in Mekong cities."),
    DemoPartner("nusantara-digital-consultants", "Nusantara Digital Consultants", "company", "ID",
                ("technical_assistance", "feasibility_study"), ("civic_social", "industry_innovation"),
                ("ID", "MY"), 1.4, "Consultancy building e-government services and public service apps."),
    DemoPartner("tropical-health-informatics-institute", "Tropical Health Informatics Institute", "university",
                "TH", ("knowledge_sharing", "technical_assistance"), ("health_wellbeing",), ("TH", "MM", "LA", "KH"),
                1.0, "Research institute for disease surveillance, telemedicine and health records."),
    DemoPartner("asean-green-finance-facility", "ASEAN Green Finance Facility", "international_organisation",
                None, ("finance", "feasibility_study"), ("quality_environment", "built_infrastructure"),
                ("ID", "PH", "VN", "TH", "KH"), 1.6, "Fund lending to cities for energy, water and waste projects."),
    DemoPartner("straits-mobility-systems", "Straits Mobility Systems", "company", "SG",
                ("technical_assistance", "feasibility_study"), ("built_infrastructure",), ("SG", "MY", "ID", "TH"),
                1.3, "Company supplying traffic signals, bus tracking and parking systems."),
    DemoPartner("kyushu-city-twinning-network", "Kyushu City Twinning Network", "non_profit", "JP",
                ("twinning", "knowledge_sharing"), ("civic_social", "safety_security"), ("PH", "VN", "ID", "MY"),
                0.9, "Network of Japanese cities sharing disaster preparedness and city services with partners."),
    DemoPartner("pacific-resilience-partners", "Pacific Resilience Partners", "non_profit", "AU",
                ("capacity_building", "knowledge_sharing"), ("safety_security", "quality_environment"),
                ("PH", "ID", "MM"), 1.0, "Non-profit training cities in disaster risk reduction and early warning."),
    DemoPartner("borneo-innovation-centre", "Borneo Innovation Centre", "university", "MY",
                ("capacity_building", "knowledge_sharing"), ("industry_innovation", "civic_social"),
                ("MY", "BN", "ID"), 0.8, "University centre incubating start-ups and training public servants."),
    DemoPartner("lanna-clean-air-coalition", "Lanna Clean Air Coalition", "non_profit", "TH",
                ("knowledge_sharing", "capacity_building"), ("health_wellbeing", "quality_environment"),
                ("TH", "LA", "MM"), 0.7, "Coalition of universities and citizens measuring air pollution and haze."),
    DemoPartner("seoul-smart-infrastructure-agency", "Seoul Smart Infrastructure Agency", "agency", "KR",
                ("technical_assistance", "feasibility_study", "finance"), ("built_infrastructure", "safety_security"),
                ("VN", "KH", "LA", "MM", "PH"), 1.2,
                "Agency funding studies for smart infrastructure and control rooms."),
    DemoPartner("open-government-alliance-asia", "Open Government Alliance Asia", "non_profit", None,
                ("capacity_building", "knowledge_sharing"), ("civic_social",), ("PH", "ID", "TH", "MY"), 0.9,
                "Alliance supporting open data, open contracting and citizen feedback."),
    DemoPartner("java-water-engineering", "Java Water Engineering", "company", "ID",
                ("technical_assistance", "feasibility_study"), ("built_infrastructure", "quality_environment"),
                ("ID",), 0.8, "Engineering firm for drainage, water networks and metering."),
    DemoPartner("blue-carbon-institute", "Blue Carbon Institute", "university", "PH",
                ("knowledge_sharing", "technical_assistance"), ("quality_environment",), ("PH", "TH", "ID", "MY"),
                0.6, "Coastal ecology institute for mangroves and seagrass."),
    DemoPartner("digital-payments-forum", "Digital Payments Forum", "non_profit", "ID",
                ("capacity_building", "technical_assistance"), ("industry_innovation", "civic_social"), ("ID", "PH"),
                0.7, "Forum of banks and payment firms helping traders and governments go cashless."),
    DemoPartner("euro-asia-city-exchange", "Euro-Asia City Exchange", "agency", None,
                ("twinning", "knowledge_sharing"), ("civic_social", "industry_innovation", "quality_environment"),
                ("VN", "TH", "KH", "LA", "BN"), 1.0, "Programme pairing European and Asian cities for exchanges."),
    DemoPartner("solar-cities-cooperative", "Solar Cities Cooperative", "company", "TH",
                ("finance", "technical_assistance"), ("quality_environment", "built_infrastructure"),
                ("TH", "LA", "VN", "KH"), 0.8, "Cooperative installing solar rooftops and LED lighting on savings."),
)  # fmt: skip

DEMO_USERS_PARTNER = {"mitra.demo": "nusantara-digital-consultants"}


def _ensure_cities(session: Session) -> dict[str, AscnCity]:
    platform = {c.code: c.id for c in session.scalars(select(City))}
    out = {}
    for m in facts.MEMBER_CITIES:
        row = session.scalar(select(AscnCity).where(AscnCity.slug == m.slug))
        if row is None:
            row = AscnCity(slug=m.slug)
            session.add(row)
        row.name, row.local_name, row.country, row.year_joined = m.name, m.local_name, m.country, m.year
        row.lon, row.lat, row.source = m.lon, m.lat, m.source
        if m.platform_code and m.platform_code in platform:
            row.city_id = platform[m.platform_code]
        out[m.slug] = row
    session.flush()
    return out


def _ensure_partners(session: Session) -> dict[str, object]:
    out = {}
    for f in facts.PARTNERS:
        p = registry.get_partner(session, f.slug) if _exists(session, f.slug) else None
        values = {
            "name": f.name,
            "kind": f.kind,
            "country": f.country,
            "offers": f.offers,
            "focus_areas": f.focus_areas,
            "description": f.description,
            "source": "public information of the partner",
            "aliases": f.aliases,
        }
        out[f.slug] = p or partners.create_partner(session, values, slug=f.slug)
    for d in DEMO_PARTNERS:
        if _exists(session, d.slug):
            out[d.slug] = registry.get_partner(session, d.slug)
            continue
        out[d.slug] = partners.create_partner(
            session,
            {
                "name": d.name,
                "kind": d.kind,
                "country": d.country,
                "offers": d.offers,
                "focus_areas": d.focus_areas,
                "description": d.description,
                "source": DEMO_SOURCE,
                "is_demo": True,
            },
            slug=d.slug,
        )
    # A duplicate as a city's spreadsheet might bring it: the secretariat is offered to merge it with ADB.
    if not _exists(session, "bank-pembangunan-asia"):
        partners.create_partner(
            session,
            {
                "name": "Bank Pembangunan Asia",
                "kind": "international_organisation",
                "description": "Bank pembangunan multilateral (nama Indonesia).",
                "source": DEMO_SOURCE + " (a duplicate to merge)",
                "is_demo": True,
            },
            slug="bank-pembangunan-asia",
        )
    return out


def _exists(session: Session, slug: str) -> bool:
    from kotacerdas.ascn.store.tables import AscnPartner

    return session.scalar(select(AscnPartner.id).where(AscnPartner.slug == slug)) is not None


def _ensure_programmes(session: Session, partner_rows: dict) -> dict[str, AscnProgramme]:
    out = {}
    for f in facts.PROGRAMMES:
        g = session.scalar(select(AscnProgramme).where(AscnProgramme.slug == f.slug))
        if g is None:
            g = AscnProgramme(slug=f.slug)
            session.add(g)
        g.name, g.description, g.start_year = f.name, f.description, f.start_year
        g.support_types, g.focus_areas = list(f.support_types), list(f.focus_areas)
        g.sponsor_id = partner_rows[f.sponsor].id
        g.source = "public information of the programme"
        out[f.slug] = g
    session.flush()
    return out


def _affinity(d: DemoPartner, project: AscnProject, country: str, rng: np.random.Generator) -> float:
    focus = len(set(d.focus_areas) & set(project.focus_areas)) / max(len(project.focus_areas), 1)
    return d.popularity * math.exp(2.2 * focus + 1.4 * (country in d.countries) + rng.normal(0, 0.35))


def load_demo(session: Session) -> dict:
    """Load the ASCN demo (idempotent); return counts."""
    cities = _ensure_cities(session)
    partner_rows = _ensure_partners(session)
    _ensure_programmes(session, partner_rows)
    for u, slug in DEMO_USERS_PARTNER.items():
        if session.scalar(select(User.id).where(User.username == u)) is not None:
            partners.add_editor(session, partner_rows[slug], u)
    if session.scalar(select(func.count()).select_from(AscnClaim)) == 0:
        for c in facts.CLAIMS:
            registry.add_claim(session, {**asdict(c), "scope": "network"})
    if session.scalar(select(func.count()).select_from(AscnProject)) > 0:
        knowledge.embed_pending(session)
        return _summary(session)

    for f in facts.PRACTICES_2024:
        city = cities[f.city]
        project = registry.create_project(
            session,
            city,
            {
                "title": f.title,
                "summary": f.summary,
                "local_lang": f.local_lang,
                "local_title": f.local_title,
                "local_summary": f.local_summary,
                "focus_areas": f.focus_areas,
                "status": f.status,
                "systems": f.systems,
                "source": f.source,
                "lon": city.lon,
                "lat": city.lat,
            },
        )
        knowledge.save_practice(
            session,
            knowledge.PracticeInput(
                title=f.title,
                lang="en",
                summary=f.summary,
                body=f"{f.local_title}: {f.local_summary}",
                city=city.slug,
                project_id=project.id,
                focus_areas=f.focus_areas,
                year=2024,
                source=f.source,
                slug=f.key,
            ),
            city,
        )
        for slug in f.supported_by:
            registry.create_partnership(
                session, partner_rows[slug], city, {"type": "technical_assistance", "source": f.source}, project
            )

    rng = np.random.default_rng(SEED)
    demo_partners = [(d, partner_rows[d.slug]) for d in DEMO_PARTNERS]
    statuses = ["idea", "feasibility_study", "implementing", "operational", "operational", "completed"]
    for practice in PRACTICES:
        city = cities[practice.city]
        currency = CURRENCIES[city.country]
        start = date(int(rng.integers(2019, 2024)), int(rng.integers(1, 13)), 1)
        status = statuses[int(rng.integers(0, len(statuses)))]
        english = practice.lang == "en"
        project = registry.create_project(
            session,
            city,
            {
                "title": practice.title if english else ENGLISH_TITLES[practice.slug],
                "summary": practice.summary if english else "",
                "local_lang": "" if english else practice.lang,
                "local_title": "" if english else practice.title,
                "local_summary": "" if english else practice.summary,
                "focus_areas": practice.focus_areas,
                "status": status,
                "start_date": start,
                "budget": round(float(rng.uniform(0.3, 6.0)) * BUDGET_SCALE[currency], -3),
                "currency": currency,
                "funding_sources": ["city budget (demo)"] + (["partner grant (demo)"] if rng.random() < 0.5 else []),
                "lead_agency": "City smart city office (demo)",
                "sdg_targets": ["11.2"] if "built_infrastructure" in practice.focus_areas else ["11.6"],
                "lon": city.lon + float(rng.normal(0, 0.01)),
                "lat": city.lat + float(rng.normal(0, 0.01)),
                "source": DEMO_SOURCE,
                "is_demo": True,
            },
        )
        knowledge.save_practice(
            session,
            knowledge.PracticeInput(
                title=practice.title,
                lang=practice.lang,
                summary=practice.summary,
                lessons=practice.lessons,
                city=city.slug,
                project_id=project.id,
                focus_areas=practice.focus_areas,
                year=start.year,
                source=DEMO_SOURCE,
                slug=practice.slug,
                is_demo=True,
            ),
            city,
        )
        for year in range(start.year, 2025):
            value = round(float(100 * (1 + 0.35 * (year - start.year)) * rng.uniform(0.8, 1.2)))
            registry.add_indicator_value(
                session, project, "Residents reached (demo)", "people", date(year, 12, 31), value, DEMO_SOURCE
            )
        weights = np.array([_affinity(d, project, city.country, rng) for d, _ in demo_partners])
        count = int(rng.choice([1, 2, 2, 3]))
        chosen = rng.choice(len(demo_partners), size=count, replace=False, p=weights / weights.sum())
        for i in chosen:
            d, row = demo_partners[int(i)]
            kind = d.offers[int(rng.integers(0, len(d.offers)))]
            registry.create_partnership(
                session,
                row,
                city,
                {"type": kind, "start_date": start, "status": "active" if status != "completed" else "completed",
                 "source": DEMO_SOURCE, "is_demo": True},
                project,
            )  # fmt: skip
    knowledge.embed_pending(session)
    return _summary(session)


def _summary(session: Session) -> dict:
    def n(model) -> int:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)

    return {"cities": n(AscnCity), "projects": n(AscnProject), "partnerships": n(AscnPartnership)}
