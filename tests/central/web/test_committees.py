"""The committees' pages over real HTTP (``/comites``): an OOAD committee records a session
with a high-impact case and an agreement and follows it up to closure; bad input is answered
with the reason; another OOAD, a unit user and Nivel Central's writes are refused; Nivel
Central's recommendations and each committee's answer; the quarterly report lists the
agreements, also as a PDF."""

import io
import re
import uuid
from datetime import timedelta

import httpx
import pypdf
import pytest
from sqlmodel import select

from central.models import Agreement, AgreementNote, AuditLog, Case, CommitteeSession
from central.web.display import today_mx
from central.web.pdf import BASE_URL, ResourceRefusedError, static_fetcher
from tests.central.web.conftest import World, csrf_from

TODAY = today_mx()


@pytest.fixture(scope="module")
def world(web_world: World) -> World:
    """The web world with both OOADs' ordinary quejas flagged impacto institucional."""
    with web_world.central.session() as s:
        for name in ("queja_ags", "queja_bc"):
            case = s.get(Case, uuid.UUID(web_world.cases[name]))
            assert case is not None
            case.impacto_institucional = True
            s.add(case)
        s.commit()
    return web_world


def _form(c: httpx.Client, path: str = "/comites/nueva") -> str:
    page = c.get(path)
    assert page.status_code == 200, page.text[:300]
    return csrf_from(page.text)


def _session(c: httpx.Client, **fields: object) -> httpx.Response:
    data = {"fecha": TODAY.isoformat(), "asistentes": "Dra. Ana Ruiz, titular de la OOAD\n"
            "Lic. Juan Gómez, coordinador de Atención", "minuta": "Se revisaron las quejas.",
            **fields}
    return c.post("/comites/nueva", data={"csrf_token": _form(c), **data})


