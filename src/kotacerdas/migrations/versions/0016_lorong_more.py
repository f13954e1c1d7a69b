"""Activities speak two languages: their name and description become ``{"id": ..., "en": ...}`` (JSON), and so do
their products' names. Each stored text becomes the Indonesian text, English left empty (the pages say so).

Revision ID: 0016_lorong_more
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0016_lorong_more"
down_revision = "0004_lorong"
branch_labels = None
depends_on = None


def _texts(value: Any) -> dict[str, str]:
    """An old plain text as the Indonesian text (one already in two languages is kept)."""
    if isinstance(value, dict):
        return {"id": str(value.get("id") or ""), "en": str(value.get("en") or "")}
    text = "" if value is None else str(value).strip()
    return {"id": text, "en": ""} if text else {}


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _products(value: Any, to_texts: bool) -> list[dict[str, Any]]:
    out = []
    for p in _loaded(value) or []:
        if not isinstance(p, dict):
            continue
        name = _texts(p.get("name")) if to_texts else _texts(p.get("name")).get("id", "")
        out.append({**p, "name": name})
    return out


def _rewrite_products(to_texts: bool) -> None:
    bind = op.get_bind()
    cast = "CAST(:p AS JSON)" if bind.dialect.name == "postgresql" else ":p"
    for pk, products in bind.execute(sa.text("SELECT id, products FROM lorong_activities")).all():
        new = _products(products, to_texts)
        bind.execute(
            sa.text(f"UPDATE lorong_activities SET products = {cast} WHERE id = :id"),  # noqa: S608 (a fixed cast)
            {"p": json.dumps(new), "id": pk},
        )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE lorong_activities ALTER COLUMN name TYPE JSON USING json_build_object('id', name, 'en', '')"
        )
        op.execute(
            "ALTER TABLE lorong_activities ALTER COLUMN description TYPE JSON USING "
            "CASE WHEN coalesce(description, '') = '' THEN '{}'::json "
            "ELSE json_build_object('id', description, 'en', '') END"
        )
    else:  # SQLite keeps the declared types; the column holds the JSON text (a table copy would drop its R*Tree)
        rows = bind.execute(sa.text("SELECT id, name, description FROM lorong_activities")).all()
        for pk, name, description in rows:
            bind.execute(
                sa.text("UPDATE lorong_activities SET name = :n, description = :d WHERE id = :id"),
                {"n": json.dumps(_texts(name)), "d": json.dumps(_texts(description)), "id": pk},
            )
    _rewrite_products(to_texts=True)


def downgrade() -> None:
    bind = op.get_bind()
    _rewrite_products(to_texts=False)
    if bind.dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE lorong_activities ALTER COLUMN name TYPE VARCHAR(200) "
            "USING left(coalesce(name->>'id', ''), 200)"
        )
        op.execute(
            "ALTER TABLE lorong_activities ALTER COLUMN description TYPE TEXT USING coalesce(description->>'id', '')"
        )
        return
    rows = bind.execute(sa.text("SELECT id, name, description FROM lorong_activities")).all()
    for pk, name, description in rows:
        bind.execute(
            sa.text("UPDATE lorong_activities SET name = :n, description = :d WHERE id = :id"),
            {"n": _texts(_loaded(name)).get("id", ""), "d": _texts(_loaded(description)).get("id", ""), "id": pk},
        )
