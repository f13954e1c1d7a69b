"""Public facts about the network that the demo loads as they are (not generated): its 31 member cities, the
partnership programmes named in the issue, the practices presented at the 2024 annual meeting and the figures
its Indonesian Shepherd reported there.

City centres are approximate (a point in the city centre, WGS84, for the map); local names are the
cities' names in their national script where it is not Latin. Nothing here is a figure the
platform computes: figures are computed from the registry (see :mod:`kotacerdas.ascn.figures`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Where the 2024 facts come from.
ANNUAL_MEETING_2024 = "ASCN Annual Meeting 2024, Luang Prabang, Lao PDR"
ASCN_2018 = "ASEAN Smart Cities Network, launched at the 32nd ASEAN Summit, Singapore, 2018 (26 pilot cities)"
ASCN_2024_INTAKE = "ASEAN Smart Cities Network, 2024 intake of new member cities"


@dataclass(frozen=True)
class MemberCity:
    """A member city: slug, English name, country (ISO 3166-1), year joined, centre (lon, lat), local name."""

    slug: str
    name: str
    country: str
    year: int
    lon: float
    lat: float
    local_name: str = ""
    platform_code: str | None = None  # the platform's city code, for the cities the demo runs kotacerdas in

    @property
    def source(self) -> str:
        return ASCN_2018 if self.year == 2018 else ASCN_2024_INTAKE


MEMBER_CITIES: tuple[MemberCity, ...] = (
    # the 26 pilot cities of 2018
    MemberCity("bandar-seri-begawan", "Bandar Seri Begawan", "BN", 2018, 114.9398, 4.9031),
    MemberCity("battambang", "Battambang", "KH", 2018, 103.1982, 13.0957, "បាត់ដំបង"),
    MemberCity("phnom-penh", "Phnom Penh", "KH", 2018, 104.9282, 11.5564, "ភ្នំពេញ"),
    MemberCity("siem-reap", "Siem Reap", "KH", 2018, 103.8597, 13.3671, "សៀមរាប"),
    MemberCity("makassar", "Makassar", "ID", 2018, 119.4327, -5.1477, "Kota Makassar", "73.71"),
    MemberCity("banyuwangi", "Banyuwangi", "ID", 2018, 114.3691, -8.2192, "Kabupaten Banyuwangi", "35.10"),
    MemberCity("dki-jakarta", "DKI Jakarta", "ID", 2018, 106.8456, -6.2088, "Daerah Khusus Ibukota Jakarta"),
    MemberCity("luang-prabang", "Luang Prabang", "LA", 2018, 102.1347, 19.8856, "ຫຼວງພະບາງ"),
    MemberCity("vientiane", "Vientiane", "LA", 2018, 102.6331, 17.9757, "ວຽງຈັນ"),
    MemberCity("johor-bahru", "Johor Bahru", "MY", 2018, 103.7414, 1.4927),
    MemberCity("kuala-lumpur", "Kuala Lumpur", "MY", 2018, 101.6869, 3.1390),
    MemberCity("kota-kinabalu", "Kota Kinabalu", "MY", 2018, 116.0735, 5.9804),
    MemberCity("kuching", "Kuching", "MY", 2018, 110.3592, 1.5533),
    MemberCity("nay-pyi-taw", "Nay Pyi Taw", "MM", 2018, 96.1297, 19.7633, "နေပြည်တော်"),
    MemberCity("mandalay", "Mandalay", "MM", 2018, 96.0891, 21.9588, "မန္တလေး"),
    MemberCity("yangon", "Yangon", "MM", 2018, 96.1951, 16.8661, "ရန်ကုန်"),
    MemberCity("cebu-city", "Cebu City", "PH", 2018, 123.8854, 10.3157),
    MemberCity("davao-city", "Davao City", "PH", 2018, 125.6128, 7.1907),
    MemberCity("manila", "Manila", "PH", 2018, 120.9842, 14.5995, "Maynila"),
    MemberCity("singapore", "Singapore", "SG", 2018, 103.8198, 1.3521),
    MemberCity("bangkok", "Bangkok", "TH", 2018, 100.5018, 13.7563, "กรุงเทพมหานคร"),
    MemberCity("chonburi", "Chonburi", "TH", 2018, 100.9847, 13.3611, "ชลบุรี"),
    MemberCity("phuket", "Phuket", "TH", 2018, 98.3923, 7.8804, "ภูเก็ต"),
    MemberCity("da-nang", "Da Nang", "VN", 2018, 108.2022, 16.0544, "Đà Nẵng"),
    MemberCity("hanoi", "Hanoi", "VN", 2018, 105.8342, 21.0278, "Hà Nội"),
    MemberCity("ho-chi-minh-city", "Ho Chi Minh City", "VN", 2018, 106.6297, 10.8231, "Thành phố Hồ Chí Minh"),
    # the 2024 intake
    MemberCity("chiang-mai", "Chiang Mai", "TH", 2024, 98.9853, 18.7883, "เชียงใหม่"),
    MemberCity("khon-kaen", "Khon Kaen", "TH", 2024, 102.8236, 16.4419, "ขอนแก่น"),
    MemberCity("rayong", "Rayong", "TH", 2024, 101.2816, 12.6814, "ระยอง"),
    MemberCity("sumedang", "Sumedang", "ID", 2024, 107.9203, -6.8586, "Kabupaten Sumedang"),
    MemberCity("sihanoukville", "Sihanoukville", "KH", 2024, 103.5296, 10.6253, "ក្រុងព្រះសីហនុ"),
)


@dataclass(frozen=True)
class PartnerFact:
    """A real partner organisation named by the network's public material, with its other names."""

    slug: str
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    focus_areas: tuple[str, ...] = ()
    description: str = ""


