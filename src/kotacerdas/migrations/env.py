"""Alembic environment: runs the migrations on the connection handed over by kotacerdas.core.migrate."""

from alembic import context

from kotacerdas.core.db import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the CLI always passes a connection
    raise RuntimeError("run migrations through `kotacerdas db upgrade`")
context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