def _session_id(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text[:2000]
    match = re.fullmatch(r"/comites/([0-9a-f-]{36})", response.headers["location"])
    assert match
    return match.group(1)


def _agreement_id(c: httpx.Client, session_id: str, text: str) -> str:
    page = c.get(f"/comites/{session_id}").text
    match = re.search(r'data-agreement="([0-9a-f-]{36})">\s*<h3>' + re.escape(text), page)
    assert match, page[:3000]
    return match.group(1)


def test_session_with_a_case_and_an_agreement_followed_up_to_closure(world: World) -> None:
    text = "Capacitar al personal de urgencias en el protocolo de Buen Trato"
    with world.login("ooad_ags") as c:
        form = c.get("/comites/nueva").text
        assert world.cases["queja_ags"] in form and world.cases["queja_bc"] not in form
        sid = _session_id(_session(c, caso=world.cases["queja_ags"], acuerdo_texto=text,
                                   acuerdo_responsable="Coordinación de Atención",
                                   acuerdo_fecha=(TODAY + timedelta(days=30)).isoformat()))
        detail = c.get(f"/comites/{sid}").text
        assert text in detail and world.folios["queja_ags"] in detail
        assert "Lic. Juan Gómez, coordinador de Atención" in detail
        aid = _agreement_id(c, sid, text)
        assert aid in c.get("/comites/acuerdos").text
        for status, note in (("en_proceso", "Primer grupo capacitado."), ("cumplido", "")):
            done = c.post(f"/comites/{sid}/acuerdos/{aid}", data={
                "csrf_token": csrf_from(detail), "estado": status, "nota": note})
            assert done.status_code == 303
        detail = c.get(f"/comites/{sid}").text
        assert "Primer grupo capacitado." in detail and 'data-status="cumplido"' in detail
        assert aid not in c.get("/comites/acuerdos").text  # closed: no longer due
        assert sid in c.get("/comites").text
    with world.central.session() as s:
        notes = s.exec(select(AgreementNote).where(AgreementNote.agreement_id ==
                                                   uuid.UUID(aid))).all()
        assert [n.status for n in sorted(notes, key=lambda n: n.at)] == ["en_proceso", "cumplido"]
        actions = {a.action for a in s.exec(select(AuditLog).where(
            AuditLog.username == "ooad_ags")).all()}
        assert {"committee_session", "committee_agreement",
                "committee_agreement_note"} <= actions


@pytest.mark.parametrize(("fields", "reason"), [
    ({"acuerdo_texto": "Sin responsable", "acuerdo_fecha": TODAY.isoformat()},
     "Todo acuerdo necesita una persona responsable."),
    ({"acuerdo_texto": "Antes", "acuerdo_responsable": "Dirección",
      "acuerdo_fecha": (TODAY - timedelta(days=3)).isoformat()},
     "La fecha de cumplimiento no puede ser anterior a la sesión"),
    ({"fecha": (TODAY + timedelta(days=40)).isoformat()},
     "La fecha de la sesión no puede ser posterior a mañana"),
    ({"fecha": "31/02/2026"}, "La fecha «31/02/2026» no es válida"),
    ({"asistentes": "  \n "}, "Escriba al menos una persona asistente."),
    ({"folios": "no-es-folio"}, "«no-es-folio» no es un folio válido."),
    ({"minuta": "Texto pegado\x00de otro programa"}, "caracteres que no se pueden guardar"),
    ({"acuerdo_texto": "x" * 2001, "acuerdo_responsable": "D", "acuerdo_fecha": "2099-01-01"},
     "El texto es demasiado largo (máximo 2000 caracteres)."),
])
def test_bad_input_is_a_form_error_with_the_reason(world: World, fields: dict[str, str],
                                                   reason: str) -> None:
    with world.login("ooad_ags") as c:
        response = _session(c, **fields)
        assert response.status_code == 422 and reason in response.text
        assert 'id="form-errors"' in response.text


def test_cases_of_another_branch_cannot_be_linked(world: World) -> None:
    with world.login("ooad_ags") as c:
        by_folio = _session(c, folios=world.folios["queja_bc"])
        assert by_folio.status_code == 422
        assert (f"No hay una queja de impacto institucional con el folio "
                f"{world.folios['queja_bc']} en su ámbito") in by_folio.text
        by_id = _session(c, caso=world.cases["queja_bc"])
        assert by_id.status_code == 422 and "ya no es un caso de impacto" in by_id.text
        not_flagged = _session(c, folios=world.folios["sensible_ags"])
        assert not_flagged.status_code == 422


def test_another_ooad_a_unit_and_nivel_central_writes_are_refused(world: World) -> None:
    secret = "Acuerdo reservado de Aguascalientes"  # noqa: S105 - not a password
    with world.login("ooad_ags") as c:
        sid = _session_id(_session(c, acuerdo_texto=secret, acuerdo_responsable="Dirección",
                                   acuerdo_fecha=(TODAY + timedelta(days=9)).isoformat()))
        aid = _agreement_id(c, sid, secret)
    with world.login("ooad_bc") as c:
        form = c.get("/comites/nueva").text  # its own form: only its own branch's cases
        assert world.cases["queja_bc"] in form and world.cases["queja_ags"] not in form
        token = csrf_from(form)
        assert c.get(f"/comites/{sid}").status_code == 404
        for path in (f"/comites/{sid}/acuerdos", f"/comites/{sid}/acuerdos/{aid}"):
            refused = c.post(path, data={"csrf_token": token, "estado": "cancelado",
                                         "acuerdo_texto": "x", "acuerdo_responsable": "y",
                                         "acuerdo_fecha": TODAY.isoformat()})
            assert refused.status_code == 404
        for page in ("/comites", "/comites/acuerdos", "/comites/recomendaciones"):
            listing = c.get(page)
            assert listing.status_code == 200
            assert secret not in listing.text and sid not in listing.text
        assert c.get(f"/reporte?nodo={world.nodes['AGS']}").status_code == 404
    world.central.create_user("agente_com", role="agente", scope_code="AGS")
    for username in ("unidad_ags", "agente_com"):
        with world.login(username) as c:
            for page in ("/comites", "/comites/nueva", f"/comites/{sid}", "/comites/acuerdos",
                         "/comites/recomendaciones"):
                assert c.get(page).status_code == 404, page
            assert 'href="/comites"' not in c.get("/tablero").text
    with world.login("nacional") as c:
        detail = c.get(f"/comites/{sid}")
        assert detail.status_code == 200 and secret in detail.text  # Nivel Central reads
        assert f"/comites/{sid}/acuerdos/{aid}" not in detail.text  # ... but does not write
        refused = c.post(f"/comites/{sid}/acuerdos/{aid}", data={
            "csrf_token": csrf_from(detail.text), "estado": "cancelado"})
        assert refused.status_code == 404
    with world.central.session() as s:
        row = s.get(Agreement, uuid.UUID(aid))
        assert row is not None and row.status == "pendiente"


def test_follow_up_with_a_bad_status_is_refused_with_the_reason(world: World) -> None:
    with world.login("umae") as c:
        sid = _session_id(_session(c, acuerdo_texto="Revisar señalética",
                                   acuerdo_responsable="Conservación",
                                   acuerdo_fecha=(TODAY + timedelta(days=5)).isoformat()))
        aid = _agreement_id(c, sid, "Revisar señalética")
        token = _form(c)
        bad = c.post(f"/comites/{sid}/acuerdos/{aid}", data={"csrf_token": token,
                                                            "estado": "terminado"})
        assert bad.status_code == 422 and "Elija un estado de la lista." in bad.text
        late = c.post(f"/comites/{sid}/acuerdos", data={
            "csrf_token": token, "acuerdo_texto": "Otro", "acuerdo_responsable": "X",
            "acuerdo_fecha": "2001-01-01"})
        assert late.status_code == 422 and "anterior a la sesión" in late.text
    with world.central.session() as s:
        session_row = s.get(CommitteeSession, uuid.UUID(sid))
        assert session_row is not None and session_row.umae_id is not None


def test_recommendations_reach_every_committee_and_nivel_central_sees_each_answer(
        world: World) -> None:
    text = "Publicar en cada unidad el horario de atención a quejas"
    with world.login("nacional") as c:
        sid = _session_id(_session(c, acuerdo_texto=text, acuerdo_responsable="Coordinación "
                                   "Nacional", acuerdo_recomendacion="1",
                                   acuerdo_fecha=(TODAY + timedelta(days=60)).isoformat()))
        aid = _agreement_id(c, sid, text)
    with world.login("ooad_ags") as c:
        page = c.get("/comites/recomendaciones").text
        assert text in page and "Sin respuesta de su comité" in page
        empty = c.post(f"/comites/recomendaciones/{aid}", data={
            "csrf_token": csrf_from(page), "estado": "en_proceso", "nota": ""})
        assert empty.status_code == 422 and "Escriba lo que hizo su comité." in empty.text
        done = c.post(f"/comites/recomendaciones/{aid}", data={
            "csrf_token": csrf_from(page), "estado": "cumplido",
            "nota": "Carteles colocados en las 12 unidades de Aguascalientes"})
        assert done.status_code == 303
        assert "Carteles colocados" in c.get("/comites/recomendaciones").text
        assert c.get(f"/comites/{sid}").status_code == 404  # Nivel Central's session itself
    with world.login("ooad_bc") as c:
        page = c.get("/comites/recomendaciones").text
        assert text in page and "Carteles colocados" not in page  # another OOAD's answer
    with world.login("nacional") as c:
        page = c.get("/comites/recomendaciones").text
        assert "Carteles colocados en las 12 unidades" in page and "Respondieron 1 de" in page
        assert "Carteles colocados" in c.get(f"/comites/{sid}").text
        refused = c.post(f"/comites/recomendaciones/{aid}", data={
            "csrf_token": csrf_from(page), "estado": "cumplido", "nota": "x"})
        assert refused.status_code == 404  # Nivel Central does not answer itself


def test_quarterly_report_lists_the_agreements_and_downloads_as_pdf(world: World) -> None:
    text = "Instalar un segundo kiosco en la sala de espera"
    with world.login("ooad_ags") as c:
        _session_id(_session(c, acuerdo_texto=text, acuerdo_responsable="Dirección Médica",
                             acuerdo_fecha=(TODAY + timedelta(days=20)).isoformat()))
        query = f"nodo={world.nodes['AGS']}"
        page = c.get(f"/reporte?{query}")
        assert page.status_code == 200 and text in page.text
        assert f'href="/reporte.pdf?{query}"' in page.text.replace("&amp;", "&")
        pdf = c.get(f"/reporte.pdf?{query}")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        reader = pypdf.PdfReader(io.BytesIO(pdf.content))
        words = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
        assert text in words and "Dirección Médica" in words and "Pendiente" in words
        fonts = {str(f.get("/BaseFont", "")) for p in reader.pages
                 for f in (p.get("/Resources", {}).get("/Font", {}) or {}).values()
                 for f in [f.get_object()]}
        assert any(f.endswith("+Noto-Sans") for f in fonts), fonts  # central/static/fonts


def test_the_pdf_reads_only_the_servers_own_static_files() -> None:
    font = static_fetcher(BASE_URL + "static/fonts/NotoSans-Regular.ttf")
    assert font["string"][:4] == b"\x00\x01\x00\x00"  # a TrueType file from the package
    assert static_fetcher(BASE_URL + "static/board.css?v=1")["mime_type"] == "text/css"
    for url in ("https://fonts.example.com/css?family=Noto+Sans", BASE_URL + "static/../app.py",
                "file:///etc/passwd", BASE_URL + "reporte"):
        with pytest.raises(ResourceRefusedError):
            static_fetcher(url)
