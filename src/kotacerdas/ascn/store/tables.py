"""The ASCN tables: member cities, partners, programmes, projects, partnerships, indicators, documents,
the knowledge base, published claims, and the search index with its embeddings.

Contacts of a city (its Chief Smart City Officer and National Representative) and of a partner
are private columns: public output never carries them (see :mod:`kotacerdas.ascn.store.records`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kotacerdas.core.db import Base, UTCDateTime, utcnow


def _in(column: str, codes) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


PROJECT_STATUS_CHECK = _in(
    "status", ("idea", "feasibility_study", "implementing", "operational", "completed", "stopped")
)
PARTNERSHIP_TYPE_CHECK = _in(
    "type",
    ("capacity_building", "knowledge_sharing", "technical_assistance", "feasibility_study", "finance", "twinning"),
)
PARTNERSHIP_STATUS_CHECK = _in("status", ("proposed", "active", "completed", "ended"))
#: What PostgreSQL indexes and searches: ``body`` holds the whole searchable text, title included. The
#: ``english`` configuration stems English words and drops English stop words; words of other languages pass
#: through unstemmed (as SQLite's ``porter`` tokenizer does).
PG_TSVECTOR = "to_tsvector('english', body)"
PARTNER_KIND_CHECK = _in(
    "kind", ("government", "agency", "company", "university", "international_organisation", "non_profit")
)


class AscnCity(Base):
    """A member city of the network. ``city_id`` links it to the platform's city when it runs kotacerdas here."""

    __tablename__ = "ascn_cities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    local_name: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), index=True)
    year_joined: Mapped[int] = mapped_column(Integer)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    population: Mapped[int | None] = mapped_column(Integer)
    population_year: Mapped[int | None] = mapped_column(Integer)
    population_source: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id", ondelete="SET NULL"), unique=True)
    cso_name: Mapped[str] = mapped_column(String(200), default="")
    cso_email: Mapped[str] = mapped_column(String(200), default="")
    rep_name: Mapped[str] = mapped_column(String(200), default="")
    rep_email: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class AscnCityEditor(Base):
    """A user named by the secretariat to edit a member city: its officer when the city runs no kotacerdas here
    (one that does is edited through the roles of its platform city)."""

    __tablename__ = "ascn_city_editors"
    __table_args__ = (UniqueConstraint("city_pk", "user_id", name="uq_ascn_city_editor"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_pk: Mapped[int] = mapped_column(ForeignKey("ascn_cities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AscnPartner(Base):
    """A partner: a government, agency, company, university or international organisation.

    ``merged_into_id`` is set when the secretariat merged this record into another one.
    """

    __tablename__ = "ascn_partners"
    __table_args__ = (CheckConstraint(PARTNER_KIND_CHECK, name="ck_ascn_partner_kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2))
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    offers: Mapped[list[str]] = mapped_column(JSON, default=list)
    focus_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ascn_partners.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(300), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AscnPartnerAlias(Base):
    """Another name of a partner (an acronym, a spelling, its name in another language)."""

    __tablename__ = "ascn_partner_aliases"
    __table_args__ = (UniqueConstraint("partner_id", "alias", name="uq_ascn_partner_alias"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("ascn_partners.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200))


class AscnPartnerEditor(Base):
    """A user who may edit a partner's profile and offers (with the ``ascn_partner`` role)."""

    __tablename__ = "ascn_partner_editors"
    __table_args__ = (UniqueConstraint("partner_id", "user_id", name="uq_ascn_partner_editor"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("ascn_partners.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class AscnMergeReview(Base):
    """The secretariat's answer to a pair of partners offered as duplicates: ``merged`` or ``distinct``."""

    __tablename__ = "ascn_merge_reviews"
    __table_args__ = (
        UniqueConstraint("partner_a_id", "partner_b_id", name="uq_ascn_merge_review"),
        CheckConstraint("partner_a_id < partner_b_id", name="ck_ascn_merge_review_order"),
        CheckConstraint("decision IN ('merged', 'distinct')", name="ck_ascn_merge_review_decision"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_a_id: Mapped[int] = mapped_column(Integer)
    partner_b_id: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AscnProgramme(Base):
    """A partnership programme (Japan's Smart JAMP, the U.S.-ASEAN Smart Cities Partnership ...)."""

    __tablename__ = "ascn_programmes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    sponsor_id: Mapped[int | None] = mapped_column(ForeignKey("ascn_partners.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text, default="")
    support_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    focus_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    url: Mapped[str] = mapped_column(String(300), default="")
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class AscnProject(Base):
    """A smart-city project of a member city, in English and optionally in a local language."""

    __tablename__ = "ascn_projects"
    __table_args__ = (
        CheckConstraint(PROJECT_STATUS_CHECK, name="ck_ascn_project_status"),
        CheckConstraint("budget IS NULL OR budget >= 0", name="ck_ascn_project_budget"),
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="ck_ascn_project_dates"
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_pk: Mapped[int] = mapped_column(ForeignKey("ascn_cities.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    local_lang: Mapped[str] = mapped_column(String(8), default="")
    local_title: Mapped[str] = mapped_column(String(300), default="")
    local_summary: Mapped[str] = mapped_column(Text, default="")
    focus_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(32), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    budget: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    funding_sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    lead_agency: Mapped[str] = mapped_column(String(300), default="")
    sdg_targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    systems: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(300), default="")
    source_url: Mapped[str] = mapped_column(String(300), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class AscnPartnership(Base):
    """A partner working with a city (and maybe one of its projects), of one type, maybe under a programme."""

    __tablename__ = "ascn_partnerships"
    __table_args__ = (
        CheckConstraint(PARTNERSHIP_TYPE_CHECK, name="ck_ascn_partnership_type"),
        CheckConstraint(PARTNERSHIP_STATUS_CHECK, name="ck_ascn_partnership_status"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("ascn_partners.id", ondelete="CASCADE"), index=True)
    city_pk: Mapped[int] = mapped_column(ForeignKey("ascn_cities.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("ascn_projects.id", ondelete="SET NULL"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("ascn_programmes.id", ondelete="SET NULL"))
    type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="active")
    agreement: Mapped[str] = mapped_column(String(300), default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AscnIndicator(Base):
    """A key performance indicator of a project (its values over time in :class:`AscnIndicatorValue`)."""

    __tablename__ = "ascn_indicators"
    __table_args__ = (UniqueConstraint("project_id", "name", name="uq_ascn_indicator"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("ascn_projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class AscnIndicatorValue(Base):
    """One measured value of an indicator on a date, with where it comes from."""

    __tablename__ = "ascn_indicator_values"
    __table_args__ = (UniqueConstraint("indicator_id", "observed_on", name="uq_ascn_indicator_value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("ascn_indicators.id", ondelete="CASCADE"), index=True)
    observed_on: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300), default="")


class AscnPractice(Base):
    """A good practice or case study of the knowledge base, with its lessons learned."""

    __tablename__ = "ascn_practices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(300))
    lang: Mapped[str] = mapped_column(String(8), default="en")
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    city_pk: Mapped[int | None] = mapped_column(ForeignKey("ascn_cities.id", ondelete="SET NULL"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("ascn_projects.id", ondelete="SET NULL"))
    focus_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300), default="")
    source_url: Mapped[str] = mapped_column(String(300), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AscnDocument(Base):
    """An attached document or image of a project or a practice, stored under the data directory."""

    __tablename__ = "ascn_documents"
    __table_args__ = (CheckConstraint("(project_id IS NULL) <> (practice_id IS NULL)", name="ck_ascn_document_owner"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("ascn_projects.id", ondelete="CASCADE"), index=True)
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("ascn_practices.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(400))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AscnClaim(Base):
    """A figure the network published, as published: its value, source and as-of date.

    ``metric`` names what it counts (``projects``, ``partnerships``, ``member_cities`` ...) so the
    portal can show it beside the same figure computed from the registry.
    """

    __tablename__ = "ascn_claims"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric: Mapped[str] = mapped_column(String(64), index=True)
    scope: Mapped[str] = mapped_column(String(80), default="network")
    value: Mapped[float] = mapped_column(Float)
    qualifier: Mapped[str] = mapped_column(String(32), default="")
    unit: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(String(400))
    source_url: Mapped[str] = mapped_column(String(300), default="")
    as_of: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AscnSearchDoc(Base):
    """The searchable text of a practice or a project: full text and embeddings index it.

    PostgreSQL indexes :data:`PG_TSVECTOR` with GIN; SQLite has the FTS5 table ``fts_ascn_search``
    (external content, kept in step by triggers), made by the migration.
    """

    __tablename__ = "ascn_search_docs"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id", name="uq_ascn_search_doc"),
        Index("ix_ascn_search_docs_tsv", text(PG_TSVECTOR), postgresql_using="gin").ddl_if(dialect="postgresql"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[int] = mapped_column(Integer)
    lang: Mapped[str] = mapped_column(String(8), default="en")
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    text_sha256: Mapped[str] = mapped_column(String(64))


class AscnEmbedding(Base):
    """The embedding of one search document by one model (float32, L2-normalised)."""

    __tablename__ = "ascn_embeddings"
    __table_args__ = (UniqueConstraint("doc_id", "model", name="uq_ascn_embedding"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[int] = mapped_column(ForeignKey("ascn_search_docs.id", ondelete="CASCADE"), index=True)
    model: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    text_sha256: Mapped[str] = mapped_column(String(64))