PARTNERS: tuple[PartnerFact, ...] = (
    PartnerFact(
        "mlit-japan",
        "Ministry of Land, Infrastructure, Transport and Tourism (Japan)",
        "government",
        "JP",
        ("MLIT", "Kementerian Pertanahan, Infrastruktur, Transportasi dan Pariwisata Jepang"),
        ("technical_assistance", "feasibility_study", "capacity_building", "knowledge_sharing"),
        ("built_infrastructure", "quality_environment", "safety_security"),
        "Japan's ministry for land, infrastructure, transport and tourism; leads Japan's Smart JAMP support "
        "for ASEAN smart cities.",
    ),
    PartnerFact(
        "us-department-of-state",
        "U.S. Department of State",
        "government",
        "US",
        ("Departemen Luar Negeri Amerika Serikat",),
        ("capacity_building", "technical_assistance", "knowledge_sharing"),
        ("industry_innovation", "quality_environment", "civic_social"),
        "United States government department behind the U.S.-ASEAN Smart Cities Partnership.",
    ),
    PartnerFact(
        "dfat-australia",
        "Department of Foreign Affairs and Trade (Australia)",
        "government",
        "AU",
        ("DFAT",),
        ("finance", "technical_assistance", "capacity_building"),
        ("built_infrastructure", "quality_environment", "industry_innovation"),
        "Australia's foreign affairs department, funder of the ASEAN-Australia Smart Cities Trust Fund.",
    ),
    PartnerFact(
        "adb",
        "Asian Development Bank",
        "international_organisation",
        None,
        ("ADB",),
        ("finance", "technical_assistance", "feasibility_study"),
        ("built_infrastructure", "quality_environment", "industry_innovation"),
        "Multilateral development bank; administers the ASEAN-Australia Smart Cities Trust Fund.",
    ),
)


@dataclass(frozen=True)
class ProgrammeFact:
    """A partnership programme named in the network's public material."""

    slug: str
    name: str
    sponsor: str  # partner slug
    support_types: tuple[str, ...]
    focus_areas: tuple[str, ...]
    description: str
    start_year: int | None = None


