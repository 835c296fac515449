"""The module's cases and survey responses as CSV files that open correctly in Excel, written
to a folder or USB drive the agent chose, whole or not at all.

* UTF-8 with a byte-order mark (Excel takes a file without one for the PC's code page and
  garbles "ñ" and accents), comma-separated, CRLF line ends;
* dates and times in the unit's time zone as ``dd/mm/aaaa hh:mm``;
* a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading apostrophe, so a spreadsheet shows it as text instead of running it as a formula
  (formula injection, OWASP);
* no sealed data: no identifier, contact or address, and no free text (a story or a comment
  can name people or reveal health); a case carries at most the filer's initials; a
  reserved case (sensitive, for an agent who may not read it) its folio, stage and dates.

Each file is written to a hidden temporary file in the chosen folder, flushed to the device
and renamed into place only when both are complete; a full or read-only drive raises
:class:`ExportFailed` (``export_full``, ``export_read_only``, ...) and leaves nothing behind.

What the columns say is the screens' business (:class:`Wording`, translated there): this
module lays out the rows and owns the files. Qt-free.
"""

import contextlib
import csv
import errno
import logging
import os
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from sqlmodel import col

from kiosk.clock import Clock
from kiosk.services.errors import KnownError
from kiosk.services.lookup import local_time
from kiosk.services.module_cases import PAGE_SIZE, CaseRow, ModuleCases
from kiosk.storage.db import Database
from kiosk.storage.models import Case, SurveyResponse

log = logging.getLogger(__name__)

#: Leading characters a spreadsheet reads as the start of a formula (or that hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_TIME = "%d/%m/%Y %H:%M"
DATE = "%d/%m/%Y"
_BATCH = 2000


def neutralise(value: object) -> str:
    """``value`` as a cell a spreadsheet shows as text, never runs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class ExportFailed(KnownError):  # noqa: N818 - reads as what happened
    """Nothing was exported; ``code`` says why (the screen words it)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code


def _failure(exc: OSError) -> ExportFailed:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return ExportFailed("export_full", exc.strerror or "")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ExportFailed("export_read_only", exc.strerror or "")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENODEV, errno.EIO):
        return ExportFailed("export_missing", exc.strerror or "")
    return ExportFailed("export_failed", exc.strerror or "")


@dataclass(frozen=True)
class CaseExtra:
    """What a case's row adds to the list's :class:`CaseRow` (nothing for a reserved one)."""

    service_code: str | None = None
    categories: tuple[str, ...] = ()
    has_contact: bool = False
    recognised_person: str = ""


@dataclass(frozen=True)
class Response:
    created_at: datetime  # in the unit's time
    service_code: str | None
    rating: int | None
    reasons: tuple[str, ...]
    language: str
    channel: str
    duration_ms: int
    probable_misuse: bool


@dataclass(frozen=True)
class Wording:
    """The screens' words: file names (without ``.csv``), headers, one row's cells."""

    cases_name: str
    responses_name: str
    case_header: Sequence[str]
    case_cells: Callable[[CaseRow, CaseExtra], Sequence[object]]
    response_header: Sequence[str]
    response_cells: Callable[[Response], Sequence[object]]


@dataclass(frozen=True)
class Exported:
    files: tuple[Path, ...]
    cases: int
    responses: int


class Exporter:
    def __init__(self, database: Database, clock: Clock, cases: ModuleCases) -> None:
        self._db = database
        self._clock = clock
        self._cases = cases

    def export(self, folder: Path, wording: Wording, *, can_read_sensitive: bool
               ) -> Exported:
        """Write both files into ``folder`` (named after the kiosk's clock, in the unit's
        time); raises :class:`ExportFailed` with nothing left there."""
        folder = Path(folder)
        if not folder.is_dir():
            raise ExportFailed("export_missing", "no such folder")
        suffix = local_time(self._clock.now(), self._cases.timezone()).strftime("%Y-%m-%d_%H%M")
        targets = (folder / f"{wording.cases_name}_{suffix}.csv",
                   folder / f"{wording.responses_name}_{suffix}.csv")
        counts = [0, 0]

        def write_cases(out: IO[str]) -> None:
            counts[0] = _write(out, wording.case_header,
                               (wording.case_cells(row, extra)
                                for row, extra in self._case_rows(can_read_sensitive)))

        def write_responses(out: IO[str]) -> None:
            counts[1] = _write(out, wording.response_header,
                               (wording.response_cells(r) for r in self._responses()))

        _write_all(list(zip(targets, (write_cases, write_responses), strict=True)))
        log.info("exported %d cases and %d responses", counts[0], counts[1])
        return Exported(files=targets, cases=counts[0], responses=counts[1])

    def _case_rows(self, can_read_sensitive: bool) -> Iterator[tuple[CaseRow, CaseExtra]]:
        offset = 0
        while True:
            rows = self._cases.page(offset, max(PAGE_SIZE, _BATCH),
                                    can_read_sensitive=can_read_sensitive)
            if not rows:
                return
            readable = [r.case_id for r in rows if r.filed_here and not r.reserved]
            with self._db.read() as session:
                extras = {
                    cid: CaseExtra(service, tuple(categories or ()), bool(contact), person)
                    for cid, service, categories, contact, person in session.execute(
                        sa.select(Case.id, Case.service_code, Case.categories,
                                  Case.has_contact, Case.recognised_person)
                        .where(col(Case.id).in_(readable))).all()
                } if readable else {}
            for row in rows:
                yield row, extras.get(row.case_id, CaseExtra())
            offset += len(rows)

    def _responses(self) -> Iterator[Response]:
        zone = self._cases.timezone()
        offset = 0
        stmt = sa.select(SurveyResponse).order_by(col(SurveyResponse.created_at),
                                                  col(SurveyResponse.id))
        while True:
            with self._db.read() as session:
                batch = session.execute(stmt.offset(offset).limit(_BATCH)).scalars().all()
            if not batch:
                return
            for r in batch:
                yield Response(local_time(r.created_at, zone), r.service_code, r.rating,
                               tuple(r.reasons or ()), r.language, str(r.channel),
                               r.duration_ms, r.probable_misuse)
            offset += len(batch)


