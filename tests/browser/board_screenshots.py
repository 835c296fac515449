"""Screenshots of the board pages with the demo data (not a test; run by hand):

    .venv/bin/python -m tests.browser.board_screenshots [docs/screenshots]

Starts a real server on a temporary SQLite file, loads ``central.demo`` data, signs in as
Nivel Central in headless Chromium and writes ``board-demo-*.png``. Also prints how long each
page took, as a quick check that the board stays fast with months of data.
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.support.browser import CHROMIUM_ARGS, sign_in
from tests.support.central import running_central

PASSWORD = "demo-contraseña-1"  # noqa: S105 - throwaway demo users


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    tmp = Path(tempfile.mkdtemp(prefix="td-shots-"))
    from playwright.sync_api import sync_playwright

    from central.demo import create_demo_data

    try:
        with running_central(f"sqlite:///{tmp / 'central.db'}", tmp / "data",
                             load_catalogue=False) as central:
            create_demo_data(central.engine, sealing_public_key=central.public_key(),
                             users_password=PASSWORD)
            central.create_user("comite", role="nacional", password=PASSWORD,
                                display_name="Comité Nacional")
            central.create_user("agente800", role="agente", password=PASSWORD,
                                display_name="Agente de la línea 800")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                sign_in(page, central.base_url, "comite", PASSWORD)
                shots = [("tablero", "/tablero"), ("casos", "/casos?etapa=abiertos"),
                         ("muro", "/reconocimientos"), ("reporte", "/reporte")]
                first_ooad = page.locator("[data-block=children] tbody a").first
                href = first_ooad.get_attribute("href")
                if href:
                    shots.insert(1, ("ooad", href))
                for name, path in shots:
                    started = time.perf_counter()
                    page.goto(central.base_url + path)
                    elapsed = (time.perf_counter() - started) * 1000
                    if name == "reporte":
                        page.emulate_media(media="print")
                    page.screenshot(path=str(out / f"board-demo-{name}.png"), full_page=True)
                    page.emulate_media(media="screen")
                    print(f"{name:10s} {path:40s} {elapsed:7.0f} ms")
                case_link = page.goto(central.base_url + "/casos?etapa=abiertos")
                assert case_link is not None
                page.locator("table tbody a").first.click()
                page.screenshot(path=str(out / "board-demo-caso.png"), full_page=True)
                _desk_shots(browser, central.base_url, out)
                _public_wall_shot(browser, central, out)
                _roster_shot(page, central, out)
                _alerts_shots(page, central.base_url, out)
                _roster_link_shots(page, central, out)
                _export_shot(page, central.base_url, out)
                from tests.browser.instrument_screenshots import instrument_shots

                instrument_shots(page, central.base_url, out)
                _users_shots(browser, central.base_url, out)
                from tests.browser.campaign_screenshots import campaign_shots

                campaign_shots(page, central, out)
                _committee_shots(browser, central.base_url, out)
                browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _export_shot(page: Any, base_url: str, out: Path) -> None:
    """/exportar: the analysts' export form, its rules and the OData feed's address."""
    page.goto(base_url + "/exportar")
    page.screenshot(path=str(out / "board-demo-exportar.png"), full_page=True)
    print(f"{'exportar':10s} {'/exportar':40s}")


def _desk_shots(browser: Any, base_url: str, out: Path) -> None:
    """The call centre's pages (``board-demo-registrar-*``) as an agent of the 800 line sees
    them: the five types, a queja refused with its errors, the folio, a quick log."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, base_url, "agente800", PASSWORD)
    page.goto(f"{base_url}/registrar")
    page.screenshot(path=str(out / "board-demo-registrar.png"), full_page=True)
    page.goto(f"{base_url}/registrar/queja")
    page.select_option("#f-unit_id", index=1)
    page.fill("#f-filer_name", "Rosa Martínez Gil")
    page.fill("#f-nss", "12345678900")
    page.fill("#f-event_date", "01/01/2099")
    page.keyboard.press("Enter")
    page.wait_for_selector("#form-errors")
    page.screenshot(path=str(out / "board-demo-registrar-errores.png"), full_page=True)
    page.fill("#f-nss", "12345678903")
    page.fill("#f-event_date", "")
    page.fill("#f-narrative", "Llamó al 800: esperó seis horas en urgencias sin información.")
    page.check("#f-consent")
    page.click(".desk-form button[type=submit]")
    page.wait_for_selector("[data-folio]")
    page.screenshot(path=str(out / "board-demo-registrar-folio.png"), full_page=True)
    page.goto(f"{base_url}/registrar/orientacion")
    page.screenshot(path=str(out / "board-demo-registrar-orientacion.png"), full_page=True)
    page.close()


