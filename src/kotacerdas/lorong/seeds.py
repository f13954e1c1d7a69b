"""The two programmes the module ships with: Lorong Wisata (Kota Makassar) and Smart Kampung (Banyuwangi).

A programme is data, not code: its themes, indicators, grades and scoring weights are rows
that a programme admin edits (``kotacerdas lorong programme ...`` or the API). These seeds are
what a city starts from.

**Lorong Wisata's 21 themes are the project's reading of public reports.** No official list of
all 21 content themes is published. Public reports by the City of Makassar and the press name:
food security, inflation control, circular economy, urban farming, city parks, social
mitigation, new tourist destinations, culinary and history destinations, art, 20 digital UMKM
per lorong, lorong start-ups and UMKM development (the first thirteen themes below, marked
``named_in_reports``). The other eight (health, reading corners, safety, cleanliness, sport,
disaster preparedness, digital access, child-friendly lorong) are activities the same reports
describe lorong doing, grouped by this project into themes to make 21. A city edits, adds or
retires themes as its programme changes.

**Smart Kampung** is Banyuwangi's village evaluation: its seven dimensions (public service,
economic empowerment, health, education and arts-culture, human resources, poverty
alleviation, legal and information literacy) are its themes; each desa and kelurahan is graded
maju, berkembang or kurang. The indicators under each dimension are this project's examples.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: How a value aggregates over time (several periods of one unit) and over an area (several units).
TIME_AGGREGATIONS = ("sum", "mean", "last", "max")
AREA_AGGREGATIONS = ("sum", "mean")
FREQUENCIES = ("month", "quarter", "year")


@dataclass(frozen=True)
class IndicatorSeed:
    """An indicator: what is measured, in which unit, how often, against which target and how it adds up."""

    code: str
    name_id: str
    name_en: str
    unit: str
    target: float
    frequency: str = "month"
    time_agg: str = "sum"
    area_agg: str = "sum"
    higher_is_better: bool = True
    evidence_required: bool = False
    weight: float = 1.0


@dataclass(frozen=True)
class ThemeSeed:
    """A content theme (or, for Smart Kampung, an evaluation dimension) with its indicators."""

    code: str
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    keywords: tuple[str, ...] = ()
    indicators: tuple[IndicatorSeed, ...] = ()
    weight: float = 1.0
    named_in_reports: bool = False


@dataclass(frozen=True)
class GradeRule:
    """A grade and the lowest score (0..100) that earns it."""

    grade: str
    min_score: float


@dataclass(frozen=True)
class ProgrammeSeed:
    """A neighbourhood programme as a city starts it."""

    code: str
    city: str
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    unit_label_id: str
    unit_label_en: str
    unit_level: str
    period: str
    grades: tuple[GradeRule, ...]
    themes: tuple[ThemeSeed, ...] = field(default_factory=tuple)
    due_days: int = 10
    score_periods: int = 12


I = IndicatorSeed  # noqa: E741 - short name for the tables below
T = ThemeSeed

LORONG_WISATA_THEMES: tuple[ThemeSeed, ...] = (
    T(
        "ketahanan-pangan",
        "Ketahanan pangan",
        "Food security",
        "Pangan untuk warga lorong: kebun keluarga, lumbung dan dapur bersama.",
        "Food for the lorong's residents: family gardens, food stores and shared kitchens.",
        ("pangan", "food", "kebun", "garden"),
        (
            I(
                "rumah-tangga-kebun",
                "Rumah tangga dengan kebun pangan",
                "Households with a food garden",
                "KK",
                20,
                time_agg="last",
            ),
            I("panen-pangan", "Hasil panen pangan", "Food harvested", "kg", 30, evidence_required=True),
        ),
        named_in_reports=True,
    ),
    T(
        "pengendalian-inflasi",
        "Pengendalian inflasi",
        "Inflation control",
        "Pemantauan harga bahan pokok dan pasar murah di lorong.",
        "Watching staple food prices and holding low-price markets in the lorong.",
        ("harga", "price", "inflasi", "inflation", "pasar"),
        (
            I("laporan-harga", "Laporan harga bahan pokok", "Staple price reports", "laporan", 4),
            I("pasar-murah", "Hari pasar murah", "Low-price market days", "hari", 1),
        ),
        named_in_reports=True,
    ),
    T(
        "ekonomi-sirkular",
        "Ekonomi sirkular",
        "Circular economy",
        "Bank sampah, daur ulang dan pengurangan sampah dari rumah.",
        "Waste banks, recycling and less waste from every home.",
        ("sampah", "waste", "daur ulang", "recycling", "bank sampah"),
        (
            I(
                "sampah-terpilah",
                "Sampah terpilah disetor ke bank sampah",
                "Sorted waste deposited at the waste bank",
                "kg",
                150,
            ),
            I("penabung-aktif", "Penabung bank sampah aktif", "Active waste-bank savers", "orang", 30, time_agg="last"),
            I("nilai-tabungan", "Nilai setoran bank sampah", "Value of waste-bank deposits", "Rp", 300_000),
        ),
        weight=1.5,
        named_in_reports=True,
    ),
    T(
        "urban-farming",
        "Urban farming",
        "Urban farming",
        "Tanaman di pot, dinding dan atap lorong; hidroponik dan kolam ikan.",
        "Plants in pots, on walls and roofs; hydroponics and fish ponds.",
        ("urban farming", "tanaman", "plants", "hidroponik", "hydroponics"),
        (
            I("luas-tanam", "Luas tanam", "Planted area", "m²", 50, time_agg="last", area_agg="sum"),
            I("panen-urban", "Hasil panen urban farming", "Urban farming harvest", "kg", 20, evidence_required=True),
        ),
        named_in_reports=True,
    ),
    T(
        "taman-kota",
        "Taman kota",
        "City parks",
        "Ruang hijau lorong: taman kecil, pohon peneduh dan tempat duduk.",
        "The lorong's green space: small parks, shade trees and seating.",
        ("taman", "park", "hijau", "green"),
        (
            I("ruang-hijau", "Luas ruang hijau", "Green area", "m²", 40, time_agg="last"),
            I("pohon-ditanam", "Pohon ditanam", "Trees planted", "pohon", 2),
        ),
        named_in_reports=True,
    ),
    T(
        "mitigasi-sosial",
        "Mitigasi sosial",
        "Social mitigation",
        "Warga rentan dijangkau, konflik dicegah, bantuan disalurkan.",
        "Vulnerable residents reached, conflicts prevented, aid delivered.",
        ("sosial", "social", "bantuan", "aid"),
        (
            I("warga-rentan-dibantu", "Warga rentan dibantu", "Vulnerable residents assisted", "orang", 10),
            I("musyawarah", "Musyawarah warga", "Residents' meetings", "kali", 1),
        ),
        named_in_reports=True,
    ),
    T(
        "destinasi-wisata-baru",
        "Destinasi wisata baru",
        "New tourist destination",
        "Lorong sebagai tujuan wisata: atraksi, acara dan pemandu warga.",
        "The lorong as a destination: attractions, events and resident guides.",
        ("wisata", "tourism", "destinasi", "destination"),
        (
            I("pengunjung", "Pengunjung", "Visitors", "orang", 200),
            I("acara-wisata", "Acara wisata", "Tourism events", "acara", 1),
        ),
        named_in_reports=True,
    ),
    T(
        "destinasi-kuliner",
        "Destinasi kuliner",
        "Culinary destination",
        "Makanan khas lorong: warung, jajanan dan resep warga.",
        "The lorong's food: stalls, snacks and residents' recipes.",
        ("kuliner", "culinary", "makanan", "food", "warung"),
        (
            I("gerai-kuliner", "Gerai kuliner aktif", "Active food stalls", "gerai", 5, time_agg="last"),
            I("pengunjung-kuliner", "Pengunjung kuliner", "Culinary visitors", "orang", 150),
        ),
        named_in_reports=True,
    ),
    T(
        "destinasi-sejarah",
        "Destinasi sejarah",
        "History destination",
        "Bangunan, cerita dan tokoh bersejarah lorong, didokumentasikan dan dipandu.",
        "The lorong's historic buildings, stories and people, documented and guided.",
        ("sejarah", "history", "heritage", "cagar budaya"),
        (
            I(
                "situs-sejarah",
                "Situs sejarah terdokumentasi",
                "Historic sites documented",
                "situs",
                2,
                time_agg="last",
            ),
            I("tur-sejarah", "Tur sejarah dipandu", "Guided history tours", "tur", 2),
        ),
        named_in_reports=True,
    ),
    T(
        "seni",
        "Seni",
        "Art",
        "Mural, pertunjukan dan sanggar seni di lorong.",
        "Murals, performances and art studios in the lorong.",
        ("seni", "art", "mural", "musik", "music"),
        (
            I("mural", "Mural", "Murals", "mural", 3, time_agg="last", evidence_required=True),
            I("acara-seni", "Acara seni", "Art events", "acara", 1),
        ),
        named_in_reports=True,
    ),
    T(
        "umkm-digital",
        "20 UMKM digital per lorong",
        "20 digital UMKM per lorong",
        "Usaha warga yang berjualan daring: target 20 per lorong.",
        "Residents' businesses selling online: a target of 20 per lorong.",
        ("umkm", "digital", "online", "daring", "toko"),
        (
            I("umkm-digital", "UMKM digital", "Digital UMKM", "usaha", 20, time_agg="last", weight=2.0),
            I("penjualan-daring", "Penjualan daring UMKM", "UMKM online sales", "Rp", 5_000_000),
        ),
        weight=1.5,
        named_in_reports=True,
    ),
    T(
        "startup-lorong",
        "Start-up lorong",
        "Lorong start-ups",
        "Usaha rintisan warga dengan pendampingan.",
        "Residents' start-ups, with mentoring.",
        ("startup", "start-up", "rintisan"),
        (I("startup", "Start-up aktif", "Active start-ups", "usaha", 1, time_agg="last"),),
        named_in_reports=True,
    ),
    T(
        "pengembangan-umkm",
        "Pengembangan UMKM",
        "UMKM development",
        "Pelatihan, perizinan (NIB) dan pemasaran usaha warga.",
        "Training, licences (NIB) and marketing for residents' businesses.",
        ("umkm", "usaha", "business", "pelatihan", "training"),
        (
            I("umkm-dilatih", "UMKM dilatih", "UMKM trained", "usaha", 3),
            I("umkm-nib", "UMKM ber-NIB", "UMKM with a business licence (NIB)", "usaha", 10, time_agg="last"),
        ),
        named_in_reports=True,
    ),
    T(
        "lorong-sehat",
        "Lorong sehat",
        "Healthy lorong",
        "Posyandu, senam dan pencegahan stunting.",
        "Health posts, exercise and stunting prevention.",
        ("kesehatan", "health", "posyandu", "stunting"),
        (
            I("posyandu", "Kegiatan posyandu", "Health-post sessions", "kali", 1),
            I(
                "balita-stunting",
                "Balita stunting",
                "Stunted children under five",
                "anak",
                0,
                time_agg="last",
                higher_is_better=False,
            ),
        ),
    ),
    T(
        "pojok-baca",
        "Pojok baca",
        "Reading corner",
        "Taman baca dan kegiatan literasi anak dan warga.",
        "Reading corners and literacy activities for children and adults.",
        ("literasi", "literacy", "buku", "books", "baca", "reading"),
        (
            I("koleksi-buku", "Koleksi buku", "Books in the reading corner", "buku", 100, time_agg="last"),
            I("kegiatan-baca", "Kegiatan membaca", "Reading sessions", "kali", 4),
        ),
    ),
    T(
        "lorong-aman",
        "Lorong aman",
        "Safe lorong",
        "CCTV, ronda dan penerangan lorong.",
        "CCTV, night watch and lighting.",
        ("keamanan", "safety", "cctv", "ronda"),
        (
            I("cctv-aktif", "Titik CCTV aktif", "Working CCTV points", "titik", 2, time_agg="last"),
            I(
                "kejadian-keamanan",
                "Kejadian gangguan keamanan",
                "Security incidents",
                "kejadian",
                0,
                higher_is_better=False,
            ),
        ),
    ),
    T(
        "lorong-bersih",
        "Lorong bersih",
        "Clean lorong",
        "Kerja bakti, tempat sampah terpilah dan saluran yang lancar.",
        "Clean-up days, sorted bins and clear drains.",
        ("kebersihan", "clean", "lingkungan", "environment"),
        (
            I("kerja-bakti", "Kerja bakti", "Clean-up days", "kali", 2, evidence_required=True),
            I(
                "titik-buang-liar",
                "Titik buang sampah liar",
                "Illegal dumping points",
                "titik",
                0,
                time_agg="last",
                higher_is_better=False,
            ),
        ),
    ),
    T(
        "olahraga",
        "Olahraga dan kepemudaan",
        "Sport and youth",
        "Olahraga warga dan kegiatan pemuda.",
        "Residents' sport and youth activities.",
        ("olahraga", "sport", "pemuda", "youth"),
        (I("kegiatan-olahraga", "Kegiatan olahraga", "Sport sessions", "kali", 4),),
    ),
    T(
        "siaga-bencana",
        "Siaga bencana",
        "Disaster preparedness",
        "Latihan evakuasi, alat pemadam dan jalur evakuasi.",
        "Evacuation drills, fire extinguishers and evacuation routes.",
        ("bencana", "disaster", "banjir", "flood", "kebakaran", "fire"),
        (
            I("simulasi-bencana", "Simulasi bencana", "Disaster drills", "kali", 1, frequency="quarter"),
            I("apar", "Alat pemadam api ringan", "Fire extinguishers", "unit", 2, time_agg="last"),
        ),
    ),
    T(
        "lorong-digital",
        "Lorong digital",
        "Digital lorong",
        "Akses internet warga dan layanan publik daring.",
        "Residents' internet access and online public services.",
        ("internet", "digital", "wifi"),
        (
            I(
                "akses-internet",
                "Rumah tangga dengan akses internet",
                "Households with internet access",
                "%",
                80,
                time_agg="last",
                area_agg="mean",
            ),
        ),
    ),
    T(
        "ramah-anak",
        "Lorong ramah anak",
        "Child-friendly lorong",
        "Ruang bermain aman dan kegiatan anak.",
        "Safe play space and children's activities.",
        ("anak", "children", "bermain", "play"),
        (I("kegiatan-anak", "Kegiatan anak", "Children's activities", "kali", 2),),
    ),
)

SMART_KAMPUNG_THEMES: tuple[ThemeSeed, ...] = (
    T(
        "pelayanan-publik",
        "Pelayanan publik",
        "Public service",
        "Layanan administrasi desa yang cepat, daring dan terbuka.",
        "Fast, online and open village administration services.",
        ("layanan", "service"),
        (
            I(
                "layanan-daring",
                "Jenis layanan daring",
                "Online service types",
                "layanan",
                10,
                frequency="quarter",
                time_agg="last",
            ),
            I(
                "waktu-layanan",
                "Rata-rata waktu layanan",
                "Mean service time",
                "hari",
                1,
                frequency="quarter",
                time_agg="mean",
                area_agg="mean",
                higher_is_better=False,
            ),
        ),
        named_in_reports=True,
    ),
    T(
        "pemberdayaan-ekonomi",
        "Pemberdayaan ekonomi",
        "Economic empowerment",
        "BUMDes, UMKM dan pasar desa.",
        "Village-owned enterprises (BUMDes), small businesses and village markets.",
        ("ekonomi", "economy", "bumdes", "umkm"),
        (
            I("pendapatan-bumdes", "Pendapatan BUMDes", "BUMDes revenue", "Rp", 50_000_000, frequency="quarter"),
            I("umkm-dibina", "UMKM dibina", "Small businesses assisted", "usaha", 15, frequency="quarter"),
        ),
        named_in_reports=True,
    ),
    T(
        "kesehatan",
        "Kesehatan",
        "Health",
        "Posyandu, jaminan kesehatan dan pencegahan stunting.",
        "Health posts, health insurance and stunting prevention.",
        ("kesehatan", "health"),
        (
            I(
                "cakupan-jkn",
                "Cakupan JKN",
                "Health insurance (JKN) coverage",
                "%",
                95,
                frequency="quarter",
                time_agg="last",
                area_agg="mean",
            ),
            I(
                "prevalensi-stunting",
                "Prevalensi stunting",
                "Stunting prevalence",
                "%",
                14,
                frequency="quarter",
                time_agg="last",
                area_agg="mean",
                higher_is_better=False,
            ),
        ),
        named_in_reports=True,
    ),
    T(
        "pendidikan-seni-budaya",
        "Pendidikan dan seni budaya",
        "Education and arts-culture",
        "Sekolah, taman baca dan kegiatan seni budaya desa.",
        "Schools, reading gardens and the village's arts and culture.",
        ("pendidikan", "education", "budaya", "culture", "seni", "art"),
        (
            I(
                "partisipasi-sekolah",
                "Angka partisipasi sekolah",
                "School participation rate",
                "%",
                98,
                frequency="quarter",
                time_agg="last",
                area_agg="mean",
            ),
            I("acara-budaya", "Acara seni budaya", "Arts and culture events", "acara", 2, frequency="quarter"),
        ),
        named_in_reports=True,
    ),
    T(
        "peningkatan-sdm",
        "Peningkatan SDM",
        "Human resources",
        "Pelatihan aparatur dan warga.",
        "Training for village officials and residents.",
        ("pelatihan", "training", "sdm"),
        (I("peserta-pelatihan", "Peserta pelatihan", "Training participants", "orang", 40, frequency="quarter"),),
        named_in_reports=True,
    ),
    T(
        "pengentasan-kemiskinan",
        "Pengentasan kemiskinan",
        "Poverty alleviation",
        "Bantuan tepat sasaran dan keluarga yang keluar dari kemiskinan.",
        "Well-targeted aid and families leaving poverty.",
        ("kemiskinan", "poverty", "bantuan", "aid"),
        (
            I("keluarga-dibantu", "Keluarga miskin dibantu", "Poor families assisted", "KK", 25, frequency="quarter"),
            I(
                "angka-kemiskinan",
                "Angka kemiskinan",
                "Poverty rate",
                "%",
                7,
                frequency="quarter",
                time_agg="last",
                area_agg="mean",
                higher_is_better=False,
            ),
        ),
        named_in_reports=True,
    ),
    T(
        "literasi-hukum-informasi",
        "Literasi hukum dan informasi",
        "Legal and information literacy",
        "Pos bantuan hukum, keterbukaan informasi dan sosialisasi.",
        "Legal aid posts, open information and outreach.",
        ("hukum", "law", "informasi", "information"),
        (
            I("sosialisasi-hukum", "Sosialisasi hukum", "Legal outreach sessions", "kali", 2, frequency="quarter"),
            I(
                "informasi-terbuka",
                "Dokumen publik diterbitkan",
                "Public documents published",
                "dokumen",
                6,
                frequency="quarter",
            ),
        ),
        named_in_reports=True,
    ),
)

LORONG_WISATA = ProgrammeSeed(
    code="lorong-wisata",
    city="73.71",
    name_id="Lorong Wisata",
    name_en="Lorong Wisata (tourism alleys)",
    description_id="Program Kota Makassar: lorong menjadi ruang bersama warga dengan 21 tema konten.",
    description_en="The City of Makassar's programme: alleys become community spaces working on 21 content themes.",
    unit_label_id="Lorong",
    unit_label_en="Lorong",
    unit_level="lorong",
    period="month",
    grades=(GradeRule("A", 80), GradeRule("B", 60), GradeRule("C", 0)),
    themes=LORONG_WISATA_THEMES,
)

SMART_KAMPUNG = ProgrammeSeed(
    code="smart-kampung",
    city="35.10",
    name_id="Smart Kampung",
    name_en="Smart Kampung",
    description_id="Evaluasi desa dan kelurahan Kabupaten Banyuwangi pada tujuh dimensi.",
    description_en="Kabupaten Banyuwangi's evaluation of its desa and kelurahan on seven dimensions.",
    unit_label_id="Desa / kelurahan",
    unit_label_en="Village",
    unit_level="village",
    period="quarter",
    grades=(GradeRule("maju", 75), GradeRule("berkembang", 50), GradeRule("kurang", 0)),
    themes=SMART_KAMPUNG_THEMES,
    due_days=20,
    score_periods=4,
)

PROGRAMMES: dict[str, ProgrammeSeed] = {p.code: p for p in (LORONG_WISATA, SMART_KAMPUNG)}
DEFAULT_PROGRAMME = LORONG_WISATA.code
