"""Known errors the services raise: the UI says them plainly and the kiosk keeps running.

Each has a stable ``code`` (the UI maps it to a translated sentence). Whenever one is raised
from a ``submit()``, nothing of the record was written.
"""

from kiosk.storage.errors import (
    DatabaseNewerThanCode,
    KnownError,
    StorageBusy,
    StorageError,
    StorageFull,
    StorageReadOnly,
)

__all__ = [
    "DatabaseNewerThanCode",
    "InvalidDraft",
    "KnownError",
    "NotEnrolled",
    "StorageBusy",
    "StorageError",
    "StorageFull",
    "StorageReadOnly",
]


class NotEnrolled(KnownError):  # noqa: N818  (names fixed by the team contract)
    """The kiosk has no identity yet (``trato-kiosk enroll``): cases cannot get a folio."""

    code = "not_enrolled"


class InvalidDraft(KnownError, ValueError):  # noqa: N818  (names fixed by the team contract)
    """A draft the screens should have refused. ``field`` names the draft field and
    ``problem`` is the validator's stable problem code (see trato.domain.validators)."""

    code = "invalid_draft"

    def __init__(self, field: str, problem: str, **params: int | str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
        self.params = params