PROGRAMMES: tuple[ProgrammeFact, ...] = (
    ProgrammeFact(
        "smart-jamp",
        "Smart JAMP",
        "mlit-japan",
        ("technical_assistance", "feasibility_study", "capacity_building"),
        ("built_infrastructure", "quality_environment", "safety_security"),
        "Japan's support for ASCN cities, led by MLIT: studies and technical assistance for smart city projects.",
    ),
    ProgrammeFact(
        "us-asean-scp",
        "U.S.-ASEAN Smart Cities Partnership",
        "us-department-of-state",
        ("capacity_building", "technical_assistance", "knowledge_sharing"),
        ("industry_innovation", "quality_environment", "civic_social"),
        "United States partnership with ASCN cities announced in 2018: technical assistance, training and exchanges.",
        2018,
    ),
    ProgrammeFact(
        "aasctf",
        "ASEAN-Australia Smart Cities Trust Fund",
        "dfat-australia",
        ("finance", "technical_assistance", "feasibility_study"),
        ("built_infrastructure", "quality_environment", "industry_innovation"),
        "Australian-funded trust fund, administered by the Asian Development Bank, helping ASEAN cities plan and "
        "deliver digital solutions.",
    ),
)


@dataclass(frozen=True)
class ProjectFact:
    """A project presented by a member city, with where it was presented."""

    key: str
    city: str
    title: str
    summary: str
    local_lang: str
    local_title: str
    local_summary: str
    focus_areas: tuple[str, ...]
    status: str
    systems: tuple[str, ...]
    source: str
    supported_by: tuple[str, ...] = field(default=())  # partner slugs


PRACTICES_2024: tuple[ProjectFact, ...] = (
    ProjectFact(
        "lorong-wisata",
        "makassar",
        "Lorong Wisata: neighbourhood alleys as green, tidy places to visit",
        "Makassar's residents turn their narrow neighbourhood alleys (lorong) into green, clean and welcoming "
        "places, managed by the neighbourhood and promoted as places to visit.",
        "id",
        "Lorong Wisata",
        "Warga Makassar mengubah lorong permukiman yang sempit menjadi ruang hijau, bersih dan ramah "
        "pengunjung, dikelola oleh warga dan dipromosikan sebagai tujuan wisata.",
        ("civic_social", "quality_environment"),
        "operational",
        ("lorong",),
        ANNUAL_MEETING_2024 + ": good practice presented by Makassar",
    ),
    ProjectFact(
        "smart-kampung",
        "banyuwangi",
        "Smart Kampung with Road Manager and Bike Sharing",
        "Banyuwangi's Smart Kampung brings digital public services to villages; road condition monitoring "
        "(Road Manager) and bike sharing extend it to the streets, supported by Japan's MLIT.",
        "id",
        "Smart Kampung dengan Road Manager dan Bike Sharing",
        "Smart Kampung Banyuwangi menghadirkan layanan publik digital di desa; pemantauan kondisi jalan "
        "(Road Manager) dan sepeda sewa memperluasnya ke jalan-jalan, didukung oleh MLIT Jepang.",
        ("civic_social", "built_infrastructure"),
        "operational",
        ("roads", "bikes"),
        ANNUAL_MEETING_2024 + ": good practice presented by Banyuwangi",
        ("mlit-japan",),
    ),
)


@dataclass(frozen=True)
class ClaimFact:
    """A figure as it was published: what it counts, its value, source and as-of date."""

    metric: str
    value: float
    qualifier: str
    source: str
    as_of: str
    note: str = ""


CLAIMS: tuple[ClaimFact, ...] = (
    ClaimFact(
        "projects",
        50,
        "about",
        ANNUAL_MEETING_2024 + ": report of the ASCN Shepherd (Indonesia)",
        "2024",
        "projects developed across the network",
    ),
    ClaimFact(
        "partnerships",
        40,
        "about",
        ANNUAL_MEETING_2024 + ": report of the ASCN Shepherd (Indonesia)",
        "2024",
        "partnerships formed",
    ),
    ClaimFact("member_cities", 26, "", ASCN_2018, "2018", "pilot cities"),
    ClaimFact("member_cities", 31, "", ASCN_2024_INTAKE, "2024", "after the 2024 intake"),
)
