"""Survey import end to end: processing, map matching on the stored network, results, idempotency, the latest
condition and history, deletion, flags for uncalibrated vehicles, clear errors and counted exclusions."""

from __future__ import annotations

import time
import zipfile

import pytest
from sqlalchemy import func, select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.bina_marga import classify
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.services.surveys import delete_survey, import_survey_file
from kotacerdas.roads.store.tables import RoadEventRow, RoadInterval, RoadSegmentSurvey, RoadSurvey, RoadVehicle


def import_drive(engine, path, vehicle="BWI-01", **kw):
    with session_scope(engine) as s:
        return import_survey_file(s, accounts.get_city(s, "35.10"), path, vehicle, **kw)


def test_survey_is_processed_matched_and_stored(roads_db, roads_survey, tmp_path):
    result = import_drive(roads_db, roads_survey, raw_dir=tmp_path / "raw")
    assert not result.already_imported and not result.calibrated
    assert result.matched_fraction > 0.95
    assert result.measured_intervals >= 10 and result.segments_driven >= 8
    with session_scope(roads_db) as s:
        survey = s.get(RoadSurvey, result.survey_id)
        assert survey.format == "kotacerdas-survey" and survey.raw_path
        assert (tmp_path / "raw" / survey.raw_path).read_bytes() == roads_survey.read_bytes()
        intervals = list(s.scalars(select(RoadInterval).where(RoadInterval.survey_id == survey.id)))
        assert len(intervals) == result.intervals
        measured = [i for i in intervals if i.iri is not None]
        assert all(i.road_class == classify(i.iri).value for i in measured)
        assert all(not i.calibrated for i in intervals)  # default coefficients: flagged
        on_segment = [i for i in measured if i.segment_id is not None]
        assert len(on_segment) >= 0.9 * len(measured)
        # each interval's segment lies under it
        for iv in on_segment[:10]:
            seg = s.get(RoadSegmentRow, iv.segment_id)
            assert seg.geom.distance(iv.geom.interpolate(0.5, normalized=True)) < 0.0005  # ~50 m
        events = s.scalar(select(func.count(RoadEventRow.id)).where(RoadEventRow.survey_id == survey.id))
        assert events == sum(result.events.values())
        # coverage and the latest condition of each measured segment
        cov = list(s.scalars(select(RoadSegmentSurvey).where(RoadSegmentSurvey.survey_id == survey.id)))
        assert len(cov) == result.segments_driven
        for c in cov:
            seg = s.get(RoadSegmentRow, c.segment_id)
            assert seg.surveys_count == 1
            if c.iri is not None:
                assert seg.latest_iri == pytest.approx(c.iri) and seg.latest_class == classify(c.iri).value
                assert seg.latest_calibrated is False


def test_same_survey_twice_is_one_survey(roads_db, roads_survey, tmp_path):
    first = import_drive(roads_db, roads_survey)
    copy = tmp_path / "renamed.zip"
    copy.write_bytes(roads_survey.read_bytes())
    again = import_drive(roads_db, copy)
    assert again.already_imported and again.survey_id == first.survey_id
    assert again.measured_m == first.measured_m
    with session_scope(roads_db) as s:
        assert s.scalar(select(func.count(RoadSurvey.id))) == 1
        assert s.scalar(select(func.count(RoadInterval.id))) == first.intervals


def test_latest_condition_follows_the_newest_survey_and_history_is_kept(roads_db, roads_survey, roads_survey_later):
    later = import_drive(roads_db, roads_survey_later, vehicle="BWI-02")
    earlier = import_drive(roads_db, roads_survey)  # imported second, driven first
    with session_scope(roads_db) as s:
        both = s.execute(
            select(RoadSegmentSurvey.segment_id, func.count())
            .group_by(RoadSegmentSurvey.segment_id)
            .having(func.count() == 2)
        ).all()
        assert both, "the two drives share streets"
        for seg_id, _n in both:
            seg = s.get(RoadSegmentRow, seg_id)
            newest = s.scalar(
                select(RoadSegmentSurvey).where(
                    RoadSegmentSurvey.segment_id == seg_id, RoadSegmentSurvey.survey_id == later.survey_id
                )
            )
            if newest.iri is not None:
                assert seg.latest_iri == pytest.approx(newest.iri)
            assert seg.surveys_count == 2
        # deleting the newer survey falls back to the older measurement
        delete_survey(s, s.get(RoadSurvey, later.survey_id))
        s.flush()
        for seg_id, _n in both:
            seg = s.get(RoadSegmentRow, seg_id)
            old = s.scalar(
                select(RoadSegmentSurvey).where(
                    RoadSegmentSurvey.segment_id == seg_id, RoadSegmentSurvey.survey_id == earlier.survey_id
                )
            )
            assert seg.surveys_count == 1
            assert seg.latest_iri == (pytest.approx(old.iri) if old.iri is not None else None)


