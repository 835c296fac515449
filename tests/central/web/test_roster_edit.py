"""The roster edited row by row and a reconocimiento linked to a member, over real HTTP: a
person added and edited on the form reaches the unit's kiosk through the change feed (and not
another unit's); a refused form says why in Spanish and saves nothing; a linked recognition
is counted per person on the Muro, signed in and public; a user of another OOAD, or one who
does not moderate, is answered 404 on every page and action."""

import re
from datetime import date
from pathlib import Path

import httpx
from sqlmodel import select

from central.models import AuditLog, StaffMember
from kiosk.storage.models import StaffMember as KioskStaff
from tests.central.web.conftest import World, csrf_from
from tests.faults.sync_support import issue_token, make_kiosk


def _add(c: httpx.Client, **fields: str) -> httpx.Response:
    page = c.get("/personal/nuevo")
    assert page.status_code == 200
    data = {"csrf_token": csrf_from(page.text), "clues": "ASIMS000039", "activo": "1",
            "rol_kiosco": "agente", **fields}
    return c.post("/personal/nuevo", data=data)


def _member_id(c: httpx.Client, number: str) -> str:
    html = c.get("/personal").text
    match = re.search(rf'<tr data-number="{number}".*?href="/personal/([0-9a-f-]+)"', html,
                      re.S)
    assert match, f"{number} is not on the roster page"
    return match.group(1)


def _edit(c: httpx.Client, member_id: str, **fields: str) -> httpx.Response:
    page = c.get(f"/personal/{member_id}")
    assert page.status_code == 200
    return c.post(f"/personal/{member_id}", data={"csrf_token": csrf_from(page.text), **fields})


def _kiosk_entry(world: World, kiosk: str, number: str) -> dict | None:
    feed = world.kiosks[kiosk].changes().json()["changes"]
    rosters = [ch["data"]["staff"] for ch in feed if ch["kind"] == "staff"]
    return next((e for e in rosters[-1] if e["staff_id"] == number), None) if rosters else None


def test_a_person_added_and_edited_on_the_web_reaches_the_kiosk(web_world: World) -> None:
    with web_world.login("ooad_ags") as c:
        added = _add(c, numero="W1001", nombre="María López", puesto="Agente",
                     certificacion="2026-01-10", vigencia="2099-01-10")
        assert added.status_code == 303 and added.headers["location"] == "/personal?guardado=W1001"
        listed = c.get("/personal?guardado=W1001").text
        assert 'id="roster-saved"' in listed and 'data-number="W1001"' in listed
        assert _kiosk_entry(web_world, "ags", "W1001")["certified_until"] == "2099-01-10"
        member = _member_id(c, "W1001")
        # Refused edits: the reason in Spanish, nothing saved.
        assert _add(c, numero="W1002", nombre="Otra").status_code == 303
        for fields, words in (
                ({"certificacion": "2026-05-01", "vigencia": "2026-04-01"},
                 "La certificación vence antes de la fecha en que se obtuvo"),
                ({"numero": "W1002"}, "El número de empleado W1002 ya está registrado"),
                ({"modulo": "BCIMS000039-M1"}, "El módulo BCIMS000039-M1 no existe en la unidad"),
                ({"certificacion": "10/13/2026"}, "Fecha no válida: «10/13/2026»")):
            form = {"numero": "W1001", "nombre": "María López", "activo": "1",
                    "rol_kiosco": "agente", **fields}
            refused = _edit(c, member, **form)
            assert refused.status_code == 422 and words in refused.text, fields
            assert 'id="form-errors"' in refused.text
        # A good edit: certification renewed, kiosk administrator, module.
        saved = _edit(c, member, numero="W1001", nombre="María López Ruiz", puesto="Coordinadora",
                      modulo="ASIMS000039-M1", rol_kiosco="administrador",
                      certificacion="2026-02-01", vigencia="2030-02-01", activo="1")
        assert saved.status_code == 303
    entry = _kiosk_entry(web_world, "ags", "W1001")
    assert (entry["name"], entry["role"], entry["certified_on"], entry["certified_until"]) == (
        "María López Ruiz", "administrador", "2026-02-01", "2030-02-01")
    assert _kiosk_entry(web_world, "bc", "W1001") is None
    with web_world.central.session() as s:
        actions = [a.action for a in s.exec(select(AuditLog).where(
            AuditLog.target_id == member).order_by(AuditLog.at)).all()]
    assert actions == ["staff_add", "staff_edit"]


