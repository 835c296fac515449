"""The kiosk's local store: SQLModel tables on SQLite (WAL, synchronous=FULL), Alembic
migrations run at start, and the storage functions services call inside one transaction.

Nothing here imports Qt or requests.
"""
