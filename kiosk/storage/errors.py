"""Known storage errors: conditions the kiosk says plainly and survives
(docs/design/style.md, "Known errors versus bugs"). Each has a stable ``code`` the UI maps
to a translated sentence.

``kiosk.services.errors`` re-exports these; screens import from there.
"""


class KnownError(Exception):
    """A condition the kiosk expects and reports in plain language instead of crashing."""

    code = "known_error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail


class StorageError(KnownError):
    """The local store could not complete a write; nothing of it was kept."""

    code = "storage_error"


class StorageFull(StorageError):  # noqa: N818  (names fixed by the team contract)
    """The disk (or the database's size limit) is full: SQLITE_FULL or ENOSPC."""

    code = "storage_full"


class StorageReadOnly(StorageError):  # noqa: N818  (names fixed by the team contract)
    """The database file or its folder cannot be written."""

    code = "storage_read_only"


class StorageBusy(StorageError):  # noqa: N818  (names fixed by the team contract)
    """Another writer held the database for longer than the busy timeout."""

    code = "storage_busy"


class DatabaseNewerThanCode(KnownError):  # noqa: N818  (names fixed by the team contract)
    """The database was migrated by a newer release of the kiosk than the one running."""

    code = "database_newer_than_code"
