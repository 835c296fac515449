"""The analysts' export (``/exportar``) and its OData feed (``/odata/``), on a real server
over SQLite and PostgreSQL: files read back with pyarrow, the feed read by an OData v4 client
library (python-odata: ``$metadata`` parsed, pages followed), scope, the small-number rule on
record-level rows, bad input, and the audit log."""

import io
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from sqlmodel import select

from central.models import AuditLog
from central.web.display import today_mx
from central.web.export_data import CASE_SCHEMA, SURVEY_SCHEMA, _joined
from central.web.export_rule import WITHHELD, branch_placement, placements
from central.web.odata import ODataError, period
from tests.central.web.conftest import (
    NARRATIVE_AGS,
    NARRATIVE_SENSITIVE,
    PASSWORD,
    PERSONAL,
    World,
    build_world,
)
from tests.support.central import survey_record
from trato.records import PERSONAL_FIELDS

#: What must never be in an export: personal data and free text, by name and by value.
PERSONAL_NAMES = {*PERSONAL_FIELDS, "nombre", "telefono", "correo", "domicilio", "folio",
                  "narrative", "narrativa", "comment", "comentario", "request",
                  "staff_involved", "recognised_person", "sealed_personal", "registered_by",
                  "event_unit", "kiosk_id"}
PERSONAL_VALUES = [*PERSONAL.values(), NARRATIVE_AGS, NARRATIVE_SENSITIVE, "Enfermera AGS",
                   "Me atendió con mucha paciencia"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                scope="module")
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    """The web world plus a second AGS unit with 2 rated responses: alone it would be
    hidden, and then the first unit must be pooled with it (complementary rule)."""
    folder = tmp_path_factory.mktemp("export")
    if request.param == "sqlite":
        gen = build_world(f"sqlite:///{folder / 'central.db'}", folder / "data")
        url = None
    else:
        cluster = request.getfixturevalue("pg_cluster")
        url = cluster.create_database(prefix="export")
        gen = build_world(url, folder / "data")
    try:
        w = next(gen)
        kiosk = w.central.enrol_kiosk("ASIMS000076")
        records = [survey_record(kiosk.next_seq(), rating=r) for r in (1, 2)]
        records[0]["body"].update(reasons=["espera", "trato"], service_code="=1+1")
        records.append(survey_record(kiosk.next_seq(), rating=1, comment="Me llamo Juan Soto",
                                     answers={"espera": 2, "libre": "Juan Soto"}))
        assert kiosk.push(records).status_code == 200
        w.central.create_user("agente_exp", role="agente")
        yield w
    finally:
        gen.close()
        if url is not None:
            request.getfixturevalue("pg_cluster").drop_database(url)


def _get(client: httpx.Client, dataset: str, fmt: str, *, start: date | None = None,
         end: date | None = None, branch: str = "") -> httpx.Response:
    today = today_mx()
    return client.get("/exportar/archivo", params={
        "conjunto": dataset, "formato": fmt, "rama": branch,
        "desde": (start or today - timedelta(days=6)).isoformat(),
        "hasta": (end or today).isoformat()})


def _table(response: httpx.Response, fmt: str) -> pa.Table:
    assert response.status_code == 200, response.text[:500]
    if fmt == "parquet":
        return pq.read_table(io.BytesIO(response.content))
    assert response.content.startswith("\ufeff".encode())
    return pa_csv.read_csv(io.BytesIO(response.content[3:]),
                           convert_options=pa_csv.ConvertOptions(strings_can_be_null=True))


def _no_personal(response: httpx.Response, table: pa.Table) -> None:
    assert not PERSONAL_NAMES & set(table.column_names)
    text = response.content.decode("utf-8", "replace") if response.headers[
        "content-type"].startswith("text/csv") else str(table.to_pylist())
    for value in [*PERSONAL_VALUES, "Juan Soto"]:
        assert value not in text


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_files_read_back_with_pyarrow(world: World, fmt: str) -> None:
    with world.login("nacional") as client:
        response = _get(client, "respuestas", fmt)
        table = _table(response, fmt)
        assert table.column_names == SURVEY_SCHEMA.names
        assert table.num_rows == 15  # 6 + 6 + 3
        _no_personal(response, table)
        rows = table.to_pylist()
        # Unit ASIMS000076 (3 responses, 3 rated) is hidden, so ASIMS000039 is pooled with
        # it: the OOAD's 9 rows carry no unit nor module; Baja California's keep both.
        ags = [r for r in rows if r["ooad"] == "AGS"]
        assert len(ags) == 9 and {(r["clues"], r["modulo"], r["nivel_detalle"])
                                  for r in ags} == {(None, None, "ooad_umae")}
        assert sorted(r["calificacion"] for r in ags) == [1, 1, 2, 2, 4, 4, 5, 5, 5]
        bc = [r for r in rows if r["ooad"] == "BC"]
        assert {(r["clues"], r["nivel_detalle"]) for r in bc} == {("BCIMS000039", "modulo")}
        assert {r["respuestas"] for r in ags} == {None, '{"espera":2}'}
        assert "espera|trato" in {r["motivos"] for r in ags}
        # A formula from a kiosk is neutralised in the CSV, kept as sent in Parquet.
        assert ("'=1+1" if fmt == "csv" else "=1+1") in {r["servicio"] for r in ags}

        cases = _get(client, "casos", fmt)
        table = _table(cases, fmt)
        assert table.column_names == CASE_SCHEMA.names
        assert table.num_rows == 6
        _no_personal(cases, table)
        assert {r["clues"] for r in table.to_pylist()} == {"ASIMS000039", "BCIMS000039"}
    with world.central.session() as s:
        audited = [(a.username, a.target_type, a.detail.get("formato"), a.detail.get("fuente"))
                   for a in s.exec(select(AuditLog).where(AuditLog.action == "export")).all()]
    for dataset in ("respuestas", "casos"):
        assert ("nacional", dataset, fmt, "principal") in audited


