"""Export from the staff hub by taps: a folder offered as a USB drive, "Exportar", the CSV
files read back (BOM, header, the case's folio) and the page says where they went; a full
drive (fault injected on the device's flush) shows the plain-Spanish message and leaves
nothing behind."""

import csv
import errno
import os
from pathlib import Path
from typing import Any

import pytest

from kiosk.services import export as export_module
from kiosk.services.export import Place
from kiosk.ui.staff import figures
from tests.kiosk.storage.factories import case_draft
from tests.kiosk.ui.conftest import Harness
from tests.kiosk.ui.staff_support import AGENT_ID, AGENT_PIN, add_roster, sign_in


def _open_export(h: Harness, monkeypatch: pytest.MonkeyPatch, folder: Path) -> Any:
    monkeypatch.setattr(figures, "find_places",
                        lambda: [Place(folder, "MEMORIA", removable=True)])
    add_roster(h)
    sign_in(h, AGENT_ID, AGENT_PIN)
    hub: Any = h.window.page("staff_hub")
    assert "exportar" in hub.visible_sections()
    h.tap(hub.buttons["exportar"])
    h.wait_page("staff_export")
    page: Any = h.window.page("staff_export")
    assert [b.text() for b in page.place_buttons] == ["Memoria USB: MEMORIA"]
    h.tap(page.place_buttons[0])
    return page


def test_export_to_a_drive_writes_csv_for_excel(harness: Harness, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    h = harness
    saved = h.window.case_service.submit(case_draft())
    folder = tmp_path / "usb"
    folder.mkdir()
    page = _open_export(h, monkeypatch, folder)
    h.tap(page.export_button)
    files = sorted(folder.iterdir())
    assert len(files) == 2
    cases_file = next(p for p in files if p.name.startswith("casos_"))
    raw = cases_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(cases_file, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["Folio", "Tipo", "Etapa"]
    (row,) = rows[1:]
    assert row[0].replace("-", "") == saved.folio.replace("-", "") and row[1] == "Queja"
    text = page.message.text()
    assert page.message.property("tone") == "info"  # a success is not worded in red
    assert str(folder) in text and cases_file.name in text and "(1 casos)" in text
    h.tap(page.exit_button)
    h.wait_page("staff_hub")


def test_a_full_drive_shows_why_and_leaves_nothing(harness: Harness, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    h = harness
    h.window.case_service.submit(case_draft())
    folder = tmp_path / "usb"
    folder.mkdir()
    page = _open_export(h, monkeypatch, folder)

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(export_module.os, "fsync", full)
    h.tap(page.export_button)
    assert "La memoria está llena. No se guardó nada" in page.message.text()
    assert page.message.property("tone") == "error"
    assert list(folder.iterdir()) == []


def test_the_agent_creates_a_folder_on_the_drive_and_exports_into_it(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    h = harness
    h.window.case_service.submit(case_draft())
    folder = tmp_path / "usb"
    (folder / "Informes").mkdir(parents=True)
    page = _open_export(h, monkeypatch, folder)
    assert [b.text() for b in page.folders.buttons.values()] == [
        "Directo en la memoria", "Informes"]
    assert not h.window.keyboard.isVisible()  # up only for a new folder's name
    h.click(page.new_folder.editor)
    h.qtbot.waitUntil(h.window.keyboard.isVisible, timeout=3000)
    h.type_keys("Marzo")
    h.tap(page.create_button)
    assert page.message.text() == "Carpeta «Marzo» lista: ahí se guardará."
    assert [b.text() for b in page.folders.buttons.values()][1:] == ["Informes", "Marzo"]
    assert page.folders.value() == str(folder / "Marzo")
    h.tap(page.export_button)
    assert len(list((folder / "Marzo").iterdir())) == 2 and str(folder / "Marzo") in (
        page.message.text())
    h.tap(page.folders.buttons[str(folder / "Informes")])
    h.tap(page.export_button)
    assert len(list((folder / "Informes").iterdir())) == 2


def test_a_folder_the_drive_cannot_hold_or_make_is_refused_in_plain_spanish(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    h = harness
    folder = tmp_path / "usb"
    folder.mkdir()
    page = _open_export(h, monkeypatch, folder)
    page.new_folder.set_text("a/b")
    h.tap(page.create_button)
    assert "Ese nombre no sirve para una carpeta" in page.message.text()

    def read_only(*_args: object, **_kw: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(Path, "mkdir", read_only)
    page.new_folder.set_text("Marzo")
    h.tap(page.create_button)
    assert "La memoria no permite guardar" in page.message.text()
    assert page.message.property("tone") == "error" and list(folder.iterdir()) == []