def _write(out: IO[str], header: Sequence[str], rows: Iterator[Sequence[object]]) -> int:
    writer = csv.writer(out, dialect="excel")
    writer.writerow([neutralise(h) for h in header])
    n = 0
    for cells in rows:
        writer.writerow([neutralise(c) for c in cells])
        n += 1
    return n


def _write_all(files: list[tuple[Path, Callable[[IO[str]], None]]]) -> None:
    """Every file complete in a temporary beside its target, then each renamed into place;
    on any failure nothing of this export is left in the folder."""
    temps: list[Path] = []
    done: list[Path] = []
    try:
        for target, fill in files:
            temp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.part")
            temps.append(temp)
            with _opened(temp) as out:
                fill(out)
        for (target, _fill), temp in zip(files, temps, strict=True):
            os.replace(temp, target)
            done.append(target)
        _sync_folder(files[0][0].parent)
    except OSError as exc:
        for path in [*temps, *done]:
            with contextlib.suppress(OSError):
                path.unlink()
        log.warning("export failed: %s", errno.errorcode.get(exc.errno or 0, "?"))
        raise _failure(exc) from None


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[IO[str]]:
    """A new file for CSV (BOM, universal newlines off), flushed to the device on close."""
    with open(path, "x", encoding="utf-8-sig", newline="") as out:
        yield out
        out.flush()
        os.fsync(out.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (a USB stick pulled right after keeps both files)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems (vfat on some kernels) refuse fsync on a folder
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------- where to


@dataclass(frozen=True)
class Place:
    """Somewhere to export to: a mounted drive (``removable``) or the user's home folder."""

    path: Path
    name: str
    removable: bool


#: Where desktop Linux mounts removable drives (udisks: /media/<user>/<label>, or
#: /run/media/<user>/<label>; some systems /media/<label>).
MEDIA_ROOTS = (Path("/media"), Path("/run/media"))


_OCTAL = re.compile(r"\\([0-7]{3})")


def _mount_points(mounts: Path) -> list[Path]:
    try:
        text = mounts.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            # Spaces, tabs and backslashes in a mount point are octal escapes (\040).
            out.append(Path(_OCTAL.sub(lambda m: chr(int(m.group(1), 8)), parts[1])))
    return out


def places(*, roots: Sequence[Path] = MEDIA_ROOTS, home: Path | None = None,
           mounts: Path = Path("/proc/self/mounts")) -> list[Place]:
    """The drives mounted under ``roots`` (a USB stick), then the home folder."""
    found: list[Place] = []
    seen: set[Path] = set()
    for point in _mount_points(mounts):
        if any(point != root and point.is_relative_to(root) for root in roots) \
                and point.is_dir() and point not in seen:
            seen.add(point)
            found.append(Place(point, point.name, removable=True))
    found.sort(key=lambda p: p.name.casefold())
    home = home if home is not None else Path.home()
    if home.is_dir():
        found.append(Place(home, home.name, removable=False))
    return found


def subfolders(folder: Path) -> list[Path]:
    """The folders inside ``folder`` a person would pick (no hidden ones), by name."""
    try:
        entries = [e for e in os.scandir(folder)
                   if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")]
    except OSError:
        return []
    return sorted((Path(e.path) for e in entries), key=lambda p: p.name.casefold())


#: What a folder name on a USB drive (FAT, exFAT, NTFS) may not hold.
_NOT_IN_NAMES = frozenset('<>:"/\\|?*')
FOLDER_NAME_MAX = 64


def make_subfolder(folder: Path, name: str) -> Path:
    """Create ``folder/name`` (or find it already there) and return it. Raises
    :class:`ExportFailed`: ``export_bad_name`` for a name a drive cannot hold (empty, "." or
    "..", one of the characters above or a control one, too long), ``export_name_taken``
    for a file of that name, else the drive's own reason (full, read-only, removed)."""
    name = name.strip()
    if (not name or name in (".", "..") or len(name) > FOLDER_NAME_MAX or name.endswith(".")
            or any(c in _NOT_IN_NAMES or ord(c) < 32 for c in name)):
        raise ExportFailed("export_bad_name")
    target = folder / name
    try:
        target.mkdir(exist_ok=True)
        _sync_folder(folder)
    except FileExistsError:  # a file of that name
        raise ExportFailed("export_name_taken") from None
    except OSError as exc:
        raise _failure(exc) from None
    return target
