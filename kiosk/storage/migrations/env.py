"""Alembic environment for the kiosk store. Only ever run by :mod:`kiosk.storage.migrate`, which
passes an open connection in ``config.attributes["connection"]``."""

from alembic import context

from kiosk.storage.models import KioskTable

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the kiosk never runs alembic from the CLI
    raise RuntimeError("run kiosk migrations through kiosk.storage.db.open_database()")

context.configure(
    connection=connection,
    target_metadata=KioskTable.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
