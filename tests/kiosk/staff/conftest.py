"""Fixtures for the module's staff services and pages: a real enrolled SQLite store."""

from tests.kiosk.staff.support import module
from tests.kiosk.storage.factories import clock, database, db_path, enrolled, server_key

__all__ = ["clock", "database", "db_path", "enrolled", "module", "server_key"]
