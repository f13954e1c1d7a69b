"""The framework's vocabularies: codes, labels in either language, SDG targets, as-of dates."""

import pytest

from kotacerdas.ascn import framework
from kotacerdas.ascn.errors import AscnError


def test_six_focus_areas_of_the_asean_smart_cities_framework():
    assert list(framework.FOCUS_AREAS) == [
        "civic_social",
        "health_wellbeing",
        "safety_security",
        "quality_environment",
        "built_infrastructure",
        "industry_innovation",
    ]


def test_codes_are_read_from_codes_or_labels_in_both_languages():
    assert framework.check_code(framework.FOCUS_AREAS, "Civic and social", "f") == "civic_social"
    assert framework.check_code(framework.FOCUS_AREAS, "Kewargaan dan sosial", "f") == "civic_social"
    assert framework.check_code(framework.PARTNERSHIP_TYPES, "technical-assistance", "t") == "technical_assistance"
    assert framework.check_codes(framework.FOCUS_AREAS, ["Quality environment", "civic_social", ""], "f") == [
        "civic_social",
        "quality_environment",
    ]
    with pytest.raises(AscnError) as err:
        framework.check_code(framework.PROJECT_STATUSES, "dreaming", "status")
    assert err.value.field == "status" and "idea" in err.value.render("en")


def test_sdg_targets_and_as_of_dates():
    assert framework.check_sdg_targets(["11.2", "6.b", "3.10", " "]) == ["3.10", "6.b", "11.2"]
    with pytest.raises(AscnError):
        framework.check_sdg_targets(["18.1"])
    assert framework.check_as_of("2024") == "2024"
    assert framework.check_as_of("2024-07-18") == "2024-07-18"
    with pytest.raises(AscnError):
        framework.check_as_of("July 2024")
