"""The request and response models of the Road Manager API (what the OpenAPI document shows).

GeoJSON answers are :class:`~kotacerdas.http.schemas.FeatureCollection` and
:class:`~kotacerdas.http.schemas.Feature` over the properties declared here. Times are ISO
8601 strings with their UTC offset, as the routes have always written them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

ClassCode = Literal["baik", "sedang", "rusak_ringan", "rusak_berat"]
"""A Bina Marga class code (``kotacerdas.roads.bina_marga.RoadClass``)."""

ISO_TIME: JsonDict = {"format": "date-time"}


def _time(description: str, **kw: Any) -> Any:
    return Field(description=description, json_schema_extra=ISO_TIME, **kw)


# --------------------------------------------------------------------------- request models


class CityQuery(BaseModel):
    """The city of a public road-condition request."""

    city: str = Field(description="City code, e.g. 35.10")


class WindowQuery(CityQuery):
    """A city, an optional box and an optional window of dates."""

    bbox: str | None = Field(None, description="west,south,east,north (WGS84)", examples=["114.36,-8.23,114.38,-8.21"])
    since: str | None = Field(None, description="from this date (YYYY-MM-DD) or ISO 8601 time; UTC without a zone")
    until: str | None = Field(None, description="up to this date (the whole day) or ISO 8601 time")


class SegmentQuery(WindowQuery):
    """The filters of the segments list; with ``since``/``until`` the condition is the one measured then."""

    model_config = ConfigDict(populate_by_name=True)

    road_class: str | None = Field(
        None,
        alias="class",
        description="class codes, comma-separated: baik,sedang,rusak_ringan,rusak_berat,none (none: not measured)",
    )
    highway: str | None = Field(None, description="OSM highway classes, comma-separated")
    road: str | None = Field(None, description="road name")
    district: str | None = Field(None, description="kecamatan code")


class ReportFilters(BaseModel):
    """The map's filters: what they select is what the figures and the report count, as the map draws it."""

    model_config = ConfigDict(populate_by_name=True)

    since: str | None = Field(None, description="from this date (YYYY-MM-DD): the condition measured from then")
    until: str | None = Field(None, description="up to this date (the whole day)")
    road_class: str | None = Field(
        None, alias="class", description="class codes, comma-separated: baik,sedang,rusak_ringan,rusak_berat,none"
    )
    district: str | None = Field(None, description="kecamatan code")


class SummaryQuery(CityQuery, ReportFilters):
    """A city and the map's filters: the figures count the segments they select, as the map draws them."""


class RoadsQuery(SummaryQuery):
    """A city, the map's filters and a search: the roads list counts the segments the filters select."""

    q: str | None = Field(None, max_length=200, description="part of a road's name, or of a kecamatan's name")


class DownloadQuery(SegmentQuery):
    """The filters of the segments list, and the file format of the download."""

    format: Literal["csv", "geojson"] = Field("csv", description="csv or geojson")


class EventQuery(WindowQuery):
    """The filters of the events list."""

    kind: str | None = Field(None, description="pothole, bump (comma-separated)")


class RoadQuery(CityQuery):
    """One road of a city."""

    road: str = Field(description="road name, or a segment id")


class VehicleCreate(BaseModel):
    """A survey vehicle to register."""

    id: str = Field(min_length=1, max_length=80, description="The vehicle's id (a plate, a fleet number)")
    name: str = Field("", description="A name people read; the id when empty")


# --------------------------------------------------------------------------- road condition (public)


