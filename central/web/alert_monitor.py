"""The process's alert monitor (``app.state.alert_monitor``, started with the app's lifespan).

* It listens to the event bus like the board hub: every event that names a unit (an ingest
  batch after its commit, a case changed or registered on the web) marks the unit; at most
  once per :data:`EVENT_TICK_SECONDS` the rules are evaluated over the marked units only
  (:func:`central.web.alert_eval.evaluate`), in a worker thread.
* Every ``alerts_interval_seconds`` every rule is evaluated over its whole branch: what time
  alone changes (a kiosk falls silent, a queja becomes overdue, the index window slides).
* The alerts raised or closed are announced with an ``alert`` event naming their branch, so
  the live boards of those nodes send their alerts block.
* Mails wait in ``alert_mail`` (written in the alert's transaction) and are sent by
  :mod:`central.web.alert_mail` in another worker thread: a slow or dead SMTP server delays
  the mails only, never the ingest nor the evaluation.

On PostgreSQL every server process runs its own monitor; the partial unique index on active
alerts makes the second process's insert of the same alert a no-op.
"""

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Collection
from typing import Any

from sqlmodel import Session, select

from central.db import utcnow, write_session
from central.models import AlertRule
from central.web.alert_eval import Outcome, evaluate
from central.web.alert_mail import send_pending
from central.web.live import stop_tasks

log = logging.getLogger(__name__)

EVENT_TICK_SECONDS = 0.5
ALERT_EVENT = "alert"


def alert_event(a: Any) -> dict[str, Any]:
    """The board event of an alert raised, closed or acknowledged: its branch, nothing else."""
    return {"type": ALERT_EVENT, "unit_id": str(a.unit_id),
            "module_id": str(a.module_id) if a.module_id else None,
            "ooad_id": str(a.ooad_id) if a.ooad_id else None,
            "umae_id": str(a.umae_id) if a.umae_id else None}


def alert_events(outcome: Outcome) -> list[dict[str, Any]]:
    """One board event per branch of the alerts raised or closed."""
    return list({(a.unit_id, a.module_id): alert_event(a) for a in outcome.changed}.values())


class AlertMonitor:
    def __init__(self, engine: Any, bus: Any, settings: Any) -> None:
        self.engine = engine
        self.bus = bus
        self.settings = settings
        self.interval = float(getattr(settings, "alerts_interval_seconds", 300.0))
        self.evaluations = 0  # (tests)
        self._dirty: set[uuid.UUID] = set()
        self._wake: asyncio.Event | None = None
        self._mail_wake: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._sub: Any = None

    @property
    def mail_base_url(self) -> str:
        """The alert pages' base address when mails are sent, else empty (no SMTP server)."""
        if not getattr(self.settings, "smtp_host", ""):
            return ""
        return str(self.settings.public_base_url)

    async def start(self) -> None:
        if self._tasks:
            return
        self._wake = asyncio.Event()
        self._mail_wake = asyncio.Event()
        self._sub = self.bus.subscribe()
        self._tasks = [asyncio.create_task(self._listen(), name="td-alert-events"),
                       asyncio.create_task(self._loop(), name="td-alert-rules"),
                       asyncio.create_task(self._mails(), name="td-alert-mails")]

    async def stop(self) -> None:
        await stop_tasks(self._tasks, self._sub)
        self._tasks = []

    async def _listen(self) -> None:
        assert self._wake is not None
        async for event in self._sub:
            if event.get("type") == ALERT_EVENT or not event.get("unit_id"):
                continue
            with contextlib.suppress(ValueError):
                self._dirty.add(uuid.UUID(str(event["unit_id"])))
                self._wake.set()

    async def _loop(self) -> None:
        assert self._wake is not None
        last_full = 0.0
        while True:
            wait = max(0.0, last_full + self.interval - time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)
            self._wake.clear()
            units: set[uuid.UUID] | None = None
            if time.monotonic() - last_full >= self.interval:
                last_full = time.monotonic()
                self._dirty.clear()
            else:
                units, self._dirty = self._dirty, set()
            try:
                await self.run(units)
            except Exception:  # a failed evaluation must not end the monitor
                log.exception("alert evaluation failed")
            await asyncio.sleep(EVENT_TICK_SECONDS)

    async def run(self, units: Collection[uuid.UUID] | None = None,
                  rule_ids: Collection[uuid.UUID] | None = None) -> Outcome:
        """Evaluate (all, or over ``units``, or ``rule_ids``) in a worker thread, commit,
        then announce the changed alerts and wake the mail sender."""
        outcome = await asyncio.to_thread(self.evaluate_now, units, rule_ids)
        for event in alert_events(outcome):
            await self.bus.apublish(event)
        if outcome.opened and self._mail_wake is not None:
            self._mail_wake.set()
        return outcome

    def evaluate_now(self, units: Collection[uuid.UUID] | None = None,
                     rule_ids: Collection[uuid.UUID] | None = None) -> Outcome:
        with Session(self.engine) as session:  # no rule: no write lock taken at all
            if session.exec(select(AlertRule.id).limit(1)).first() is None:
                return Outcome()
        with write_session(self.engine) as session:
            outcome = evaluate(session, utcnow(), units=units, rule_ids=rule_ids,
                               mail_to=self.mail_base_url)
            session.commit()
        self.evaluations += 1
        if outcome.opened or outcome.closed:
            log.info("alerts: %d raised, %d closed", len(outcome.opened), len(outcome.closed))
        return outcome

    async def _mails(self) -> None:
        assert self._mail_wake is not None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._mail_wake.wait(), self.interval)
            self._mail_wake.clear()
            if not self.mail_base_url:
                continue
            try:
                await asyncio.to_thread(send_pending, self.engine, self.settings)
            except Exception:
                log.exception("alert mails failed")
