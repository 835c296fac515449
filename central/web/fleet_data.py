"""The kiosk page's rows (``/kioscos``): every kiosk in the viewer's branch with its unit and
module, version, last contact, and the last self-test it reported, the checks that did not
pass worded for people. Read from the kiosk table only (one row per kiosk)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from central.models import Kiosk
from central.web.board_data import kiosk_row
from central.web.display import MX
from central.web.fleet_updates import update_cells
from central.web.i18n import has_key, t
from central.web.nodes import BoardNode, node_filter, node_names
from central.web.scope import Scope
from trato.protocol.updates import PLATFORMS

#: The badge of each self-test result (ok / warnings / failures, "" = none reported).
RESULT_CLASS = {"ok": "green", "warnings": "orange", "failures": "red", "": "grey"}
#: Outcomes of a check that the page lists (an "ok" check is not a problem).
PROBLEM_STATUSES = ("falla", "aviso")


@dataclass(frozen=True)
class Fleet:
    node: BoardNode
    kiosks: list[dict[str, Any]]  # the rows shown (filtered when only_problems)
    total: int
    with_problems: int
    only_problems: bool


def check_problems(checks: list[dict[str, str]] | None) -> list[dict[str, str]]:
    """The checks that did not pass, failures first, each with its plain-Spanish name, what
    its outcome means and what to do."""
    out = []
    for check in checks or []:
        name, status = str(check.get("name", "")), str(check.get("status", ""))
        if status not in PROBLEM_STATUSES:
            continue
        known = has_key(f"selftest.check.{name}")
        out.append({
            "name": name,
            "title": t(f"selftest.check.{name}") if known else name,
            "status": status,
            "status_label": t(f"selftest.status.{status}"),
            "hint": t(f"selftest.hint.{name}") if known else t("selftest.hint.unknown"),
            "class": "red" if status == "falla" else "orange",
        })
    return sorted(out, key=lambda c: (c["status"] != "falla", c["title"]))


def fleet_row(k: Kiosk, unit: str, module: str, now: datetime) -> dict[str, Any]:
    row = kiosk_row(k, unit, now)
    result = k.self_test_result if k.self_test_at is not None else ""
    problems = check_problems(k.self_test_checks) if result else []
    row.update(
        id=str(k.id),
        module=module,
        platform=t(f"updates.platform.{k.platform}") if k.platform in PLATFORMS else "",
        self_test_at=k.self_test_at.astimezone(MX).strftime("%d/%m/%Y %H:%M")
        if k.self_test_at else t("fleet.self_test.none"),
        self_test_result=result,
        self_test_label=t(f"selftest.result.{result or 'none'}"),
        self_test_class=RESULT_CLASS.get(result, "grey"),
        problems=problems,
        has_problem=row["state"] != "ok" or result != "ok",
    )
    row.update(update_cells(k))  # signed updates (central/updates/board.py)
    row["has_problem"] = row["has_problem"] or row["update_problem"]
    return row


def build_fleet(session: Session, scope: Scope, node: BoardNode, now: datetime, *,
                only_problems: bool = False) -> Fleet:
    kiosks = session.exec(
        select(Kiosk).where(scope.where(Kiosk), node_filter(Kiosk, node))
        .order_by(Kiosk.unit_id, Kiosk.kiosk_number)
    ).all()
    names = node_names(session, {k.unit_id for k in kiosks} | {k.module_id for k in kiosks})
    rows = [fleet_row(k, names.get(k.unit_id, "—"), names.get(k.module_id, "—"), now)
            for k in kiosks]
    rows.sort(key=lambda r: (not r["has_problem"], r["unit"], r["name"]))
    troubled = [r for r in rows if r["has_problem"]]
    return Fleet(node=node, kiosks=troubled if only_problems else rows, total=len(rows),
                 with_problems=len(troubled), only_problems=only_problems)