class SegmentProperties(BaseModel):
    """A road segment's attributes and its condition (the latest, or the one measured in the dates asked)."""

    model_config = ConfigDict(populate_by_name=True)

    id: int = Field(description="Row id (the feature id)")
    segment_id: str = Field(description="Stable OSM-based id, e.g. w123:n45-n67")
    city: str
    osm_way_id: int
    name: str | None
    road: str = Field(description="The road this segment belongs to (its name, or way <id>)")
    highway: str = Field(description="OSM highway class")
    surface: str | None
    lanes: int | None
    oneway: int = Field(description="1 one way along, -1 against, 0 both ways")
    length_m: float
    district_code: str | None = Field(description="Kecamatan code")
    village_code: str | None = Field(description="Kelurahan/desa code")
    iri_m_per_km: float | None = Field(description="IRI (m/km); null when not measured")
    road_class: ClassCode | None = Field(alias="class", description="Bina Marga class; null when not measured")
    measured_at: str | None = _time("When the condition was measured")
    calibrated: bool | None = Field(description="Measured with a calibrated vehicle")
    measured_m: float | None = Field(
        None, description="Metres of the segment the condition rests on (the IRI is their distance-weighted mean)"
    )
    measured_share: float | None = Field(None, description="Those metres over the segment's length (0-1)")
    surveys: int = Field(description="Surveys that drove this segment")
    source: str = Field(description="Where the segment comes from (osm:<file>, generated)")
    active: bool = Field(description="Still in the latest network import")
    sdi: float | None = Field(description="Surface Distress Index (Bina Marga); null when not assessed")
    sdi_class: ClassCode | None = Field(description="Bina Marga class of the SDI; null when not assessed")
    sdi_at: str | None = _time("When the SDI was assessed")
    combined_class: ClassCode | None = Field(
        description="Condition from the IRI and the SDI (Bina Marga matrix), or from the one known; null when neither"
    )
    basis: Literal["iri_sdi", "iri_only", "sdi_only", "none"] = Field(
        description="What the combined class rests on: both, the IRI alone, the SDI alone, neither"
    )
    missing: list[Literal["iri", "sdi"]] = Field(description="Which of the two is not known")
    stale: list[Literal["iri", "sdi"]] = Field(description="Which of the two is older than a year")


class HistoryEntry(BaseModel):
    """What one survey found on a segment (public: no vehicle, no file)."""

    model_config = ConfigDict(populate_by_name=True)

    survey: int
    date: str = _time("When the survey drove the segment")
    iri: float | None
    road_class: ClassCode | None = Field(alias="class")
    measured_m: float = Field(description="Length of the segment measured by this survey")
    share: float | None = Field(None, description="That length over the segment's length (0-1)")
    calibrated: bool


class SegmentDetailProperties(SegmentProperties):
    """A segment with every survey's measurement on it, newest first."""

    history: list[HistoryEntry]


class EventProperties(BaseModel):
    """A pothole or bump found by a survey."""

    id: int
    city: str
    kind: Literal["pothole", "bump"]
    at: str = _time("When the vehicle passed it")
    strength_ms2: float = Field(description="Peak vertical acceleration (m/s²)")
    speed_kmh: float
    segment: int | None = Field(description="Row id of the segment it lies on")
    segment_id: str | None = Field(description="Stable id of the segment it lies on")


class CoverageProperties(BaseModel):
    """A segment driven by surveys: how often and when (within the dates asked)."""

    id: int
    segment_id: str
    name: str | None
    surveys: int
    first_driven: str = _time("First drive in the dates asked")
    last_driven: str = _time("Last drive in the dates asked")


class Totals(BaseModel):
    """Lengths of a set of segments: network, measured, per class, the jalan mantap share and the mean IRI."""

    network_km: float
    measured_km: float
    km_by_class: dict[ClassCode, float]
    mantap_share: float | None = Field(description="Baik + Sedang over the measured length; null if none measured")
    mean_iri: float | None = Field(description="Length-weighted mean IRI of the measured segments (m/km)")
    segments: int


class DistrictTotals(Totals):
    """The totals of one kecamatan (``code`` null: segments in no kecamatan)."""

    code: str | None
    name: str


class CitySummary(Totals):
    """The totals of a city's network (the segments the filters select), the length driven by surveys and the
    totals per kecamatan."""

    city: str
    surveyed_km: float = Field(description="Length of the segments driven by at least one survey (in the window)")
    districts: list[DistrictTotals]
    filters: dict[str, str] = Field(default_factory=dict, description="The filters applied, as given")
    first_survey: str | None = Field(None, description="The first drive of the city's surveys (ISO 8601)")
    last_survey: str | None = Field(None, description="The last drive of the city's surveys (ISO 8601)")


