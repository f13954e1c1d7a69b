"""Road Manager's package: its public API is pinned, loads on first use, and importing the package is cheap; its
description to the platform names modules that exist."""

from __future__ import annotations

import subprocess
import sys
import types

import kotacerdas.roads as roads
from kotacerdas.core.registry import resolve

PUBLIC_API = [
    "BOUNDARIES_M_PER_KM",
    "CLASS_COLOURS",
    "DrivenSegment",
    "GroundTruth",
    "INTERVAL_M",
    "ImportReport",
    "IntervalResult",
    "IriEstimate",
    "IriIntervals",
    "LongitudinalProfile",
    "MapMatcher",
    "MatchResult",
    "Odometer",
    "PathPositions",
    "PitchModel",
    "ReferenceIRI",
    "RoadClass",
    "RoadEvent",
    "RoadsError",
    "RoutePath",
    "Section",
    "SegmentCondition",
    "SegmentPiece",
    "SimulationConfig",
    "SurveyImport",
    "SurveyImportResult",
    "SurveyLimits",
    "SurveyResult",
    "SurveyStreams",
    "Track",
    "Vector3",
    "VehicleCalibration",
    "VehicleDynamics",
    "VehiclePreset",
    "calibrate",
    "calibrate_vehicle",
    "classify",
    "classify_many",
    "default_calibration",
    "delete_survey",
    "detect_events",
    "detect_format",
    "ensure_vehicle",
    "estimate",
    "estimate_iri",
    "identify_dynamics",
    "import_survey",
    "import_survey_file",
    "iri_chart_svg",
    "iri_intervals",
    "iso8608_profile",
    "length_by_class",
    "mantap_share",
    "match_track",
    "prepare_survey",
    "process_survey",
    "random_sections",
    "read_profile",
    "read_reference_csv",
    "read_survey",
    "real_streets_config",
    "report_workbook",
    "reprocess_survey",
    "run_odometer",
    "sectioned_profile",
    "segment_conditions",
    "simulate_survey",
    "straight_route",
    "vehicle_preset",
    "winding_route",
    "write_survey_package",
]


def test_the_public_api_is_pinned():
    assert roads.__all__ == PUBLIC_API
    assert dir(roads) == PUBLIC_API


def test_every_public_name_loads_and_is_not_a_module():
    for name in PUBLIC_API:
        value = getattr(roads, name)
        assert not isinstance(value, types.ModuleType), name
    from kotacerdas.roads import classify, import_survey_file

    assert classify(5.0).value == "sedang" and import_survey_file.__module__ == "kotacerdas.roads.services.surveys"


def test_importing_the_package_is_cheap():
    code = (
        "import sys, kotacerdas.roads as r; r.DOMAIN; "
        "print([m for m in ('fastapi', 'starlette', 'scipy', 'sqlalchemy', 'numpy', 'kotacerdas.roads.api') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_domain_names_what_exists():
    d = roads.DOMAIN
    for table in d.tables:
        resolve(table)
    for part in ("api", "pages", "cli", "demo", "home"):
        assert d.load(part) is not None, part
    assert dict(d.tags)["roads"]