#: A roster CSV as Human Resources might send it, with the mistakes the dry run names.
ROSTER_CSV = ("numero_de_empleado,nombre,clues,puesto,certificacion,vigencia\n"
              "D9001,Alma Treviño Ruiz,{clues},Agente,10/01/2026,10/01/2028\n"
              "D9002,Beto Cano Gil,{clues},Agente,31/02/2026,\n"
              "D9001,Alma Treviño,{clues},Agente,,\n"
              "D9004,Caro Luna,XXIMS000001,Agente,,\n")


def _roster_shot(page: Any, central: Any, out: Path) -> None:
    """The staff page (``board-demo-personal*.png``): the roster, and the dry run of a CSV
    with bad rows for a unit of the demo."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from central.models import OrgNode, StaffMember

    with Session(central.engine) as session:
        clues = session.exec(sa.select(OrgNode.clues).join(
            StaffMember, StaffMember.unit_id == OrgNode.id).limit(1)).scalar_one()
    page.goto(f"{central.base_url}/personal")
    page.screenshot(path=str(out / "board-demo-personal.png"))  # the top: the list is long
    page.set_input_files("#roster-upload input[type=file]", files=[{
        "name": "personal.csv", "mimeType": "text/csv",
        "buffer": ROSTER_CSV.format(clues=clues).encode()}])
    page.click("#roster-upload button[value=revisar]")
    page.wait_for_selector("#roster-report")
    page.screenshot(path=str(out / "board-demo-personal-revision.png"))


def _roster_link_shots(page: Any, central: Any, out: Path) -> None:
    """One member's form (``board-demo-personal-editar.png``) and the case page of a
    reconocimiento just linked there to a member of its unit's roster
    (``board-demo-caso-reconocimiento.png``)."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from central.models import Case, StaffMember

    with Session(central.engine) as session:
        member_id, case_id = session.exec(
            sa.select(StaffMember.id, Case.id)
            .join(Case, Case.unit_id == StaffMember.unit_id)
            .where(Case.case_type == "reconocimiento", Case.recognised_staff_id.is_(None),
                   StaffMember.certified_buen_trato, StaffMember.active)
            .order_by(Case.received_at.desc()).limit(1)).one()
    page.goto(f"{central.base_url}/personal/{member_id}")
    page.screenshot(path=str(out / "board-demo-personal-editar.png"), full_page=True)
    page.goto(f"{central.base_url}/casos/{case_id}")
    page.select_option("#recognised-staff select[name=persona]", value=str(member_id))
    page.click("#recognised-staff button:has-text('Vincular')")
    page.wait_for_selector(f"#recognised-staff [data-linked='{member_id}']")
    page.screenshot(path=str(out / "board-demo-caso-reconocimiento.png"), full_page=True)


def _public_wall_shot(browser: Any, central: Any, out: Path) -> None:
    """The public Muro (``board-demo-muro-publico.png``) of the unit with the most approved
    recognitions, not signed in, on a 1080p waiting-room screen."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from central.models import Case, OrgNode
    from central.models.records import WALL_CASE

    with Session(central.engine) as session:
        clues = session.exec(
            sa.select(OrgNode.clues).join(Case, Case.unit_id == OrgNode.id)
            .where(sa.text(WALL_CASE)).group_by(OrgNode.clues)
            .order_by(sa.func.count().desc()).limit(1)).scalar_one()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{central.base_url}/muro/{clues}")
    page.screenshot(path=str(out / "board-demo-muro-publico.png"))
    page.close()


#: The rules Nivel Central keeps in the screenshots (kind, threshold, minimum responses).
ALERT_RULES = (("satisfaction", "85", "20"), ("overdue", "3", ""), ("high_impact", "", ""),
               ("kiosk_silent", "24", ""))


def _alerts_shots(page: Any, base_url: str, out: Path) -> None:
    """The alerts (``board-demo-alertas*.png``): rules saved on the web by Nivel Central, a
    rule refused with its reason, the alerts page (whole, then narrowed to the satisfaction
    alerts nobody acknowledged), one acknowledged, the board's block."""
    for kind, threshold, minimum in ALERT_RULES:
        page.goto(f"{base_url}/alertas/reglas")
        page.select_option("#f-tipo", kind)
        page.fill("#f-umbral", threshold)
        if minimum:
            page.fill("#f-minimo", minimum)
        page.click("#rule-form button[type=submit]")
        page.wait_for_url(f"{base_url}/alertas/reglas")
    page.select_option("#f-tipo", "satisfaction")
    page.fill("#f-umbral", "150")
    page.fill("#f-minimo", "3")
    page.click("#rule-form button[type=submit]")
    page.wait_for_selector("#form-errors")
    page.screenshot(path=str(out / "board-demo-alertas-reglas.png"), full_page=True)
    page.goto(f"{base_url}/alertas")
    page.locator("#alerts-active tbody a").first.click()
    page.fill("#nota", "Se pidió a la jefatura de la unidad un plan para los tiempos de espera.")
    page.click("form[action$='/atender'] button[type=submit]")
    page.wait_for_selector("[data-event=acknowledged]")
    page.screenshot(path=str(out / "board-demo-alerta.png"), full_page=True)
    page.goto(f"{base_url}/alertas")
    page.screenshot(path=str(out / "board-demo-alertas.png"))  # the top: the list is long
    page.select_option("#alerts-filters select[name=tipo]", "satisfaction")
    page.select_option("#alerts-filters select[name=estado]", "sin_atender")
    page.click("#alerts-filters button[type=submit]")
    page.wait_for_url("**/alertas?*tipo=satisfaction*")
    page.screenshot(path=str(out / "board-demo-alertas-filtradas.png"), full_page=True)
    page.goto(f"{base_url}/tablero")
    page.screenshot(path=str(out / "board-demo-tablero-alertas.png"))


