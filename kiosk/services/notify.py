"""One bridge for messages from services to people (docs/design/style.md): Qt-free callbacks.

Services call ``notifier.warning("storage_full")``; the UI subscribes and shows a non-modal
banner, translating the ``code`` (parameters fill the sentence). Messages carry codes and
counts, never personal data.
"""

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.services.errors import StorageError

log = logging.getLogger(__name__)


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Notice:
    level: Level
    code: str
    params: dict[str, str | int | float] = field(default_factory=dict)


Listener = Callable[[Notice], None]


class Notifier:
    """Fan-out of :class:`Notice` to subscribers. A failing listener is logged and skipped;
    it never breaks the service that reported. Listeners run on the caller's thread (the UI
    side must hop to the GUI thread itself, e.g. with a queued signal)."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add ``listener``; returns a function that removes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def notify(self, level: Level, code: str, **params: str | int | float) -> Notice:
        notice = Notice(level=Level(level), code=code, params=dict(params))
        log.log(
            logging.WARNING if notice.level is not Level.INFO else logging.INFO,
            "notice %s: %s",
            notice.level,
            code,
        )
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(notice)
            except Exception:
                log.exception("notification listener failed")
        return notice

    def info(self, code: str, **params: str | int | float) -> Notice:
        return self.notify(Level.INFO, code, **params)

    def warning(self, code: str, **params: str | int | float) -> Notice:
        return self.notify(Level.WARNING, code, **params)

    def error(self, code: str, **params: str | int | float) -> Notice:
        return self.notify(Level.ERROR, code, **params)


@contextlib.contextmanager
def reporting_storage_errors(notifier: Notifier | None) -> Iterator[None]:
    """Tell the staff (through ``notifier``) of a storage failure before the error reaches
    the screen; the error is raised again unchanged."""
    try:
        yield
    except StorageError as exc:
        if notifier is not None:
            notifier.error(exc.code)
        raise
