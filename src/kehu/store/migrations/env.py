"""Alembic environment: kehu always hands in an open connection inside its write transaction."""

from alembic import context

from kehu.store.models import metadata

connection = context.config.attributes["connection"]
# Batch mode lets later revisions alter SQLite tables (copy-and-move) with ordinary op calls.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
