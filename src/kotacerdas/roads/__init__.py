"""Road Manager: road roughness (IRI) from patrol-vehicle phones, mapped onto the road network and graded by
Bina Marga's classes.

The domain describes itself to the platform in :data:`DOMAIN` (dotted names, imported only
when used); its public API is listed in ``__all__`` and loaded on first use.
"""

from kotacerdas.core.i18n import N_
from kotacerdas.core.registry import Domain, lazy_exports

DOMAIN = Domain(
    name="roads",
    title=N_("Road Manager"),
    summary=N_("Road roughness, damage and repairs from patrol-vehicle smartphones"),
    tables=("kotacerdas.roads.store.tables", "kotacerdas.roads.store.damage_tables"),
    api="kotacerdas.roads.api:router",
    pages="kotacerdas.roads.pages:router",
    cli="kotacerdas.roads.cli:cli",
    cli_help="Road Manager: road network, surveys, vehicles, roughness (IRI), road damage from the camera, reports.",
    demo="kotacerdas.roads.demo:load_demo",
    home="kotacerdas.roads.home:home_figures",
    home_link="/roads",
    home_empty=N_("No road network yet. A road officer or the city's administrator can import it from OpenStreetMap."),
    staff=(("roads.read_private", N_("Surveys and vehicles"), "/roads/manage?city={city}"),),
    jobs=("kotacerdas.roads.jobs",),
    uploads="kotacerdas.roads.services.surveys:kept_uploads",
    tags=(
        (
            "roads",
            "Road Manager: published road conditions (segments, events, coverage, roads, IRI profiles; public), "
            "surveys and vehicles (private to the city), the Excel report.",
        ),
    ),
)

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        # the Bina Marga class rule and jalan mantap
        "BOUNDARIES_M_PER_KM": "kotacerdas.roads.bina_marga",
        "RoadClass": "kotacerdas.roads.bina_marga",
        "classify": "kotacerdas.roads.bina_marga",
        "classify_many": "kotacerdas.roads.bina_marga",
        "length_by_class": "kotacerdas.roads.bina_marga",
        "mantap_share": "kotacerdas.roads.bina_marga",
        # exact IRI of a longitudinal profile (ASTM E1926)
        "IriIntervals": "kotacerdas.roads.iri",
        "LongitudinalProfile": "kotacerdas.roads.iri",
        "iri_intervals": "kotacerdas.roads.iri",
        "read_profile": "kotacerdas.roads.iri",
        # IRI from a phone's acceleration; vehicle calibration
        "ReferenceIRI": "kotacerdas.roads.roughness",
        "VehicleCalibration": "kotacerdas.roads.roughness",
        "calibrate": "kotacerdas.roads.roughness",
        "default_calibration": "kotacerdas.roads.roughness",
        "estimate_iri": "kotacerdas.roads.roughness",
        "prepare_survey": "kotacerdas.roads.roughness",
        "IriEstimate": "kotacerdas.roads.roughness",
        "estimate": "kotacerdas.roads.roughness",
        "Odometer": "kotacerdas.roads.odometer",
        "PathPositions": "kotacerdas.roads.odometer",
        "run_odometer": "kotacerdas.roads.odometer",
        "SegmentPiece": "kotacerdas.roads.processing",
        "PitchModel": "kotacerdas.roads.simulator",
        "real_streets_config": "kotacerdas.roads.simulator",
        "SegmentCondition": "kotacerdas.roads.store.condition",
        "segment_conditions": "kotacerdas.roads.store.condition",
        "reprocess_survey": "kotacerdas.roads.services.surveys",
        "read_reference_csv": "kotacerdas.roads.roughness",
        # one survey end to end
        "INTERVAL_M": "kotacerdas.roads.processing",
        "IntervalResult": "kotacerdas.roads.processing",
        "SurveyResult": "kotacerdas.roads.processing",
        "process_survey": "kotacerdas.roads.processing",
        # potholes and bumps
        "RoadEvent": "kotacerdas.roads.events",
        "detect_events": "kotacerdas.roads.events",
        # HMM map matching onto the network
        "DrivenSegment": "kotacerdas.roads.map_matching",
        "MapMatcher": "kotacerdas.roads.map_matching",
        "MatchResult": "kotacerdas.roads.map_matching",
        "match_track": "kotacerdas.roads.map_matching",
        # ISO 8608 road profiles
        "Section": "kotacerdas.roads.profiles",
        "iso8608_profile": "kotacerdas.roads.profiles",
        "random_sections": "kotacerdas.roads.profiles",
        "sectioned_profile": "kotacerdas.roads.profiles",
        # the survey simulator
        "GroundTruth": "kotacerdas.roads.simulator",
        "RoutePath": "kotacerdas.roads.simulator",
        "SimulationConfig": "kotacerdas.roads.simulator",
        "VehiclePreset": "kotacerdas.roads.simulator",
        "simulate_survey": "kotacerdas.roads.simulator",
        "straight_route": "kotacerdas.roads.simulator",
        "vehicle_preset": "kotacerdas.roads.simulator",
        "winding_route": "kotacerdas.roads.simulator",
        # a vehicle's dynamics from its own survey
        "VehicleDynamics": "kotacerdas.roads.vehicle_response",
        "identify_dynamics": "kotacerdas.roads.vehicle_response",
        # the streams of a survey
        "SurveyStreams": "kotacerdas.roads.streams",
        "Track": "kotacerdas.roads.streams",
        "Vector3": "kotacerdas.roads.streams",
        # the IRI chart
        "CLASS_COLOURS": "kotacerdas.roads.charts",
        "iri_chart_svg": "kotacerdas.roads.charts",
        # the domain's error
        "RoadsError": "kotacerdas.roads.errors",
        # survey files
        "detect_format": "kotacerdas.roads.formats.survey",
        "import_survey": "kotacerdas.roads.formats.survey",
        "read_survey": "kotacerdas.roads.formats.survey",
        "write_survey_package": "kotacerdas.roads.formats.package",
        "ImportReport": "kotacerdas.roads.formats.reading",
        "SurveyImport": "kotacerdas.roads.formats.reading",
        "SurveyLimits": "kotacerdas.roads.formats.reading",
        # use cases (in the caller's transaction)
        "SurveyImportResult": "kotacerdas.roads.services.surveys",
        "delete_survey": "kotacerdas.roads.services.surveys",
        "import_survey_file": "kotacerdas.roads.services.surveys",
        "calibrate_vehicle": "kotacerdas.roads.services.vehicles",
        "ensure_vehicle": "kotacerdas.roads.services.vehicles",
        "report_workbook": "kotacerdas.roads.services.report",
        # the camera half: SDI and the combined condition
        "SdiInput": "kotacerdas.roads.sdi",
        "SdiResult": "kotacerdas.roads.sdi",
        "surface_distress_index": "kotacerdas.roads.sdi",
        "sdi_class": "kotacerdas.roads.sdi",
        "combined_class": "kotacerdas.roads.sdi",
        "segment_condition": "kotacerdas.roads.sdi",
        # detection models and the detector
        "ModelManifest": "kotacerdas.roads.models",
        "install_model": "kotacerdas.roads.models",
        "list_models": "kotacerdas.roads.models",
        "Detection": "kotacerdas.roads.detection",
        "Detector": "kotacerdas.roads.detection",
        "load_detector": "kotacerdas.roads.detection",
        # evaluation on a labelled set
        "Box": "kotacerdas.roads.evaluation",
        "evaluate": "kotacerdas.roads.evaluation",
        "evaluate_folder": "kotacerdas.roads.evaluation",
        # video, photos, placement, privacy, de-duplication
        "FramePose": "kotacerdas.roads.video",
        "probe_video": "kotacerdas.roads.video",
        "sample_poses": "kotacerdas.roads.video",
        "read_photos": "kotacerdas.roads.photos",
        "CameraModel": "kotacerdas.roads.placement",
        "place_box": "kotacerdas.roads.placement",
        "Blurrer": "kotacerdas.roads.privacy",
        "group_sightings": "kotacerdas.roads.damage",
        # use cases of the camera half (their own transactions)
        "prepare_video": "kotacerdas.roads.services.captures_input",
        "prepare_photos": "kotacerdas.roads.services.captures_input",
        "import_capture": "kotacerdas.roads.services.damage",
        "import_captures": "kotacerdas.roads.services.damage",
    },
)
