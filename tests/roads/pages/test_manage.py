"""The staff's screens of Road Manager: surveys (upload followed as a job, the import report), vehicles, network."""

from __future__ import annotations

import re
import zipfile

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.roads.services.surveys import import_survey_file, raw_download_name


def test_who_opens_the_staff_screen(surveyed, auth):
    assert surveyed.get("/roads/manage?city=35.10", follow_redirects=False).status_code == 303  # sign in first
    assert (
        surveyed.get(
            "/roads/manage?city=35.10", headers=auth("bikeoperator.3510") | {"Accept": "text/html"}
        ).status_code
        == 403
    )
    assert (
        surveyed.get("/roads/manage?city=35.10", headers=auth("roadofficer.7371") | {"Accept": "text/html"}).status_code
        == 403
    )
    page = surveyed.get("/roads/manage", headers=auth("fieldsurveyor.3510") | {"Accept-Language": "en"})
    assert page.status_code == 200 and "Kabupaten Banyuwangi" in page.text  # their own city when none is named
    assert 'id="survey-form"' in page.text and 'id="vehicle-form"' not in page.text  # a surveyor uploads, no more
    officer = surveyed.get(
        "/roads/manage?city=35.10", headers=auth("roadofficer.3510") | {"Accept-Language": "id"}
    ).text
    assert 'id="vehicle-form"' in officer and 'id="calibration-form"' in officer and 'id="network-form"' in officer
    assert "Unggah survei" in officer and "roads-manage.js" in officer and "jobs.js" in officer


def test_the_survey_list_links_each_import_report(surveyed, auth):
    head = auth("roadofficer.3510") | {"Accept-Language": "en"}
    page = surveyed.get("/roads/manage?city=35.10", headers=head).text
    ids = re.findall(r'<tr data-survey="(\d+)">', page)
    assert len(ids) == 1 and "BWI-01" in page
    report = surveyed.get(f"/roads/manage/surveys/{ids[0]}?city=35.10", headers=head)
    assert report.status_code == 200 and "What was read" in report.text and "What was left out" in report.text
    assert 'id="rows-read"' in report.text and "Road segments driven" in report.text
    other = surveyed.get(
        f"/roads/manage/surveys/{ids[0]}?city=73.71", headers=auth("roadofficer.7371") | {"Accept": "text/html"}
    )
    assert other.status_code == 404  # another city's survey is not there


def test_an_upload_answers_a_job_the_page_can_follow(surveyed, roads_survey, auth):
    """The upload the page's script sends (session cookie, CSRF token) answers 202 with the job and its URL."""
    from tests.conftest import DEMO_PASSWORD

    surveyed.get("/login")
    csrf = surveyed.cookies.get("kc_csrf")
    surveyed.post("/login", data={"username": "roadofficer.3510", "password": DEMO_PASSWORD, "csrf": csrf})
    files = {"file": ("drive.zip", roads_survey.read_bytes(), "application/zip")}
    refused = surveyed.post(
        "/api/v1/roads/cities/35.10/surveys",
        files=files,
        data={"vehicle": "BWI-01"},
        headers={"Origin": "https://evil.example"},
    )
    assert refused.status_code == 403
    r = surveyed.post(
        "/api/v1/roads/cities/35.10/surveys", files=files, data={"vehicle": "BWI-01"}, headers={"X-CSRF-Token": csrf}
    )
    assert r.status_code == 202 and r.headers["location"] == r.json()["url"]
    job = surveyed.get(r.json()["url"]).json()
    assert job["status"] == "done" and job["result"]["already_imported"] is True
    page = surveyed.get("/roads/manage?city=35.10").text
    assert 'id="recent-jobs"' in page


def test_a_raw_survey_downloads_with_its_extension(roads_db, roads_survey, tmp_path, client, auth):
    folder = tmp_path / "gpxsurvey"
    with zipfile.ZipFile(roads_survey) as zf:
        zf.extractall(folder)
    from kotacerdas.roads.services.surveys import raw_folder

    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        raw = raw_folder(client.app.state.settings.data_dir, city.code)
        result = import_survey_file(s, city, folder, "BWI-01", raw_dir=raw)
    r = client.get(f"/api/v1/roads/cities/35.10/surveys/{result.survey_id}/raw", headers=auth("roadofficer.3510"))
    assert r.status_code == 200
    assert 'filename="gpxsurvey.zip"' in r.headers["content-disposition"]
    assert (
        raw_download_name("drive.zip", "abc.zip") == "drive.zip"
        and raw_download_name("gpxsurvey", "abc.zip") == "gpxsurvey.zip"
    )


def test_the_import_report_names_the_format_and_the_streams_in_both_languages(surveyed, auth):
    head = auth("roadofficer.3510")
    page = surveyed.get("/roads/manage?city=35.10", headers=head | {"Accept-Language": "en"}).text
    survey_id = re.findall(r'<tr data-survey="(\d+)">', page)[0]
    idn = surveyed.get(f"/roads/manage/surveys/{survey_id}?city=35.10", headers=head | {"Accept-Language": "id"}).text
    shown = idn.split('id="survey-format"')[1].split("</dd>")[0]
    assert shown.endswith(">paket survei kotacerdas") and 'data-format="kotacerdas-survey"' in shown
    read = re.sub(r"<[^>]+>", " ", idn.split('id="rows-read"')[1].split("</table>")[0])
    assert "lokasi (GPS)" in read and "akselerometer" in read and "location" not in read
    en = surveyed.get(f"/roads/manage/surveys/{survey_id}?city=35.10", headers=head | {"Accept-Language": "en"}).text
    assert ">kotacerdas survey package</dd>" in en and "location (GPS)" in en
