"""The registry's checks: budgets and numbers typed the reader's way, every bad value a clear error, never a 500."""

from decimal import Decimal

import pytest

from kotacerdas.ascn.errors import AscnError
from kotacerdas.ascn.services import registry


@pytest.mark.parametrize(
    "value,lang,amount",
    [
        ("7,5", "id", "7.50"),
        ("2.500,5", "id", "2500.50"),
        ("1.500.000.000", "id", "1500000000.00"),
        ("1,500,000,000", "en", "1500000000.00"),
        ("7.5", "en", "7.50"),
        ("1500000", "id", "1500000.00"),
        (2.5e9, "id", "2500000000.00"),
        (1500, "en", "1500.00"),
        ("", "id", None),
        (None, "en", None),
    ],
)
def test_budgets_in_the_readers_language(value, lang, amount):
    assert registry.parse_budget(value, lang) == (None if amount is None else Decimal(amount))


@pytest.mark.parametrize(
    "value,message",
    [
        ("nan", "nan is not a finite number"),
        ("inf", "inf is not a finite number"),
        (float("inf"), "inf is not a finite number"),
        (float("nan"), "nan is not a finite number"),
        ("1e400", "1e400 is not a number written like 1,500,000.5"),
        ("lots", "lots is not a number written like 1,500,000.5"),
        (1e30, "A budget must be less than 10,000,000,000,000,000"),
        ("99.999.999.999.999.999", "A budget must be less than 10,000,000,000,000,000"),
        ("-5", "A budget cannot be negative"),
    ],
)
def test_bad_budgets_are_clear_errors(value, message):
    with pytest.raises(AscnError) as err:
        registry.parse_budget(value, "en")
    assert err.value.field == "budget" and err.value.render("en") == message


def test_the_error_shows_the_readers_way_of_writing():
    with pytest.raises(AscnError) as err:
        registry.parse_budget("banyak", "id")
    assert "1.500.000,5" in err.value.render("id")


def test_whole_numbers():
    assert registry.parse_whole("1.749.773", "population", "id") == 1_749_773
    assert registry.parse_whole("1,749,773", "population", "en") == 1_749_773
    with pytest.raises(AscnError) as err:
        registry.parse_whole("12,5", "population", "id")
    assert err.value.field == "population"


def test_a_new_project_needs_a_title_even_when_none_is_given(ascn_db):
    from kotacerdas.core.db import session_scope

    with session_scope(ascn_db) as s:
        with pytest.raises(AscnError) as err:
            registry.create_project(s, registry.get_city(s, "hanoi"), {"summary": "No title"})
        assert err.value.field == "title"


def test_a_city_change_names_every_bad_field_and_changes_nothing(ascn_db):
    from kotacerdas.ascn.errors import FieldErrors
    from kotacerdas.core.db import session_scope

    with session_scope(ascn_db) as s:
        city = registry.get_city(s, "hanoi")
        changes = {"population": "-5", "population_year": "2999", "cso_email": "nope", "lat": "95", "name": "Ha Noi"}
        with pytest.raises(FieldErrors) as err:
            registry.update_city(s, city, changes, "en")
        assert [e.field for e in err.value.errors] == ["population", "population_year", "lat", "cso_email"]
        assert city.name == "Hanoi" and city.cso_email == "" and city.population is None
        registry.update_city(s, city, {"population": "8.053.663", "population_year": "2019"}, "id")
        assert (city.population, city.population_year) == (8_053_663, 2019)


def test_a_partnership_names_every_bad_field():
    from kotacerdas.ascn.errors import FieldErrors

    with pytest.raises(FieldErrors) as err:
        registry.check_partnership({"type": "bribery", "status": "secret", "start_date": "0999"})
    assert [e.field for e in err.value.errors] == ["type", "status", "start_date"]
