"""The window's sizes follow its screen and its own size (:class:`WindowSizing`).

A new resolution, a rotated panel, a window moved to another screen or the DPI from the
settings give new :class:`~kiosk.ui.metrics.Metrics`. When they change what the pages are
built from (:attr:`Metrics.layout_key`), the frame is re-sized and the pages are rebuilt on
their next use: at once outside a session, else when the session ends, so nothing a person
typed is lost.
"""

from typing import Any, Protocol

from PySide6.QtGui import QScreen

from kiosk.ui.metrics import Metrics


class Sized(Protocol):
    """What sizing needs of the window (named here: the window imports this module)."""

    metrics: Metrics
    top_bar: Any
    dock: Any
    overlay: Any
    stack: Any

    @property
    def current(self) -> str: ...

    def current_page(self) -> Any: ...
    def screen(self) -> QScreen: ...
    def width(self) -> int: ...
    def height(self) -> int: ...


class WindowSizing:
    def __init__(self, window: Sized) -> None:
        self.window = window
        self.pending: Metrics | None = None
        self.screen_size: dict[str, float | None] = {}  # the settings' DPI or diagonal

    def refit(self) -> None:
        """Metrics for the window's screen and size now."""
        w = self.window
        sizes = Metrics.for_screen(w.screen(), **self.screen_size)  # type: ignore[arg-type]
        self.offer(sizes.resized(w.width(), w.height()))

    def set_screen_size(self, *, dpi: float | None, diagonal_inches: float | None) -> None:
        self.screen_size = {"dpi": dpi, "diagonal_inches": diagonal_inches}
        self.refit()

    def offer(self, metrics: Metrics) -> None:
        w = self.window
        if metrics.layout_key == w.metrics.layout_key:
            w.metrics = metrics
            return
        if w.current and w.current_page().in_session:
            self.pending = metrics
            return
        self.apply(metrics, keep=w.current)

    def session_ended(self) -> None:
        if self.pending is not None:
            self.apply(self.pending, keep="attract")

    def apply(self, metrics: Metrics, keep: str) -> None:
        w = self.window
        self.pending = None
        w.metrics = metrics
        w.top_bar.apply_metrics(metrics)
        w.dock.set_metrics(metrics)
        w.overlay.set_metrics(metrics)
        w.stack.drop(keep=("attract", keep))
