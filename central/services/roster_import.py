"""The module staff's roster imported from a CSV that Human Resources can produce.

One row per agent: employee number, name, the unit's CLUES, optionally the module, the job
title, the Buen Trato certification date and its expiry, and whether the agent is active.
Headers are matched without regard to case, accents or spacing (``Número de empleado`` is
``numero_de_empleado``), several spellings each (:data:`COLUMNS`); commas, semicolons or tabs
separate the fields, UTF-8 (with or without Excel's BOM) or Windows-1252.

:func:`check_roster` reads the whole file and reports every bad row with every problem it has
(wrong columns, duplicate employee numbers, bad dates, unknown unit or module, a unit outside
the user's branch); :func:`import_roster` writes nothing unless there is none: the rows are
applied in one transaction with the rosters of the units touched published to their kiosks
(:func:`central.services.changes.publish_staff`) and one audit entry. A column left out of the
file keeps what is stored; a column present and empty clears it (an empty certification date:
not certified). PINs and kiosk roles are not in the file (``trato-central set-staff-pin``).

Problems are codes with values (``Problem``); the web side words them in Spanish.
"""

import csv
import io
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session

from central.db import utcnow
from central.models import AuditLog, OrgLevel, OrgNode, StaffMember
from central.services.changes import lock_change_log, publish_staff
from trato.protocol.wire import StaffEntry

#: Field → the header spellings accepted for it (normalised: lower case, no accents, ``_``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_number": ("numero_de_empleado", "numero_empleado", "no_empleado", "matricula"),
    "name": ("nombre", "nombre_completo"),
    "clues": ("clues", "unidad_clues"),
    "module": ("modulo", "codigo_de_modulo", "codigo_modulo"),
    "title": ("puesto", "categoria"),
    "certified_on": ("certificacion", "fecha_de_certificacion", "certificado_el",
                     "certificacion_buen_trato"),
    "certified_until": ("vigencia", "vence", "certificacion_vence", "vigente_hasta",
                        "certificado_hasta"),
    "active": ("activo",),
}
REQUIRED = ("employee_number", "name", "clues")
MAX_ROWS = 20_000
MAX_NAME = 150
MAX_TITLE = 64
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
YES = {"si", "sí", "s", "1", "true", "activo", "yes"}
NO = {"no", "n", "0", "false", "inactivo", "baja"}

InScope = Callable[[OrgNode], bool]


@dataclass(frozen=True)
class Problem:
    code: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class BadRow:
    line: int
    employee_number: str
    problems: list[Problem]


@dataclass
class RosterReport:
    file_problems: list[Problem] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    rows: int = 0
    new: int = 0
    updated: int = 0
    units: int = 0
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.file_problems and not self.bad_rows and self.rows > 0


@dataclass
class RosterRow:
    line: int
    values: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    certified_on: date | None = None
    certified_until: date | None = None
    active: bool = True
    unit: OrgNode | None = None
    module: OrgNode | None = None


