"""Load shedding for the kiosk push: answer early rather than late (docs/scaling.md).

When the whole fleet comes back after an outage, a request that waits longer than the kiosk's
read timeout (30 s) may be stored and then sent again. So each server process bounds its
ingest work and turns the excess away *before reading the body*, with ``429 busy`` and a
``Retry-After`` drawn at random (the kiosks come back spread over a window, not together):

* at most ``ingest_max_inflight`` pushes are admitted at once (reading their body, waiting,
  storing); the next one is answered 429 at once;
* at most ``ingest_max_transactions`` of them store at the same time (a database transaction
  each); an admitted push waits for a slot at most ``ingest_queue_seconds``, else 429 (its body
  read, nothing stored).

A 429 stores nothing, so the kiosk's resend is a first send. Board pages and the kiosks'
pulls never wait behind this gate.
"""

import asyncio
import contextlib
import math
import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from central.api.errors import ApiError


@dataclass
class IngestGate:
    max_inflight: int = 64
    max_transactions: int = 4
    queue_seconds: float = 10.0
    #: Retry-After is drawn from [retry_after, 3 x retry_after] seconds.
    retry_after: float = 5.0
    rng: random.Random = field(default_factory=random.Random)
    inflight: int = 0
    shed: int = 0  # pushes answered 429 (for tests and the benchmarks)
    _slots: asyncio.Semaphore | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> "IngestGate":
        return cls(max_inflight=settings.ingest_max_inflight,
                   max_transactions=settings.ingest_max_transactions,
                   queue_seconds=settings.ingest_queue_seconds,
                   retry_after=settings.ingest_retry_after_seconds)

    def busy(self, detail: str) -> ApiError:
        self.shed += 1
        seconds = self.rng.uniform(self.retry_after, 3 * self.retry_after)
        return ApiError(429, "busy", detail, {"Retry-After": str(max(1, math.ceil(seconds)))})

    @contextlib.contextmanager
    def admitted(self) -> Iterator[None]:
        """One push admitted for its whole life, or 429 now (call before reading the body)."""
        if self.inflight >= self.max_inflight:
            raise self.busy("the server is busy; retry after the delay given")
        self.inflight += 1
        try:
            yield
        finally:
            self.inflight -= 1

    @contextlib.asynccontextmanager
    async def storing(self) -> AsyncIterator[None]:
        """A transaction slot for an admitted push, or 429 after ``queue_seconds``."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.max_transactions)
        try:
            await asyncio.wait_for(self._slots.acquire(), self.queue_seconds)
        except TimeoutError:
            raise self.busy("the server is busy storing other batches; retry later") from None
        try:
            yield
        finally:
            self._slots.release()