class RoadTotals(Totals):
    """The totals of one road (the active segments sharing a name)."""

    road: str
    highway: str = Field(description="OSM highway class of its first segment")


class ProfileSegment(BaseModel):
    """Where a segment lies along its road and its latest measurement."""

    model_config = ConfigDict(populate_by_name=True)

    id: int
    segment_id: str
    from_m: float
    to_m: float
    iri: float | None
    road_class: ClassCode | None = Field(alias="class")
    date: str | None = _time("When it was last measured")


class ProfileInterval(BaseModel):
    """One measured interval along the road."""

    from_m: float
    to_m: float
    iri: float


class RoadProfile(BaseModel):
    """A road along its length: its totals, its segments and the latest interval measurements on each."""

    road: str
    length_m: float
    surveys: int = Field(description="Surveys whose measurements are drawn")
    latest: str | None = _time("The newest of those measurements")
    network_km: float
    measured_km: float
    km_by_class: dict[ClassCode, float]
    mantap_share: float | None
    mean_iri: float | None
    segments: list[ProfileSegment] = Field(description="Its segments in order along the road")
    intervals: list[ProfileInterval]


# --------------------------------------------------------------------------- surveys and vehicles (private)


class SurveyReport(BaseModel):
    """What the reader read and what it left out, per reason."""

    source: str
    format: str
    rows: dict[str, int] = Field(description="Data rows read per stream")
    excluded: dict[str, int] = Field(description="Rows left out per reason")
    examples: list[list[str]] = Field(description="The first rows left out: [reason, file:row]")


class SurveySummary(BaseModel):
    """What the import of a survey found."""

    vehicle: str
    calibrated: bool
    format: str
    started_at: str = _time("Start of the drive")
    length_m: float
    measured_m: float
    intervals: int
    measured_intervals: int
    not_measured: dict[str, int] = Field(description="Intervals not measured, per reason")
    events: dict[str, int] = Field(description="Events found, per kind")
    segments_driven: int
    matched_fraction: float | None = Field(description="Share of the fixes matched onto the network")
    mantap_share: float | None
    excluded: dict[str, int]
    rows: dict[str, int]


class SurveyImport(SurveySummary):
    """The answer to a survey upload (``already_imported``: the same drive was imported before)."""

    survey_id: int
    already_imported: bool


class Survey(BaseModel):
    """An imported survey (private to the city)."""

    id: int
    vehicle: str
    filename: str
    format: str
    started_at: str = _time("Start of the drive")
    ended_at: str = _time("End of the drive")
    length_m: float
    measured_m: float
    matched_fraction: float | None
    calibrated: bool
    content_hash: str = Field(description="SHA-256 of the streams (the same drive twice is one survey)")
    report: SurveyReport
    summary: SurveySummary
    has_raw: bool = Field(description="The raw upload is kept (GET .../raw)")
    imported_at: str = _time("When it was imported")


class IntervalProperties(BaseModel):
    """The result of one interval of a survey."""

    model_config = ConfigDict(populate_by_name=True)

    index: int
    from_m: float
    to_m: float
    measured_at: str = _time("When the vehicle entered the interval")
    speed_kmh: float
    iri_m_per_km: float | None
    road_class: ClassCode | None = Field(alias="class")
    status: str = Field(description="measured or not_measured")
    reason: str | None = Field(description="Why it was not measured")
    iri_sd: float | None = Field(None, description="Standard deviation of the IRI (m/km)")
    calibrated: bool
    segment: int | None
    segment_id: str | None


class Calibration(BaseModel):
    """A vehicle's response-model coefficients and how well they fit the reference."""

    vehicle_id: str | None
    k1: float
    k2: float
    c: float
    mu: float
    gain: float
    calibrated: bool
    n_intervals: int = Field(description="Reference intervals fitted")
    fit_rmse_m_per_km: float | None
    fit_r2: float | None
    method: Literal["fitted", "identified"] = "fitted"
    n_vehicles: int = 0


class Vehicle(BaseModel):
    """A survey vehicle and its calibration (null: the flagged default is used)."""

    id: str
    name: str
    calibrated: bool
    calibrated_at: str | None = _time("When it was last calibrated")
    calibration: Calibration | None