def test_bad_input_is_refused_and_nothing_is_stored(roads_db, roads_survey, tmp_path):
    not_a_survey = tmp_path / "notes.txt"
    not_a_survey.write_text("hello")
    with pytest.raises(RoadsError, match="not a survey format"):
        import_drive(roads_db, not_a_survey)
    # a package whose accelerometer file is cut in the middle
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(roads_survey) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name.startswith("accelerometer"):
                lines = data.decode().splitlines()
                lines[50] = lines[50].split(",")[0] + ",oops,1,2"
                data = ("\n".join(lines) + "\n").encode()
            dst.writestr(name, data)
    with pytest.raises(RoadsError) as err:
        import_drive(roads_db, broken)
    assert err.value.record is not None or "accelerometer" in str(err.value)
    with session_scope(roads_db) as s:
        assert s.scalar(select(func.count(RoadSurvey.id))) == 0
        assert s.scalar(select(func.count(RoadVehicle.id))) == 0


def test_a_city_without_network_still_stores_the_survey_unmatched(seeded, roads_survey):
    result = import_drive(seeded, roads_survey)
    assert result.matched_fraction is None and result.segments_driven == 0
    assert result.measured_intervals > 0
    with session_scope(seeded) as s:
        assert s.scalar(select(func.count()).where(RoadInterval.segment_id.is_not(None))) == 0


def test_one_recording_is_one_survey_and_replace_imports_it_for_the_right_vehicle(roads_db, roads_survey, tmp_path):
    first = import_drive(roads_db, roads_survey, vehicle="BWI-01", raw_dir=tmp_path)
    again = import_drive(roads_db, roads_survey, vehicle="BWI-09", raw_dir=tmp_path)
    assert again.already_imported and again.survey_id == first.survey_id
    assert again.vehicle == "BWI-01" and again.requested_vehicle == "BWI-09"
    replaced = import_drive(roads_db, roads_survey, vehicle="BWI-09", raw_dir=tmp_path, replace=True)
    assert not replaced.already_imported and replaced.replaced_survey == first.survey_id
    assert replaced.vehicle == "BWI-09"
    with session_scope(roads_db) as s:
        assert s.scalar(select(func.count(RoadSurvey.id))) == 1
        survey = s.get(RoadSurvey, replaced.survey_id)
        assert s.get(RoadVehicle, survey.vehicle_id).code == "BWI-09"
        assert s.scalar(select(func.count(RoadInterval.id))) == replaced.intervals


def test_segment_condition_is_the_metres_measured_on_it(roads_db, roads_survey):
    from kotacerdas.roads.store.condition import segment_conditions

    result = import_drive(roads_db, roads_survey)
    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        conds = segment_conditions(s, city.id)
        assert conds
        for seg_id, c in conds.items():
            seg = s.get(RoadSegmentRow, seg_id)
            assert 0 < c.measured_m <= seg.length_m + 1e-6 and c.share == pytest.approx(c.measured_m / seg.length_m)
            assert c.road_class == classify(c.iri).value and c.survey_id == result.survey_id
            row = s.scalar(
                select(RoadSegmentSurvey).where(
                    RoadSegmentSurvey.segment_id == seg_id, RoadSegmentSurvey.survey_id == result.survey_id
                )
            )
            assert row.measured_m == pytest.approx(seg.latest_measured_m) and row.share == pytest.approx(
                c.share, abs=1e-3
            )
        # the measured metres on segments add up to the measured intervals' metres (split at segment ends)
        total = s.scalar(
            select(func.sum(RoadSegmentSurvey.measured_m)).where(RoadSegmentSurvey.survey_id == result.survey_id)
        )
        assert total == pytest.approx(result.measured_m, rel=0.05)


def test_reprocess_applies_a_later_calibration_and_says_what_changed(
    roads_db, roads_survey, roads_calibration, tmp_path
):
    from kotacerdas.roads.services.surveys import reprocess_survey, surveys_to_reprocess
    from kotacerdas.roads.services.vehicles import calibrate_vehicle

    first = import_drive(roads_db, roads_survey, raw_dir=tmp_path)
    assert not first.calibrated
    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        calibrate_vehicle(s, city, "BWI-01", *roads_calibration)
    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        todo = surveys_to_reprocess(s, city, vehicle="BWI-01")
        assert [t.id for t in todo] == [first.survey_id]
        change = reprocess_survey(s, city, todo[0], tmp_path)
        assert change["status"] == "reprocessed" and change["survey_id"] == first.survey_id
        assert change["before"]["calibrated"] is False and change["after"]["calibrated"] is True
        assert change["after"]["measured_intervals"] == change["before"]["measured_intervals"]
        assert s.get(RoadSurvey, first.survey_id).calibrated
        assert all(
            i.calibrated for i in s.scalars(select(RoadInterval).where(RoadInterval.survey_id == first.survey_id))
        )
        # without the raw file it is skipped with the reason
        assert reprocess_survey(s, city, todo[0], tmp_path / "nowhere")["reason"] == "no_raw_file"
        with pytest.raises(RoadsError, match="--vehicle, --survey or --all"):
            surveys_to_reprocess(s, city)


