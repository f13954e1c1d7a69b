"""Labelled queries for ``bench/ascn_search.py``: 48 queries (24 English, 24 Bahasa Indonesia) over the demo
knowledge base, each with its relevant practices graded 2 (answers the query) or 1 (related).

Many are cross-lingual on purpose: an Indonesian query whose answer is written in English, Thai or
Vietnamese, and the other way round. Written for this bench, not taken from any data set.
"""

from __future__ import annotations

#: (language, query, {practice slug: grade})
QUERIES: list[tuple[str, str, dict[str, int]]] = [
    # English queries
    (
        "en",
        "warn residents before rivers overflow",
        {"flood-early-warning-sensors": 2, "sistem-peringatan-banjir-warga": 2, "tram-bom-chong-ngap": 1},
    ),
    (
        "en",
        "recycling rewards for households that sort their rubbish",
        {"bank-sampah-digital": 2, "waste-collection-routing": 1},
    ),
    (
        "en",
        "doctors consulting patients in remote villages by video",
        {"telemedisin-puskesmas-desa": 2, "elderly-care-tablets": 1},
    ),
    ("en", "cashless payments for traditional market traders", {"pembayaran-digital-pasar": 2}),
    ("en", "reduce child stunting with nutrition data", {"data-stunting-desa": 2, "posyandu-digital": 1}),
    (
        "en",
        "citizens report potholes and broken street lights with an app",
        {"aplikasi-pengaduan-warga": 2, "survei-jalan-ponsel": 1},
    ),
    ("en", "bus arrival times shown at stops", {"informasi-bus-real-time": 2}),
    ("en", "measure road roughness with phones in patrol cars", {"survei-jalan-ponsel": 2}),
    ("en", "bike rental stations linking tourist sites", {"jalur-sepeda-sewa": 2}),
    ("en", "online shop for village small businesses", {"pasar-daring-umkm": 2, "youth-job-matching": 1}),
    ("en", "accessible pavements for wheelchair users", {"trotoar-ramah-disabilitas": 2}),
    ("en", "immunisation reminders for mothers and babies", {"posyandu-digital": 2, "data-stunting-desa": 1}),
    ("en", "fine dust sensors at schools", {"kualitas-udara-sekolah": 2, "pm25-air-quality-alerts": 2}),
    (
        "en",
        "haze and smoke pollution alerts from low-cost monitors",
        {"pm25-air-quality-alerts": 2, "kualitas-udara-sekolah": 1},
    ),
    (
        "en",
        "remote control of drainage pumps against tidal flooding",
        {"tram-bom-chong-ngap": 2, "flood-early-warning-sensors": 1},
    ),
    (
        "en",
        "city operations dashboard for the mayor",
        {"trung-tam-dieu-hanh-do-thi": 2, "public-safety-command-centre": 1},
    ),
    ("en", "internet access in village halls for online learning", {"wifi-desa-belajar": 2, "public-wifi-parks": 1}),
    ("en", "dispatching ambulances and police from one control room", {"public-safety-command-centre": 2}),
    ("en", "energy saving street lamps", {"smart-street-lighting": 2, "solar-rooftop-public-buildings": 1}),
    ("en", "finding water leaks in the distribution network", {"smart-water-meters": 2}),
    (
        "en",
        "planting trees to cool hot neighbourhoods",
        {"urban-heat-tree-mapping": 2, "mangrove-restoration-monitoring": 1},
    ),
    ("en", "turning food scraps from hotels into fertiliser", {"food-waste-composting": 2, "bank-sampah-digital": 1}),
    (
        "en",
        "volunteers upstream report water levels to villages downstream",
        {"sistem-peringatan-banjir-warga": 2, "flood-early-warning-sensors": 1},
    ),
    ("en", "transparent public tenders online", {"e-procurement-transparency": 2, "open-data-portal": 1}),
    # Bahasa Indonesia queries
    ("id", "lampu jalan hemat energi", {"smart-street-lighting": 2, "solar-rooftop-public-buildings": 1}),
    ("id", "lampu lalu lintas yang menyesuaikan antrean kendaraan", {"adaptive-traffic-signals": 2}),
    (
        "id",
        "pusat komando keamanan dengan kamera CCTV",
        {"public-safety-command-centre": 2, "trung-tam-dieu-hanh-do-thi": 1},
    ),
    ("id", "memantau pencemaran air sungai oleh pabrik", {"river-water-quality-monitoring": 2}),
    ("id", "bertani sayur di atap gedung parkir", {"rooftop-urban-farming": 2}),
    ("id", "izin usaha dan izin bangunan secara daring", {"one-stop-permit-portal": 2}),
    ("id", "inkubator perusahaan rintisan untuk masalah kota", {"startup-innovation-hub": 2}),
    ("id", "pemandu wisata digital di kota warisan budaya", {"heritage-digital-guide": 2, "lorong-wisata": 1}),
    ("id", "rute truk sampah yang lebih efisien", {"waste-collection-routing": 2}),
    ("id", "peringatan polusi debu halus PM2.5", {"pm25-air-quality-alerts": 2, "kualitas-udara-sekolah": 2}),
    ("id", "portal data terbuka anggaran dan kontrak", {"open-data-portal": 2, "e-procurement-transparency": 1}),
    ("id", "sensor parkir untuk mencari tempat kosong", {"smart-parking-sensors": 2}),
    ("id", "pompa drainase dan pintu air dikendalikan dari jarak jauh", {"tram-bom-chong-ngap": 2}),
    ("id", "kunjungan rumah lansia dengan tablet", {"elderly-care-tablets": 2, "telemedisin-puskesmas-desa": 1}),
    ("id", "penanaman kembali mangrove di pesisir", {"mangrove-restoration-monitoring": 2}),
    ("id", "panel surya di atap sekolah dan kantor pemerintah", {"solar-rooftop-public-buildings": 2}),
    ("id", "jalur evakuasi dan latihan bencana gempa", {"evacuation-maps-drills": 2}),
    ("id", "pemantauan demam berdarah dan jentik nyamuk", {"dengue-surveillance": 2}),
    ("id", "kebocoran air PDAM dan meter air pintar", {"smart-water-meters": 2}),
    ("id", "antrean rumah sakit dan rekam medis bersama", {"hospital-queue-records": 2}),
    ("id", "detektor kebakaran di pasar", {"market-fire-detection": 2}),
    ("id", "pajak bumi dan bangunan dengan peta bidang tanah", {"property-tax-gis": 2}),
    ("id", "bus listrik untuk angkutan kota", {"electric-city-buses": 2}),
    ("id", "mencocokkan lowongan kerja pabrik dengan pemuda", {"youth-job-matching": 2}),
]
