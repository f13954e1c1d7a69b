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
    "Blurrer",
    "Box",
    "CLASS_COLOURS",
    "CameraModel",
    "Detection",
    "Detector",
    "DrivenSegment",
    "FramePose",
    "GroundTruth",
    "INTERVAL_M",
    "ImportReport",
    "IntervalResult",
    "IriEstimate",
    "IriIntervals",
    "LongitudinalProfile",
    "MapMatcher",
    "MatchResult",
    "ModelManifest",
    "Odometer",
    "PathPositions",
    "PitchModel",
    "ReferenceIRI",
    "RoadClass",
    "RoadEvent",
    "RoadsError",
    "RoutePath",
    "SdiInput",
    "SdiResult",
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
    "combined_class",
    "default_calibration",
    "delete_survey",
    "detect_events",
    "detect_format",
    "ensure_vehicle",
    "estimate",
    "estimate_iri",
    "evaluate",
    "evaluate_folder",
    "group_sightings",
    "identify_dynamics",
    "import_capture",
    "import_captures",
    "import_survey",
    "import_survey_file",
    "install_model",
    "iri_chart_svg",
    "iri_intervals",
    "iso8608_profile",
    "length_by_class",
    "list_models",
    "load_detector",
    "mantap_share",
    "match_track",
    "place_box",
    "prepare_photos",
    "prepare_survey",
    "prepare_video",
    "probe_video",
    "process_survey",
    "random_sections",
    "read_photos",
    "read_profile",
    "read_reference_csv",
    "read_survey",
    "real_streets_config",
    "report_workbook",
    "reprocess_survey",
    "run_odometer",
    "sample_poses",
    "sdi_class",
    "sectioned_profile",
    "segment_condition",
    "segment_conditions",
    "simulate_survey",
    "straight_route",
    "surface_distress_index",
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
