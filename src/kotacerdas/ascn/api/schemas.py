"""Request and response models of the ASCN API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class CityOut(BaseModel):
    slug: str
    name: str
    local_name: str = Field(description="The city's name in its national script, when it is not Latin")
    country: str = Field(description="ISO 3166-1 alpha-2")
    year_joined: int
    lon: float | None
    lat: float | None
    population: int | None
    population_year: int | None
    population_source: str
    description: str
    platform_code: str | None = Field(description="The platform city code when the city runs kotacerdas here")
    projects: int | None
    source: str
    is_demo: bool


class CityPatch(BaseModel):
    """Changes to a member city; contacts are private (read back from ``/contacts``)."""

    name: str | None = Field(None, min_length=1, max_length=200)
    local_name: str | None = Field(None, max_length=200)
    population: int | None = Field(None, ge=0)
    population_year: int | None = Field(None, ge=1900, le=2100)
    population_source: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=5000)
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    cso_name: str | None = Field(None, max_length=200, description="Chief Smart City Officer")
    cso_email: str | None = Field(None, max_length=200)
    rep_name: str | None = Field(None, max_length=200, description="National Representative")
    rep_email: str | None = Field(None, max_length=200)


class CityEditors(BaseModel):
    city: str
    editors: list[str] = Field(description="Usernames the secretariat named editors of this member city")


class Contacts(BaseModel):
    cso_name: str
    cso_email: str
    rep_name: str
    rep_email: str


class LiveSystem(BaseModel):
    system: str
    title: str
    link: str | None
    figures: list[tuple[str, str]]


class ProjectOut(BaseModel):
    id: int
    city: str
    city_name: str
    country: str
    title: str
    summary: str
    local_lang: str
    local_title: str
    local_summary: str
    focus_areas: list[str]
    status: str
    start_date: str | None
    end_date: str | None
    budget: float | None
    currency: str | None
    funding_sources: list[str]
    lead_agency: str
    sdg_targets: list[str]
    lon: float | None
    lat: float | None
    systems: list[str] = Field(description="City systems whose live figures are this project's indicators")
    source: str
    source_url: str
    is_demo: bool


class IndicatorValueOut(BaseModel):
    observed_on: str
    value: float
    source: str


class IndicatorOut(BaseModel):
    id: int
    name: str
    unit: str
    description: str
    is_demo: bool
    values: list[IndicatorValueOut]


class DocumentOut(BaseModel):
    id: int
    title: str
    filename: str
    media_type: str
    size: int
    sha256: str
    url: str
    created_at: str


class PartnershipOut(BaseModel):
    id: int
    partner: str
    partner_name: str
    city: str
    city_name: str
    project_id: int | None
    programme: str | None
    programme_name: str | None
    type: str
    status: str
    agreement: str
    start_date: str | None
    end_date: str | None
    source: str
    is_demo: bool


class ProjectDetail(ProjectOut):
    partnerships: list[PartnershipOut]
    indicators: list[IndicatorOut]
    live: list[LiveSystem] = Field(description="Live figures of the city systems this project names")
    documents: list[DocumentOut]


class ProjectIn(BaseModel):
    city: str = Field(description="Member city slug")
    title: str = Field(min_length=1, max_length=300, description="In English")
    summary: str = Field("", max_length=10000)
    local_lang: str = Field("", max_length=8, description="Language of the local title and summary (ISO 639-1)")
    local_title: str = Field("", max_length=300)
    local_summary: str = Field("", max_length=10000)
    focus_areas: list[str] = Field(default_factory=list)
    status: str = "idea"
    start_date: str | None = None
    end_date: str | None = None
    budget: float | None = Field(None, ge=0)
    currency: str | None = Field(None, max_length=3)
    funding_sources: list[str] = Field(default_factory=list)
    lead_agency: str = Field("", max_length=300)
    sdg_targets: list[str] = Field(default_factory=list)
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    systems: list[str] = Field(default_factory=list)
    source: str = Field("", max_length=300)
    source_url: str = Field("", max_length=300)


class ProjectPatch(BaseModel):
    title: str | None = Field(None, min_length=1, max_length=300)
    summary: str | None = Field(None, max_length=10000)
    local_lang: str | None = Field(None, max_length=8)
    local_title: str | None = Field(None, max_length=300)
    local_summary: str | None = Field(None, max_length=10000)
    focus_areas: list[str] | None = None
    status: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    budget: float | None = Field(None, ge=0)
    currency: str | None = Field(None, max_length=3)
    funding_sources: list[str] | None = None
    lead_agency: str | None = Field(None, max_length=300)
    sdg_targets: list[str] | None = None
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    systems: list[str] | None = None
    source: str | None = Field(None, max_length=300)
    source_url: str | None = Field(None, max_length=300)


class IndicatorValueIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field("", max_length=40)
    observed_on: str = Field(description="YYYY-MM-DD, YYYY-MM or YYYY")
    value: float
    source: str = Field("", max_length=300)


class PartnerOut(BaseModel):
    slug: str
    name: str
    kind: str
    country: str | None
    website: str
    description: str
    offers: list[str] = Field(description="Kinds of support offered")
    focus_areas: list[str]
    aliases: list[str]
    source: str
    is_demo: bool


class PartnerDetail(PartnerOut):
    partnerships: list[PartnershipOut]


class PartnerIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: str = "company"
    country: str | None = Field(None, max_length=2)
    website: str = Field("", max_length=300)
    description: str = Field("", max_length=5000)
    offers: list[str] = Field(default_factory=list)
    focus_areas: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    contact_name: str = Field("", max_length=200)
    contact_email: str = Field("", max_length=200)
    source: str = Field("", max_length=300)
    editors: list[str] = Field(default_factory=list, description="Usernames who may edit this profile")


class PartnerPatch(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = None
    country: str | None = Field(None, max_length=2)
    website: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=5000)
    offers: list[str] | None = None
    focus_areas: list[str] | None = None
    contact_name: str | None = Field(None, max_length=200)
    contact_email: str | None = Field(None, max_length=200)


class DuplicateOut(BaseModel):
    a: str
    b: str
    names: list[str]
    score: float
    reasons: list[str]


class MergeIn(BaseModel):
    keep: str = Field(description="Slug of the partner that stays")
    drop: str = Field(description="Slug of the partner merged into it")


class MergeOut(BaseModel):
    kept: str
    merged: str
    partnerships_moved: int


class DismissIn(BaseModel):
    a: str
    b: str


class ProgrammeOut(BaseModel):
    slug: str
    name: str
    sponsor: str | None
    sponsor_name: str | None
    description: str
    support_types: list[str]
    focus_areas: list[str]
    url: str
    start_year: int | None
    end_year: int | None
    source: str
    is_demo: bool


class PartnershipIn(BaseModel):
    partner: str = Field(description="Partner slug")
    city: str = Field(description="Member city slug")
    project_id: int | None = None
    programme: str | None = Field(None, description="Programme slug")
    type: str
    status: str = "active"
    agreement: str = Field("", max_length=300)
    start_date: str | None = None
    end_date: str | None = None
    source: str = Field("", max_length=300)


class ClaimIn(BaseModel):
    metric: str
    value: float
    qualifier: str = Field("", max_length=32, description="about, more than ... as the source says")
    unit: str = Field("", max_length=40)
    source: str = Field(min_length=1, max_length=400)
    source_url: str = Field("", max_length=300)
    as_of: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD")
    note: str = Field("", max_length=2000)
    scope: str = Field("network", max_length=80)


class ClaimOut(BaseModel):
    id: int
    metric: str
    scope: str
    value: float
    qualifier: str
    unit: str
    source: str
    source_url: str
    as_of: str
    note: str
    is_demo: bool


class ComputedValue(BaseModel):
    value: float | None
    source: str = "registry"


class PublishedValue(BaseModel):
    value: float
    qualifier: str
    source: str
    source_url: str
    as_of: str
    note: str
    is_demo: bool


class FigureOut(BaseModel):
    metric: str
    label: str
    computed: ComputedValue = Field(description="Counted from the registry now")
    claims: list[PublishedValue] = Field(description="As published, with source and as-of date, newest first")


class Count(BaseModel):
    code: str
    label: str
    count: int


class StatsOut(BaseModel):
    focus_area: list[Count]
    status: list[Count]
    country: list[Count]
    partnership_type: list[Count]


class PracticeOut(BaseModel):
    slug: str
    title: str
    lang: str
    summary: str
    body: str
    lessons: str
    city: str | None
    city_name: str | None
    project_id: int | None
    focus_areas: list[str]
    year: int | None
    source: str
    source_url: str
    is_demo: bool


class PracticeIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    lang: str = "en"
    summary: str = Field("", max_length=10000)
    body: str = Field("", max_length=50000)
    lessons: str = Field("", max_length=10000)
    city: str | None = Field(None, description="Member city slug")
    project_id: int | None = None
    focus_areas: list[str] = Field(default_factory=list)
    year: int | None = Field(None, ge=1990, le=2100)
    source: str = Field("", max_length=300)
    source_url: str = Field("", max_length=300)


class HitOut(BaseModel):
    kind: str = Field(description="practice or project")
    ref: str = Field(description="The practice's slug or the project's id")
    title: str
    lang: str
    url: str
    snippet: str
    score: float
    matched_by: list[str] = Field(description="fulltext and/or semantic")


class SearchOut(BaseModel):
    query: str
    mode: str
    results: list[HitOut]


class EmbedOut(BaseModel):
    model: str
    embedded: int
    documents: int


class MatchIn(BaseModel):
    project_id: int | None = Field(None, description="A project of the registry, or describe the need in text")
    text: str = Field("", max_length=5000)
    focus_areas: list[str] = Field(default_factory=list)
    support_types: list[str] = Field(default_factory=list, description="Kinds of support wanted")
    city: str | None = Field(None, description="The member city with the need")
    limit: int = Field(5, ge=1, le=50)


class PartnerMatch(BaseModel):
    slug: str
    name: str
    score: float
    signals: dict[str, float]
    reasons: list[str]


class ProgrammeMatch(BaseModel):
    slug: str
    name: str
    score: float
    reasons: list[str]


class PeerMatch(BaseModel):
    slug: str
    name: str
    country: str
    project_id: int | None
    score: float
    reasons: list[str]


class MatchOut(BaseModel):
    partners: list[PartnerMatch]
    programmes: list[ProgrammeMatch]
    peers: list[PeerMatch]


class ImportProblem(BaseModel):
    sheet: str
    row: int
    column: str | None
    error: str


class ImportDuplicate(BaseModel):
    new: str
    existing: str
    existing_name: str
    reasons: list[str]


class ImportOut(BaseModel):
    created: dict[str, int]
    updated: dict[str, int]
    skipped: list[ImportProblem]
    duplicates: list[ImportDuplicate] = Field(description="New partners that look like existing ones: not merged")
    already_imported: bool


class ReportIn(BaseModel):
    year: int = Field(ge=2018, le=2100)
    format: str = Field("pdf", pattern="^(pdf|xlsx)$", description="pdf or xlsx")
    city: str | None = Field(None, description="A member city's slug; none for the whole network")


class ReportFile(BaseModel):
    """The result of a report job."""

    filename: str
    media_type: str
    size: int
    download: str = Field(description="Where to download it (for the user who asked, and the secretariat)")


def dump(model: type[BaseModel], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as ``model`` lets them out (extra fields dropped)."""
    return [model.model_validate(r).model_dump() for r in rows]
