"""Export to CSV for Excel: BOM, local dates, formulas neutralised, no sealed data, whole or not
at all (a full drive and a read-only one by fault injection: the suite may run as root)."""

import csv
import errno
import os
from datetime import date
from pathlib import Path

import pytest

from kiosk.services import export as export_module
from kiosk.services.export import CaseExtra, ExportFailed, Response, Wording, neutralise
from kiosk.services.module_cases import CaseRow
from tests.kiosk.staff.support import Module
from tests.kiosk.storage.factories import personal_data

DATE = "%d/%m/%Y %H:%M"


def _case_cells(row: CaseRow, extra: CaseExtra) -> list[object]:
    return [row.display_folio, row.case_type or "", row.stage.value,
            row.filed_at.strftime(DATE) if row.filed_at else "",
            row.clock.due.strftime("%d/%m/%Y") if row.clock.due else "", row.initials,
            extra.recognised_person, extra.service_code or ""]


def _response_cells(r: Response) -> list[object]:
    return [r.created_at.strftime(DATE), r.service_code or "", r.rating or "",
            "|".join(r.reasons)]


WORDING = Wording("casos", "respuestas",
                  ["Folio", "Tipo", "Etapa", "Recibido", "Vence", "Iniciales", "Reconocido",
                   "Servicio"], _case_cells,
                  ["Fecha", "Servicio", "Calificación", "Motivos"], _response_cells)


def _read(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+52 55", "'+52 55"), ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Ñandú", "Ñandú"),
    (None, ""), (5, "5"),
])
def test_neutralise(value: object, cell: str) -> None:
    assert neutralise(value) == cell


def test_cases_and_responses_read_back(module: Module, tmp_path: Path) -> None:
    from kiosk.services.surveys import SurveyService
    from tests.kiosk.storage.factories import survey_draft
    from trato.domain.enums import CaseType
    case_id = module.file(date(2026, 3, 10), personal=personal_data(filer_name="Ñoño Álvarez"))
    module.file(date(2026, 3, 11), case_type=CaseType.RECONOCIMIENTO, categories=(),
                recognised_person="=cmd|' /C calc'!A0", narrative="Gracias", request="",
                staff_involved="")
    module.file(date(2026, 3, 11), categories=("acoso",))
    SurveyService(module.database, module.clock).submit(survey_draft(rating=5))
    folder = tmp_path / "usb"
    folder.mkdir()
    result = module.exporter.export(folder, WORDING, can_read_sensitive=False)
    assert (result.cases, result.responses) == (3, 1)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in result.files)
    cases = _read(result.files[0])
    assert cases[0] == WORDING.case_header
    rows = {r[0]: r for r in cases[1:]}
    folio = module.cases.row(case_id).display_folio
    assert rows[folio][3] == "10/03/2026 09:30" and rows[folio][5] == "Ñ. Á."
    (recognition,) = [r for r in cases[1:] if r[1] == "reconocimiento"]
    assert recognition[6] == "'=cmd|' /C calc'!A0"
    (reserved,) = [r for r in cases[1:] if r[1] == ""]
    assert reserved[5] == "" and reserved[7] == ""
    text = result.files[0].read_text(encoding="utf-8-sig")
    for secret in ("12345678903", "GOMA800101", "5512345678", "maria@correo", "5 de Mayo",
                   "esperé tres horas", "Recepcionista"):
        assert secret not in text
    responses = _read(result.files[1])
    assert responses[1][2] == "5" and responses[1][0].endswith("09:30")
    assert result.files[0].read_bytes().count(b"\r\n") == 4


def test_a_missing_folder(module: Module, tmp_path: Path) -> None:
    with pytest.raises(ExportFailed) as info:
        module.exporter.export(tmp_path / "gone", WORDING, can_read_sensitive=False)
    assert info.value.code == "export_missing"


def _fail_on_write(monkeypatch: pytest.MonkeyPatch, code: int, after: int) -> None:
    """The device refuses the ``after``-th write (or fsync) with ``code``."""
    calls = {"n": 0}
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] >= after:
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr(export_module.os, "fsync", fsync)


@pytest.mark.parametrize(("code", "problem", "after"), [
    (errno.ENOSPC, "export_full", 1), (errno.ENOSPC, "export_full", 2),
    (errno.EROFS, "export_read_only", 1), (errno.EIO, "export_missing", 2),
])
def test_a_full_or_read_only_drive_leaves_nothing(module: Module, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch, code: int,
                                                  problem: str, after: int) -> None:
    module.file(date(2026, 3, 10))
    folder = tmp_path / "usb"
    folder.mkdir()
    (folder / "otro.txt").write_text("de antes")
    _fail_on_write(monkeypatch, code, after)
    with pytest.raises(ExportFailed) as info:
        module.exporter.export(folder, WORDING, can_read_sensitive=False)
    assert info.value.code == problem
    assert [p.name for p in folder.iterdir()] == ["otro.txt"]


def test_a_read_only_folder_for_real_when_not_root(module: Module, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):  # root: permissions do not stop writes
            with pytest.raises(ExportFailed) as info:
                with pytest.MonkeyPatch.context() as mp:
                    _fail_on_write(mp, errno.EROFS, 1)
                    module.exporter.export(folder, WORDING, can_read_sensitive=False)
        else:
            with pytest.raises(ExportFailed) as info:
                module.exporter.export(folder, WORDING, can_read_sensitive=False)
        assert info.value.code == "export_read_only"
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_places_lists_mounted_drives_then_home(tmp_path: Path) -> None:
    media = tmp_path / "media"
    stick = media / "user" / "MI USB"
    stick.mkdir(parents=True)
    mounts = tmp_path / "mounts"
    escaped = str(stick).replace(" ", "\\040")
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 {escaped} vfat rw 0 0\n")
    home = tmp_path / "home"
    home.mkdir()
    (home / ".oculto").mkdir()
    (home / "Documentos").mkdir()
    found = export_module.places(roots=(media,), home=home, mounts=mounts)
    assert [(p.name, p.removable) for p in found] == [("MI USB", True), ("home", False)]
    assert [p.name for p in export_module.subfolders(home)] == ["Documentos"]
