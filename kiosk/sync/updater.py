"""The kiosk's signed updates, in the background (no Qt; the sync worker calls it).

A check (:meth:`Updater.check`, at most every :data:`CHECK_INTERVAL`):

1. takes the launcher's verdict on the last switch (installed / rolled back), if any;
2. asks the server which version this kiosk may install (its branch's rollout): an offer
   signed with the repository's targets key, checked against the trusted TUF root;
3. refreshes the TUF metadata (python-tuf's client: root, timestamp, snapshot, targets, each
   signed, none older than the last seen, none expired) and downloads the offered target,
   whose length and SHA-256 the signed targets metadata fixes;
4. unpacks it beside the running version (:class:`~kiosk.sync.versions.Layout`).

Metadata with a bad signature, an offer nobody signed, or a target whose bytes differ from
what was signed are refused: nothing is unpacked and the refusal is reported. The switch
itself (:meth:`Updater.apply`) runs only when the screens say the attract screen is showing;
the kiosk then restarts and the launcher tests the new version, then keeps it on probation
until the kiosk, having run for its probation window, confirms itself healthy
(:meth:`Updater.confirm_healthy`); a version that crashes three times before that is rolled
back by the launcher (``crashed``).

All HTTP goes through :class:`~kiosk.sync.client.CentralClient` (TUF's own fetcher is not
used: :class:`ClientFetcher` hands python-tuf the client's downloads). The trust anchor is
``root.json``: kept in ``updates/tuf/`` once trusted, first taken from ``update-root.json``
beside the installed program (``install-kiosk.sh --update-root``, setup's ``/UPDATEROOT=``);
without one, no update.
"""

import logging
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.sync.client import CentralClient, SyncError, TransientError
from kiosk.sync.launch import Flavour
from kiosk.sync.versions import Layout, StageError
from trato.protocol.updates import UPDATES_PATH, verify_offer
from trato.protocol.wire import UpdateState, UpdateStatus

log = logging.getLogger(__name__)

CHECK_INTERVAL = timedelta(minutes=15)
#: A refused version is not fetched again before this (unless the server offers another); a
#: rolled-back one is not tried again until the server offers another version.
REFUSED_RETRY = timedelta(hours=6)
ROOT_FILE = "update-root.json"


def _tuf() -> Any:
    """python-tuf, imported when an update check first runs (not at kiosk start)."""
    import tuf.api.exceptions as exceptions
    from tuf.api.metadata import Metadata
    from tuf.ngclient import FetcherInterface, Updater

    return exceptions, Metadata, FetcherInterface, Updater


def client_fetcher(client: CentralClient) -> Any:
    """A python-tuf fetcher that downloads through the kiosk's one HTTP client."""
    exceptions, _, fetcher_interface, _ = _tuf()

    class ClientFetcher(fetcher_interface):  # type: ignore[misc, valid-type]
        def _fetch(self, url: str) -> Iterator[bytes]:
            try:
                chunks = client.download(url)
                first = next(chunks, b"")  # the status is known once the answer started
            except SyncError as exc:
                if exc.status is not None:
                    raise exceptions.DownloadHTTPError(exc.code, exc.status) from None
                raise exceptions.DownloadError(exc.code) from None

            def rest() -> Iterator[bytes]:
                yield first
                try:
                    yield from chunks
                except SyncError as exc:
                    raise exceptions.DownloadError(exc.code) from None

            return rest()

    return ClientFetcher()


