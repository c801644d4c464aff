"""Alembic environment: migrations run on the connection the store hands over (never on a URL
of their own), inside the store's transaction."""

from __future__ import annotations

from alembic import context

from chinacomply.inventory.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