def test_a_drive_nowhere_in_the_city_and_impossible_sensor_values_are_refused(roads_db, tmp_path):
    """A track at 0,0 (a receiver without a fix), a drive in Surabaya filed under Banyuwangi (35.10) and an
    acceleration of 1e308 are refused, naming why; a GPS speed of inf is kept as unknown and counted."""
    from kotacerdas.roads.formats.package import write_survey_package
    from kotacerdas.roads.streams import Track
    from tests.roads.formats.drives import make_drive

    surabaya = write_survey_package(make_drive(seconds=20), tmp_path / "surabaya.zip")
    with pytest.raises(RoadsError, match="nowhere in city 35.10"):
        import_drive(roads_db, surabaya)
    drive = make_drive(seconds=20)
    tr = drive.track
    drive.track = Track(tr.t, tr.lat * 0, tr.lon * 0, tr.speed, tr.accuracy)
    with pytest.raises(RoadsError, match="0 fix"):
        import_drive(roads_db, write_survey_package(drive, tmp_path / "null-island.zip"))
    drive = make_drive(seconds=20)
    drive.accel.x[100] = 1e308
    with pytest.raises(RoadsError, match="1e\\+308"):
        import_drive(roads_db, write_survey_package(drive, tmp_path / "acc.zip"))
    with session_scope(roads_db) as s:
        assert s.scalar(select(func.count(RoadSurvey.id))) == 0


def test_a_speed_of_inf_is_unknown_and_counted():
    import numpy as np

    from kotacerdas.roads.formats.reading import DEFAULT_LIMITS, ImportReport, check_speeds
    from tests.roads.formats.drives import make_drive

    track = make_drive(seconds=10).track
    track.speed[3], track.speed[5] = np.inf, -1.0
    report = ImportReport(source="x")
    kept = check_speeds(track, lambda i: f"location.csv:{i + 2}", report, DEFAULT_LIMITS)
    assert np.isnan(kept.speed[[3, 5]]).all() and np.isfinite(np.delete(kept.speed, [3, 5])).all()
    assert report.excluded == {"bad_speed": 2} and report.examples[0] == ("bad_speed", "location.csv:5")


def test_an_import_killed_after_keeping_its_raw_upload_leaves_nothing_after_the_next_start(
    roads_db, backend, roads_survey, roads_survey_later, tmp_path
):
    """A ``kill -9`` between keeping the raw upload and committing the survey leaves a raw file no survey names;
    the next start of the server removes it (once older than the grace period) and keeps the stored survey's."""
    import signal
    import sqlite3
    import subprocess
    import sys
    import textwrap

    from fastapi.testclient import TestClient

    from kotacerdas.roads.services.surveys import raw_folder
    from kotacerdas.web.app import create_app
    from tests.conftest import settings_for
    from tests.core.test_orphans import aged

    if backend != "sqlite":
        pytest.skip("the import is held at its first write by a lock on the SQLite file")
    raw_dir = raw_folder(tmp_path, "35.10")
    stored = import_drive(roads_db, roads_survey, raw_dir=raw_dir)
    with session_scope(roads_db) as s:
        kept = raw_dir / s.get(RoadSurvey, stored.survey_id).raw_path
    # a second import in a process of its own, held at its first write (the parent holds SQLite's write lock)
    # after it has copied the raw upload, and killed there
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from kotacerdas.core import accounts
        from kotacerdas.core.db import make_engine, session_scope
        from kotacerdas.roads.services.surveys import import_survey_file
        url, drive, raw = sys.argv[1:]
        with session_scope(make_engine(url)) as s:
            import_survey_file(s, accounts.get_city(s, "35.10"), drive, "BWI-01", raw_dir=Path(raw))
        """
    )
    lock = sqlite3.connect(roads_db.url.database, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    args = [sys.executable, "-c", script, str(roads_db.url), str(roads_survey_later), str(raw_dir)]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and len(list(raw_dir.iterdir())) < 2 and proc.poll() is None:
            time.sleep(0.01)
        time.sleep(0.2)  # it is now waiting for the write lock, inside its transaction
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()[-2000:]
    orphans = [p for p in raw_dir.iterdir() if p != kept]
    assert len(orphans) == 1, list(raw_dir.iterdir())
    with session_scope(roads_db) as s:
        assert s.scalar(select(func.count()).select_from(RoadSurvey)) == 1
    settings = settings_for(roads_db, tmp_path)
    with TestClient(create_app(settings, engine=roads_db)):  # within the grace period: kept
        pass
    assert orphans[0].is_file()
    aged(orphans[0])
    aged(kept)
    with TestClient(create_app(settings, engine=roads_db)):
        pass
    assert not orphans[0].exists() and kept.is_file()
