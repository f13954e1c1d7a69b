"""Spreadsheet imports: every bad cell named, nothing written on error, idempotent, look-alikes not merged."""

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from kotacerdas.ascn.errors import ImportProblems
from kotacerdas.ascn.services import imports
from kotacerdas.ascn.store.tables import AscnPartner, AscnPartnership, AscnProject
from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.core.models import ImportBatch

ALL = imports.Scope(cities=None, partners=True)


def workbook(partners=(), projects=(), partnerships=()) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, header, rows in (
        ("partners", ["name", "kind", "offers", "focus_areas"], partners),
        ("projects", ["city", "title", "status", "focus_areas", "budget", "currency", "start_date"], projects),
        ("partnerships", ["partner", "city", "project", "type", "start_date"], partnerships),
    ):
        ws = book.create_sheet(name)
        ws.append(header)
        for r in rows:
            ws.append(list(r))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def count(s, model) -> int:
    return s.scalar(select(func.count()).select_from(model))


def seat(s) -> int:
    return accounts.get_city(s, "35.10").id


GOOD = workbook(
    partners=[("Mekong Coastal Institute", "university", "knowledge_sharing", "quality_environment")],
    projects=[
        ("Makassar", "Smart drainage pilot", "implementing", "built_infrastructure", 1500000000, "IDR", "2024-02-01")
    ],
    partnerships=[("Mekong Coastal Institute", "Makassar", "Smart drainage pilot", "knowledge_sharing", "2024-03-01")],
)


def test_a_valid_workbook_is_imported_once(ascn_db):
    with session_scope(ascn_db) as s:
        before = (count(s, AscnPartner), count(s, AscnProject), count(s, AscnPartnership))
        result = imports.import_file(s, GOOD, "registry.xlsx", scope=ALL, record_city_id=seat(s))
        assert result.created == {"partners": 1, "projects": 1, "partnerships": 1}
    with session_scope(ascn_db) as s:
        assert (count(s, AscnPartner), count(s, AscnProject), count(s, AscnPartnership)) == tuple(n + 1 for n in before)
        again = imports.import_file(s, GOOD, "registry.xlsx", scope=ALL, record_city_id=seat(s))
        assert again.already_imported
        assert s.scalar(select(func.count()).select_from(ImportBatch).where(ImportBatch.kind == imports.KIND)) == 1


def test_bad_rows_are_named_and_nothing_is_written(ascn_db):
    bad = workbook(
        partners=[("", "university", "", ""), ("Good Lab", "spaceship", "", "")],
        projects=[
            ("Atlantis", "X", "idea", "", None, None, None),
            ("Makassar", "Y", "dreaming", "", None, None, None),
            ("Makassar", "Z", "idea", "", -5, "IDR", None),
            ("Makassar", "W", "idea", "", None, None, "someday"),
        ],
        partnerships=[("Nobody Inc", "Makassar", "", "finance", None)],
    )
    with session_scope(ascn_db) as s:
        before = (count(s, AscnPartner), count(s, AscnProject), count(s, AscnPartnership))
        with pytest.raises(ImportProblems) as err:
            imports.import_file(s, bad, "bad.xlsx", scope=ALL, record_city_id=seat(s))
        where = [(p["record"], p["field"]) for p in err.value.problems]
        assert where == [
            ("partners row 2", "name"),
            ("partners row 3", "kind"),
            ("projects row 2", "city"),
            ("projects row 3", "status"),
            ("projects row 4", "budget"),
            ("projects row 5", "start_date"),
            ("partnerships row 2", "partner"),
        ]
        assert "spaceship" in err.value.problems[1]["error"].render("en")
    with session_scope(ascn_db) as s:
        assert (count(s, AscnPartner), count(s, AscnProject), count(s, AscnPartnership)) == before


def test_skip_invalid_keeps_the_valid_rows(ascn_db):
    mixed = workbook(
        projects=[
            ("Makassar", "Kept", "idea", "", None, None, None),
            ("Atlantis", "Lost", "idea", "", None, None, None),
        ]
    )
    with session_scope(ascn_db) as s:
        result = imports.import_file(s, mixed, "mixed.xlsx", scope=ALL, record_city_id=seat(s), skip_invalid=True)
        assert result.created["projects"] == 1 and result.as_dict()["skipped"][0]["row"] == 3
        assert s.scalar(select(AscnProject).where(AscnProject.title == "Kept")) is not None


def test_look_alike_partners_are_listed_never_merged(ascn_db):
    data = workbook(partners=[("Asian Devlopment Bank", "international_organisation", "finance", "")])
    with session_scope(ascn_db) as s:
        result = imports.import_file(s, data, "dup.xlsx", scope=ALL, record_city_id=seat(s))
        assert result.created["partners"] == 1
        assert result.duplicates[0]["existing"] == "adb"
        assert s.scalar(select(AscnPartner).where(AscnPartner.name == "Asian Devlopment Bank")).merged_into_id is None
        # the same organisation under its exact name or alias updates the existing record
        again = workbook(partners=[("ADB", "international_organisation", "finance,technical_assistance", "")])
        assert imports.import_file(s, again, "alias.xlsx", scope=ALL, record_city_id=seat(s)).updated["partners"] == 1