class Updater:
    def __init__(self, client: CentralClient, data_dir: Path | str, installed_dir: Path | str,
                 kiosk_id: str, running_version: str,
                 now: Callable[[], datetime] | None = None,
                 flavour: Flavour | None = None) -> None:
        self.client = client
        self.layout = Layout(data_dir, installed_dir, flavour)
        self.platform = self.layout.flavour.platform
        self.kiosk_id = kiosk_id
        self.running_version = running_version
        self._now = now or (lambda: datetime.now(UTC))
        self._last_check: datetime | None = None
        self._lock = threading.Lock()

    @property
    def status(self) -> UpdateStatus | None:
        return self.layout.load_status()

    def _save(self, state: UpdateState, version: str, detail: str = "") -> UpdateStatus:
        log.info("update %s: %s %s", version, state.value, detail)
        return self.layout.save_status(state, version, self._now(), detail)

    # ------------------------------------------------------------------ trust anchor
    def _trusted_root(self) -> bool:
        root = self.layout.tuf_dir / "root.json"
        if root.is_file():
            return True
        shipped = self.layout.installed / ROOT_FILE
        if not shipped.is_file():
            return False
        root.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shipped, root)
        return True

    def _targets_keys(self) -> dict[str, Any]:
        _, metadata, _, _ = _tuf()
        root = metadata.from_file(str(self.layout.tuf_dir / "root.json")).signed
        return {keyid: root.keys[keyid] for keyid in root.roles["targets"].keyids}

    # ------------------------------------------------------------------ the check
    def due(self) -> bool:
        last = self._last_check
        return last is None or not timedelta(0) <= self._now() - last < CHECK_INTERVAL

    def absorb_verdict(self) -> UpdateStatus | None:
        """The launcher's verdict on the last switch becomes the reported status."""
        verdict = self.layout.take_result()
        if verdict is None:
            return None
        state, version, detail = verdict
        status = self._save(UpdateState(state), version, detail)
        self.layout.prune()
        return status

    def check(self, force: bool = False) -> UpdateStatus | None:
        """One background check; returns the status when it changed, else None."""
        if not force and not self.due():
            return None
        with self._lock:
            self._last_check = self._now()
            changed = self.absorb_verdict()
            if not self._trusted_root():
                log.info("no trusted update root (install-kiosk.sh --update-root): no updates")
                return changed
            return self._check() or changed

    def _check(self) -> UpdateStatus | None:
        exceptions, _, _, tuf_updater = _tuf()
        try:
            offer = self.client.update_offer(self.platform)
        except SyncError as exc:  # offline, or a server that publishes no updates
            log.info("no update offer (%s)", exc.code)
            return None
        if not verify_offer(offer, self._targets_keys(), self.kiosk_id, self.platform):
            return self._refuse(offer.version or "?", "bad_offer_signature")
        version = offer.version
        if version is None or version == self.running_version:
            return None
        current = self.status
        if current is not None and current.version == version and (
                current.state == UpdateState.ROLLED_BACK  # never tried again by itself
                or (current.state == UpdateState.REFUSED
                    and self._now() - current.at < REFUSED_RETRY)):
            return None
        if self.layout.is_staged(version):
            if current is not None and current.state == UpdateState.READY \
                    and current.version == version:
                return None
            return self._save(UpdateState.READY, version)
        base = self.client.server_url + UPDATES_PATH
        self.layout.downloads.mkdir(parents=True, exist_ok=True)
        updater = tuf_updater(
            metadata_dir=str(self.layout.tuf_dir), metadata_base_url=f"{base}/metadata/",
            target_dir=str(self.layout.downloads), target_base_url=f"{base}/targets/",
            fetcher=client_fetcher(self.client), bootstrap=None)  # root.json: trusted
        try:
            updater.refresh()
            info = updater.get_targetinfo(offer.target)
        except (exceptions.UnsignedMetadataError, exceptions.BadVersionNumberError) as exc:
            log.warning("update metadata refused: %s", exc)
            return self._refuse(version, "bad_signature")
        except exceptions.ExpiredMetadataError:
            return self._refuse(version, "expired_metadata")
        except exceptions.RepositoryError as exc:
            log.warning("update metadata refused: %s", exc)
            return self._refuse(version, "bad_metadata")
        except exceptions.DownloadError as exc:
            log.info("update metadata not fetched (%s); next check", exc)
            return None
        if info is None or info.custom.get("version") != version:
            log.warning("offered version %s is not in the signed targets", version)
            return None
        return self._download(updater, info, version, exceptions)

    def _download(self, updater: Any, info: Any, version: str, exceptions: Any) -> Any:
        changed = None
        if updater.find_cached_target(info) is None:
            changed = self._save(UpdateState.DOWNLOADING, version)
            try:
                path = updater.download_target(info)
            except (exceptions.LengthOrHashMismatchError,
                    exceptions.DownloadLengthMismatchError) as exc:
                log.warning("update target refused: %s", exc)
                return self._refuse(version, "bad_hash")
            except (exceptions.DownloadError, OSError, TransientError) as exc:
                log.info("update download interrupted (%s); next check", type(exc).__name__)
                return changed
        else:
            path = updater.find_cached_target(info)
        try:
            self.layout.stage(Path(path), version)
        except StageError as exc:
            log.warning("update %s not unpacked: %s", version, exc)
            return self._refuse(version, "bad_archive")
        finally:
            Path(path).unlink(missing_ok=True)
        return self._save(UpdateState.READY, version)

    def _refuse(self, version: str, reason: str) -> UpdateStatus:
        shutil.rmtree(self.layout.downloads, ignore_errors=True)
        return self._save(UpdateState.REFUSED, version, reason)

    def confirm_healthy(self) -> bool:
        """The running version has run for its probation window: the launcher stops counting
        its crashes. True when it was on probation."""
        version = self.layout.end_probation()
        if version is None:
            return False
        log.info("version %s confirmed healthy; probation over", version or self.running_version)
        return True

    # ------------------------------------------------------------------ the switch
    def ready_version(self) -> str | None:
        """The staged version to switch to; None when there is none, or when ``current``
        already points at it (switched, the restart still to come: switching again would
        point ``previous`` at it too, and leave nothing to roll back to)."""
        status = self.status
        if status is not None and status.state == UpdateState.READY \
                and status.version != self.running_version \
                and self.layout.is_staged(status.version) \
                and not self.layout.points_at(status.version):
            return status.version
        return None

    def apply(self) -> bool:
        """Switch to the staged version (call only on the attract screen). True: restart now;
        the launcher tests it and keeps it or rolls back."""
        if not self._lock.acquire(blocking=False):  # a check is running: ask again later
            return False
        try:
            version = self.ready_version()
            if version is None:
                return False
            self.layout.switch(version)
            log.info("switched to version %s; restarting", version)
            return True
        finally:
            self._lock.release()


def build_updater(settings: Any, environ: dict[str, str]) -> Updater | None:
    """The updater of an enrolled kiosk started by the launcher (``TD_KIOSK_LAUNCHER``, the
    installed program's folder beside it: the Linux launcher script, or the installed Windows
    program, :mod:`kiosk.sync.launch`); None otherwise (development, tests)."""
    import os

    from kiosk import __version__
    from kiosk.sync.credentials import load_credentials
    from kiosk.sync.launch import LAUNCHER_ENV

    launcher = environ.get(LAUNCHER_ENV)
    if not launcher or not os.path.isfile(launcher):
        return None
    creds = load_credentials(settings.credentials_dir)
    if creds is None:
        return None
    ca = creds.ca_bundle or (str(settings.ca_bundle) if settings.ca_bundle else None)
    client = CentralClient(creds.server_url, kiosk_id=creds.kiosk_id,
                           signing_key=creds.signing_key, ca_bundle=ca)
    return Updater(client, settings.data_dir, Path(launcher).parent, str(creds.kiosk_id),
                   __version__)
