"""The module's cases (staff): one list, due first ("¿qué vence hoy?"), search by folio, a
page at a time from the store (a module with thousands of cases opens at once); choosing a
case asks for its detail (:mod:`kiosk.ui.staff.case_detail`).

The first page is read when the list opens; the next ones on a worker thread as soon as the
rows near the end of those read are painted, so a swipe through thousands of cases never
waits on the store (the ordered query takes tens of milliseconds, several 60 Hz frames)."""

import logging
import threading
import uuid
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QListView, QWidget

from kiosk.flow.staff import Agent
from kiosk.services.module_cases import PAGE_SIZE, CaseRow, ModuleCases
from kiosk.ui.base import Page, big_button, label
from kiosk.ui.metrics import Metrics
from kiosk.ui.staff import case_words
from kiosk.ui.staff.form import KeyboardOnTap

Index = QModelIndex | QPersistentModelIndex
_EMPTY = QModelIndex()
log = logging.getLogger(__name__)

#: The role holding a row's :class:`CaseRow`.
CASE_ROLE = Qt.ItemDataRole.UserRole + 1


class CaseListModel(QAbstractListModel):
    """The list's rows, fetched from the store a page at a time as the view scrolls (after
    the first, on a worker thread: ``_page_read`` brings them back to the GUI thread)."""

    _page_read = Signal(int, int, object)  # generation, offset, (rows, lines) or None

    def __init__(self, cases: ModuleCases, can_read_sensitive: bool, *,
                 row_height: int = 0) -> None:
        super().__init__()
        self._row_size = QSize(1, row_height) if row_height else None
        self._cases = cases
        self._sensitive = can_read_sensitive
        self._rows: list[CaseRow] = []
        self._texts: list[str] = []  # each row's line, worded once (off the GUI thread)
        self._search = ""
        self._more = True
        self._generation = 0  # a new list (load, clear) drops pages still being read
        self._reading = False
        self._page_read.connect(self._arrived)

    def load(self, search: str = "") -> None:
        self.beginResetModel()
        self._generation += 1
        self._search, self._rows, self._more, self._reading = search, [], True, False
        self._texts = []
        self._fetch()
        self.endResetModel()

    def _fetch(self) -> list[CaseRow]:
        rows = self._cases.page(len(self._rows), PAGE_SIZE, search=self._search,
                                can_read_sensitive=self._sensitive)
        self._more = len(rows) == PAGE_SIZE
        self._rows.extend(rows)
        self._texts.extend(case_words.row_text(r) for r in rows)
        return rows

    def rowCount(self, parent: Index = _EMPTY) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: Index = _EMPTY) -> bool:  # noqa: N802
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = _EMPTY) -> None:  # noqa: N802
        if not parent.isValid():
            self.read_ahead()

    def read_ahead(self) -> None:
        """Read the next page on a worker thread (once at a time)."""
        if self._reading or not self._more:
            return
        self._reading = True
        ask = (self._generation, len(self._rows), self._search, self._sensitive)
        threading.Thread(target=self._read, args=ask, name="case-list-page",
                         daemon=True).start()

    def _read(self, generation: int, offset: int, search: str, sensitive: bool) -> None:
        try:
            rows = self._cases.page(offset, PAGE_SIZE, search=search,
                                    can_read_sensitive=sensitive)
            read: tuple[list[CaseRow], list[str]] | None = (
                rows, [case_words.row_text(r) for r in rows])
        except Exception:  # a busy or failing store: the next paint near the end asks again
            log.exception("case list page not read")
            read = None
        try:
            self._page_read.emit(generation, offset, read)
        except RuntimeError:  # the list was closed meanwhile
            pass

    def _arrived(self, generation: int, offset: int,
                 read: tuple[list[CaseRow], list[str]] | None) -> None:
        if generation != self._generation or offset != len(self._rows):
            return  # read for a list no longer shown
        self._reading = False
        if read is None:
            return
        rows, texts = read
        self._more = len(rows) == PAGE_SIZE
        if rows:
            self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
            self._rows.extend(rows)
            self._texts.extend(texts)
            self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if role == Qt.ItemDataRole.DisplayRole and \
                    index.row() >= len(self._rows) - PAGE_SIZE // 2:
                self.read_ahead()  # painted near the end: the next page, before it is reached
            return self._texts[index.row()]
        if role == CASE_ROLE:
            return row
        if role == Qt.ItemDataRole.SizeHintRole:
            return self._row_size  # a row a finger can hit (every row alike)
        return None

    def for_reader(self, can_read_sensitive: bool) -> None:
        self._sensitive = can_read_sensitive

    def clear(self) -> None:
        self.beginResetModel()
        self._generation += 1
        self._search, self._rows, self._more, self._reading = "", [], False, False
        self._texts = []
        self.endResetModel()

    def row_at(self, n: int) -> CaseRow:
        return self._rows[n]


