"""Known storage errors: conditions the kiosk says plainly and survives
(docs/design/style.md, "Known errors versus bugs"). Each has a stable ``code`` the UI maps
to a translated sentence. :func:`known_errors` turns the driver's and the OS's failures into
them (anything else is a bug and passes through).

``kiosk.services.errors`` re-exports these; screens import from there.
"""

import contextlib
import errno
import logging
import sqlite3
from collections.abc import Iterator

from sqlalchemy import exc as sa_exc

log = logging.getLogger(__name__)

# SQLite primary result codes (the low byte of extended codes).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


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


# ---------------------------------------------------------------------------- translation


def sqlite_code(exc: BaseException) -> int | None:
    """The SQLite primary result code of a driver error (``None`` when it has none)."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def translate_error(exc: BaseException) -> KnownError | None:
    """Map a driver or OS error to the known error the kiosk reports, or ``None`` (a bug)."""
    if isinstance(exc, KnownError):
        return exc
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return StorageFull(str(exc))
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StorageReadOnly(str(exc))
        return None
    code = sqlite_code(exc)
    message = str(getattr(exc, "orig", exc)).lower()
    if code == SQLITE_FULL or "database or disk is full" in message:
        return StorageFull(message)
    if code == SQLITE_READONLY or "readonly database" in message:
        return StorageReadOnly(message)
    if code == SQLITE_CANTOPEN:
        # The folder refuses to create the -wal/-shm or journal files.
        return StorageReadOnly(message)
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in message:
        return StorageBusy(message)
    if code == SQLITE_IOERR:
        # A failing disk (write or fsync error): a known condition, not a bug.
        return StorageError(message)
    return None


@contextlib.contextmanager
def known_errors() -> Iterator[None]:
    """Re-raise storage failures as :class:`KnownError` subclasses (others pass through)."""
    try:
        yield
    except KnownError:
        raise
    except (sa_exc.DBAPIError, sqlite3.Error, OSError) as exc:
        known = translate_error(exc)
        if known is None:
            raise
        log.warning("storage error: %s", known.code)
        raise known from exc
