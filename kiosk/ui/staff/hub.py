"""The staff home page: who is signed in, their Buen Trato certification, and the sections of
the staff area as touch buttons (:data:`STAFF_SECTIONS`), then "Cerrar sesión".

A section's page may be built by another module that is not part of every build
(``kiosk.ui.staff.cases``, ``board``, ``export``): the staff area lists only the sections
whose page it can build (:meth:`kiosk.ui.staff.area.StaffArea.sections`)."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import NamedTuple

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.ui.base import Page, TouchButton, big_button
from kiosk.ui.metrics import Metrics
from kiosk.ui.widgets import ScrollPane
from kiosk.ui.wording import staff as wording


class Section(NamedTuple):
    key: str
    label: Callable[[], str]
    page: str
    admin_only: bool


#: The sections of the staff area: (key, label, page name, only for administrators). Each
#: label is a literal for ``lupdate`` (translated when the hub is built).
STAFF_SECTIONS: tuple[Section, ...] = (
    Section("registrar", lambda: QCoreApplication.translate("StaffHub", "Registrar un caso"),
            "staff_register", False),
    Section("casos", lambda: QCoreApplication.translate("StaffHub", "Casos del módulo"),
            "staff_cases", False),
    Section("tablero", lambda: QCoreApplication.translate("StaffHub", "Tablero del módulo"),
            "staff_board", False),
    Section("exportar", lambda: QCoreApplication.translate(
        "StaffHub", "Exportar a una memoria USB"), "staff_export", False),
    Section("sincronizacion", lambda: QCoreApplication.translate(
        "StaffHub", "Envío de registros"), "staff", False),
    Section("ajustes", lambda: QCoreApplication.translate("StaffHub", "Ajustes del kiosco"),
            "staff_settings", True),
)


class HubPage(Page):
    """Signals: ``section_chosen(str)`` with the page name of the section tapped;
    ``sign_out_requested()`` on "Cerrar sesión"."""

    section_chosen = Signal(str)
    sign_out_requested = Signal()
    show_back = False
    in_session = False

    def __init__(self, metrics: Metrics, sections: Sequence[Section]) -> None:
        super().__init__(metrics, "", "")
        self.sections = tuple(sections)
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(metrics.spacing)
        columns = 1 if metrics.portrait else 2
        self.buttons: dict[str, TouchButton] = {}
        for i, section in enumerate(self.sections):
            button = big_button(section.label(), metrics, "choice")
            button.clicked.connect(lambda _=False, p=section.page: self.section_chosen.emit(p))
            self.buttons[section.key] = button
            grid.addWidget(button, i // columns, i % columns)
        grid.setRowStretch(len(self.sections), 1)
        self.root.addWidget(ScrollPane(box, metrics), 1)
        self.sign_out_button = big_button(self.tr("Cerrar sesión"), metrics, "primary")
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        self.root.addWidget(self.sign_out_button)

    def show_agent(self, name: str, *, admin: bool, local_admin: bool,
                   certified_on: date | None, certified_until: date | None,
                   today: date) -> None:
        """Greet the agent, state their certification, and show only what they may use."""
        hint = "" if local_admin else wording.certification_text(
            certified_on, certified_until, today)
        self.set_question(wording.greeting(name, local_admin=local_admin), hint)
        for section in self.sections:
            self.buttons[section.key].setVisible(admin or not section.admin_only)

    def visible_sections(self) -> list[str]:
        return [key for key, button in self.buttons.items() if not button.isHidden()]
