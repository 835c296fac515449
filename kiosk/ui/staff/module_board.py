"""The module's own board (staff, read only): responses today and this week, the satisfaction
index and its weekly trend drawn as bars, open and overdue cases, and the people its
reconocimientos name. Under the small-number rule a group of fewer than five rated responses
shows no figure, only "Menos de 5 respuestas: no se muestra"."""

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from kiosk.flow.staff import Agent
from kiosk.services.module_board import BoardService, ModuleBoard
from kiosk.ui.base import Page, big_button, label
from kiosk.ui.metrics import Metrics
from kiosk.ui.widgets import ScrollPane
from trato.domain.satisfaction import INDEX_DAYS, RatingGroup


class TrendChart(QWidget):
    """One bar per week (oldest on the left), its height the week's index; a week under the
    small-number rule is an empty slot with a dash under it."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__()
        self._weeks: list[tuple[str, float | None]] = []
        self.setMinimumHeight(metrics.touch * 3)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Tendencia semanal del índice de satisfacción"))

    def set_weeks(self, weeks: list[tuple[str, float | None]]) -> None:
        self._weeks = list(weeks)
        self.update()

    def weeks(self) -> list[tuple[str, float | None]]:
        return list(self._weeks)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if not self._weeks:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().windowText().color()
        bar = self.palette().highlight().color()
        line = painter.fontMetrics().height()
        width = self.width() / len(self._weeks)
        chart = self.height() - 2 * line - 4
        for n, (day, index) in enumerate(self._weeks):
            x = n * width
            painter.setPen(text)
            painter.drawText(QRectF(x, self.height() - line, width, line),
                             Qt.AlignmentFlag.AlignCenter, day)
            value = "–" if index is None else f"{index:.0f}"
            if index is not None:
                height = chart * index / 100.0
                painter.fillRect(QRectF(x + width * 0.2, line + chart - height, width * 0.6,
                                        height), bar)
            painter.drawText(QRectF(x, 0, width, line), Qt.AlignmentFlag.AlignCenter, value)
        painter.end()


class BoardPage(Page):
    """Read only; ``exit_button`` ("Volver") leads back to the hub (wired by the caller)."""

    show_back = False
    in_session = False

    def __init__(self, metrics: Metrics, board: BoardService, agent: Agent | None) -> None:
        super().__init__(metrics, self.tr("Tablero del módulo"),
                         self.tr("Lo que registró este kiosco; se actualiza al abrirlo."))
        self._board = board
        self.agent = agent
        self.responses = label("")
        self.index = label("")
        self.cases = label("")
        self.recognitions = label("", "hint")
        self.trend_title = label(self.tr("Índice por semana"), "hint")
        self.chart = TrendChart(metrics)
        # In a scroll pane: with larger text on a small panel the figures and the chart do not
        # all fit, and squeezed they would overlap.
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(metrics.spacing)
        for widget in (self.responses, self.index, self.cases, self.trend_title):
            column.addWidget(widget)
        column.addWidget(self.chart, 1)
        column.addWidget(self.recognitions)
        self.root.addWidget(ScrollPane(box, metrics), 1)
        self.exit_button = big_button(self.tr("Volver"), metrics, "primary")
        self.root.addWidget(self.exit_button)

    def for_agent(self, agent: Agent) -> None:
        self.agent = agent
        self.refresh()

    def forget(self) -> None:
        for widget in (self.responses, self.index, self.cases, self.recognitions):
            widget.setText("")
        self.chart.set_weeks([])

    def _index_text(self, group: RatingGroup) -> str:
        if group.index is None:
            return self.tr("Menos de 5 respuestas: no se muestra")
        return self.tr("%1 de 100").replace("%1", f"{group.index:.0f}")

    def refresh(self) -> None:
        self.show_board(self._board.board())

    def show_board(self, board: ModuleBoard) -> None:
        self.responses.setText(
            self.tr("Respuestas hoy: %1 · Esta semana: %2")
            .replace("%1", str(board.today.responses))
            .replace("%2", str(board.week.responses)))
        self.index.setText(
            self.tr("Índice de satisfacción: hoy %1 · esta semana %2 · últimos %4 días %3")
            .replace("%1", self._index_text(board.today.rated))
            .replace("%2", self._index_text(board.week.rated))
            .replace("%3", self._index_text(board.recent.rated))
            .replace("%4", str(INDEX_DAYS)))
        self.cases.setText(
            self.tr("Casos abiertos: %1 · Vencidos: %2 · Por vencer: %3")
            .replace("%1", str(board.cases.open)).replace("%2", str(board.cases.overdue))
            .replace("%3", str(board.cases.near)))
        if board.recognitions:
            names = ", ".join(f"{r.name} ({r.count})" for r in board.recognitions)
            self.recognitions.setText(self.tr("Reconocimientos recibidos: %1")
                                      .replace("%1", names))
        else:
            self.recognitions.setText(self.tr("Aún no hay reconocimientos con nombre."))
        self.chart.set_weeks([(monday.strftime("%d/%m"), group.index)
                              for monday, group in board.trend])
