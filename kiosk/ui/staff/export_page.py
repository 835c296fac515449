"""Export the module's cases and responses to CSV (staff): the agent picks where, among the
USB drives mounted now and the kiosk's home folder (touch buttons), then a folder in it (the
drive itself, one of its folders, or a new one named on the keyboard), then taps "Exportar". The
page says which files went where and how many rows each holds, or, in plain Spanish, why
nothing was written (full drive, read-only drive, drive removed); the service leaves nothing
half-written (:mod:`kiosk.services.export`)."""

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.flow.staff import Agent
from kiosk.services.export import (
    DATE,
    DATE_TIME,
    CaseExtra,
    Exported,
    Exporter,
    ExportFailed,
    Place,
    Response,
    Wording,
    make_subfolder,
    subfolders,
)
from kiosk.services.module_cases import CaseRow
from kiosk.ui.base import Page, TouchButton, big_button, label
from kiosk.ui.metrics import Metrics
from kiosk.ui.staff import case_words
from kiosk.ui.staff.form import ChoiceRow, KeyboardOnTap, button_row, say
from kiosk.ui.widgets import ScrollPane, TextField

#: The folder choice that means the drive (or home folder) itself.
TOP = ""


class ExportPage(Page):
    """``find_places()`` lists where the agent may export; ``exit_button`` ("Volver") and
    ``keys.wanted`` (the new folder's name tapped: up comes the keyboard) are wired by the
    caller."""

    show_back = False
    in_session = False

    def __init__(self, metrics: Metrics, exporter: Exporter, agent: Agent | None,
                 find_places: Callable[[], Sequence[Place]]) -> None:
        super().__init__(metrics, self.tr("Exportar a una memoria USB"),
                         self.tr("Elija dónde guardar los casos y las respuestas (CSV para "
                                 "Excel). No se incluyen datos personales."))
        self._metrics = metrics
        self._exporter = exporter
        self._find_places = find_places
        self.agent = agent
        self.chosen: Place | None = None
        self.folder: Path | None = None  # where the files go: the place or a folder in it
        # The drives, and "Buscar de nuevo" beside them (a 768-pixel screen needs the height
        # for the folders).
        places = QHBoxLayout()
        places.setSpacing(metrics.gap)
        box = QWidget()
        self._places_box = QVBoxLayout(box)
        self._places_box.setContentsMargins(0, 0, 0, 0)
        self.place_buttons: list[TouchButton] = []
        self.none_found = label(self.tr("No se encontró ninguna memoria USB ni carpeta. "
                                        "Conecte la memoria y toque «Buscar de nuevo»."), "hint")
        self._places_box.addWidget(self.none_found)
        places.addWidget(box, 3)
        self.rescan_button = big_button(self.tr("Buscar de nuevo"), metrics)
        self.rescan_button.clicked.connect(self.refresh)
        places.addWidget(self.rescan_button, 1, QtCore.Qt.AlignmentFlag.AlignTop)
        self.root.addLayout(places)
        self.folder_heading = label(self.tr("¿En qué carpeta?"), "heading")
        self.root.addWidget(self.folder_heading)
        folders = QWidget()
        self._folders_box = QVBoxLayout(folders)
        self._folders_box.setContentsMargins(0, 0, 0, 0)
        self.folders = ChoiceRow(metrics, [])
        self._folders_box.addWidget(self.folders)
        self._folders_box.addStretch(1)
        self.folders_pane = ScrollPane(folders, metrics)
        self.root.addWidget(self.folders_pane, 1)
        row = QHBoxLayout()
        row.setSpacing(metrics.gap)
        self.new_folder = TextField(metrics, max_length=64, counter=False)
        self.new_folder.editor.setPlaceholderText(self.tr("Nombre de una carpeta nueva"))
        self.new_folder.editor.setAccessibleName(self.tr("Nombre de una carpeta nueva"))
        self.create_button = big_button(self.tr("Crear carpeta"), metrics)
        self.create_button.clicked.connect(self.create_folder)
        row.addWidget(self.new_folder, 2)
        row.addWidget(self.create_button, 1)
        self.root.addLayout(row)
        self.keys = KeyboardOnTap(self, [self.new_folder.editor])
        self.message = label("", "message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.root.addWidget(self.message)
        self.exit_button = big_button(self.tr("Volver"), metrics)
        self.export_button = big_button(self.tr("Exportar"), metrics, "primary")
        self.export_button.clicked.connect(self.export)
        button_row(self, self.exit_button, self.export_button)

    def for_agent(self, agent: Agent) -> None:
        self.agent = agent
        self.keys.down()
        self._say("", tone="info")
        self.refresh()

    def forget(self) -> None:
        self._say("", tone="info")
        self.chosen = None
        self.new_folder.clear()
        self._show_places([])

    def first_editor(self) -> QWidget | None:
        return self.keys.editor

    def refresh(self) -> None:
        self._show_places(list(self._find_places()))

    def _show_places(self, places: list[Place]) -> None:
        for button in self.place_buttons:
            self._places_box.removeWidget(button)
            button.setParent(None)  # type: ignore[call-overload]  # gone now, not next turn
            button.deleteLater()
        self.place_buttons = []
        if self.chosen not in places:
            self.chosen = places[0] if places else None
        for place in places:
            text = (self.tr("Memoria USB: %1") if place.removable
                    else self.tr("Carpeta del kiosco: %1")).replace("%1", place.name)
            button = big_button(text, self._metrics, "choice")
            button.setCheckable(True)
            button.setChecked(place == self.chosen)
            button.clicked.connect(lambda _=False, p=place: self._choose(p))
            self._places_box.addWidget(button)
            button.show()
            self.place_buttons.append(button)
        self.none_found.setVisible(not places)
        self.export_button.setEnabled(bool(places))
        self._show_folders(self.folder)

    def _choose(self, place: Place) -> None:
        self.chosen = place
        for button, shown in zip(self.place_buttons, self._find_places(), strict=False):
            button.setChecked(shown == place)
        self._show_folders(None)

    # ------------------------------------------------------------------ folders
    def _show_folders(self, keep: Path | None) -> None:
        """The folders of the chosen place (``keep`` chosen if it is one of them)."""
        place = self.chosen
        found = subfolders(place.path) if place is not None else []
        choices = []
        if place is not None:
            choices = [(TOP, self.tr("Directo en la memoria") if place.removable
                        else self.tr("Directo en la carpeta del kiosco"))]
        choices += [(str(p), p.name) for p in found]
        old = self.folders
        self._folders_box.removeWidget(old)
        old.setParent(None)  # type: ignore[call-overload]  # gone now, not on the next turn
        old.deleteLater()
        self.folders = ChoiceRow(self._metrics, choices, columns=3)
        self._folders_box.insertWidget(0, self.folders)
        self.folders.show()  # at once, not on the next turn of the event loop
        self.folder = keep if keep is not None and keep in found else (
            place.path if place is not None else None)
        self.folders.set_chosen([str(self.folder) if self.folder in found else TOP])
        self.folders.changed.connect(self._folder_chosen)
        for shown in (self.folder_heading, self.folders_pane, self.new_folder,
                      self.create_button):
            shown.setVisible(place is not None)

    def _folder_chosen(self) -> None:
        if self.chosen is None:
            return
        code = self.folders.value()
        if not code:  # a tap on the folder chosen: it stays chosen
            self.folders.set_chosen([str(self.folder) if self.folder != self.chosen.path
                                     else TOP])
            return
        self.folder = Path(code) if code != TOP else self.chosen.path

    def create_folder(self) -> None:
        if self.chosen is None:
            return
        try:
            made = make_subfolder(self.chosen.path, self.new_folder.text())
        except ExportFailed as failure:
            self._say(self.failure_text(failure.code), tone="error")
            return
        self.new_folder.clear()
        self._show_folders(made)
        self._say(self.tr("Carpeta «%1» lista: ahí se guardará.").replace("%1", made.name),
                  tone="info")

    def export(self) -> None:
        if self.chosen is None or self.agent is None:
            return
        folder = self.folder or self.chosen.path
        try:
            result = self._exporter.export(folder, self.wording(),
                                           can_read_sensitive=self.agent.can_read_sensitive)
        except ExportFailed as failure:
            self._say(self.failure_text(failure.code), tone="error")
            return
        self._say(self.done_text(folder, result), tone="info")  # not in red

    def _say(self, text: str, *, tone: str) -> None:
        say(self.message, text, tone)

    def done_text(self, folder: Path, result: Exported) -> str:
        cases, responses = (p.name for p in result.files)
        return (self.tr("Listo. Se guardó en %1:\n%2 (%3 casos)\n%4 (%5 respuestas)")
                .replace("%1", str(folder)).replace("%2", cases)
                .replace("%3", str(result.cases)).replace("%4", responses)
                .replace("%5", str(result.responses)))

    def failure_text(self, code: str) -> str:
        if code == "export_full":
            return self.tr("La memoria está llena. No se guardó nada: libere espacio o use "
                           "otra memoria.")
        if code == "export_read_only":
            return self.tr("La memoria no permite guardar (está protegida o es de solo "
                           "lectura). No se guardó nada: use otra memoria.")
        if code == "export_missing":
            return self.tr("No se encontró la memoria: quizá se retiró. No se guardó nada: "
                           "conéctela y toque «Buscar de nuevo».")
        if code == "export_bad_name":
            return self.tr("Ese nombre no sirve para una carpeta. Use letras, números, "
                           "espacios y guiones (hasta 64).")
        if code == "export_name_taken":
            return self.tr("Ya hay un archivo con ese nombre en la memoria: escriba otro.")
        return self.tr("No se pudo exportar. No se guardó nada: intente de nuevo.")

    def wording(self) -> Wording:
        def case_cells(row: CaseRow, extra: CaseExtra) -> list[object]:
            return [row.display_folio,
                    case_words.type_name(row.case_type) if row.case_type else "",
                    case_words.stage_name(row.stage),
                    row.filed_at.strftime(DATE_TIME) if row.filed_at else "",
                    row.clock.due.strftime(DATE) if row.clock.due else "",
                    row.initials, extra.service_code or "", "|".join(extra.categories),
                    extra.recognised_person]

        def response_cells(r: Response) -> list[object]:
            return [r.created_at.strftime(DATE_TIME), r.service_code or "",
                    "" if r.rating is None else r.rating, "|".join(r.reasons), r.language,
                    r.channel, self.tr("Sí") if r.probable_misuse else self.tr("No")]

        return Wording(
            self.tr("casos"), self.tr("respuestas"),
            [self.tr("Folio"), self.tr("Tipo"), self.tr("Etapa"), self.tr("Recibido"),
             self.tr("Vence"), self.tr("Iniciales"), self.tr("Servicio"),
             self.tr("Categorías"), self.tr("Persona reconocida")], case_cells,
            [self.tr("Fecha"), self.tr("Servicio"), self.tr("Calificación"),
             self.tr("Motivos"), self.tr("Idioma"), self.tr("Canal"),
             self.tr("Posible mal uso")], response_cells)
