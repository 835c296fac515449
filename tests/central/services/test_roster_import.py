"""The roster CSV of Human Resources on real SQLite and PostgreSQL databases: every bad row
named with every problem, nothing written while one is left, a good file imported in one go
with the units' rosters published, and a column left out keeping what is stored."""

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from central.models import ChangeLog, OrgNode, StaffMember
from central.services.roster_import import check_roster, import_roster, normalise_header

HEADER = "numero_de_empleado,nombre,clues,modulo,puesto,certificacion,vigencia\n"
BAD_CSV = HEADER + (
    "A1001,Rosa Ibarra,ASIMS000039,ASIMS000039-M1,agente,2026-01-10,2028-01-10\n"  # 2: dup of 4
    "A1002,Juan Gil,ASIMS000039,,agente,31/02/2026,\n"  # 3: no such day
    "A1001,Rosa Ibarra bis,ASIMS000039,,agente,,\n"  # 4: duplicate of 2
    "A1004,Luz Mora,XXIMS000001,,agente,,\n"  # 5: unknown unit
    "A1005,Eva Rey,BCIMS000039,,agente,,\n"  # 6: another OOAD
    "A1006,Ana Paz,ASIMS000039,BCIMS000039-M1,agente,,\n"  # 7: module of another unit
    "A1007,Leo Sol,ASIMS000039\n"  # 8: three fields of seven
    "A1008,Iris Luna,ASIMS000076,,agente,2026-05-01,2026-04-01\n"  # 9: ends before it starts
    "12 34,,ASIMS000039,,agente,,2027-01-01\n"  # 10: bad number, no name, expiry alone
    "A1011,Sara Rico,ASIMS000076,,agente,2025-12-01,2027-12-01\n"  # 11: good
)
EXPECTED = {2: {"duplicate"}, 3: {"bad_date"}, 4: {"duplicate"}, 5: {"unknown_unit"},
            6: {"out_of_scope"}, 7: {"unknown_module"}, 8: {"columns_count"},
            9: {"until_before_on"},
            10: {"employee_number", "name_missing", "until_without_on"}}


@pytest.fixture
def engine(org_engine: Engine) -> Engine:
    return org_engine


def _ags_only(engine: Engine) -> Callable[[OrgNode], bool]:
    with Session(engine) as s:
        ags = s.exec(select(OrgNode).where(OrgNode.code == "AGS")).one()
    return lambda node: node.ooad_id == ags.id or node.id == ags.id


def _staff(engine: Engine, prefix: str) -> dict[str, StaffMember]:
    with Session(engine) as s:
        rows = s.exec(select(StaffMember).where(StaffMember.employee_number.startswith(prefix)))
        return {m.employee_number: m for m in rows.all()}


def test_every_bad_row_is_named_and_nothing_is_imported(engine: Engine) -> None:
    in_scope = _ags_only(engine)
    with Session(engine) as s:
        report, _columns, _rows = check_roster(s, BAD_CSV.encode(), in_scope)
    assert {r.line: {p.code for p in r.problems} for r in report.bad_rows} == EXPECTED
    assert report.rows == 10 and not report.ok and not report.file_problems
    with Session(engine) as s:
        changes_before = len(s.exec(select(ChangeLog)).all())
        refused, units = import_roster(s, BAD_CSV.encode(), in_scope, dry_run=False)
    assert not refused.imported and units == []
    assert _staff(engine, "A10") == {}
    with Session(engine) as s:
        assert len(s.exec(select(ChangeLog)).all()) == changes_before


@pytest.mark.parametrize(("text", "codes"), [
    ("nombre,clues,correo\nRosa,ASIMS000039,r@x.mx\n", {"unknown_columns", "missing_columns"}),
    ("numero_de_empleado,nombre,nombre,clues\n", {"duplicate_column"}),
    ("numero_de_empleado,nombre,clues\n\n", {"empty"}),
    ("", {"empty"}),
])
def test_wrong_columns_refuse_the_whole_file(engine: Engine, text: str, codes: set[str]
                                            ) -> None:
    with Session(engine) as s:
        report, _columns, _rows = check_roster(s, text.encode(), lambda _node: True)
    assert {p.code for p in report.file_problems} == codes and not report.ok


def test_headers_are_matched_without_case_accents_or_spacing() -> None:
    assert normalise_header(" Número de Empleado ") == "numero_de_empleado"
    assert normalise_header("CERTIFICACIÓN") == "certificacion"


def test_good_file_is_imported_and_published(engine: Engine) -> None:
    # What Excel in Mexico saves: Windows-1252, semicolons, day/month/year, accented headers.
    text = ("Número de empleado;Nombre;CLUES;Puesto;Certificación;Vigencia;Activo\n"
            "B2001;José Núñez;asims000039;Técnico de atención;15/01/2026;15/01/2028;sí\n"
            "B2002;Marta Ortiz;ASIMS000076;Coordinadora;;;\n"
            "B2003;Raúl Vega;ASIMS000039;Agente;01/03/2025;01/03/2026;no\n")
    in_scope = _ags_only(engine)
    with Session(engine) as s:
        dry, units = import_roster(s, text.encode("cp1252"), in_scope, dry_run=True)
    assert dry.ok and (dry.new, dry.updated, dry.units) == (3, 0, 2) and units == []
    assert _staff(engine, "B2") == {}
    with Session(engine) as s:
        done, units = import_roster(s, text.encode("cp1252"), in_scope, dry_run=False,
                                    by_username="rh")
        unit_ids = {u.id for u in units}
    assert done.imported and len(unit_ids) == 2
    staff = _staff(engine, "B2")
    assert staff["B2001"].name == "José Núñez" and staff["B2001"].role == "Técnico de atención"
    assert staff["B2001"].certified_buen_trato
    assert (staff["B2001"].certified_at, staff["B2001"].certified_until) == (
        date(2026, 1, 15), date(2028, 1, 15))
    assert not staff["B2002"].certified_buen_trato and not staff["B2003"].active
    with Session(engine) as s:
        feed = {c.key: c.data for c in s.exec(select(ChangeLog).where(
            ChangeLog.kind == "staff").order_by(ChangeLog.cursor)).all()}
    entry = next(e for e in feed[str(staff["B2001"].unit_id)]["staff"]
                 if e["staff_id"] == "B2001")
    assert (entry["certified_on"], entry["certified_until"]) == ("2026-01-15", "2028-01-15")
    # Again without the certification columns: the names change, the certification stays.
    with Session(engine) as s:
        again, _units = import_roster(s, b"numero_de_empleado,nombre,clues\n"
                                         b"B2001,Jose Nunez Paz,ASIMS000039\n",
                                      in_scope, dry_run=False)
    assert again.imported and (again.new, again.updated) == (0, 1)
    kept = _staff(engine, "B2")["B2001"]
    assert kept.name == "Jose Nunez Paz" and kept.certified_until == date(2028, 1, 15)
