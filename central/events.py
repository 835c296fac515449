"""The event bus that the live board listens to.

``bus.publish(event)`` is called after a commit (from sync or async code, any thread).

* In-process: every subscriber gets every event through its own bounded queue (a slow
  subscriber loses its oldest events rather than blocking the publisher).
* On PostgreSQL: ``publish`` sends ``NOTIFY <channel>, <json>`` and a background task of every
  server process LISTENs on the channel and fans each notification out to its local
  subscribers, so several API processes all see every batch. A process receives its own
  notifications too, so each event reaches each subscriber exactly once.

Events are small JSON objects with a ``type`` (``"batch"``, ``"case"``, …); never personal data.
"""

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

SUBSCRIBER_QUEUE_SIZE = 1000
#: PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
MAX_NOTIFY_PAYLOAD = 7900


class Subscription:
    """One subscriber: an async iterator of events (and an async context manager)."""

    def __init__(self, bus: "EventBus") -> None:
        self._bus = bus
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(SUBSCRIBER_QUEUE_SIZE)
        self.closed = False

    def _put(self, event: dict[str, Any]) -> None:
        if self.queue.full():
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
        self.queue.put_nowait(event)

    async def get(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next event, or None after ``timeout`` seconds."""
        if timeout is None:
            return await self.queue.get()
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None

    def close(self) -> None:
        self.closed = True
        self._bus._subscribers.discard(self)

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        return self

    async def __anext__(self) -> dict[str, Any]:
        if self.closed:
            raise StopAsyncIteration
        return await self.queue.get()

    async def __aenter__(self) -> "Subscription":
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


class EventBus:
    def __init__(self, engine: Engine | None = None, *, channel: str = "td_events") -> None:
        self._engine = engine
        self._channel = channel
        self._subscribers: set[Subscription] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: asyncio.Task[None] | None = None
        self._listening = threading.Event()
        self._pg = engine is not None and engine.dialect.name == "postgresql"
        #: Events handed to this process's subscribers, by type (``/metrics``).
        self.delivered: dict[str, int] = {}

    # -------------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self._pg and self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="td-event-listener")
            # Wait (briefly) until LISTEN is active so no event published after start is lost.
            for _ in range(100):
                if self._listening.is_set():
                    break
                await asyncio.sleep(0.05)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
            self._listener = None
        self._listening.clear()
        for sub in list(self._subscribers):
            sub.close()

    # -------------------------------------------------------------------- subscribe

    def subscribe(self) -> Subscription:
        """Register a subscriber now (events published from here on reach it)."""
        sub = Subscription(self)
        self._subscribers.add(sub)
        return sub

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    # -------------------------------------------------------------------- publish

    def publish(self, event: dict[str, Any]) -> None:
        """Publish after commit; safe from any thread. Never raises (the data is committed;
        a lost board refresh is logged, not fatal)."""
        try:
            if self._pg and self._listener is not None:
                self._notify(event)
            else:
                self._deliver_threadsafe(event)
        except Exception:
            log.exception("event publish failed (type=%s)", event.get("type"))

    async def apublish(self, event: dict[str, Any]) -> None:
        """``publish`` for async code (the NOTIFY round trip runs off the event loop)."""
        if self._pg and self._listener is not None:
            await asyncio.to_thread(self.publish, event)
        else:
            self._deliver(event)

    def _notify(self, event: dict[str, Any]) -> None:
        payload = json.dumps(event, separators=(",", ":"), default=str)
        if len(payload.encode("utf-8")) > MAX_NOTIFY_PAYLOAD:
            payload = json.dumps({"type": event.get("type", "unknown"), "truncated": True})
        assert self._engine is not None
        with self._engine.connect() as conn:
            conn.execute(text("SELECT pg_notify(:channel, :payload)"),
                         {"channel": self._channel, "payload": payload})
            conn.commit()

    def _deliver_threadsafe(self, event: dict[str, Any]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._deliver(event)
        else:
            loop.call_soon_threadsafe(self._deliver, event)

    def _deliver(self, event: dict[str, Any]) -> None:
        kind = str(event.get("type", "unknown"))[:32]
        self.delivered[kind] = self.delivered.get(kind, 0) + 1
        for sub in list(self._subscribers):
            sub._put(event)

    # -------------------------------------------------------------------- LISTEN bridge

    def _conninfo(self) -> str:
        assert self._engine is not None
        url = make_url(self._engine.url.render_as_string(hide_password=False))
        return url.set(drivername="postgresql").render_as_string(hide_password=False)

    async def _listen(self) -> None:
        import psycopg

        backoff = 0.2
        while True:
            try:
                aconn = await psycopg.AsyncConnection.connect(self._conninfo(), autocommit=True)
                async with aconn:
                    await aconn.execute(f'LISTEN "{self._channel}"')
                    self._listening.set()
                    backoff = 0.2
                    async for notify in aconn.notifies():
                        try:
                            event = json.loads(notify.payload)
                        except ValueError:
                            continue
                        if isinstance(event, dict):
                            self._deliver(event)
            except asyncio.CancelledError:
                raise
            except Exception:
                self._listening.clear()
                log.warning("event listener lost its connection; retrying", exc_info=True)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
