"""The page stack: every page by name, built by its flow on first use and kept until the
language or the content changes (then rebuilt with the new strings or version)."""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QStackedWidget

from kiosk.ui.base import Page

if TYPE_CHECKING:
    from kiosk.ui.flow import Flow


class PageStack(QStackedWidget):
    """``builders`` maps a page name to its flow (None for the window's own) and a builder;
    ``on_built`` sees each new page once (the window hooks the keyboard and colours)."""

    def __init__(self, builders: dict[str, tuple["Flow | None", Callable[[], Page]]],
                 on_built: Callable[[Page], None]) -> None:
        super().__init__()
        self.builders = builders
        self.on_built = on_built
        self.pages: dict[str, Page] = {}

    def page(self, name: str) -> Page:
        page = self.pages.get(name)
        if page is None:
            page = self.builders[name][1]()
            self.pages[name] = page
            self.addWidget(page)
            self.on_built(page)
        return page

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """The page shown decides (a QStackedWidget takes the largest of all its pages, so one
        tall page would push the keyboard off a small screen on every other)."""
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        """No: a layout takes a height-for-width as the least height it may give, and a page's
        is its preferred height (its scroll pane's full content). The page lays out its own
        wrapped text in whatever height the keyboard and the top bar leave."""
        return False

    def owner(self, name: str) -> "Flow | None":
        return self.builders[name][0]

    def drop(self, keep: Sequence[str]) -> None:
        """Forget every built page but ``keep``."""
        for name in [n for n in self.pages if n not in keep]:
            page = self.pages.pop(name)
            self.removeWidget(page)
            # Out of the window at once (deleteLater waits for the event loop): a style
            # sheet set right after this must not re-polish the pages being dropped.
            page.setParent(None)
            page.deleteLater()