def _users_shots(browser: Any, base_url: str, out: Path) -> None:
    """The users page (``board-demo-usuarios.png``) as the national administrator just after
    creating a user (the temporary password shown once), and the audit log filtered to the
    user-management actions (``board-demo-auditoria.png``)."""
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="es-MX")
    sign_in(page, base_url, "admin", PASSWORD)
    page.goto(f"{base_url}/usuarios")
    form = page.locator("#user-create")
    for username, name, role, scope in (("comite.jal", "Comité OOAD Jalisco 2", "ooad", "JAL"),
                                        ("linea800.jal", "Línea 800 Jalisco", "agente", "JAL")):
        form.locator("input[name=usuario]").fill(username)
        form.locator("input[name=nombre]").fill(name)
        form.locator("select[name=rol]").select_option(role)
        form.locator("input[name=rama]").fill(scope)
        form.locator("button[type=submit]").click()
        page.wait_for_selector("#temporary-password")
    page.locator("tr[data-user='ooad.jal'] button[value=desactivar]").click()
    page.wait_for_selector("#users-notice")
    row = page.locator("tr[data-user='comite.jal']")
    row.locator("select[name=rol]").select_option("admin")
    row.locator("button:has-text('Cambiar')").click()
    page.wait_for_selector("#users-notice")
    page.locator("tr[data-user='linea800.jal'] button:has-text('Restablecer')").click()
    page.wait_for_selector("#temporary-password")
    page.screenshot(path=str(out / "board-demo-usuarios.png"), full_page=True)
    page.goto(f"{base_url}/auditoria?accion=usuarios")
    page.screenshot(path=str(out / "board-demo-auditoria.png"), full_page=True)
def _committee_shots(browser: Any, base_url: str, out: Path) -> None:
    """The committees' pages (``board-demo-comites*.png``): Nivel Central's list of every
    committee's sessions, one of its sessions with the answers to its recommendation and the
    agreements due; an OOAD committee's new-session form refused for an agreement without an
    owner, and its page of Nivel Central's recommendations."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, base_url, "nacional", PASSWORD)
    page.goto(f"{base_url}/comites")
    page.screenshot(path=str(out / "board-demo-comites.png"), full_page=True)
    page.locator("table.committee-sessions tbody tr", has_text="Nivel Central").first.locator(
        "a").click()
    page.wait_for_selector("#agreements")
    page.screenshot(path=str(out / "board-demo-comites-sesion.png"), full_page=True)
    page.goto(f"{base_url}/comites/acuerdos")
    page.screenshot(path=str(out / "board-demo-comites-acuerdos.png"), full_page=True)
    page.close()
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, base_url, "ooad.cdmxn", PASSWORD)
    page.goto(f"{base_url}/comites/nueva")
    page.fill("#f-asistentes", "Dr. Fernando Díaz Gómez, titular del OOAD\n"
                               "Lic. Rosa Jiménez Flores, jefa de Atención y Orientación")
    page.fill("#f-acuerdo_texto", "Revisar los tiempos de espera de urgencias cada semana")
    page.fill("#f-acuerdo_fecha", "2001-01-01")
    page.click("#session-form button[type=submit]")
    page.wait_for_selector("#form-errors")
    page.screenshot(path=str(out / "board-demo-comites-nueva.png"), full_page=True)
    page.goto(f"{base_url}/comites/recomendaciones")
    page.screenshot(path=str(out / "board-demo-comites-recomendaciones.png"), full_page=True)
    page.close()


if __name__ == "__main__":
    main()
