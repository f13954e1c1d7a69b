"""The two seeded programmes: Lorong Wisata's 21 themes and Smart Kampung's seven dimensions."""

from kotacerdas.lorong import seeds


def test_lorong_wisata_has_21_themes_with_both_languages():
    themes = seeds.LORONG_WISATA.themes
    assert len(themes) == 21
    assert len({t.code for t in themes}) == 21
    for t in themes:
        assert t.name_id and t.name_en and t.description_id and t.description_en
        assert t.indicators, t.code


def test_the_themes_named_in_public_reports_come_first_and_are_marked():
    named = [t.code for t in seeds.LORONG_WISATA.themes if t.named_in_reports]
    assert named == [t.code for t in seeds.LORONG_WISATA.themes[:13]]
    names = {t.name_en for t in seeds.LORONG_WISATA.themes}
    for wanted in (
        "Food security",
        "Inflation control",
        "Circular economy",
        "Urban farming",
        "City parks",
        "Social mitigation",
        "New tourist destination",
        "Culinary destination",
        "History destination",
        "Art",
        "20 digital UMKM per lorong",
        "Lorong start-ups",
        "UMKM development",
    ):
        assert wanted in names


def test_smart_kampung_seven_dimensions_and_grades():
    sk = seeds.SMART_KAMPUNG
    assert [t.name_en for t in sk.themes] == [
        "Public service",
        "Economic empowerment",
        "Health",
        "Education and arts-culture",
        "Human resources",
        "Poverty alleviation",
        "Legal and information literacy",
    ]
    assert [g.grade for g in sk.grades] == ["maju", "berkembang", "kurang"]
    assert sk.unit_level == "village" and sk.period == "quarter"


def test_indicator_codes_are_unique_and_rules_valid():
    for prog in seeds.PROGRAMMES.values():
        codes = [i.code for t in prog.themes for i in t.indicators]
        assert len(codes) == len(set(codes))
        for t in prog.themes:
            for i in t.indicators:
                assert i.time_agg in seeds.TIME_AGGREGATIONS and i.area_agg in seeds.AREA_AGGREGATIONS
                assert i.frequency in seeds.FREQUENCIES and i.weight >= 0
    lower = [i.code for t in seeds.LORONG_WISATA.themes for i in t.indicators if not i.higher_is_better]
    assert "balita-stunting" in lower
