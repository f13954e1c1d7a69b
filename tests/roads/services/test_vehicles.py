"""Vehicle calibration: the fitted coefficients are stored and used by the next survey; a bad reference is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.services.vehicles import calibrate_vehicle, get_vehicle, register_vehicle
from kotacerdas.roads.store.tables import RoadInterval, RoadSurvey

from .test_surveys import import_drive


def test_calibration_is_stored_and_used(roads_db, roads_calibration, roads_survey):
    drive, reference = roads_calibration
    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        cal = calibrate_vehicle(s, city, "BWI-CAL", drive, reference)
        assert cal.calibrated and cal.n_intervals >= 10
        v = get_vehicle(s, city.id, "BWI-CAL")
        assert v.calibrated and v.calibration["gain"] == pytest.approx(cal.gain)
    result = import_drive(roads_db, roads_survey, vehicle="BWI-CAL")
    assert result.calibrated
    with session_scope(roads_db) as s:
        assert s.scalar(select(func.count()).where(RoadInterval.calibrated.is_(False))) == 0
        survey = s.get(RoadSurvey, result.survey_id)
        assert survey.calibration["k1"] == pytest.approx(cal.k1)


def test_a_bad_reference_is_refused(roads_db, roads_calibration, tmp_path):
    drive, _ = roads_calibration
    bad = tmp_path / "reference.csv"
    bad.write_text("from_m,to_m,iri_m_per_km\n0,100,x\n")
    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        with pytest.raises(RoadsError, match="not a number"):
            calibrate_vehicle(s, city, "BWI-X", drive, bad)
        with pytest.raises(RoadsError, match="does not exist"):
            calibrate_vehicle(s, city, "BWI-X", drive, tmp_path / "none.csv")


def test_register_renames_and_refuses_an_empty_id(roads_db):
    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        v = register_vehicle(s, city.id, " BWI-9 ")
        assert v.code == "BWI-9" and v.name == "BWI-9" and not v.calibrated
        assert register_vehicle(s, city.id, "BWI-9", "Patroli 9").id == v.id
        assert get_vehicle(s, city.id, "BWI-9").name == "Patroli 9"
        with pytest.raises(RoadsError) as err:
            register_vehicle(s, city.id, "   ")
        assert err.value.field == "vehicle"