def test_an_officer_imports_only_their_own_city(ascn_db):
    data = workbook(
        partners=[("Some Lab", "university", "", "")],
        projects=[
            ("Makassar", "Theirs", "idea", "", None, None, None),
            ("Banyuwangi", "Mine", "idea", "", None, None, None),
        ],
    )
    with session_scope(ascn_db) as s:
        with pytest.raises(ImportProblems) as err:
            imports.import_file(
                s, data, "officer.xlsx", scope=imports.Scope({"banyuwangi"}, False), record_city_id=seat(s)
            )
        assert [p["record"] for p in err.value.problems] == ["partners row 2", "projects row 2"]


def test_budgets_typed_as_text_are_read_in_the_importers_language(ascn_db):
    csv = (
        b"city;title;status;budget;currency\n"
        b"Makassar;Typed the Indonesian way;idea;1.500.000.000;IDR\n"
        b"Makassar;With a decimal comma;idea;7,5;USD\n"
        b"Makassar;Grouped the English way;idea;2,500.5;USD\n"
        b"Makassar;Both readings;idea;1.500;USD\n"
    )
    with session_scope(ascn_db) as s:
        imports.import_file(s, csv, "projects.csv", scope=ALL, record_city_id=seat(s), lang="id")
        budgets = dict(s.execute(select(AscnProject.title, AscnProject.budget)).all())
        assert float(budgets["Typed the Indonesian way"]) == 1_500_000_000
        assert float(budgets["With a decimal comma"]) == 7.5
        assert float(budgets["Grouped the English way"]) == 2500.5
        assert float(budgets["Both readings"]) == 1500


def test_budgets_that_are_no_amount_are_row_errors(ascn_db):
    csv = b"city,title,budget,currency\nMakassar,A,nan,IDR\nMakassar,B,1e400,IDR\nMakassar,C,inf,IDR\n"
    with session_scope(ascn_db) as s:
        with pytest.raises(ImportProblems) as err:
            imports.import_file(s, csv, "projects.csv", scope=ALL, record_city_id=seat(s))
        assert [(p["record"], p["field"]) for p in err.value.problems] == [
            ("projects row 2", "budget"),
            ("projects row 3", "budget"),
            ("projects row 4", "budget"),
        ]


def test_a_project_row_without_a_title_names_the_title(ascn_db):
    csv = b"city,title,status\nMakassar,,idea\n"
    with session_scope(ascn_db) as s:
        before = count(s, AscnProject)
        with pytest.raises(ImportProblems) as err:
            imports.import_file(s, csv, "projects.csv", scope=ALL, record_city_id=seat(s))
        assert [(p["record"], p["field"]) for p in err.value.problems] == [("projects row 2", "title")]
        assert err.value.problems[0]["error"].render("en") == "A project needs a title"
    with session_scope(ascn_db) as s:
        assert count(s, AscnProject) == before


def test_every_bad_cell_of_a_row_is_named(ascn_db):
    projects = (
        b"city,title,status,start_date,currency,budget,source_url\n"
        b"Makassar,Many faults,dreaming,0001-01-01,XYZ,lots,not-a-link\n"
        b"Atlantis,Lost city,someday,,,,\n"
    )
    with session_scope(ascn_db) as s:
        with pytest.raises(ImportProblems) as err:
            imports.import_file(s, projects, "projects.csv", scope=ALL, record_city_id=seat(s))
        where = [(p["record"], p["field"]) for p in err.value.problems]
        assert where == [
            ("projects row 2", "source_url"),
            ("projects row 2", "status"),
            ("projects row 2", "budget"),
            ("projects row 2", "currency"),
            ("projects row 2", "start_date"),
            ("projects row 3", "city"),
            ("projects row 3", "status"),
        ]
        assert "XYZ is not an ISO 4217" in err.value.problems[3]["error"].render("en")


def test_partner_and_partnership_rows_name_every_bad_cell(ascn_db):
    book = openpyxl.Workbook()
    book.remove(book.active)
    ws = book.create_sheet("partners")
    ws.append(["name", "kind", "country", "website"])
    ws.append(["Far Lab", "spaceship", "XX", "far-lab"])
    ws = book.create_sheet("partnerships")
    ws.append(["partner", "city", "type", "start_date", "end_date"])
    ws.append(["Nobody Inc", "Atlantis", "bribery", "2024-05-01", "2023-01-01"])
    out = io.BytesIO()
    book.save(out)
    with session_scope(ascn_db) as s:
        with pytest.raises(ImportProblems) as err:
            imports.import_file(s, out.getvalue(), "orgs.xlsx", scope=ALL, record_city_id=seat(s))
        assert [(p["record"], p["field"]) for p in err.value.problems] == [
            ("partners row 2", "website"),
            ("partners row 2", "kind"),
            ("partners row 2", "country"),
            ("partnerships row 2", "city"),
            ("partnerships row 2", "partner"),
            ("partnerships row 2", "type"),
            ("partnerships row 2", "end_date"),
        ]


def test_row_problems_are_named_in_the_importers_language(ascn_db):
    with session_scope(ascn_db) as s:
        with pytest.raises(ImportProblems) as err:
            imports.import_file(
                s, b"city,title\nAtlantis,X\n", "projects.csv", scope=ALL, record_city_id=seat(s), lang="id"
            )
        assert [p["record"] for p in err.value.problems] == ["projects baris 2"]
        assert err.value.problems[0]["error"].render("id") == "Tidak ada kota anggota Atlantis"