def normalise_header(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return "_".join("".join(c if c.isalnum() else " " for c in plain).split())


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _header_map(header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    spelling = {s: name for name, spellings in COLUMNS.items() for s in spellings}
    found: dict[str, int] = {}
    problems = []
    unknown = []
    for i, raw in enumerate(header):
        name = spelling.get(normalise_header(raw))
        if name is None:
            unknown.append(raw.strip() or f"#{i + 1}")
        elif name in found:
            problems.append(Problem("duplicate_column", {"column": raw.strip()}))
        else:
            found[name] = i
    if unknown:
        problems.append(Problem("unknown_columns", {"columns": ", ".join(unknown)}))
    missing = [COLUMNS[n][0] for n in REQUIRED if n not in found]
    if missing:
        problems.append(Problem("missing_columns", {"columns": ", ".join(missing)}))
    return found, problems


def _parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            value = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return value if 1990 <= value.year <= 2100 else None
    return None


def check_fields(row: RosterRow) -> None:
    v = row.values
    try:
        StaffEntry(staff_id=v["employee_number"])
    except ValidationError:
        row.problems.append(Problem("employee_number", {"value": v["employee_number"]}))
    if not v["name"]:
        row.problems.append(Problem("name_missing"))
    elif len(v["name"]) > MAX_NAME:
        row.problems.append(Problem("name_long", {"max": MAX_NAME}))
    if len(v.get("title", "")) > MAX_TITLE:
        row.problems.append(Problem("title_long", {"max": MAX_TITLE}))
    for name in ("certified_on", "certified_until"):
        text = v.get(name, "")
        if text:
            parsed = _parse_date(text)
            if parsed is None:
                row.problems.append(Problem("bad_date", {"value": text}))
            setattr(row, name, parsed)
    if row.certified_until and not v.get("certified_on"):
        row.problems.append(Problem("until_without_on"))
    if row.certified_on and row.certified_until and row.certified_until < row.certified_on:
        row.problems.append(Problem("until_before_on"))
    active = v.get("active", "").lower()
    if active and active not in YES | NO:
        row.problems.append(Problem("bad_active", {"value": v["active"]}))
    row.active = active not in NO


def _read(data: bytes) -> tuple[list[str], list[RosterRow], list[Problem]]:
    text = _decode(data)
    if text is None:
        return [], [], [Problem("encoding")]
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    numbered = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    if not numbered:
        return [], [], [Problem("empty")]
    header = numbered[0][1]
    columns, problems = _header_map(header)
    if problems:
        return list(columns), [], problems
    if len(numbered) - 1 > MAX_ROWS:
        return list(columns), [], [Problem("too_many_rows", {"max": MAX_ROWS})]
    rows = []
    for line, cells in numbered[1:]:
        if len(cells) != len(header):
            rows.append(RosterRow(line, {"employee_number": (cells[columns["employee_number"]]
                                                        if len(cells) > columns["employee_number"]
                                                        else "")},
                             [Problem("columns_count", {"found": len(cells),
                                                        "expected": len(header)})]))
            continue
        row = RosterRow(line, {name: cells[i].strip() for name, i in columns.items()})
        row.values["clues"] = row.values["clues"].upper()
        check_fields(row)
        rows.append(row)
    return list(columns), rows, []


def resolve_rows(session: Session, rows: list[RosterRow], in_scope: InScope) -> None:
    clues = {r.values["clues"] for r in rows if r.values.get("clues")}
    units = {u.clues: u for u in session.execute(select(OrgNode).where(
        OrgNode.level == OrgLevel.UNIT.value, OrgNode.clues.in_(sorted(clues)))).scalars()}
    codes = {r.values["module"] for r in rows if r.values.get("module")}
    modules = {m.code: m for m in session.execute(select(OrgNode).where(
        OrgNode.level == OrgLevel.MODULE.value, OrgNode.code.in_(sorted(codes)))).scalars()}
    for row in rows:
        if "clues" not in row.values:
            continue  # a row with the wrong number of fields says nothing more
        unit = units.get(row.values["clues"])
        if unit is None:
            row.problems.append(Problem("unknown_unit", {"value": row.values["clues"]}))
        elif not in_scope(unit):
            row.problems.append(Problem("out_of_scope", {"value": row.values["clues"]}))
        else:
            row.unit = unit
        code = row.values.get("module", "")
        if code:
            module = modules.get(code)
            if module is None or (unit is not None and module.unit_id != unit.id):
                row.problems.append(Problem("unknown_module", {"value": code,
                                                               "unit": row.values["clues"]}))
            row.module = module


def _duplicates(rows: list[RosterRow]) -> None:
    lines: dict[str, list[int]] = {}
    for row in rows:
        number = row.values.get("employee_number", "")
        if number:
            lines.setdefault(number, []).append(row.line)
    for row in rows:
        same = lines.get(row.values.get("employee_number", ""), [])
        if len(same) > 1:
            row.problems.append(Problem("duplicate", {
                "value": row.values["employee_number"],
                "lines": ", ".join(str(n) for n in same if n != row.line)}))


def check_roster(session: Session, data: bytes, in_scope: InScope
                 ) -> tuple[RosterReport, list[str], list[RosterRow]]:
    """Read ``data`` and report on it; nothing is written. Returns the report, the fields the
    file has and its rows."""
    columns, rows, problems = _read(data)
    report = RosterReport(file_problems=problems, rows=len(rows))
    if problems:
        return report, columns, rows
    if not rows:
        report.file_problems.append(Problem("empty"))
        return report, columns, rows
    resolve_rows(session, rows, in_scope)
    _duplicates(rows)
    report.bad_rows = [BadRow(r.line, r.values.get("employee_number", ""), r.problems)
                       for r in rows if r.problems]
    keys = {(r.unit.id, r.values["employee_number"]) for r in rows if r.unit is not None}
    existing = _members(session, keys)
    report.updated = sum(1 for k in keys if k in existing)
    report.new = len(keys) - report.updated
    report.units = len({k[0] for k in keys})
    return report, columns, rows


def _members(session: Session, keys: set[tuple[uuid.UUID, str]]
             ) -> dict[tuple[uuid.UUID, str], StaffMember]:
    """The stored members among ``keys`` (unit id, employee number)."""
    if not keys:
        return {}
    found = session.execute(select(StaffMember).where(
        StaffMember.unit_id.in_(list({k[0] for k in keys})),
        StaffMember.employee_number.in_(sorted({k[1] for k in keys})))).scalars()
    return {(m.unit_id, m.employee_number): m for m in found
            if (m.unit_id, m.employee_number) in keys}


def apply_row(member: StaffMember, row: RosterRow, columns: list[str]) -> None:
    member.name = row.values["name"]
    if "title" in columns:
        member.role = row.values["title"] or "agente"
    if "module" in columns:
        member.module_id = row.module.id if row.module is not None else None
    if "certified_on" in columns:
        member.certified_buen_trato = row.certified_on is not None
        member.certified_at = row.certified_on
    if "certified_until" in columns or "certified_on" in columns:
        member.certified_until = row.certified_until
    if "active" in columns:
        member.active = row.active
    member.updated_at = utcnow()


def import_roster(session: Session, data: bytes, in_scope: InScope, *, dry_run: bool,
                  by_user_id: uuid.UUID | None = None, by_username: str = ""
                  ) -> tuple[RosterReport, list[OrgNode]]:
    """Check ``data`` and, unless ``dry_run`` or a problem was found, import every row in one
    transaction (commits). Returns the report and the units whose roster changed."""
    report, columns, rows = check_roster(session, data, in_scope)
    if dry_run or not report.ok:
        return report, []
    lock_change_log(session)
    units: dict[uuid.UUID, OrgNode] = {}
    existing = _members(session, {(r.unit.id, r.values["employee_number"])
                                  for r in rows if r.unit is not None})
    for row in rows:
        if row.unit is None:  # never: a row without its unit is a problem above
            continue
        number = row.values["employee_number"]
        member = existing.get((row.unit.id, number)) or StaffMember(
            unit_id=row.unit.id, employee_number=number, name=row.values["name"])
        apply_row(member, row, columns)
        session.add(member)
        units[row.unit.id] = row.unit
    session.flush()
    for unit_id in units:
        publish_staff(session, unit_id)
    session.add(AuditLog(user_id=by_user_id, username=by_username, action="staff_import",
                         target_type="staff", target_id="",
                         detail={"rows": report.rows, "new": report.new,
                                 "updated": report.updated, "units": len(units)}))
    session.commit()
    report.imported = True
    return report, list(units.values())
