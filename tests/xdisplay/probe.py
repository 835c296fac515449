"""``python -m tests.xdisplay.probe run``: ``trato-kiosk run`` with a read-only observer that
tells the real-display tests where things are on the screen.

A test that taps the kiosk through the X server (xdotool) needs to know where a button is;
nothing outside the process can ask Qt. This launcher creates the ``QApplication`` itself
(``kiosk.app.main`` takes the existing instance), starts a 50 ms timer that writes the
window's current page and every visible button and text field, in screen coordinates (and
the window's screen, platform plugin, whether it is exposed, full screen and above other
windows, the font families Qt can draw with), to
the JSON file ``$TD_TEST_PROBE_FILE`` whenever that changes, records every ``page_changed``,
and then hands over to ``kiosk.cli.main`` unchanged. It reads widget state only; it never
calls the window's methods or sends events. Typed text is not written (only button
captions, which are the kiosk's own strings).
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QPlainTextEdit, QWidget


def _rect(widget: QWidget) -> list[int]:
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def _on_top(flags: Qt.WindowType) -> bool:
    return bool(flags & Qt.WindowType.WindowStaysOnTopHint)


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


class Probe(QObject):
    def __init__(self, app: QApplication, path: Path) -> None:
        super().__init__(app)
        self.app = app
        self.path = path
        self.window: Any = None
        self.pages: list[str] = []
        self.last = ""
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.dump)
        self.timer.start(50)

    def _find_window(self) -> Any:
        for widget in self.app.topLevelWidgets():
            if hasattr(widget, "page_changed") and hasattr(widget, "current"):
                widget.page_changed.connect(self.pages.append)
                self.pages.append(widget.current)
                return widget
        return None

    def state(self) -> dict[str, Any]:
        window = self.window
        widgets = []
        for button in window.findChildren(QAbstractButton):
            if _shown(button):
                widgets.append({"kind": "button", "text": button.text(), "rect": _rect(button),
                                "enabled": button.isEnabled(), "checked": button.isChecked()})
        for editor in [*window.findChildren(QLineEdit), *window.findChildren(QPlainTextEdit)]:
            if _shown(editor):
                widgets.append({"kind": "editor", "rect": _rect(editor),
                                "focus": editor.hasFocus()})
        screen = window.screen().geometry()
        handle = window.windowHandle()
        return {"page": window.current, "pages": list(self.pages), "window": _rect(window),
                "widgets": widgets, "platform": self.app.platformName(),
                "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
                "exposed": bool(handle is not None and handle.isExposed()),
                "font_families": sorted(QFontDatabase.families()),
                "window_state": str(window.windowState()),
                "stays_on_top": [_on_top(window.windowFlags()),
                                 handle is not None and _on_top(handle.flags())]}

    def dump(self) -> None:
        if self.window is None:
            self.window = self._find_window()
            if self.window is None:
                return
        text = json.dumps(self.state(), ensure_ascii=False, sort_keys=True)
        if text != self.last:
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, self.path)
            self.last = text


def main() -> int:
    path = Path(os.environ["TD_TEST_PROBE_FILE"])
    sys.argv[0] = os.environ.get("TD_TEST_PROBE_ARGV0", sys.argv[0])  # same WM_CLASS
    app = QApplication(sys.argv[:1])
    Probe(app, path)
    from kiosk.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
