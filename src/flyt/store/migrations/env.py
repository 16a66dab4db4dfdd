"""Alembic environment: migrations run on the connection Flyt hands over."""

from alembic import context

from flyt.store import dialects  # noqa: F401  (registers the DuckDB implementation)
from flyt.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
