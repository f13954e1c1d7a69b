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


def test_currencies_and_countries_are_checked_against_iso_lists():
    assert framework.check_currency(" idr ") == "IDR" and framework.check_currency("usd") == "USD"
    assert framework.check_currency("") is None
    for bad in ("XYZ", "ABC", "DEM", "RP"):  # not ISO 4217, or no longer in use, or no code
        with pytest.raises(AscnError) as err:
            framework.check_currency(bad)
        assert err.value.field == "currency"
    assert framework.check_country("jp") == "JP" and framework.check_country("TL") == "TL"
    for bad in ("XX", "EU", "ZZ", "J1", "JPN"):
        with pytest.raises(AscnError) as err:
            framework.check_country(bad)
        assert err.value.field == "country"


def test_email_url_and_year_checks():
    assert framework.check_email(" cso@kota.go.id ", "cso_email") == "cso@kota.go.id"
    assert framework.check_url("https://asean.org/ascn", "website") == "https://asean.org/ascn"
    assert framework.check_email("", "cso_email") == "" and framework.check_url(None, "website") == ""
    for value in ("nope", "a@b", "a b@c.org", "@kota.go.id"):
        with pytest.raises(AscnError):
            framework.check_email(value, "cso_email")
    for value in ("asean.org", "ftp://asean.org", "https://", "javascript:alert(1)", "http://exa mple.org"):
        with pytest.raises(AscnError):
            framework.check_url(value, "website")
    assert framework.check_year(2024, "population_year") == 2024
    with pytest.raises(AscnError) as err:
        framework.check_year(2999, "population_year")
    assert err.value.field == "population_year" and "1900" in err.value.render("en")
