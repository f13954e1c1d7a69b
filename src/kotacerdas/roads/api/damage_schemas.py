"""The request and response models of Road Manager's camera API: damage records, sightings, captures, the SDI and
the combined condition, models, a vehicle's camera (what the OpenAPI document shows)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kotacerdas.http.schemas import FeatureCollection
from kotacerdas.roads.api.schemas import ISO_TIME, ClassCode, WindowQuery
from kotacerdas.roads.placement import CAMERA_LIMITS


def _time(description: str, **kw: Any) -> Any:
    return Field(description=description, json_schema_extra=ISO_TIME, **kw)


DamageStatus = Literal["detected", "confirmed", "rejected", "scheduled", "repaired"]


class DamageQuery(WindowQuery):
    """The filters of the damage list; ``since``/``until`` keep the damages seen in that window."""

    code: str | None = Field(None, description="damage codes, comma-separated: D00,D10,D20,D40 (and D43, D44)")
    min_confidence: float | None = Field(None, ge=0, le=1, description="lowest detection confidence (0–1)")
    status: str | None = Field(
        None, description="statuses, comma-separated: detected,confirmed,rejected,scheduled,repaired"
    )
    vehicle: str | None = Field(None, description="damages seen by this vehicle (private: roads.read_private)")
    segment: int | None = Field(None, description="row id of a segment")


class ExportQuery(DamageQuery):
    """The damage list as a file."""

    format: Literal["csv", "geojson", "kml"] = Field("geojson", description="csv, geojson or kml")


class DamageProperties(BaseModel):
    """A damage record (public): one damage however many frames and drives saw it."""

    id: int
    city: str
    code: str = Field(
        description="Road damage code (D00 longitudinal crack, D10 transverse, D20 alligator, D40 pothole)"
    )
    name: str = Field(description="The code's name in the request's language")
    status: DamageStatus
    status_label: str
    status_at: str = _time("When the status last changed")
    seen_state: Literal["seen", "not_seen_again"] = Field(
        description="not_seen_again: a later drive passed and missed it"
    )
    missed_at: str | None = _time("When a drive last passed without seeing it")
    confidence: float = Field(description="Highest detection confidence of its sightings")
    area_m2: float = Field(description="Approximate ground area (median of its sightings)")
    first_seen: str = _time("First sighting")
    last_seen: str = _time("Last sighting")
    sightings: int
    segment: int | None = Field(description="Row id of the segment it lies on")
    segment_id: str | None = Field(description="Stable id of the segment it lies on")
    crop: str | None = Field(description="URL of the blurred crop of its best sighting (JPEG)")
    demo: bool = Field(description="Generated for the demo, not detected by a model")
    model: str = Field(description="The model that found it (demo: generated)")


class Sighting(BaseModel):
    """One time a damage was seen (vehicle, device and capture only for the city's staff)."""

    id: int
    at: str = _time("When the frame was taken")
    code: str
    confidence: float
    area_m2: float
    crop: str | None
    capture: int | None
    vehicle: str | None
    device: str | None


class StatusChange(BaseModel):
    """One change of a damage's status (who, and the note, only for the city's staff)."""

    status: DamageStatus
    previous: DamageStatus | None
    at: str = _time("When")
    by: str | None
    note: str


class DamageDetailProperties(DamageProperties):
    """A damage with its sightings (newest first) and its status history (oldest first)."""

    sightings_list: list[Sighting]
    history: list[StatusChange]


class StatusUpdate(BaseModel):
    """A status change in the repair workflow."""

    status: DamageStatus
    note: str = Field("", max_length=2000)


class DistressUpdate(BaseModel):
    """What an officer measured on a segment (null: not measured)."""

    crack_width_mm: float | None = Field(None, ge=0, le=200, description="Mean crack width (mm)")
    rut_depth_mm: float | None = Field(None, ge=0, le=300, description="Rut depth (mm)")
    width_m: float | None = Field(None, ge=1, le=60, description="Carriageway width (m); default from OSM lanes")


class Distress(BaseModel):
    """A segment's surface distress index and what was entered."""

    sdi: float | None
    sdi_class: ClassCode | None
    sdi_at: str | None = _time("When a capture last covered the segment")
    crack_width_mm: float | None
    rut_depth_mm: float | None
    width_m: float | None
    details: dict[str, Any] = Field(description="The four steps of the SDI (see docs/roads-damage.md)")
    demo: bool


class SdiPiece(BaseModel):
    """The SDI of one 100 m piece of a segment."""

    model_config = ConfigDict(extra="allow")

    from_m: float
    to_m: float
    damages: int
    sdi: float
    road_class: ClassCode
    crack_area_pct: float
    potholes_per_km: float


class SegmentSdi(BaseModel):
    """A segment's SDI and its SDI per 100 m."""

    segment: int
    distress: Distress
    pieces: FeatureCollection[SdiPiece] = Field(description="One feature per 100 m of the segment")


class ConditionProperties(BaseModel):
    """A segment's condition from its IRI and its SDI (Bina Marga), saying what it rests on."""

    model_config = ConfigDict(populate_by_name=True)

    id: int
    segment_id: str
    city: str
    name: str | None
    road: str
    length_m: float
    road_class: ClassCode | None = Field(alias="class", description="Combined class; null when neither is known")
    basis: Literal["iri_sdi", "iri_only", "sdi_only", "none"]
    iri: float | None
    sdi: float | None
    iri_class: ClassCode | None
    sdi_class: ClassCode | None
    iri_at: str | None = _time("When the IRI was measured")
    sdi_at: str | None = _time("When the SDI was assessed")
    missing: list[Literal["iri", "sdi"]]
    stale: list[Literal["iri", "sdi"]] = Field(description="Measurements older than a year")
    iri_measured_m: float | None
    sdi_demo: bool


class ConditionQuery(WindowQuery):
    """The segments of a city with their combined condition."""


class Capture(BaseModel):
    """A video or photo set of a drive, inspected by a model (private)."""

    id: int
    kind: Literal["video", "photos", "demo"]
    filename: str
    vehicle: str | None
    survey: int | None
    model: str
    device: str
    status: Literal["processing", "done", "failed"]
    started_at: str | None = _time("First frame")
    ended_at: str | None = _time("Last frame")
    offset_s: float
    every_m: float
    frames_total: int
    frames_done: int
    frames_failed: int
    demo: bool
    error: str | None = Field(None, description="Why the capture failed, in the request's language")
    report: dict[str, Any]
    imported_at: str = _time("When it was imported")


class CaptureResult(BaseModel):
    """What importing one video or photo set did."""

    model_config = ConfigDict(extra="allow")

    capture_id: int
    already_imported: bool
    status: str
    frames_total: int
    frames_done: int
    frames_failed: int
    damages_new: int
    sightings: int


class CaptureImport(BaseModel):
    """The result of an upload: one entry per video or photo set."""

    captures: list[CaptureResult]


class ModelClassOut(BaseModel):
    name: str
    code: str | None


class ModelOut(BaseModel):
    """An installed detection model."""

    name: str
    runtime: Literal["onnx", "tflite", "darknet"]
    input_size: int
    layout: str
    purpose: Literal["damage", "plate"]
    classes: list[ModelClassOut]
    codes: list[str]
    score_threshold: float
    licence: str
    source: str
    description: str


class CameraSettings(BaseModel):
    """A vehicle's camera model for placing damage on the road (flat road, pinhole camera)."""

    height_m: float = Field(
        1.3,
        ge=CAMERA_LIMITS["height_m"][0],
        le=CAMERA_LIMITS["height_m"][1],
        description="Mount height above the road (m)",
    )
    pitch_deg: float = Field(
        12.0,
        ge=CAMERA_LIMITS["pitch_deg"][0],
        le=CAMERA_LIMITS["pitch_deg"][1],
        description="Tilt down from the horizontal (°)",
    )
    hfov_deg: float = Field(
        70.0,
        ge=CAMERA_LIMITS["hfov_deg"][0],
        le=CAMERA_LIMITS["hfov_deg"][1],
        description="Horizontal field of view (°)",
    )
    offset_right_m: float = Field(
        0.0,
        ge=CAMERA_LIMITS["offset_right_m"][0],
        le=CAMERA_LIMITS["offset_right_m"][1],
        description="Camera right of the vehicle's centre line (m)",
    )
    max_range_m: float = Field(
        25.0,
        ge=CAMERA_LIMITS["max_range_m"][0],
        le=CAMERA_LIMITS["max_range_m"][1],
        description="Farthest ground point trusted (m)",
    )
