"""The first screens of a session: the language, then "¿Qué desea hacer?", which starts the
survey, a case or the folio lookup."""

from collections.abc import Callable

from PySide6.QtCore import Signal

from kiosk.flow.steps import first_page
from kiosk.ui.base import Page
from kiosk.ui.flow import Flow


class MenuFlow(Flow):
    """Signals: ``language_chosen(str)`` when the person picks a language other than the
    session's (the window switches its catalogue before the menu appears)."""

    language_chosen = Signal(str)

    def builders(self) -> dict[str, Callable[[], Page]]:
        return {"language": self._language_page, "menu": self._menu_page}

    def _language_page(self) -> Page:
        return self.choice_page(self.tr("Elija su idioma"), self.host.languages,
                                self._language, columns=2)

    def _menu_page(self) -> Page:
        return self.choice_page(
            self.tr("¿Qué desea hacer?"),
            [("survey", self.tr("☺  Calificar la atención que recibí")),
             ("case", self.tr("✎  Presentar una queja, sugerencia o reconocimiento")),
             ("folio", self.tr("🔍  Consultar un folio"))],
            self._chosen, button_mm=32)

    def _language(self, code: str) -> None:
        if code != self.host.session.language:
            self.language_chosen.emit(code)
            self.host.session.language = code
        self.host.go("menu")

    def _chosen(self, flow: str) -> None:
        session = self.host.session
        session.begin(flow, now=self.host.clock.monotonic())
        self.host.go(first_page(session))
