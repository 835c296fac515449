"""Users on the web and the audit log over real HTTP: each page is the administrator's and
only of their branch (a user of another OOAD gets 404, no names leak), bad input is the form
again with the reason (never 5xx), a temporary password must be replaced at the next sign-in,
a disabled user's session stops at once, and the audit page filters and pages."""

import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from central.models import AuditLog
from central.services.user_admin import AUDIT_USER_CREATE, AUDIT_USER_DISABLE
from central.web.i18n import catalogue
from tests.central.web.conftest import World, csrf_from, login


@pytest.fixture(scope="module")
def world(web_world: World) -> World:
    for name, scope in (("admin_ags", "AGS"), ("admin_bc", "BC")):
        web_world.central.create_user(name, role="admin", scope_code=scope)
    return web_world


def _create(c: httpx.Client, **fields: str) -> httpx.Response:
    page = c.get("/usuarios")
    assert page.status_code == 200
    return c.post("/usuarios", data={"csrf_token": csrf_from(page.text), **fields})


def _user_id(html: str, username: str) -> str:
    match = re.search(rf'<tr data-user="{re.escape(username)}".*?/usuarios/([0-9a-f-]{{36}})/',
                      html, re.S)
    assert match, f"{username} is not on the page"
    return match.group(1)


def _post(c: httpx.Client, path: str, **fields: str) -> httpx.Response:
    return c.post(path, data={"csrf_token": csrf_from(c.get("/usuarios").text), **fields})


def test_the_pages_are_the_administrators_and_only_of_their_branch(world: World) -> None:
    with world.login("ooad_ags") as c:  # not an administrator: the pages do not exist
        for path in ("/usuarios", "/auditoria"):
            assert c.get(path).status_code == 404
        assert c.post("/usuarios", data={"csrf_token": csrf_from(c.get("/tablero").text),
                                         "usuario": "x", "rol": "unidad"}).status_code == 404
    with world.login("admin") as c:
        ags_id = _user_id(c.get("/usuarios").text, "unidad_ags")
    with world.login("admin_bc") as c:
        page = c.get("/usuarios")
        assert 'data-user="ooad_bc"' in page.text
        assert "unidad_ags" not in page.text and 'data-user="admin"' not in page.text
        for action, fields in (("activo", {"accion": "desactivar"}), ("contrasena", {}),
                               ("rol", {"rol": "unidad", "rama": "BCIMS000039"})):
            assert _post(c, f"/usuarios/{ags_id}/{action}", **fields).status_code == 404
        wider = _create(c, usuario="de_bc", rol="unidad", rama="ASIMS000039")
        assert wider.status_code == 422
        assert "La clave ASIMS000039 está fuera de su ámbito." in wider.text
        national = _create(c, usuario="de_bc", rol="nacional", rama="")
        assert national.status_code == 422 and "más amplio que el suyo" in national.text
        assert 'value="nacional"' not in c.get("/usuarios").text  # not even offered
        searched = c.get("/usuarios", params={"buscar": "unidad_ags"})
        assert "Se muestran 0 de 0 usuarios." in searched.text
    with world.login("unidad_ags") as c:  # still active: nothing above changed it
        assert c.get("/tablero").status_code == 200


def test_bad_input_is_the_form_with_its_reason(world: World) -> None:
    with world.login("admin_ags") as c:
        for fields, words in (
                ({"usuario": "ooad_bc", "rol": "unidad", "rama": "ASIMS000039"},
                 "Ya existe un usuario ooad_bc."),
                ({"usuario": "", "rol": "unidad", "rama": "ASIMS000039"},
                 "Escriba el nombre de usuario."),
                ({"usuario": "nuevo1", "rol": "superusuario", "rama": "ASIMS000039"},
                 "El rol elegido no existe."),
                ({"usuario": "nuevo1", "rol": "unidad", "rama": ""}, "necesita un ámbito")):
            answer = _create(c, **fields)
            assert answer.status_code == 422 and words in answer.text, fields
        assert c.post("/usuarios", data={"usuario": "x", "rol": "unidad"}).status_code == 403
        assert c.post("/usuarios/no-es-id/activo",
                      data={"csrf_token": csrf_from(c.get("/usuarios").text)}).status_code == 404


def test_temporary_password_is_replaced_and_a_disabled_user_is_signed_out(world: World
                                                                          ) -> None:
    with world.login("admin_ags") as admin:
        made = _create(admin, usuario="temporal_ags", nombre="Tere Mora", rol="unidad",
                       rama="ASIMS000039")
        assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
        temporary = re.search(r"<p class=\"enrolment-code\" data-password>([^<]+)</p>",
                              made.text).group(1)  # type: ignore[union-attr]
        user_id = _user_id(made.text, "temporal_ags")
        with httpx.Client(base_url=world.base_url, timeout=30) as person:
            assert login(person, "temporal_ags", temporary).status_code == 303
            assert person.get("/tablero").headers["location"] == "/contrasena"
            form = person.get("/contrasena")
            weak = person.post("/contrasena", data={
                "csrf_token": csrf_from(form.text), "actual": temporary, "nueva": "corta",
                "repetir": "corta"})
            assert weak.status_code == 422 and "al menos 8 caracteres" in weak.text
            done = person.post("/contrasena", data={
                "csrf_token": csrf_from(form.text), "actual": temporary,
                "nueva": "mi-clave-propia-7", "repetir": "mi-clave-propia-7"})
            assert done.status_code == 303 and person.get("/tablero").status_code == 200
            off = _post(admin, f"/usuarios/{user_id}/activo", accion="desactivar")
            assert off.status_code == 200 and "sus sesiones abiertas se cerraron" in off.text
            gone = person.get("/tablero")
            assert gone.status_code == 303 and gone.headers["location"].startswith("/entrar")
            assert login(person, "temporal_ags", "mi-clave-propia-7").status_code == 401
        audit = admin.get("/auditoria", params={"objetivo": "temporal_ags"})
        assert audit.status_code == 200
        assert re.findall(r'<tr data-action="([a-z_]+)"', audit.text) == [
            "user_disable", "password_changed", "user_create"]
        assert "Activo: sí → no" in audit.text and temporary not in audit.text
    with world.login("admin_bc") as other:  # another OOAD's administrator reads none of it
        assert "temporal_ags" not in other.get("/auditoria").text
        assert "Tere Mora" not in other.get("/usuarios").text


