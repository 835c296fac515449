"""The kiosk versions on disk, side by side, and the pointer that says which one runs.

The installed program (``/opt/trato-kiosk``, root's) is never written; updates live in the
data folder, the kiosk account's::

    <data>/updates/versions/<version>/   each verified update, unpacked whole, then renamed in
    <data>/updates/current  -> versions/<version> (or the installed folder)   what runs
    <data>/updates/previous -> what ran before the last switch                the rollback
    <data>/updates/pending   "<version>": switched, not yet tested
    <data>/updates/testing   the launcher is testing it (left behind: it did not start)
    <data>/updates/probation "<version> <crashes>": it passed, not yet confirmed healthy
    <data>/updates/result    the launcher's verdict: "installed V" / "rolled_back V REASON"
    <data>/updates/status.json   the last UpdateStatus, reported to the central server

The launcher (``installer/linux/trato-kiosk-launch``, what the Linux service runs; on Windows
the installed program itself, :mod:`kiosk.sync.launch`) starts whatever ``current`` points
at; after a switch it first runs that version's ``self-test`` and, on a failure (or when
the test never finished), points ``current`` back at ``previous``. A version that passed is
on probation until the kiosk confirms itself healthy (:meth:`end_probation`,
after its probation window): until then the launcher counts the runs that end in a crash and
rolls back at the third (``rolled_back <version> crashed``). Every pointer change is a new
symlink (Linux) or a new file holding the folder's path (Windows) renamed over the old one
(:func:`kiosk.sync.launch.write_pointer`).
"""

import logging
import os
import shutil
import tarfile
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from kiosk.files import write_text_atomically
from kiosk.sync.launch import (
    LAUNCHER_ENV,
    Flavour,
    UpdateFiles,
    read_pointer,
    write_pointer,
)
from trato.protocol.wire import UpdateState, UpdateStatus

log = logging.getLogger(__name__)

__all__ = ["LAUNCHER_ENV", "Layout", "StageError", "load_update_status"]


class StageError(Exception):
    """An archive that cannot be a kiosk build (unsafe paths, no program)."""


class Layout(UpdateFiles):
    """The launcher's files (:class:`kiosk.sync.launch.UpdateFiles`) and the kiosk's own:
    its update status, the trusted TUF metadata and the downloads."""

    def __init__(self, data_dir: Path | str, installed_dir: Path | str,
                 flavour: Flavour | None = None) -> None:
        super().__init__(data_dir, installed_dir, flavour)
        self.status_file = self.root / "status.json"
        self.tuf_dir = self.root / "tuf"
        self.downloads = self.root / "downloads"

    # ------------------------------------------------------------------ versions
    def is_staged(self, version: str) -> bool:
        return (self.version_dir(version) / self.flavour.program).is_file()

    def stage(self, archive: Path, version: str) -> Path:
        """Unpack a verified archive beside the other versions (a temporary folder renamed
        in when whole). Paths outside the folder, devices and links out are refused."""
        final = self.version_dir(version)
        if self.is_staged(version):
            return final
        self.versions.mkdir(parents=True, exist_ok=True)
        tmp = self.versions / f".{version}.unpacking"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise StageError(f"the archive cannot be unpacked ({type(exc).__name__})") from None
        program = tmp / self.flavour.program
        if not program.is_file():
            shutil.rmtree(tmp, ignore_errors=True)
            raise StageError("the archive holds no kiosk program")
        program.chmod(0o755)
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
        return final

    # ------------------------------------------------------------------ pointers
    def running_dir(self) -> Path:
        target = read_pointer(self.current, self.flavour) or self.installed
        return target if (target / self.flavour.program).is_file() else self.installed

    def switch(self, version: str) -> None:
        """Make ``version`` the one the launcher starts next (it tests it first)."""
        if not self.is_staged(version):
            raise StageError(f"version {version} is not staged")
        write_pointer(self.previous, self.running_dir(), self.flavour)
        write_text_atomically(self.pending, version + "\n", prefix=".pending-")
        write_pointer(self.current, self.version_dir(version), self.flavour)

    def end_probation(self) -> str | None:
        """The running version confirms itself healthy: the launcher no longer counts its
        crashes. Returns the version that was on probation, None when none was."""
        try:
            words = self.probation.read_text(encoding="utf-8").split()
        except OSError:
            return None
        self.probation.unlink(missing_ok=True)
        return words[0] if words else ""

    def take_result(self) -> tuple[str, str, str] | None:
        """The launcher's verdict on the last switch, once: (state, version, detail)."""
        try:
            words = self.result.read_text(encoding="utf-8").split()
        except FileNotFoundError:
            return None
        except OSError:
            return None
        self.result.unlink(missing_ok=True)
        if len(words) < 2 or words[0] not in (UpdateState.INSTALLED, UpdateState.ROLLED_BACK):
            return None
        return words[0], words[1], words[2] if len(words) > 2 else ""

    def prune(self) -> None:
        """Remove the versions neither ``current`` nor ``previous`` points at, and downloads."""
        keep = {read_pointer(p, self.flavour) for p in (self.current, self.previous)}
        for path in self.versions.glob("*") if self.versions.is_dir() else []:
            if path.resolve() not in keep and not path.name.startswith("."):
                shutil.rmtree(path, ignore_errors=True)

    # ------------------------------------------------------------------ status
    def save_status(self, state: UpdateState, version: str, at: datetime,
                    detail: str = "") -> UpdateStatus:
        status = UpdateStatus(state=state, version=version, detail=detail, at=at)
        write_text_atomically(self.status_file, status.model_dump_json(), prefix=".status-")
        return status

    def load_status(self) -> UpdateStatus | None:
        try:
            return UpdateStatus.model_validate_json(self.status_file.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, ValidationError):
            log.warning("the stored update status is unreadable")
            return None


def load_update_status(data_dir: Path | str) -> UpdateStatus | None:
    """What the kiosk report says of the update (kiosk.sync.engine)."""
    return Layout(data_dir, "/nonexistent").load_status()
