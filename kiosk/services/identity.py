"""The kiosk's identity as the UI and the sync worker see it."""

from datetime import datetime

from kiosk.storage import identity as store
from kiosk.storage.db import Database
from kiosk.storage.models import KioskIdentity
from trato.protocol.wire import EnrolmentResponse


class IdentityService:
    """Thin transactional wrapper over :mod:`kiosk.storage.identity`."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def current(self) -> KioskIdentity | None:
        """The enrolled identity, or ``None``."""
        with self._db.read() as session:
            return store.get_identity(session)

    def is_enrolled(self) -> bool:
        return self.current() is not None

    def save(
        self, enrolment: EnrolmentResponse, *, server_url: str, now: datetime | None = None
    ) -> KioskIdentity:
        """Save the enrolment answer in one transaction."""
        with self._db.write() as session:
            return store.save_identity(session, enrolment=enrolment, server_url=server_url, now=now)
