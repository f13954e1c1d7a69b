"""Response models shared by every router: problem details (RFC 9457), GeoJSON (RFC 7946), jobs, and the
responses every operation documents.

Domain routers declare their own request and response models in their ``api/schemas.py``
and build on these: ``FeatureCollection[SegmentProperties]`` is a GeoJSON FeatureCollection
whose features carry typed properties.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kotacerdas.http.pagination import Link

P = TypeVar("P")
PROBLEM_JSON = "application/problem+json"
GEOJSON = "application/geo+json"


class ProblemItem(BaseModel):
    """One of several problems of a request (a field, or a record of an uploaded file)."""

    field: str | None = None
    record: Any = None
    detail: str


class Problem(BaseModel):
    """An error, as RFC 9457 problem details; ``detail`` is in the request's language."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="URI naming the kind of problem", examples=["https://kotacerdas.org/problems/404"])
    title: str = Field(description="Short summary of the kind of problem, localised")
    status: int = Field(description="The HTTP status code")
    detail: str = Field(description="What went wrong with this request, localised")
    instance: str = Field(description="The path of the request")
    field: str | None = Field(None, description="The input field at fault, when known")
    record: Any = Field(None, description="The record at fault (row, feature index, id), when known")
    errors: list[ProblemItem] | None = Field(None, description="Every problem, when there are several")


#: What each error status means in this API (the ``description`` of its documented response).
ERROR_DESCRIPTIONS = {
    400: "Invalid input: the detail names the field or record and the reason",
    401: "Not signed in, or the token is unknown, expired or revoked",
    403: "Signed in without the role this needs in this city, or a cross-site request",
    404: "No such record, or not visible to this user",
    405: "This method is not allowed on this path",
    409: "Conflicts with what is stored (a duplicate, or a state that changed meanwhile)",
    413: "The upload is larger than the configured limit",
    422: "A parameter or body field does not have the expected type or range",
    429: "Too many attempts: wait and try again",
    500: "An internal error (reported; nothing was changed)",
    503: "Busy or unavailable: try again after the time in Retry-After",
}


def problem_response(status: int) -> dict[str, Any]:
    """The OpenAPI description of one error response (problem details)."""
    out: dict[str, Any] = {
        "description": ERROR_DESCRIPTIONS.get(status, "Error"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status == 401:
        out["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}}
    if status in (429, 503):
        out["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}}
    return out


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route or router: the listed error statuses as problem details."""
    return {s: {"model": Problem, **problem_response(s)} for s in statuses}


class GeoJSONResponse(JSONResponse):
    """A JSON response with the GeoJSON media type (``application/geo+json``)."""

    media_type = GEOJSON


class Geometry(BaseModel):
    """A GeoJSON geometry (RFC 7946), WGS84 longitude and latitude."""

    model_config = ConfigDict(extra="allow")

    type: Literal["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]
    coordinates: list[Any]


class Feature(BaseModel, Generic[P]):
    """A GeoJSON Feature with typed properties."""

    type: Literal["Feature"] = "Feature"
    id: int | str | None = None
    geometry: Geometry | None
    properties: P


class FeatureCollection(BaseModel, Generic[P]):
    """A GeoJSON FeatureCollection; paged lists also say how many features match and link to the next page."""

    model_config = ConfigDict(extra="allow")

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[Feature[P]]
    numberMatched: int | None = None
    numberReturned: int | None = None
    links: list[Link] | None = None


class Deleted(BaseModel):
    """What a delete removed."""

    deleted: int | str