def test_a_linked_recognition_is_counted_on_both_walls(web_world: World) -> None:
    case_id = web_world.cases["reconocimiento_ags"]
    with web_world.login("ooad_ags") as c:
        assert _add(c, numero="W2001", nombre="Nora Díaz").status_code == 303
        member = _member_id(c, "W2001")
        page = c.get(f"/casos/{case_id}")
        assert 'id="recognised-staff"' in page.text and "Nora Díaz (W2001)" in page.text
        linked = c.post(f"/casos/{case_id}/persona",
                        data={"csrf_token": csrf_from(page.text), "persona": member})
        assert linked.status_code == 303
        page = c.get(f"/casos/{case_id}").text
        assert "Vinculado a Nora Díaz." in page and "Reconocimiento vinculado al personal" in page
        wall = c.get("/reconocimientos").text
        c.post(f"/reconocimientos/{case_id}", data={"csrf_token": csrf_from(wall),
                                                   "decision": "aprobar"})
        counted = ('<tr><td>Nora Díaz</td><td>UMF No. 1 Aguascalientes</td>'
                   '<td class="num">1 reconocimiento</td></tr>')
        assert counted in c.get("/reconocimientos").text
        board = c.get("/tablero").text.split('data-block="recognitions"', 1)[1]
        board = board.split("</section>", 1)[0]
        assert "<strong>Nora Díaz</strong>" in board and "Enfermera AGS" not in board
    with httpx.Client(base_url=web_world.base_url, timeout=30) as public:
        screen = public.get("/muro/ASIMS000039").text
    assert '<span class="name">Nora Díaz</span> <span class="count">1 reconocimiento</span>' \
        in screen
    assert 'class="person">Nora Díaz<' in screen and "Enfermera AGS" not in screen
    with web_world.login("ooad_bc") as c:  # another OOAD: neither the person nor the count
        assert "Nora Díaz" not in c.get("/reconocimientos").text
    with web_world.central.session() as s:
        audit = s.exec(select(AuditLog).where(AuditLog.target_id == case_id)).all()
    assert [(a.action, a.detail["employee_number"]) for a in audit] == [
        ("recognition_link", "W2001")]


def test_other_branches_and_non_moderators_get_nothing(web_world: World) -> None:
    case_id = web_world.cases["reconocimiento_ags"]
    with web_world.login("ooad_ags") as c:
        assert _add(c, numero="W3001", nombre="Ajena Sí").status_code == 303
        member = _member_id(c, "W3001")
    with web_world.login("ooad_bc") as c:
        token = csrf_from(c.get("/personal").text)
        assert c.get(f"/personal/{member}").status_code == 404
        assert "Ajena Sí" not in c.get(f"/personal/{member}").text
        assert c.post(f"/personal/{member}", data={"csrf_token": token, "numero": "W3001",
                                                   "nombre": "Cambiada"}).status_code == 404
        assert c.get("/personal/no-es-un-id").status_code == 404
        refused = c.post("/personal/nuevo", data={"csrf_token": token, "clues": "ASIMS000039",
                                                  "numero": "W3002", "nombre": "Intrusa"})
        assert refused.status_code == 422
        assert "La unidad ASIMS000039 no pertenece a su ámbito" in refused.text
        assert c.post(f"/casos/{case_id}/persona", data={"csrf_token": token,
                                                         "persona": member}).status_code == 404
        # Its own recognition cannot be linked to someone of another unit's roster.
        own = web_world.cases["reconocimiento_bc"]
        assert c.post(f"/casos/{own}/persona", data={"csrf_token": token,
                                                     "persona": member}).status_code == 400
        assert "W3001" not in c.get(f"/casos/{own}").text
        assert "Ajena Sí" not in c.get("/reconocimientos").text
    with web_world.login("unidad_ags") as c:
        page = c.get(f"/casos/{case_id}")
        assert page.status_code == 200 and 'action="/casos/' + case_id + '/persona"' \
            not in page.text
        assert c.post(f"/casos/{case_id}/persona", data={"csrf_token": csrf_from(page.text),
                                                         "persona": member}).status_code == 404
        assert c.get("/personal/nuevo").status_code == 404
        assert c.get(f"/personal/{member}").status_code == 404
    with web_world.central.session() as s:
        assert s.exec(select(StaffMember).where(StaffMember.employee_number == "W3002")
                      ).first() is None
        assert s.exec(select(StaffMember).where(StaffMember.name == "Cambiada")).first() is None


def test_a_real_kiosk_applies_the_edit_at_its_next_sync(web_world: World, tmp_path: Path
                                                         ) -> None:
    """The kiosk program's own sync engine and store: the member added on the web can sign in
    there with the certification typed; deactivated on the web, no longer."""
    kiosk = make_kiosk(tmp_path / "kiosk", web_world.base_url, issue_token(web_world.central))
    try:
        with web_world.login("ooad_ags") as c:
            assert _add(c, numero="W4001", nombre="Iris Soto", certificacion="01/03/2026",
                        vigencia="01/03/2028").status_code == 303
            kiosk.engine().pull_all()
            with kiosk.database.read() as s:
                row = s.get(KioskStaff, "W4001")
                assert row is not None and row.active and row.display_name == "Iris Soto"
                assert (row.certified_on, row.certified_until) == (date(2026, 3, 1),
                                                                   date(2028, 3, 1))
            assert _edit(c, _member_id(c, "W4001"), numero="W4001", nombre="Iris Soto",
                         rol_kiosco="agente").status_code == 303  # "activo" left unticked
        kiosk.engine().pull_all()
        with kiosk.database.read() as s:
            row = s.get(KioskStaff, "W4001")
            assert row is not None and not row.active and row.pin_hash is None
    finally:
        kiosk.close()
