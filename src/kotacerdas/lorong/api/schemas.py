"""Request and response models of the neighbourhood-programme API. Public models carry only published fields;
``...Private`` models add what only the unit's coordinator, its lurah and the admins may read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class Bilingual(BaseModel):
    id: str = Field(description="Bahasa Indonesia (required)")
    en: str = Field("", description="English (required: a text in one language only is refused)")


class Theme(BaseModel):
    code: str
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    keywords: list[str]
    weight: float
    named_in_reports: bool = Field(description="Named in the programme's public reports (else the project's grouping)")
    indicators: int


class Indicator(BaseModel):
    code: str
    theme: str
    name: Bilingual
    unit: str = Field(description="The unit of measure as the programme wrote it (Bahasa Indonesia)")
    unit_en: str = Field(description="The unit in English where the platform knows the word, else as written")
    frequency: str = Field(description="month, quarter or year")
    target: float = Field(description="Per period of the indicator's frequency")
    time_agg: str = Field(description="How values add up over time: sum, mean, last or max")
    area_agg: str = Field(description="How values add up over an area: sum or mean")
    higher_is_better: bool
    evidence_required: bool = Field(description="A photo must back a value above zero")
    weight: float


class Programme(BaseModel):
    code: str
    city: str
    name: Bilingual
    description: Bilingual
    unit_label: Bilingual
    unit_level: str = Field(description="lorong, or village for programmes whose units are desa/kelurahan")
    period: str = Field(description="month or quarter")
    grades: list[tuple[str, float]] = Field(description="Grades and the lowest score earning each")
    due_days: int = Field(description="Days after a period's end a report is still on time")
    score_periods: int = Field(description="Periods in the scoring window")
    is_demo: bool


class ProgrammeDetail(Programme):
    themes: list[Theme]
    indicators: list[Indicator]


class ProgrammeCreate(BaseModel):
    code: str = Field(description="A built-in seed (lorong-wisata, smart-kampung) to start from")


class ProgrammeUpdate(BaseModel):
    name: Bilingual | None = None
    description: Bilingual | None = None
    unit_label: Bilingual | None = None
    grades: list[tuple[str, float]] | None = None
    due_days: int | None = None
    score_periods: int | None = None
    is_active: bool | None = None


class ThemeSave(BaseModel):
    name: Bilingual | None = None
    description: Bilingual | None = None
    keywords: list[str] | None = None
    weight: float | None = Field(None, ge=0)
    position: int | None = None
    is_active: bool | None = None


class IndicatorSave(BaseModel):
    theme: str | None = None
    name: Bilingual | None = None
    unit: str | None = None
    frequency: str | None = None
    target: float | None = None
    time_agg: str | None = None
    area_agg: str | None = None
    higher_is_better: bool | None = None
    evidence_required: bool | None = None
    weight: float | None = Field(None, ge=0)
    is_active: bool | None = None


class Saved(BaseModel):
    code: str
    changed: dict[str, Any] = Field(default_factory=dict)


class Officer(BaseModel):
    username: str
    kelurahan_codes: list[str] = Field(description="Kemendagri codes of the kelurahan whose reports they verify")


class OfficerSave(BaseModel):
    kelurahan_codes: list[str] = Field(
        min_length=1, max_length=500, description="Kemendagri kelurahan codes, e.g. 73.71.03.1003"
    )


class OfficerRemoved(BaseModel):
    username: str
    removed: list[str]


class Texts(BaseModel):
    """A text a lorong writes: Bahasa Indonesia, and English when it gave one (a page in English shows the
    Indonesian text with a note when ``en`` is empty)."""

    id: str = Field("", description="Bahasa Indonesia")
    en: str = Field("", description="English (may be empty)")


#: What a client sends for such a text: ``{"id", "en"}``, or a plain string (the Indonesian text).
TextsIn = Texts | str


class Product(BaseModel):
    name: Texts
    price: int | None = Field(None, description="Whole rupiah")
    unit: str = ""


class ProductSave(BaseModel):
    name: TextsIn = Field(description="``{id, en}``, or a plain string: the Indonesian name")
    price: int | None = Field(None, description="Whole rupiah")
    unit: str = ""


class Activity(BaseModel):
    code: str
    kind: str
    theme: str | None
    name: Texts
    description: Texts
    started_on: date | None
    ended_on: date | None
    products: list[Product]
    contact: str | None = Field(description="Only when the activity chose to publish it")
    location: list[float] | None = Field(description="[lon, lat]")


class ActivityPrivate(Activity):
    contact_public: bool
    is_public: bool


class ActivitySave(BaseModel):
    kind: str | None = None
    theme: str | None = None
    name: TextsIn | None = Field(
        None, description="``{id, en}`` (Bahasa Indonesia required, English optional), or a plain Indonesian string"
    )
    description: TextsIn | None = Field(None, description="As ``name``; empty for none")
    started_on: date | None = None
    ended_on: date | None = None
    products: list[ProductSave] | None = None
    contact: str | None = None
    contact_public: bool | None = None
    is_public: bool | None = None
    location: dict[str, Any] | None = Field(None, description="A GeoJSON Point")


class UnitPublic(BaseModel):
    """The published fields of a unit: no coordinator, no residents, no contacts but the one it publishes."""

    id: int
    code: str
    slug: str
    name: str
    address: str
    kecamatan_code: str
    kecamatan: str
    kelurahan_code: str
    kelurahan: str
    rw: str
    rt: str
    grade: str | None
    description: dict[str, str]
    themes: list[str]
    public_contact: str
    lon: float | None
    lat: float | None
    is_demo: bool
    page: str | None = Field(None, description="The unit's public page")


class UnitDetail(UnitPublic):
    activities: list[Activity]
    photos: list[int] = Field(description="Ids of public photos: /api/v1/lorong/photos/{id}")


class UnitPrivate(UnitPublic):
    coordinator: str | None
    coordinator_name: str
    contact_phone: str
    contact_email: str
    is_published: bool
    score: float | None
    suggested_grade: str | None
    score_period: str | None
    theme_scores: dict[str, float]
    activities: list[ActivityPrivate]


class UnitCreate(BaseModel):
    programme: str
    code: str
    name: str
    kecamatan_code: str
    kelurahan_code: str
    geometry: dict[str, Any] = Field(description="A GeoJSON LineString or Polygon (or Multi-)")
    address: str = ""
    rw: str = ""
    rt: str = ""
    grade: str | None = None
    themes: list[str] = Field(default_factory=list)
    description: Bilingual | None = None
    coordinator: str | None = Field(None, description="Username of the coordinator")
    coordinator_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    public_contact: str = ""
    is_published: bool = True


class UnitUpdate(BaseModel):
    name: str | None = None
    address: str | None = None
    kecamatan_code: str | None = None
    kelurahan_code: str | None = None
    rw: str | None = None
    rt: str | None = None
    grade: str | None = None
    themes: list[str] | None = None
    description: Bilingual | None = None
    geometry: dict[str, Any] | None = None
    coordinator: str | None = None
    coordinator_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    public_contact: str | None = None
    is_published: bool | None = None


class ReportSave(BaseModel):
    period: str = Field(description="2025-04 (monthly programmes) or 2025-Q2 (quarterly)")
    values: dict[str, float | None] = Field(description="Indicator code -> value")
    submit: bool = Field(True, description="False keeps it a draft")
    client_key: str | None = Field(None, max_length=64, description="Sent again by a phone: the same key is one send")


class Report(BaseModel):
    id: int
    unit: str
    unit_name: str
    kelurahan_code: str
    period: str
    status: str = Field(description="draft, submitted, verified or returned")
    version: int
    on_time: bool | None
    submitted_at: datetime | None
    verified_at: datetime | None
    comment: str
    values: dict[str, float]
    photos: list[int]


class ReportSaved(Report):
    changed: bool = Field(description="False when the same client_key was already received")


class ReportVersion(BaseModel):
    version: int
    action: str
    status: str
    values: dict[str, float]
    comment: str
    user: str | None
    at: datetime


class ReportDetail(Report):
    versions: list[ReportVersion]


class Decision(BaseModel):
    comment: str = ""


class PhotoSaved(BaseModel):
    id: int
    sha256: str
    size: int


class WasteBankCreate(BaseModel):
    unit_id: int
    code: str
    name: str


class WastePriceSave(BaseModel):
    material: str
    valid_from: date
    rupiah_per_kg: int = Field(gt=0)


class WasteAccountCreate(BaseModel):
    holder_name: str
    phone: str = ""
    account_no: str | None = None


class WasteAccount(BaseModel):
    account_no: str
    holder_name: str
    phone: str
    balance: int


class DepositItem(BaseModel):
    material: str
    kg: float = Field(gt=0)


class Deposit(BaseModel):
    account_no: str
    items: list[DepositItem]
    idempotency_key: str = Field(min_length=1, max_length=120)
    at: datetime | None = None


class Withdrawal(BaseModel):
    account_no: str
    amount: int = Field(gt=0)
    idempotency_key: str = Field(min_length=1, max_length=120)
    at: datetime | None = None


class CashMove(BaseModel):
    amount: int = Field(gt=0)
    idempotency_key: str = Field(min_length=1, max_length=120)
    memo: str = ""
    at: datetime | None = None


class WasteTxn(BaseModel):
    kind: str
    amount: int = Field(description="Rupiah into the resident's savings (deposit) or cash paid out (withdrawal)")
    account_balance: int | None
    cash: int
    created: bool = Field(description="False when the idempotency key was already used for this request")


class WasteBank(BaseModel):
    id: int
    code: str
    name: str
    unit: str
    cash: int
    accounts: int
    savings: int
    prices: list[WastePriceSave]
    month: dict[str, Any] = Field(description="This month's kg per material, rupiah deposited and savers")


class StatementLine(BaseModel):
    at: datetime
    kind: str
    amount: int
    balance: int
    kg: float


class Statement(BaseModel):
    account_no: str
    month: str
    opening: int
    deposited: int
    withdrawn: int
    kg: float
    closing: int
    lines: list[StatementLine]


class MarketSave(BaseModel):
    name: str | None = None
    kind: str = "market"
    kecamatan_code: str = ""
    kelurahan_code: str = ""
    unit_id: int | None = Field(None, description="The lorong whose coordinator records prices here (kind lorong)")
    location: dict[str, Any] | None = None


class PriceEntry(BaseModel):
    market: str
    commodity: str
    day: date = Field(description="Any day of the week the price was seen")
    price: int = Field(gt=0, description="Whole rupiah per the commodity's unit")
    confirm: bool = Field(
        False, description="An admin confirms a price far from the recent median (a real jump, not a slip)"
    )


class PricesSaved(BaseModel):
    saved: int


class PriceWeek(BaseModel):
    week: date
    price: float
    index: float | None


class PriceIndex(BaseModel):
    commodity: str
    name_id: str
    name_en: str
    unit: str
    area: str
    baseline: list[date]
    weeks: list[PriceWeek]


class PriceAlert(BaseModel):
    commodity: str
    area: str
    week: date
    previous: float
    price: float
    change: float = Field(description="0.25 = 25 % dearer than the previous week")


class PriceSettings(BaseModel):
    alert_share: float | None = Field(None, gt=0, lt=10)
    baseline_start: date | None = None
    baseline_end: date | None = None


class TrendPoint(BaseModel):
    period: str
    value: float | None
    units: int


class Trend(BaseModel):
    indicator: str
    name_id: str
    name_en: str
    unit: str = Field(description="The unit of measure as the programme wrote it (Bahasa Indonesia)")
    unit_en: str = Field(description="The unit in English where the platform knows the word, else as written")
    area_agg: str
    values: list[TrendPoint]


class ReportsRow(BaseModel):
    period: str
    expected: int
    submitted: int
    on_time: int
    verified: int
    on_time_share: float | None


class KelurahanRow(BaseModel):
    code: str
    name: str
    kecamatan_code: str
    kecamatan: str
    units: int
    mean_score: float | None
    submitted: int
    on_time_share: float | None


class ThemeCoverage(BaseModel):
    code: str
    name_id: str
    name_en: str
    units: int


class Dashboard(BaseModel):
    programme: str
    city: str
    city_name: str
    period: str
    periods: list[str]
    units: int
    grades: dict[str, int]
    suggested_grades: dict[str, int]
    themes: list[ThemeCoverage]
    reports: list[ReportsRow]
    trend: list[Trend]
    kelurahan: list[KelurahanRow]


class Ranked(BaseModel):
    rank: int
    key: str
    name: str
    score: float


class ScoresRun(BaseModel):
    units: int
    until: str
    window: list[str]
    suggested_grades: dict[str, int]


class ChoroplethProps(BaseModel):
    code: str = Field(description="Kemendagri code of the kelurahan")
    area_code: str = Field(description="The stored area's own code (BPS for an HDX file)")
    name: str
    source: str
    units: int
    mean_score: float | None
    on_time_share: float | None
    value: float | None


class RowProblem(BaseModel):
    row: int
    column: str | None
    reason: str


class ImportResult(BaseModel):
    kind: str
    created: int
    updated: int
    unchanged: int
    errors: list[RowProblem]
    already_imported: bool
    sha256: str


class ExportFile(BaseModel):
    format: str = Field(description="xlsx or pdf")
    filename: str
    size: int = Field(description="Bytes")
    download: str = Field(description="Where to download it (staff of the city)")
