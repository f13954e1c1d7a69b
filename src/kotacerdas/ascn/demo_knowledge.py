"""The demo knowledge base: good practices written for the demo, each labelled demo, in English, Bahasa
Indonesia, Thai and Vietnamese.

They describe kinds of practice that member cities of the network commonly run, but they are not
reports of real projects: the demo loads every one with ``is_demo = True`` and a "demo" source.
The two practices the network really presented in 2024 are in :mod:`kotacerdas.ascn.facts`.
``bench/ascn_search.py`` measures retrieval on this set with labelled queries in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoPractice:
    slug: str
    city: str
    lang: str
    title: str
    summary: str
    lessons: str
    focus_areas: tuple[str, ...]


PRACTICES: tuple[DemoPractice, ...] = (
    DemoPractice(
        "flood-early-warning-sensors",
        "dki-jakarta",
        "en",
        "Flood early warning from river level sensors",
        "Water level gauges on rivers and canals send readings every five minutes to the city's control room. "
        "When a threshold is crossed, residents of the affected neighbourhoods get a text message and sirens "
        "sound near the river banks.",
        "Sensors need a maintenance budget from day one; alerts are trusted only when false alarms stay rare.",
        ("safety_security", "quality_environment"),
    ),
    DemoPractice(
        "bank-sampah-digital",
        "makassar",
        "id",
        "Bank sampah digital di tingkat kelurahan",
        "Warga menyetor sampah plastik, kertas dan logam yang sudah dipilah ke bank sampah kelurahan. Setoran "
        "ditimbang dan dicatat di aplikasi, lalu nilainya masuk ke tabungan warga yang bisa dipakai membayar "
        "listrik atau membeli sembako.",
        "Pemilahan di rumah tangga berhasil bila ada insentif yang langsung terasa dan pengangkutan yang rutin.",
        ("quality_environment", "civic_social"),
    ),
    DemoPractice(
        "one-stop-permit-portal",
        "da-nang",
        "en",
        "One-stop online portal for business and building permits",
        "Applicants submit permit requests, pay fees and follow each step online instead of visiting several "
        "offices. Each department sees the same file, and the average processing time is published every month.",
        "Publishing processing times pushed departments to simplify their own steps.",
        ("civic_social", "industry_innovation"),
    ),
    DemoPractice(
        "telemedisin-puskesmas-desa",
        "banyuwangi",
        "id",
        "Telemedisin dari puskesmas untuk desa terpencil",
        "Bidan dan perawat di desa terpencil berkonsultasi dengan dokter puskesmas melalui panggilan video. "
        "Pasien tidak perlu menempuh perjalanan jauh untuk pemeriksaan rutin, dan rujukan ke rumah sakit "
        "diputuskan lebih cepat.",
        "Koneksi internet desa dan jadwal dokter yang pasti lebih penting daripada perangkat yang mahal.",
        ("health_wellbeing",),
    ),
    DemoPractice(
        "smart-street-lighting",
        "johor-bahru",
        "en",
        "LED street lights that dim when streets are empty",
        "Old sodium street lamps were replaced with LED fittings that report faults and dim late at night "
        "when few people are around. The city pays for the replacement from the electricity it saves.",
        "An energy-performance contract let the city start without an up-front budget.",
        ("built_infrastructure", "quality_environment"),
    ),
    DemoPractice(
        "adaptive-traffic-signals",
        "bangkok",
        "en",
        "Adaptive traffic signals at congested junctions",
        "Cameras and loop detectors count vehicles approaching each junction, and signal timings adjust every "
        "cycle to the queues. Buses get a longer green when they are running late.",
        "Results depend on coordinating neighbouring junctions, not on optimising each one alone.",
        ("built_infrastructure", "safety_security"),
    ),
    DemoPractice(
        "informasi-bus-real-time",
        "dki-jakarta",
        "id",
        "Informasi kedatangan bus secara real-time di halte",
        "Setiap bus dilengkapi GPS sehingga posisi armada terlihat di pusat kendali. Penumpang melihat perkiraan "
        "waktu kedatangan di layar halte dan di aplikasi ponsel, sehingga waktu tunggu terasa lebih pendek.",
        "Data posisi yang terbuka membuat pengembang lokal ikut membuat aplikasi perjalanan.",
        ("built_infrastructure", "civic_social"),
    ),
    DemoPractice(
        "public-safety-command-centre",
        "davao-city",
        "en",
        "Public safety command centre linking cameras and emergency calls",
        "Emergency calls, street cameras and the positions of police, fire and ambulance teams are shown on one "
        "screen. Dispatchers send the nearest team and follow the response until the incident is closed.",
        "A single emergency number and shared procedures mattered as much as the technology.",
        ("safety_security",),
    ),
    DemoPractice(
        "river-water-quality-monitoring",
        "phnom-penh",
        "en",
        "Continuous water quality monitoring of the river",
        "Floating stations measure dissolved oxygen, turbidity and conductivity in the river and send the data "
        "to an open dashboard. Sudden changes point inspectors to illegal discharges from factories upstream.",
        "Open data invited universities to calibrate and interpret the readings.",
        ("quality_environment", "health_wellbeing"),
    ),
    DemoPractice(
        "rooftop-urban-farming",
        "singapore",
        "en",
        "Vegetable farms on the roofs of car parks",
        "Unused rooftops of multi-storey car parks are leased to small farming companies that grow leafy "
        "vegetables for nearby residents. Sensors control irrigation and the produce is sold in the estate.",
        "Short leases lowered the risk for the city and for the farmers while the model was tested.",
        ("quality_environment", "industry_innovation"),
    ),
    DemoPractice(
        "pembayaran-digital-pasar",
        "sumedang",
        "id",
        "Pembayaran non-tunai di pasar tradisional",
        "Pedagang pasar tradisional mendapat kode QR untuk menerima pembayaran dari dompet digital dan bank. "
        "Retribusi pasar juga dibayar secara non-tunai sehingga pencatatan pendapatan daerah lebih rapi.",
        "Pendampingan pedagang di los masing-masing lebih efektif daripada sosialisasi di balai desa.",
        ("industry_innovation", "civic_social"),
    ),
    DemoPractice(
        "startup-innovation-hub",
        "kuala-lumpur",
        "en",
        "City innovation hub pairing start-ups with city departments",
        "Departments publish problems they want solved, and start-ups propose pilots that run for three months "
        "with city data. Successful pilots move into regular procurement.",
        "A clear path from pilot to contract is what keeps good start-ups interested.",
        ("industry_innovation",),
    ),
    DemoPractice(
        "heritage-digital-guide",
        "luang-prabang",
        "en",
        "Digital guide to the heritage town for visitors",
        "Visitors scan signs at temples and old houses to read their history and the rules for respectful "
        "visits in several languages. Visitor counts help spread tourism beyond the busiest streets.",
        "Monks and residents were consulted on what should and should not be published.",
        ("civic_social", "industry_innovation"),
    ),
    DemoPractice(
        "waste-collection-routing",
        "cebu-city",
        "en",
        "Optimised routes for garbage collection trucks",
        "Collection trucks carry GPS trackers and bins in busy districts report how full they are. Routes are "
        "planned each morning so trucks skip half-empty bins and reach overflowing ones first.",
        "Drivers adopted the new routes once they were involved in testing them.",
        ("quality_environment", "built_infrastructure"),
    ),
    DemoPractice(
        "pm25-air-quality-alerts",
        "chiang-mai",
        "th",
        "ระบบเตือนภัยฝุ่น PM2.5 จากเครื่องวัดในชุมชน",
        "เครื่องวัดฝุ่นราคาประหยัดติดตั้งที่โรงเรียนและวัดทั่วเมือง ส่งค่าฝุ่น PM2.5 ทุกชั่วโมง "
        "เมื่อค่าฝุ่นสูง ประชาชนได้รับการแจ้งเตือนผ่านแอปพลิเคชันและโรงเรียนงดกิจกรรมกลางแจ้ง",
        "การเปรียบเทียบกับสถานีตรวจวัดมาตรฐานทำให้ข้อมูลน่าเชื่อถือ",
        ("health_wellbeing", "quality_environment"),
    ),
    DemoPractice(
        "data-stunting-desa",
        "sumedang",
        "id",
        "Data terpadu untuk menurunkan stunting",
        "Kader posyandu mencatat berat dan tinggi badan balita di aplikasi, lalu data desa digabung dengan data "
        "air bersih dan sanitasi. Dinas kesehatan melihat desa mana yang perlu intervensi gizi lebih dulu.",
        "Satu data yang dipakai semua dinas menghindari program yang tumpang tindih.",
        ("health_wellbeing", "civic_social"),
    ),
    DemoPractice(
        "aplikasi-pengaduan-warga",
        "makassar",
        "id",
        "Aplikasi pengaduan warga yang ditindaklanjuti dinas",
        "Warga melaporkan jalan berlubang, lampu mati atau sampah menumpuk lewat aplikasi dengan foto dan "
        "lokasi. Setiap laporan diteruskan ke dinas terkait dan warga bisa melihat status penyelesaiannya.",
        "Batas waktu tanggapan yang diumumkan membuat warga percaya laporan mereka dibaca.",
        ("civic_social",),
    ),
    DemoPractice(
        "open-data-portal",
        "manila",
        "en",
        "Open data portal of the city",
        "Budgets, contracts, permits and service statistics are published as downloadable datasets with a "
        "licence that allows reuse. Journalists and students use them to check spending.",
        "Each department names an owner for every dataset, or it goes stale.",
        ("civic_social", "industry_innovation"),
    ),
    DemoPractice(
        "smart-parking-sensors",
        "kota-kinabalu",
        "en",
        "Parking sensors that guide drivers to free bays",
        "Sensors in on-street bays detect parked cars, and signs and a phone app show where bays are free. "
        "Drivers pay by phone, and wardens check only the bays whose time has run out.",
        "Less cruising for parking cut congestion in the old town more than any new road would.",
        ("built_infrastructure", "industry_innovation"),
    ),
    DemoPractice(
        "tram-bom-chong-ngap",
        "ho-chi-minh-city",
        "vi",
        "Giám sát trạm bơm và cống chống ngập từ trung tâm điều hành",
        "Các trạm bơm và cửa cống được kết nối với trung tâm điều hành, mực nước được cập nhật liên tục. "
        "Khi triều cường hoặc mưa lớn, cán bộ vận hành bơm từ xa và cảnh báo người dân vùng trũng.",
        "Dữ liệu mực nước lịch sử giúp ưu tiên đầu tư cho các điểm ngập thường xuyên.",
        ("safety_security", "built_infrastructure"),
    ),
    DemoPractice(
        "wifi-desa-belajar",
        "banyuwangi",
        "id",
        "Wi-Fi desa untuk belajar dan layanan publik",
        "Balai desa dan sekolah mendapat akses internet gratis, sehingga anak-anak bisa belajar daring dan warga "
        "mengurus surat kependudukan tanpa ke kantor kabupaten.",
        "Perangkat desa yang dilatih menjadi pendamping warga membuat layanan daring benar-benar dipakai.",
        ("civic_social", "built_infrastructure"),
    ),
    DemoPractice(
        "elderly-care-tablets",
        "phuket",
        "en",
        "Home visits to older people supported by tablets",
        "Community health volunteers visit older residents living alone and record blood pressure, medication "
        "and mobility on a tablet. Nurses review the records and call families when risks rise.",
        "Simple forms in the local language kept the volunteers using the tablets.",
        ("health_wellbeing", "civic_social"),
    ),
    DemoPractice(
        "mangrove-restoration-monitoring",
        "rayong",
        "en",
        "Mangrove replanting monitored with drones",
        "Fishing communities replant mangroves along the coast and drones map the survival of the seedlings "
        "every quarter. The maps show where waves or pollution kill young trees.",
        "Paying communities for surviving trees, not for trees planted, improved survival.",
        ("quality_environment",),
    ),
    DemoPractice(
        "solar-rooftop-public-buildings",
        "vientiane",
        "en",
        "Solar panels on schools and public offices",
        "Solar panels on the roofs of schools and government offices supply daytime electricity, and smart "
        "meters show each building's savings. Savings fund the maintenance of the panels.",
        "Pooling many small roofs into one tender lowered the price per panel.",
        ("quality_environment", "built_infrastructure"),
    ),
    DemoPractice(
        "jalur-sepeda-sewa",
        "banyuwangi",
        "id",
        "Jalur sepeda dan sepeda sewa antar-destinasi",
        "Stasiun sepeda sewa dipasang di alun-alun, pantai dan pasar, dihubungkan dengan jalur sepeda yang "
        "ditandai. Wisatawan dan pelajar menyewa dengan pembayaran QRIS dan mengembalikan sepeda di stasiun lain.",
        "Jalur yang aman lebih menentukan jumlah pengguna daripada harga sewa.",
        ("built_infrastructure", "health_wellbeing"),
    ),
    DemoPractice(
        "survei-jalan-ponsel",
        "banyuwangi",
        "id",
        "Survei kerataan jalan dengan ponsel di kendaraan dinas",
        "Ponsel yang dipasang di kendaraan patroli merekam getaran dan posisi, lalu menghitung indeks kekasaran "
        "jalan (IRI) per ruas. Peta kondisi jalan membantu dinas memilih ruas yang diperbaiki lebih dulu.",
        "Kalibrasi tiap kendaraan penting agar hasil dari kendaraan berbeda bisa dibandingkan.",
        ("built_infrastructure",),
    ),
    DemoPractice(
        "evacuation-maps-drills",
        "cebu-city",
        "en",
        "Evacuation maps and drills for typhoons and earthquakes",
        "Each barangay has a map of hazard zones, evacuation routes and shelters, printed and online. Yearly "
        "drills test the routes and the shelter capacity with schools and businesses.",
        "Drills revealed shelters that were themselves in flood zones.",
        ("safety_security", "civic_social"),
    ),
    DemoPractice(
        "dengue-surveillance",
        "yangon",
        "en",
        "Dengue surveillance with mosquito larvae reports",
        "Health workers and volunteers report mosquito breeding sites and dengue cases on a phone form, and a map "
        "shows clusters by ward. Fogging and clean-up campaigns go first to the wards with rising cases.",
        "Weekly feedback to volunteers kept them reporting through the rainy season.",
        ("health_wellbeing",),
    ),
    DemoPractice(
        "smart-water-meters",
        "mandalay",
        "en",
        "Smart water meters to find leaks and unbilled water",
        "District meters and smart household meters show where more water enters a district than customers "
        "pay for. Repair crews go to the districts with the largest losses.",
        "Finding leaks paid for the meters within a few years.",
        ("built_infrastructure", "quality_environment"),
    ),
    DemoPractice(
        "e-procurement-transparency",
        "kuching",
        "en",
        "Electronic procurement with published contract awards",
        "Tenders are announced, submitted and evaluated online, and every award is published with its price and "
        "supplier. Small local firms can bid without travelling to the city hall.",
        "Training small suppliers in online bidding widened competition.",
        ("civic_social", "industry_innovation"),
    ),
    DemoPractice(
        "pasar-daring-umkm",
        "banyuwangi",
        "id",
        "Pasar daring untuk produk UMKM desa",
        "Produk kerajinan, kopi dan makanan olahan dari desa dipasarkan lewat toko daring milik daerah. "
        "Pemerintah membantu foto produk, pengemasan dan pengiriman sehingga usaha kecil menjangkau pembeli "
        "di luar daerah.",
        "Kurasi produk dan pengiriman yang andal lebih penting daripada jumlah produk.",
        ("industry_innovation",),
    ),
    DemoPractice(
        "hospital-queue-records",
        "khon-kaen",
        "en",
        "Shared patient records and online queues for hospitals",
        "Patients book a queue number from their phone and clinics share one electronic record per patient, so "
        "tests are not repeated when they move between health centres and the hospital.",
        "Agreement on data standards between clinics came before any software.",
        ("health_wellbeing",),
    ),
    DemoPractice(
        "trung-tam-dieu-hanh-do-thi",
        "hanoi",
        "vi",
        "Trung tâm điều hành đô thị thông minh",
        "Dữ liệu giao thông, môi trường, phản ánh của người dân và dịch vụ công được hiển thị trên một bảng "
        "điều khiển. Lãnh đạo thành phố theo dõi chỉ số hằng ngày và giao việc cho các sở ngành.",
        "Chỉ số rõ ràng cho từng sở giúp trung tâm không chỉ là màn hình trình diễn.",
        ("civic_social", "safety_security"),
    ),
    DemoPractice(
        "urban-heat-tree-mapping",
        "kuala-lumpur",
        "en",
        "Mapping urban heat to plant shade trees",
        "Satellite surface temperatures and street surveys show the hottest neighbourhoods, and tree planting "
        "goes first to streets where people walk to schools and bus stops.",
        "Residents' requests for trees were a useful second source beside the heat maps.",
        ("quality_environment", "health_wellbeing"),
    ),
    DemoPractice(
        "market-fire-detection",
        "battambang",
        "en",
        "Fire detectors in the central market",
        "Wireless smoke and heat detectors in market stalls alert the fire brigade and the market manager at "
        "night. Stall holders were trained to use extinguishers placed along every aisle.",
        "Insurance companies offered lower premiums once detectors were installed.",
        ("safety_security",),
    ),
    DemoPractice(
        "food-waste-composting",
        "siem-reap",
        "en",
        "Composting food waste from hotels and restaurants",
        "Hotels and restaurants separate food waste, which is collected daily and composted at a site outside "
        "the town. Farmers buy the compost and hotels pay less for waste collection.",
        "A steady buyer for the compost made the service pay for itself.",
        ("quality_environment", "industry_innovation"),
    ),
    DemoPractice(
        "property-tax-gis",
        "sihanoukville",
        "en",
        "Land parcels and property tax on one map",
        "Parcels, buildings and tax records are joined in a geographic information system, and field teams "
        "update buildings from aerial photos. Unregistered buildings are added to the tax roll.",
        "Explaining to owners what the tax pays for reduced disputes.",
        ("civic_social", "built_infrastructure"),
    ),
    DemoPractice(
        "public-wifi-parks",
        "bandar-seri-begawan",
        "en",
        "Free public Wi-Fi in parks and markets",
        "Parks, markets and the waterfront offer free Wi-Fi with a simple sign-in. Usage statistics show which "
        "places people use most and at what times.",
        "Clear privacy rules for the sign-in data were needed before launch.",
        ("civic_social", "built_infrastructure"),
    ),
    DemoPractice(
        "electric-city-buses",
        "nay-pyi-taw",
        "en",
        "Electric buses on city routes",
        "Electric buses replace diesel buses on the main routes and charge overnight at the depot. Operators "
        "compare energy costs and breakdowns with the old fleet each month.",
        "Depot charging capacity limited the fleet more than the price of the buses.",
        ("quality_environment", "built_infrastructure"),
    ),
    DemoPractice(
        "youth-job-matching",
        "chonburi",
        "en",
        "Job matching platform for young people and local industry",
        "Factories in the industrial estates post vacancies and training places, and young job seekers build a "
        "profile with their skills. Vocational colleges adjust courses to the skills most in demand.",
        "Employers' feedback on graduates was the most valuable data the platform produced.",
        ("industry_innovation", "civic_social"),
    ),
    DemoPractice(
        "trotoar-ramah-disabilitas",
        "dki-jakarta",
        "id",
        "Trotoar ramah penyandang disabilitas",
        "Trotoar diperlebar, diberi ubin pemandu dan ram di setiap penyeberangan. Penyandang disabilitas ikut "
        "menguji rancangan sebelum dibangun di seluruh koridor.",
        "Melibatkan pengguna sejak rancangan mencegah pembongkaran ulang yang mahal.",
        ("built_infrastructure", "civic_social"),
    ),
    DemoPractice(
        "posyandu-digital",
        "makassar",
        "id",
        "Posyandu digital untuk ibu hamil dan balita",
        "Jadwal imunisasi, pemeriksaan kehamilan dan tumbuh kembang balita dicatat secara digital oleh kader "
        "posyandu. Ibu mendapat pengingat jadwal lewat pesan singkat.",
        "Pengingat jadwal menaikkan kehadiran imunisasi lebih dari kampanye umum.",
        ("health_wellbeing",),
    ),
    DemoPractice(
        "kualitas-udara-sekolah",
        "dki-jakarta",
        "id",
        "Sensor kualitas udara di sekolah",
        "Sensor debu halus dipasang di halaman sekolah dan hasilnya tampil di papan informasi. Guru menunda "
        "olahraga di luar kelas ketika polusi udara tinggi.",
        "Data dari sekolah sendiri membuat orang tua lebih peduli pada polusi udara.",
        ("health_wellbeing", "quality_environment"),
    ),
    DemoPractice(
        "sistem-peringatan-banjir-warga",
        "sumedang",
        "id",
        "Peringatan dini banjir berbasis warga",
        "Relawan di hulu sungai melaporkan tinggi muka air dan curah hujan lewat grup pesan dan aplikasi. "
        "Petugas kebencanaan meneruskan peringatan ke desa-desa di hilir sebelum air datang.",
        "Relawan yang dilatih dan dihargai tetap aktif melapor bertahun-tahun.",
        ("safety_security", "civic_social"),
    ),
)

#: English titles of the practices written in another language (a project has its title in English too).
ENGLISH_TITLES: dict[str, str] = {
    "bank-sampah-digital": "Digital waste banks in every neighbourhood",
    "telemedisin-puskesmas-desa": "Telemedicine from health centres to remote villages",
    "informasi-bus-real-time": "Real-time bus arrival information at stops",
    "pembayaran-digital-pasar": "Cashless payments in traditional markets",
    "pm25-air-quality-alerts": "PM2.5 alerts from community air sensors",
    "data-stunting-desa": "Joined-up data to reduce stunting",
    "aplikasi-pengaduan-warga": "Citizen complaints app followed up by departments",
    "tram-bom-chong-ngap": "Pumping stations and flood gates run from the operations centre",
    "wifi-desa-belajar": "Village Wi-Fi for learning and public services",
    "jalur-sepeda-sewa": "Cycle lanes and bike sharing between destinations",
    "survei-jalan-ponsel": "Road roughness surveys with phones in official vehicles",
    "pasar-daring-umkm": "Online market for village small businesses",
    "trung-tam-dieu-hanh-do-thi": "Smart city operations centre",
    "trotoar-ramah-disabilitas": "Pavements for people with disabilities",
    "posyandu-digital": "Digital health posts for mothers and young children",
    "kualitas-udara-sekolah": "Air quality sensors at schools",
    "sistem-peringatan-banjir-warga": "Community flood early warning",
}
