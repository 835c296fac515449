"""Alembic migrations of the kiosk store, run programmatically at start (kiosk.storage.migrate)."""
