"""Registering a case on the web: the call centre (800 line) and the desk of a module without
a kiosk. ``/registrar`` (the five types) → ``/registrar/<tipo>`` (the form: a queja's Art. 18
fields, a sugerencia, a reconocimiento, or the quick log of an orientación or a gestión) →
``/registrar/folio/<id>`` (the folio, large and spelled out, to read to the caller).

Only :data:`central.web.auth.CASE_ENTRY_ROLES` register, and only in a unit of their branch
(another unit is answered 404, like any id outside the scope). A refused form comes back with
every problem next to its field and nothing stored. The case itself is stored by
:func:`central.services.desk.register_case`, through the kiosks' ingest.
"""

import logging
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from central.db import write_session
from central.models import Case, OrgLevel, OrgNode, User
from central.services.desk import DeskError, catalogue_data, register_case
from central.services.desk_form import (
    DESK_CHANNELS,
    CheckedEntry,
    DeskEntry,
    check_entry,
    form_fields,
    required_fields,
)
from central.web.auth import CurrentViewer, Viewer, check_csrf
from central.web.display import MX, display_folio, service_name
from central.web.errors import WebError, not_found
from central.web.i18n import has_key, t
from central.web.scope import get_scoped
from central.web.state import render
from trato.domain.enums import CaseType, QuickOutcome
from trato.domain.ids import new_record_id

log = logging.getLogger(__name__)
router = APIRouter()

#: The path word of each type.
TYPE_PATHS = {"queja": CaseType.QUEJA, "sugerencia": CaseType.SUGERENCIA,
              "reconocimiento": CaseType.RECONOCIMIENTO, "orientacion": CaseType.ORIENTACION,
              "gestion": CaseType.GESTION}


def _entitled(viewer: Viewer) -> None:
    if not viewer.may_register:
        raise WebError(403, "error.forbidden.title", "desk.forbidden")


def _case_type(tipo: str) -> CaseType:
    case_type = TYPE_PATHS.get(tipo)
    if case_type is None:
        raise not_found()
    return case_type


def _units(session: Session, viewer: Viewer) -> list[tuple[str, str]]:
    rows = session.exec(select(OrgNode.id, OrgNode.name, OrgNode.clues).where(
        viewer.scope.where_node(), OrgNode.level == OrgLevel.UNIT.value,
        OrgNode.active, OrgNode.unit_number.is_not(None))  # type: ignore[union-attr]
        .order_by(OrgNode.name)).all()
    return [(str(i), f"{name} ({clues})" if clues else name) for i, name, clues in rows]


def _choices(session: Session, case_type: CaseType) -> dict[str, list[tuple[str, str]]]:
    services = catalogue_data(session, "services").get("services", [])
    categories = catalogue_data(session, "case_categories").get("types", {}).get(
        case_type.value, [])
    return {"services": [(s["code"], s.get("label") or service_name(s["code"]))
                         for s in services if s.get("code")],
            "categories": [(c["code"], c.get("label") or c["code"])
                           for c in categories if c.get("code")]}


def _messages(checked: CheckedEntry) -> dict[str, str]:
    out = {}
    for name, (code, params) in checked.errors.items():
        key = f"desk.error.{name}.{code}"
        out[name] = t(key, **params) if has_key(key) else t(f"desk.error.{code}", **params)
    return out


_SELECTS = frozenset({"channel", "unit_id", "service_code", "category", "outcome"})
_CHECKS = frozenset({"same_person", "publish", "cannot_sign", "cannot_sign_confirmed", "consent"})
#: Fields people type digits into (a numeric keypad on a phone or tablet).
_NUMERIC = frozenset({"nss", "phone", "postal_code", "event_date", "event_time"})
_AUTOCOMPLETE = {"email": "off", "phone": "off"}
#: Where a part of the form begins (a heading before that field, when the form has it).
_SECTIONS = {"channel": "desk.section.where", "filer_name": "desk.section.person",
             "event_date": "desk.section.event", "recognised_person": "desk.section.content",
             "narrative": "desk.section.content", "cannot_sign": "desk.section.sign"}