class CasesPage(Page):
    """The module's case list for ``agent``. Signals: ``open_case(uuid)``, ``exit()``."""

    open_case = Signal(object)
    exit = Signal()
    show_back = False
    in_session = False
    def __init__(self, metrics: Metrics, cases: ModuleCases, agent: Agent | None) -> None:
        # No subtitle: with the keyboard up on a 720-pixel panel in larger text every line
        # counts; the summary says what comes first.
        super().__init__(metrics, self.tr("Casos del módulo"), "")
        self._cases = cases
        self.agent = agent
        self.summary = label("", "message")
        self.root.addWidget(self.summary)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Buscar por folio"))
        self.search.setAccessibleName(self.tr("Buscar por folio"))
        self.search.setMinimumHeight(metrics.touch)
        self.search.returnPressed.connect(self.apply_search)
        row.addWidget(self.search, 1)
        self.search_button = big_button(self.tr("Buscar"), metrics)
        self.search_button.clicked.connect(self.apply_search)
        row.addWidget(self.search_button)
        self.root.addLayout(row)
        self.keys = KeyboardOnTap(self, [self.search])  # up once the search is tapped
        self.empty = label(self.tr("No hay casos que mostrar."), "hint")
        self.root.addWidget(self.empty)
        self.model = CaseListModel(cases, agent is not None and agent.can_read_sensitive,
                                   row_height=metrics.mm(10))
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        self.view.setWordWrap(False)
        self.view.setAccessibleName(self.tr("Lista de casos"))
        self.view.activated.connect(self._chosen)
        self.view.clicked.connect(self._chosen)
        self.root.addWidget(self.view, 1)
        self.exit_button = big_button(self.tr("Volver"), metrics, "primary")
        self.exit_button.clicked.connect(self.exit)
        self.root.addWidget(self.exit_button)

    def for_agent(self, agent: Agent) -> None:
        """Shown for ``agent`` (the staff area calls it each time): the list read again with
        what this agent may see."""
        self.agent = agent
        self.keys.down()
        self.model.for_reader(agent.can_read_sensitive)
        self.refresh()

    def forget(self) -> None:
        """The agent left: nothing of the list stays in the page."""
        self.search.clear()
        self.model.clear()
        self.summary.setText("")

    def refresh(self) -> None:
        """Read the list again from the store (the search kept)."""
        summary = self._cases.summary()
        self.summary.setText(
            self.tr("Vencidos primero. Abiertos: %1 · Vencidos: %2 · Por vencer: %3 · Total: %4")
            .replace("%1", str(summary.open)).replace("%2", str(summary.overdue))
            .replace("%3", str(summary.near)).replace("%4", str(summary.total)))
        self.model.load(self.search.text())
        self.empty.setVisible(self.model.rowCount() == 0)

    def apply_search(self) -> None:
        self.model.load(self.search.text())
        self.empty.setVisible(self.model.rowCount() == 0)

    def first_editor(self) -> QWidget | None:
        return self.keys.editor

    def shown(self) -> list[str]:
        return [self.model.data(self.model.index(n)) for n in range(self.model.rowCount())]

    def _chosen(self, index: QModelIndex) -> None:
        row = self.model.data(index, CASE_ROLE)
        if isinstance(row, CaseRow):
            self.open_case.emit(uuid.UUID(str(row.case_id)))