def test_the_audit_page_filters_and_pages(world: World) -> None:
    start = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    with world.central.session() as s:
        for i in range(55):
            s.add(AuditLog(user_id=None, username="auditor_prueba", action=AUDIT_USER_CREATE,
                           target_type="user", target_id=str(uuid.uuid4()),
                           at=start + timedelta(minutes=i), detail={"username": f"p{i}"}))
        s.add(AuditLog(username="auditor_prueba", action=AUDIT_USER_DISABLE, target_type="user",
                       target_id=str(uuid.uuid4()), at=start + timedelta(days=3)))
        s.commit()
    with world.login("admin") as c:
        first = c.get("/auditoria", params={"usuario": "AUDITOR_PRUEBA", "accion": "usuarios"})
        assert "56 registros · página 1 de 2" in first.text
        assert first.text.count('<tr data-action="') == 50
        nxt = re.search(r'href="(/auditoria\?[^"]+)" rel="next"', first.text).group(1)  # type: ignore[union-attr]
        second = c.get(nxt.replace("&amp;", "&"))
        assert second.text.count('<tr data-action="') == 6 and "página 2 de 2" in second.text
        day = c.get("/auditoria", params={"usuario": "auditor_prueba", "desde": "2026-03-02",
                                          "hasta": "2026-03-02", "accion": AUDIT_USER_CREATE})
        assert "55 registros" in day.text
        target = c.get("/auditoria", params={"objetivo": "auditor_prueba"})
        assert "0 registros" in target.text  # the target, not the actor
        bad = c.get("/auditoria", params={"desde": "2026-02-31"})
        assert bad.status_code == 400 and "«2026-02-31» no es válida" in bad.text
    with world.login("admin_ags") as c:  # entries of Nivel Central are not a branch's
        assert "0 registros" in c.get("/auditoria", params={"usuario": "auditor_prueba"}).text


def test_every_role_and_refusal_has_its_words() -> None:
    from central.models import Role
    from central.services import user_admin, users

    codes: set[str] = set()
    for module in (users, user_admin):
        source = Path(module.__file__ or "").read_text("utf-8")
        codes |= set(re.findall(r'UserError\(f?"[^"]*",\s*"([a-z_]+)"', source))
    assert codes and all(f"users.error.{c}" in catalogue("es") for c in codes), codes
    assert all(f"users.role.{r.value}" in catalogue("es") for r in Role)


def test_a_disabled_users_live_board_stops(world: World) -> None:
    world.central.create_user("pantalla_ags", role="ooad", scope_code="AGS")
    with world.login("admin_ags") as admin, world.login("pantalla_ags") as screen:
        user_id = _user_id(admin.get("/usuarios").text, "pantalla_ags")
        with screen.stream("GET", "/tablero/eventos") as events:
            lines = events.iter_lines()
            assert next(lines) == "retry: 1000"
            _post(admin, f"/usuarios/{user_id}/activo", accion="desactivar")
            started = time.monotonic()
            rest = []
            for line in lines:  # until the server ends the stream (or 15 s have passed)
                rest.append(line)
                if time.monotonic() - started > 15:
                    break
            took = time.monotonic() - started
        assert took < 12  # ended by the server, within a keep-alive
        assert not any(line.startswith("event: update") for line in rest)


def test_a_branch_admin_sees_and_is_offered_only_in_the_branch(world: World) -> None:
    with world.login("admin_bc") as c:
        assert c.get(f"/casos/{world.cases['queja_ags']}").status_code == 404
        assert c.get(f"/casos/{world.cases['queja_bc']}").status_code == 200
        listed = c.get("/casos").text
        assert "Mexicali" in listed and "Aguascalientes" not in listed
    with world.login("admin") as c:  # assigning an AGS case: AGS's administrator, not BC's
        html = c.get(f"/casos/{world.cases['queja_ags']}").text
        assert ">admin_ags</option>" in html and ">admin_bc</option>" not in html


def test_the_migration_gives_older_entries_about_cases_their_branch(world: World) -> None:
    import importlib.util

    import sqlalchemy as sa

    from central.migrations import __file__ as migrations_init

    path = Path(migrations_init).parent / "versions" / "0008_user_admin.py"
    spec = importlib.util.spec_from_file_location("migration_0008", path)
    assert spec and spec.loader
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    entry = uuid.uuid4()
    with world.central.session() as s:
        s.add(AuditLog(id=entry, username="antes", action="open_personal", target_type="case",
                       target_id=world.cases["queja_bc"]))
        s.commit()
        s.execute(sa.update(AuditLog).where(AuditLog.id == entry).values(
            ooad_id=None, umae_id=None, unit_id=None))  # as it was before the migration
        migration.backfill_case_branches(s.connection())
        s.commit()
        s.expire_all()
        row = s.get(AuditLog, entry)
        assert row is not None and str(row.ooad_id) == world.nodes["BC"]
        assert str(row.unit_id) == world.nodes["BCIMS000039"] and row.umae_id is None
