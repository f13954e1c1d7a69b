"""ASCN network: member cities, partners, programmes, projects, partnerships, indicators, documents, the
knowledge base, published claims, and the search index (SQLite FTS5 or a PostgreSQL full-text index) with its
embeddings.

Revision ID: 0005_ascn
"""

import sqlalchemy as sa
from alembic import op

from kotacerdas.core.db import UTCDateTime

revision = "0005_ascn"
down_revision = "0001_core"
branch_labels = ("ascn",)
depends_on = None

TABLES = [
    "ascn_claims",
    "ascn_partners",
    "ascn_search_docs",
    "ascn_cities",
    "ascn_embeddings",
    "ascn_merge_reviews",
    "ascn_partner_aliases",
    "ascn_partner_editors",
    "ascn_programmes",
    "ascn_projects",
    "ascn_indicators",
    "ascn_partnerships",
    "ascn_practices",
    "ascn_documents",
    "ascn_indicator_values",
]

#: What PostgreSQL indexes and searches: ``body`` holds the whole searchable text, title included. The
#: ``english`` configuration stems English words and drops English stop words; words of other languages pass
#: through unstemmed (as SQLite's ``porter`` tokenizer does).
PG_TSVECTOR = "to_tsvector('english', body)"

SQLITE_FTS = [
    # External-content FTS5 table over ascn_search_docs, kept in step by triggers.
    "CREATE VIRTUAL TABLE fts_ascn_search USING fts5(title, body, content='ascn_search_docs', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER fts_ascn_search_ai AFTER INSERT ON ascn_search_docs BEGIN "
    "INSERT INTO fts_ascn_search(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER fts_ascn_search_ad AFTER DELETE ON ascn_search_docs BEGIN "
    "INSERT INTO fts_ascn_search(fts_ascn_search, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "END",
    "CREATE TRIGGER fts_ascn_search_au AFTER UPDATE ON ascn_search_docs BEGIN "
    "INSERT INTO fts_ascn_search(fts_ascn_search, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO fts_ascn_search(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]


def upgrade() -> None:
    op.create_table(
        "ascn_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("qualifier", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("source_url", sa.String(length=300), nullable=False),
        sa.Column("as_of", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ascn_claims_metric"), "ascn_claims", ["metric"], unique=False)
    op.create_table(
        "ascn_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("offers", sa.JSON(), nullable=False),
        sa.Column("focus_areas", sa.JSON(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=200), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('government', 'agency', 'company', 'university', 'international_organisation', 'non_profit')",
            name="ck_ascn_partner_kind",
        ),
        sa.ForeignKeyConstraint(["merged_into_id"], ["ascn_partners.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ascn_partners_slug"), "ascn_partners", ["slug"], unique=True)
    op.create_table(
        "ascn_search_docs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "ref_id", name="uq_ascn_search_doc"),
    )
    op.create_table(
        "ascn_cities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("local_name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("year_joined", sa.Integer(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("population_year", sa.Integer(), nullable=True),
        sa.Column("population_source", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=True),
        sa.Column("cso_name", sa.String(length=200), nullable=False),
        sa.Column("cso_email", sa.String(length=200), nullable=False),
        sa.Column("rep_name", sa.String(length=200), nullable=False),
        sa.Column("rep_email", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("city_id"),
    )
    op.create_index(op.f("ix_ascn_cities_country"), "ascn_cities", ["country"], unique=False)
    op.create_index(op.f("ix_ascn_cities_slug"), "ascn_cities", ["slug"], unique=True)
    op.create_table(
        "ascn_embeddings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["doc_id"], ["ascn_search_docs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("doc_id", "model", name="uq_ascn_embedding"),
    )
    op.create_index(op.f("ix_ascn_embeddings_doc_id"), "ascn_embeddings", ["doc_id"], unique=False)
    op.create_table(
        "ascn_merge_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_a_id", sa.Integer(), nullable=False),
        sa.Column("partner_b_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("decision IN ('merged', 'distinct')", name="ck_ascn_merge_review_decision"),
        sa.CheckConstraint("partner_a_id < partner_b_id", name="ck_ascn_merge_review_order"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("partner_a_id", "partner_b_id", name="uq_ascn_merge_review"),
    )
    op.create_table(
        "ascn_partner_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["ascn_partners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("partner_id", "alias", name="uq_ascn_partner_alias"),
    )
    op.create_index(op.f("ix_ascn_partner_aliases_partner_id"), "ascn_partner_aliases", ["partner_id"], unique=False)
    op.create_table(
        "ascn_partner_editors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["ascn_partners.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("partner_id", "user_id", name="uq_ascn_partner_editor"),
    )
    op.create_index(op.f("ix_ascn_partner_editors_partner_id"), "ascn_partner_editors", ["partner_id"], unique=False)
    op.create_index(op.f("ix_ascn_partner_editors_user_id"), "ascn_partner_editors", ["user_id"], unique=False)
    op.create_table(
        "ascn_programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sponsor_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("support_types", sa.JSON(), nullable=False),
        sa.Column("focus_areas", sa.JSON(), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["sponsor_id"], ["ascn_partners.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ascn_programmes_slug"), "ascn_programmes", ["slug"], unique=True)
    op.create_table(
        "ascn_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_pk", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("local_lang", sa.String(length=8), nullable=False),
        sa.Column("local_title", sa.String(length=300), nullable=False),
        sa.Column("local_summary", sa.Text(), nullable=False),
        sa.Column("focus_areas", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("budget", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("funding_sources", sa.JSON(), nullable=False),
        sa.Column("lead_agency", sa.String(length=300), nullable=False),
        sa.Column("sdg_targets", sa.JSON(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("systems", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_url", sa.String(length=300), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('idea', 'feasibility_study', 'implementing', 'operational', 'completed', 'stopped')",
            name="ck_ascn_project_status",
        ),
        sa.CheckConstraint("budget IS NULL OR budget >= 0", name="ck_ascn_project_budget"),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="ck_ascn_project_dates"
        ),
        sa.ForeignKeyConstraint(["city_pk"], ["ascn_cities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ascn_projects_city_pk"), "ascn_projects", ["city_pk"], unique=False)
    op.create_index(op.f("ix_ascn_projects_status"), "ascn_projects", ["status"], unique=False)
    op.create_table(
        "ascn_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["ascn_projects.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "name", name="uq_ascn_indicator"),
    )
    op.create_index(op.f("ix_ascn_indicators_project_id"), "ascn_indicators", ["project_id"], unique=False)
    op.create_table(
        "ascn_partnerships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("city_pk", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("agreement", sa.String(length=300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("status IN ('proposed', 'active', 'completed', 'ended')", name="ck_ascn_partnership_status"),
        sa.CheckConstraint(
            "type IN ('capacity_building', 'knowledge_sharing', 'technical_assistance', 'feasibility_study', "
            "'finance', 'twinning')",
            name="ck_ascn_partnership_type",
        ),
        sa.ForeignKeyConstraint(["city_pk"], ["ascn_cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["partner_id"], ["ascn_partners.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["programme_id"], ["ascn_programmes.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["ascn_projects.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ascn_partnerships_city_pk"), "ascn_partnerships", ["city_pk"], unique=False)
    op.create_index(op.f("ix_ascn_partnerships_partner_id"), "ascn_partnerships", ["partner_id"], unique=False)
    op.create_index(op.f("ix_ascn_partnerships_project_id"), "ascn_partnerships", ["project_id"], unique=False)
    op.create_table(
        "ascn_practices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=False),
        sa.Column("city_pk", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("focus_areas", sa.JSON(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_url", sa.String(length=300), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["city_pk"], ["ascn_cities.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["ascn_projects.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ascn_practices_city_pk"), "ascn_practices", ["city_pk"], unique=False)
    op.create_index(op.f("ix_ascn_practices_slug"), "ascn_practices", ["slug"], unique=True)
    op.create_table(
        "ascn_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("practice_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=400), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("(project_id IS NULL) <> (practice_id IS NULL)", name="ck_ascn_document_owner"),
        sa.ForeignKeyConstraint(["practice_id"], ["ascn_practices.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_id"], ["ascn_projects.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ascn_documents_practice_id"), "ascn_documents", ["practice_id"], unique=False)
    op.create_index(op.f("ix_ascn_documents_project_id"), "ascn_documents", ["project_id"], unique=False)
    op.create_table(
        "ascn_indicator_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["ascn_indicators.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("indicator_id", "observed_on", name="uq_ascn_indicator_value"),
    )
    op.create_index(
        op.f("ix_ascn_indicator_values_indicator_id"), "ascn_indicator_values", ["indicator_id"], unique=False
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_ascn_search_docs_tsv ON ascn_search_docs USING gin (({PG_TSVECTOR}))")
    else:
        for statement in SQLITE_FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_ascn_search_docs_tsv")
    else:
        for trigger in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS fts_ascn_search_{trigger}")
        op.execute("DROP TABLE IF EXISTS fts_ascn_search")
    for table in reversed(TABLES):
        op.drop_table(table)
