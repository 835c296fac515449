from tests.kiosk.storage.factories import clock, database, db_path, enrolled, server_key

__all__ = ["clock", "database", "db_path", "enrolled", "server_key"]