def test_scope_of_another_ooad(world: World) -> None:
    with world.login("ooad_bc") as client:
        table = _table(_get(client, "respuestas", "parquet"), "parquet")
        assert table.num_rows == 6 and set(table.column("ooad").to_pylist()) == {"BC"}
        cases = _table(_get(client, "casos", "csv"), "csv")
        assert set(cases.column("ooad").to_pylist()) == {"BC"}
        outside = _get(client, "respuestas", "csv", branch=world.nodes["AGS"])
        assert outside.status_code == 400 and "Elija una parte de su ámbito" in outside.text
        assert "AGS" not in outside.text.split("form-errors")[1].split("</div>")[0]
        feed = httpx.get(f"{world.base_url}/odata/Respuestas", auth=("ooad_bc", PASSWORD))
        assert {r["ooad"] for r in feed.json()["value"]} == {"BC"}
    with world.login("ooad_ags") as client:
        # The unit asked for is hidden in its OOAD's table: its rows come without answers.
        table = _table(_get(client, "respuestas", "csv", branch=world.nodes["ASIMS000039"]),
                       "csv")
        assert table.num_rows == 6
        assert set(table.column("calificacion").to_pylist()) == {None}
        assert set(table.column("nivel_detalle").to_pylist()) == {"reservado"}
    with world.login("unidad_ags") as client:
        # A unit's own user decides from the unit (as its board does): 6 rated, shown.
        table = _table(_get(client, "respuestas", "csv"), "csv")
        assert table.num_rows == 6 and set(table.column("ooad").to_pylist()) == {"AGS"}
        assert set(table.column("nivel_detalle").to_pylist()) == {"modulo"}


def test_bad_input_is_a_form_error(world: World) -> None:
    today = today_mx()
    with world.login("nacional") as client:
        cases = [
            ({"start": today, "end": today - timedelta(days=1)}, "anterior a la inicial"),
            ({"start": today - timedelta(days=400), "end": today}, "más de 366 días"),
            ({"branch": "no-es-un-nodo"}, "Elija una parte"),
        ]
        for kwargs, message in cases:
            response = _get(client, "respuestas", "csv", **kwargs)
            assert response.status_code == 400 and message in response.text, kwargs
        for params in ({"conjunto": "personas"}, {"formato": "xlsx"}, {"desde": "ayer"},
                       {"hasta": "2026-02-30"}, {"desde": "\x00"}):
            base = {"conjunto": "casos", "formato": "csv", "desde": "2026-01-01",
                    "hasta": "2026-01-31", "rama": ""}
            response = client.get("/exportar/archivo", params={**base, **params})
            assert response.status_code == 400, params
            assert "form-errors" in response.text
        page = client.get("/exportar")
        assert page.status_code == 200 and "menos de 5 calificaciones" in page.text
    with world.login("agente_exp") as client:
        assert client.get("/exportar").status_code == 404
        assert _get(client, "casos", "csv").status_code == 404


