"""The sync engine: outbox -> batches -> central (push), change feed -> store (pull). No Qt.

A round (:meth:`SyncEngine.run_round`) pushes every due record in sequence order, in batches
of up to ``batch_size``, then pulls the change feed, then purges case text acknowledged longer
than the retention period ago. Rules (architecture principles 1-7):

* a record is marked sent ONLY from its own :class:`~trato.protocol.wire.RecordResult`
  (``stored`` or ``duplicate``); ``rejected`` / ``conflict`` set it aside with the reason and the
  others go on; a record the server did not answer stays pending;
* the batch body is built from the payloads frozen at capture, byte-identical on every retry;
* a failure backs off exponentially with full jitter up to a cap; ``Retry-After`` is honoured;
  the engine never loops tightly (the caller sleeps :meth:`next_delay`);
* a revoked kiosk stops sending, keeps every record and says why;
* each change of the feed is applied and the cursor advanced in the same local transaction,
  so a crash resumes exactly where it stopped;
* the clock offset the server reports is recorded.

``trato-kiosk sync`` (:mod:`kiosk.cli`) runs one round without the UI.
"""

import json
import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk import __version__
from kiosk.clock import now_callable
from kiosk.storage.identity import get_identity, get_sync_state, mark_revoked, read_sync_state
from kiosk.storage.outbox import next_batch, outbox_counts, set_aside_entries
from kiosk.storage.retention import (
    purge_acknowledged_case_text,
    purge_acknowledged_survey_comments,
)
from kiosk.sync import outbox
from kiosk.sync.changes import apply_feed
from kiosk.sync.client import (
    AuthError,
    CentralClient,
    PermanentError,
    ServerHolds,
    SyncError,
    TransientError,
)
from kiosk.sync.launch import host_flavour
from kiosk.sync.report import load_self_test
from kiosk.sync.status import SyncStatus, read_status
from kiosk.sync.versions import load_update_status
from trato.protocol.wire import MAX_BATCH_RECORDS, SCHEMA_VERSION, KioskReport, RecordStatus

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200
DEFAULT_PULL_LIMIT = 200
#: Codes that stop the kiosk from sending until it is enrolled again.
REVOKED_CODES = frozenset({"revoked", "kiosk_revoked"})


@dataclass
class PushReport:
    sent: int = 0  # acknowledged (stored or duplicate)
    set_aside: int = 0
    unanswered: int = 0
    batches: int = 0


@dataclass
class RoundReport:
    push: PushReport = field(default_factory=PushReport)
    pulled: int = 0
    purged: int = 0
    error: str | None = None
    ok: bool = False