def _options(name: str, units: list[tuple[str, str]],
             choices: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    if name == "channel":
        return [(c.value, t(f"channel.{c.value}")) for c in DESK_CHANNELS]
    if name == "unit_id":
        return units
    if name == "service_code":
        return choices["services"]
    if name == "outcome":
        return [(o.value, t(f"desk.outcome.{o.value}")) for o in QuickOutcome]
    return choices["categories"]


def _rows(case_type: CaseType, entry: DeskEntry, errors: dict[str, str],
          units: list[tuple[str, str]], choices: dict[str, list[tuple[str, str]]]
          ) -> list[dict[str, Any]]:
    """The form's fields, in tab order, as the template draws them."""
    rows = []
    names = form_fields(case_type)
    starts = {name: key for name, key in _SECTIONS.items() if name in names}
    if "recognised_person" in starts:
        starts.pop("narrative", None)
    if "event_date" in starts:
        starts.pop("narrative", None)  # a queja's narrative belongs to the event
    for name in names:
        kind = ("select" if name in _SELECTS else "check" if name in _CHECKS
                else "textarea" if name == "narrative" else "text")
        label_key = f"desk.field.{name}.{case_type.value}"
        hint_key = f"desk.hint.{name}"
        rows.append({
            "name": name, "kind": kind, "value": getattr(entry, name),
            "label": t(label_key) if has_key(label_key) else t(f"desk.field.{name}"),
            "hint": t(hint_key) if has_key(hint_key) else "", "error": errors.get(name, ""),
            "required": name in required_fields(case_type),
            "options": _options(name, units, choices) if kind == "select" else [],
            "numeric": name in _NUMERIC, "autocomplete": _AUTOCOMPLETE.get(name, "off"),
            "section": t(starts[name]) if name in starts and not entry.quick else "",
        })
    return rows


def _form_page(request: Request, session: Session, viewer: Viewer, case_type: CaseType,
               entry: DeskEntry, errors: dict[str, str] | None = None,
               status: int = 200) -> Response:
    errors = errors or {}
    rows = _rows(case_type, entry, errors, _units(session, viewer), _choices(session, case_type))
    ctx: dict[str, Any] = {
        "section": "register", "case_type": case_type.value, "quick": entry.quick,
        "rows": rows, "errors": [r for r in rows if r["error"]],
        "focus": next((r["name"] for r in rows if r["error"]), rows[0]["name"]),
        "entry_id": str(entry.record_id or new_record_id()),
    }
    return render(request, "desk_form.html", ctx, status_code=status)


@router.get("/registrar", include_in_schema=False)
def choose_type(request: Request, viewer: CurrentViewer) -> Response:
    _entitled(viewer)
    return render(request, "desk_start.html", {"section": "register", "types": list(TYPE_PATHS)})


@router.get("/registrar/folio/{case_id}", include_in_schema=False)
def registered(request: Request, viewer: CurrentViewer, case_id: str) -> Response:
    with Session(request.app.state.engine) as session:
        case = get_scoped(session, Case, case_id, viewer.scope)
        unit = session.get(OrgNode, case.unit_id)
        folio = display_folio(case.folio)
        ctx = {
            "section": "register", "c": case, "folio": folio, "spelled": spell(folio),
            "unit": unit.name if unit else "—",
            "received": case.received_at.astimezone(MX).strftime("%d/%m/%Y %H:%M"),
            "completion_due": case.completion_due.strftime("%d/%m/%Y")
            if case.completion_due else "",
            "resolution_due": case.resolution_due.strftime("%d/%m/%Y")
            if case.resolution_due else "",
            "tracking": f"{request.app.state.settings.public_base_url}/folio/{folio}",
        }
    response = render(request, "desk_done.html", ctx)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/registrar/{tipo}", include_in_schema=False)
def new_case_form(request: Request, viewer: CurrentViewer, tipo: str) -> Response:
    _entitled(viewer)
    case_type = _case_type(tipo)
    with Session(request.app.state.engine) as session:
        entry = DeskEntry(case_type=case_type, entry_id=str(new_record_id()))
        units = _units(session, viewer)
        if len(units) == 1:
            entry.unit_id = units[0][0]
        return _form_page(request, session, viewer, case_type, entry)


@router.post("/registrar/{tipo}", include_in_schema=False)
async def new_case(request: Request, viewer: CurrentViewer, tipo: str) -> Response:
    _entitled(viewer)
    case_type = _case_type(tipo)
    form = await check_csrf(request, viewer)
    entry = DeskEntry.from_form(case_type, form)
    app = request.app
    settings = app.state.settings
    now = datetime.now(UTC)
    with write_session(app.state.engine) as session:
        if (stored := _already_stored(session, viewer, entry)) is not None:
            return stored
        unit = _chosen_unit(session, viewer, entry.unit_id)
        choices = _choices(session, case_type)
        checked = check_entry(entry, now=now, timezone=settings.timezone,
                              services={c for c, _ in choices["services"]},
                              categories={c for c, _ in choices["categories"]})
        if unit is None and entry.unit_id:
            checked.errors["unit_id"] = ("invalid_choice", {})
        if not checked.ok or unit is None:
            session.rollback()
            return _form_page(request, session, viewer, case_type, entry, _messages(checked),
                              status=422)
        user = session.get(User, viewer.id)
        assert user is not None
        try:
            done = register_case(session, entry, checked, unit=unit, user=user,
                                 sealing_public_key=app.state.sealing_public_key,
                                 privacy_notice_version=settings.privacy_notice_version,
                                 now=now, timezone=settings.timezone)
        except DeskError as exc:
            session.rollback()
            if (stored := _already_stored(session, viewer, entry)) is not None:
                return stored  # the same form, sent twice at once: the first one stored it
            log.warning("web case not registered: %s", exc)
            raise WebError(409, "error.bad_request.title", "desk.not_stored") from None
        session.commit()
    log.info("case %s registered on the web by user %s", done.case_id, viewer.id)
    await app.state.events.apublish({
        "type": "case", "unit_id": str(unit.id),
        "ooad_id": str(unit.ooad_id) if unit.ooad_id else None,
        "umae_id": str(unit.umae_id) if unit.umae_id else None,
    })
    return RedirectResponse(f"/registrar/folio/{done.case_id}", status_code=303)


def _already_stored(session: Session, viewer: Viewer, entry: DeskEntry) -> Response | None:
    """The folio page of the case this very form stored before, if it did."""
    record_id = entry.record_id
    if record_id is None or session.get(Case, record_id) is None:
        return None
    get_scoped(session, Case, record_id, viewer.scope)
    return RedirectResponse(f"/registrar/folio/{record_id}", status_code=303)


def _chosen_unit(session: Session, viewer: Viewer, unit_id: str) -> OrgNode | None:
    """The unit picked, inside the viewer's branch (OutOfScopeError otherwise: 404); None
    when none was picked or the node is not a unit with a folio code."""
    if not unit_id:
        return None
    node = get_scoped(session, OrgNode, unit_id, viewer.scope)
    if node.level != OrgLevel.UNIT.value or node.unit_number is None:
        return None
    return node


def spell(folio: str) -> list[list[tuple[str, str]]]:
    """The folio's groups, each a list of (character, how it is said on the phone; Crockford
    base32 has no I, L, O or U, so no two sound alike)."""
    groups = []
    for group in folio.split("-"):
        groups.append([(ch, t(f"spell.{ch}")) for ch in group])
    return groups