def test_odata_feed_read_by_a_client_library(world: World) -> None:
    from odata import ODataService
    from requests.auth import HTTPBasicAuth

    service = ODataService(f"{world.base_url}/odata/", reflect_entities=True,
                           auth=HTTPBasicAuth("nacional", PASSWORD), quiet_progress=True,
                           extra_headers={"Prefer": "odata.maxpagesize=4"})
    responses = service.entities["Respuestas"]
    rows = list(service.query(responses))  # 15 rows in pages of 4: the nextLinks followed
    assert len(rows) == 15 and len({r.id for r in rows}) == 15
    assert {r.ooad for r in rows} == {"AGS", "BC"}
    assert {r.clues for r in rows if r.ooad == "AGS"} == {None}
    today = today_mx().isoformat()
    assert len(list(service.query(responses).filter(responses.fecha >= today))) == 15
    assert len(list(service.query(responses).filter(responses.fecha > today))) == 0
    assert service.query(responses).count() == 15
    cases = list(service.query(service.entities["Casos"]))
    assert len(cases) == 6

    with httpx.Client(base_url=f"{world.base_url}/odata", timeout=30) as client:
        anonymous = client.get("/Respuestas")
        assert anonymous.status_code == 401 and "Basic" in anonymous.headers["www-authenticate"]
        assert client.get("/Respuestas", auth=("nacional", "mala")).status_code == 401
        auth = ("nacional", PASSWORD)
        service = client.get("/", auth=auth).json()
        assert [e["url"] for e in service["value"]] == ["Respuestas", "Casos"]
        page = client.get("/Respuestas", params={"$top": "3", "$skip": "2", "$count": "true",
                                                 "$select": "id,calificacion"}, auth=auth)
        body = page.json()
        assert page.headers["odata-version"] == "4.0"
        assert body["@odata.count"] == 15 and len(body["value"]) == 3
        assert set(body["value"][0]) == {"id", "calificacion"}
        for params in ({"$filter": "calificacion eq 5"}, {"$filter": "fecha ge mañana"},
                       {"$orderby": "fecha"}, {"$top": "-1"}, {"$skiptoken": "xx"},
                       {"$select": "narrative"}):
            bad = client.get("/Respuestas", params=params, auth=auth)
            assert bad.status_code == 400, params
            assert bad.json()["error"]["message"]
        assert client.get("/Personas", auth=auth).status_code == 404
        assert client.get("/Respuestas", auth=("agente_exp", PASSWORD)).status_code == 403
    # Each read of the feed (not each page of it) is audited, as the reader who made it.
    with world.central.session() as s:
        reads = [(a.username, a.detail.get("conjunto")) for a in s.exec(select(AuditLog).where(
            AuditLog.action == "odata_read")).all()]
    assert reads.count(("nacional", "Respuestas")) >= 3 and ("nacional", "Casos") in reads


def test_the_rows_come_in_several_batches(world: World, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    """The streaming read itself (COPY blocks on PostgreSQL, yield_per on SQLite; the
    ordered cursor of the feed) cut small: every row once, in several batches."""
    from sqlmodel import Session

    from central.web import export_read
    from central.web.export_data import ExportQuery
    from central.web.nodes import root_node
    from central.web.scope import Scope

    monkeypatch.setattr(export_read, "COPY_BLOCK_BYTES", 1024)
    engine = world.central.engine
    with Session(engine) as session:
        root = root_node(session, Scope(None, None))
    today = today_mx()
    query = ExportQuery("respuestas", today - timedelta(days=1), today, Scope(None, None), root)
    for ordered in (False, True):
        batches = [b for b, _ in export_read.read_batches(engine, query, batch_rows=4,
                                                          ordered=ordered)]
        ids = [i for b in batches for i in b.column("id").to_pylist()]
        assert len(batches) > 1 and len(ids) == len(set(ids)) == 15, ordered


# ---------------------------------------------------------------------------- the rule


def test_a_small_module_is_pooled_with_a_sibling() -> None:
    out = placements({("u1", "m1"): 3, ("u1", "m2"): 20, ("u2", "m3"): 30})
    assert out == {("u1", "m1"): 1, ("u1", "m2"): 1, ("u2", "m3"): 2}


def test_two_small_modules_pool_and_a_big_one_stays() -> None:
    out = placements({("u1", "m1"): 3, ("u1", "m2"): 2, ("u1", "m3"): 20})
    assert out == {("u1", "m1"): 1, ("u1", "m2"): 1, ("u1", "m3"): 2}


def test_a_small_root_withholds_every_answer() -> None:
    assert set(placements({("m1",): 2, ("m2",): 2}).values()) == {WITHHELD}
    assert branch_placement(1, 2) == WITHHELD and branch_placement(2, 2) == 2


def test_json_lists_of_codes_joined_in_bulk() -> None:
    raw = pa.array(["[]", None, '["espera", "trato"]', '["a","b"]', '["c\\"d", "e"]'])
    assert _joined(raw).to_pylist() == [None, None, "espera|trato", "a|b", 'c"d|e']
    assert _joined(pa.array(["[]", None, "[]"])).to_pylist() == [None, None, None]


def test_the_feed_period_from_its_filter() -> None:
    assert period("fecha ge 2026-01-01 and fecha lt 2026-02-01", "fecha") == (
        date(2026, 1, 1), date(2026, 1, 31))
    assert period("(fecha eq '2026-03-04')", "fecha") == (date(2026, 3, 4), date(2026, 3, 4))
    for bad in ("fecha ge 2026-13-01", "fecha ge 2026-01-01 or fecha le 2026-02-01",
                "calificacion eq 5"):
        with pytest.raises(ODataError):
            period(bad, "fecha")