class SyncEngine:
    """One kiosk's sync. Not thread-safe: one worker thread (or process) owns it.

    ``hooks`` (tests only) may hold ``after_push_response(result)``, called after the server's
    answer arrived and before anything is marked locally, to crash the process there.
    """

    def __init__(
        self,
        database: Any,
        client: CentralClient,
        clock: Any = None,
        settings: Any = None,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        pull_limit: int = DEFAULT_PULL_LIMIT,
        backoff_base: float = 2.0,
        backoff_cap: float = 900.0,
        interval_seconds: float | None = None,
        retention_days: int | None = None,
        rng: random.Random | None = None,
        hooks: dict[str, Callable[..., Any]] | None = None,
    ) -> None:
        self.database = database
        self.client = client
        self.now = now_callable(clock)
        self.settings = settings
        self.batch_size = max(1, min(batch_size, MAX_BATCH_RECORDS))
        self.pull_limit = pull_limit
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.interval_seconds = float(
            interval_seconds if interval_seconds is not None
            else getattr(settings, "sync_interval_seconds", 60)
        )
        self.retention_days = int(
            retention_days if retention_days is not None
            else getattr(settings, "retention_days", 30)
        )
        self.rng = rng or random.Random()  # retry jitter, not a secret  # nosec B311
        self.hooks = hooks or {}
        self.failures = 0  # consecutive failed rounds
        self.retry_after: float | None = None
        self.stopped_reason: str | None = None  # "revoked" once the server refused the kiosk
        self._recovered = False
        self._reported: str | None = None  # the last report the server took, as JSON

    # ------------------------------------------------------------------ helpers

    def _kiosk_id(self) -> uuid.UUID:
        if self.client.kiosk_id is None:
            raise AuthError("not_enrolled", "no credentials")
        return self.client.kiosk_id

    def is_revoked(self) -> bool:
        if self.stopped_reason:
            return True
        with self.database.read() as session:
            identity = get_identity(session)
            return bool(identity is not None and identity.revoked_at is not None)

    def recover(self) -> None:
        """Entries left 'sending' by a crash go back to pending (they will be resent and
        answered 'duplicate' if the server already has them)."""
        with self.database.write() as session:
            outbox.recover_interrupted(session)
        self._recovered = True

    def _record_offset(self, session: Any, offset: float | None) -> None:
        if offset is None:
            return
        get_sync_state(session).clock_offset_seconds = float(offset)

    # ------------------------------------------------------------------ push

    def _batch_body(self, payloads: list[str], backlog: int) -> bytes:
        """The PushBatch JSON, built around the frozen record payloads (no re-serialising)."""
        head = {
            "schema_version": SCHEMA_VERSION,
            "kiosk_id": str(self._kiosk_id()),
            "batch_id": str(uuid.uuid4()),
            "sent_at": self.now().astimezone(UTC).isoformat(),
            "app_version": __version__[:32],
            "backlog": max(backlog, len(payloads)),
        }
        prefix = json.dumps(head, separators=(",", ":"))[:-1]
        return (prefix + ',"records":[' + ",".join(payloads) + "]}").encode("utf-8")

    def push_once(self, backlog: int | None = None) -> PushReport:
        """Send one batch of due records. Raises :class:`SyncError` on failure (after having
        recorded it on the entries). ``backlog`` (records waiting, this batch included) is
        counted here when not given."""
        self._kiosk_id()  # not enrolled: fail before anything is marked
        if not self._recovered:
            self.recover()
        report = PushReport()
        now = self.now()
        with self.database.write() as session:
            entries = next_batch(session, limit=self.batch_size, now=now)
            if not entries:
                return report
            moved = outbox.mark_sending(session, ids=[e.id for e in entries], now=now)
            ids = [e.id for e in moved]
            payloads = [e.payload for e in moved]
            if backlog is None:
                backlog = outbox_counts(session).pending
        del entries, moved
        if not ids:
            return report
        body = self._batch_body(payloads, backlog)
        del payloads
        try:
            result = self.client.push_raw(body)
        except SyncError as exc:
            with self.database.write() as session:
                outbox.record_failure(
                    session, ids=ids, error=exc.code, now=self.now(), rng=self.rng,
                    base=self.backoff_base, cap=self.backoff_cap,
                    retry_after=getattr(exc, "retry_after", None),
                )
            raise
        hook = self.hooks.get("after_push_response")
        if hook is not None:
            hook(result)
        asked = set(ids)
        answered = [r for r in result.results if r.id in asked]
        with self.database.write() as session:
            outbox.apply_results(session, results=answered, now=self.now())
            unanswered = asked - {r.id for r in answered}
            if unanswered:
                # No per-record answer: never marked sent; try again later.
                outbox.record_failure(
                    session, ids=list(unanswered), error="unanswered", now=self.now(),
                    rng=self.rng, base=self.backoff_base, cap=self.backoff_cap,
                )
            self._record_offset(session, result.clock_offset_seconds)
        report.batches = 1
        for r in answered:
            if r.status.acknowledged:
                report.sent += 1
            elif r.status in (RecordStatus.REJECTED, RecordStatus.CONFLICT):
                report.set_aside += 1
        report.unanswered = len(unanswered)
        return report

    def push_all(self, max_batches: int | None = None) -> PushReport:
        total = PushReport()
        with self.database.read() as session:
            backlog = outbox_counts(session).pending  # counted once per round
        while max_batches is None or total.batches < max_batches:
            report = self.push_once(backlog=max(backlog - total.sent - total.set_aside, 0))
            if report.batches == 0:
                break
            total.sent += report.sent
            total.set_aside += report.set_aside
            total.unanswered += report.unanswered
            total.batches += 1
            if report.unanswered and not report.sent and not report.set_aside:
                break  # the server answers nothing useful; do not spin
        return total

    # ------------------------------------------------------------------ pull

    def pull_once(self) -> tuple[int, bool]:
        """Fetch one page of changes and apply it with its cursor in one transaction.
        Returns (changes applied, has_more)."""
        with self.database.read() as session:
            cursor = read_sync_state(session).pull_cursor
        feed = self.client.changes(cursor, self.pull_limit)
        holds = getattr(self.client, "holds", None)  # None: the server did not say
        with self.database.write() as session:
            applied = apply_feed(session, feed, since=cursor, now=self.now())
            if holds is not None:
                self._catch_up_with_a_restored_server(session, holds)
        if applied is None:  # someone else advanced the cursor meanwhile
            return 0, True
        return applied, feed.has_more and bool(feed.changes)

    def _catch_up_with_a_restored_server(self, session: Any, holds: ServerHolds) -> None:
        """The server holds less than this kiosk knows it was given: its database came back
        from a backup. What it lost is sent again (from the frozen outbox bytes, kept with
        the records; text already purged after the retention period goes out blank), and
        the pull starts again from the beginning: the restored server numbers its new changes
        from where its backup ended, below this kiosk's cursor, and the appliers are
        versioned, so pulling again what was applied before changes nothing."""
        identity = get_identity(session)
        if identity is None:
            return
        resent = outbox.resend_lost(session, above_seq=holds.records_seq,
                                    sent_since=identity.enrolled_at, now=self.now())
        state = get_sync_state(session)
        # Records lost, or a cursor beyond the server's last change: either says restored.
        rewound = state.pull_cursor > 0 and (resent > 0 or state.pull_cursor > holds.changes_top)
        if rewound:
            state.pull_cursor = 0
            session.add(state)
        if resent or rewound:
            log.warning("the server holds records up to seq %d and changes up to %d (its "
                        "database was restored?): %d records queued again%s", holds.records_seq,
                        holds.changes_top, resent, ", pulling from the start" if rewound else "")

    def pull_all(self, max_pages: int = 100) -> int:
        total = 0
        for _ in range(max_pages):
            applied, more = self.pull_once()
            total += applied
            if not more:
                break
        return total

    # ------------------------------------------------------------------ report

    def send_report(self) -> bool:
        """Tell the server this kiosk's version and last self-test when either changed since
        the server last took them (once per start at least). A server that does not know the
        report (older than this kiosk) is not asked again until the kiosk restarts; a
        transient failure is retried next round. Returns whether a report went out."""
        data_dir = getattr(self.settings, "data_dir", None)
        report = KioskReport(
            schema_version=SCHEMA_VERSION, kiosk_id=self._kiosk_id(),
            app_version=__version__[:32],
            self_test=load_self_test(data_dir) if data_dir is not None else None,
            update=load_update_status(data_dir) if data_dir is not None else None,
            platform=host_flavour().platform)
        text = report.model_dump_json()
        if text == self._reported:
            return False
        try:
            self.client.report(report)
        except TransientError as exc:  # the records went; the report waits for next round
            log.info("kiosk report not sent (%s); next round", exc.code)
            return False
        except AuthError:
            raise
        except SyncError as exc:
            log.info("the server did not take the kiosk report (%s); not sent again", exc.code)
        self._reported = text
        return True

    # ------------------------------------------------------------------ round

    def purge(self) -> int:
        with self.database.write() as session:
            retention = timedelta(days=self.retention_days)
            purged = purge_acknowledged_case_text(
                session, now=self.now(), retention=retention
            )
            purged += purge_acknowledged_survey_comments(
                session, now=self.now(), retention=retention
            )
        if purged and not self.database.checkpoint():
            log.info("purged text still in the WAL (a reader was active); next round")
        return int(purged or 0)

    def run_round(self) -> RoundReport:
        """Push everything due, pull, purge; record the outcome. Never raises SyncError."""
        report = RoundReport()
        if self.is_revoked():
            report.error = "revoked"
            self.stopped_reason = "revoked"
            return report
        started = self.now()
        try:
            report.push = self.push_all()
            report.pulled = self.pull_all()
            self.send_report()
        except AuthError as exc:
            report.error = exc.code
            self._fail(exc, started)
            if exc.code in REVOKED_CODES:
                self._mark_revoked(exc)
            return report
        except (TransientError, PermanentError, SyncError) as exc:
            report.error = exc.code
            self._fail(exc, started)
            return report
        try:
            report.purged = self.purge()
        except Exception:  # purge must never stop sync
            log.exception("retention purge failed")
        self.failures = 0
        self.retry_after = None
        with self.database.write() as session:
            state = get_sync_state(session)
            state.last_attempt_at = started
            state.last_success_at = self.now()
            state.last_error_code = None
            state.last_error_detail = None
            if self.client.offset_learned:
                state.clock_offset_seconds = self.client.offset_seconds
            session.add(state)
        report.ok = True
        return report

    def _fail(self, exc: SyncError, started: datetime) -> None:
        self.failures += 1
        self.retry_after = getattr(exc, "retry_after", None)
        log.info("sync round failed: %s (failure %d)", exc.code, self.failures)
        with self.database.write() as session:
            state = get_sync_state(session)
            state.last_attempt_at = started
            state.last_error_code = exc.code[:64]
            state.last_error_detail = (exc.detail or "")[:500] or None
            if self.client.offset_learned:
                state.clock_offset_seconds = self.client.offset_seconds
            session.add(state)

    def _mark_revoked(self, exc: SyncError) -> None:
        self.stopped_reason = "revoked"
        with self.database.write() as session:
            identity = get_identity(session)
            if identity is not None and identity.revoked_at is None:
                mark_revoked(session, now=self.now(), reason=(exc.detail or exc.code)[:500])
        log.warning("the central server revoked this kiosk; sending stopped, data kept")

    def next_delay(self) -> float:
        """Seconds until the next round: the interval when all is well, else exponential
        backoff with jitter, at least Retry-After (spread by up to a quarter), capped."""
        if self.failures == 0:
            return self.interval_seconds
        exp = min(self.backoff_cap, self.backoff_base * (2 ** min(self.failures - 1, 30)))
        delay = self.rng.uniform(exp / 2, exp)
        if self.retry_after is None:
            return min(max(delay, 0.0), self.backoff_cap)
        # At least Retry-After, plus up to a quarter more (at most a minute): kiosks told the
        # same delay by a proxy do not all come back in the same second.
        spread = self.retry_after + self.rng.uniform(0.0, min(self.retry_after / 4, 60.0))
        return min(max(delay, spread), max(self.backoff_cap, spread))

    def status(self) -> SyncStatus:
        return read_status(self.database, enrolled=self.client.kiosk_id is not None)

    def retry_set_aside(self) -> int:
        """Staff asked to send the set-aside records again (e.g. once support fixed what the
        server refused): back to waiting, due now. Returns how many."""
        with self.database.write() as session:
            ids = [entry.id for entry in set_aside_entries(session)]
            count = outbox.retry_set_aside(session, ids=ids, now=self.now())
        if count:
            log.info("staff put %d set-aside records back in the queue", count)
        return count


# ---------------------------------------------------------------------------- composition


def build_engine(settings: Any, database: Any, **engine_kw: Any) -> SyncEngine | None:
    """An engine from the stored credentials, or None when the kiosk is not enrolled."""
    from kiosk.sync.credentials import load_credentials

    creds = load_credentials(settings.credentials_dir)
    if creds is None:
        return None
    ca = creds.ca_bundle or (str(settings.ca_bundle) if settings.ca_bundle else None)
    client_kw = {k: engine_kw.pop(k) for k in ("connect_timeout", "read_timeout", "clock")
                 if k in engine_kw}
    clock = client_kw.get("clock")
    client = CentralClient(creds.server_url, kiosk_id=creds.kiosk_id,
                           signing_key=creds.signing_key, ca_bundle=ca, **client_kw)
    with database.read() as session:
        offset = read_sync_state(session).clock_offset_seconds
    if offset is not None:
        client.offset_seconds = offset
    return SyncEngine(database, client, clock, settings, **engine_kw)


__all__ = ["PushReport", "RoundReport", "SyncEngine", "build_engine"]


