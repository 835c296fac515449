"""Survey instruments (``/instrumentos``): the versions of each instrument the user's branch
sees, a new draft version from an uploaded JSON file or edited in the page, checked against
the published schema (``/esquemas/instrumento-v1.json``) with every problem worded, a preview
of each kiosk screen, and publication to a branch of the hierarchy
(:mod:`central.services.instruments`). Who: administrators and Nivel Central for the whole
institution, an OOAD or UMAE for its branch. A version outside the user's branch is 404."""

import itertools
import json
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlmodel import Session, select
from starlette.datastructures import UploadFile

from central.db import LOCAL_TIMEZONE
from central.models import Instrument, InstrumentStatus, OrgLevel, OrgNode
from central.services.instruments import (
    MAX_DOCUMENT_BYTES,
    InstrumentRefused,
    parse_document,
    publish,
    save_draft,
)
from central.web.auth import CurrentViewer, Viewer, check_csrf
from central.web.errors import not_found
from central.web.i18n import t
from central.web.instrument_preview import screens, services_catalogue
from central.web.instrument_text import describe
from central.web.scope import OutOfScopeError
from central.web.state import render
from trato.protocol.instrument import SCHEMA_PATH, Problem, problems, schema

router = APIRouter()
_LOCAL = ZoneInfo(LOCAL_TIMEZONE)  # dates as the board shows them (Mexico City)

_PUBLISH_LEVELS = (OrgLevel.NIVEL_CENTRAL.value, OrgLevel.OOAD.value, OrgLevel.UMAE.value,
                   OrgLevel.UNIT.value)


def _entitled(viewer: Viewer) -> None:
    if not viewer.may_manage_instruments:
        raise not_found()


def _visible(session: Session, viewer: Viewer, row: Instrument) -> bool:
    if row.scope_node_id is None or viewer.scope.everything:
        return True
    node = session.get(OrgNode, row.scope_node_id)
    return node is not None and viewer.scope.contains_node(node)


def _row(session: Session, viewer: Viewer, instrument_id: str, version: int) -> Instrument:
    row = session.get(Instrument, (instrument_id, version))
    if row is None or not _visible(session, viewer, row):
        raise OutOfScopeError(f"{instrument_id}@{version}")
    return row


@router.get(SCHEMA_PATH, include_in_schema=False)
def instrument_schema() -> Response:
    """The published JSON Schema (public: authors and their editors read it)."""
    return JSONResponse(schema(), media_type="application/schema+json",
                        headers={"Cache-Control": "public, max-age=3600"})


@router.get("/instrumentos", include_in_schema=False)
def instruments_page(request: Request, viewer: CurrentViewer) -> Response:
    _entitled(viewer)
    with Session(request.app.state.engine) as session:
        rows = session.exec(select(Instrument).order_by(
            Instrument.instrument_id, Instrument.version.desc())).all()  # type: ignore[attr-defined]
        names = dict(session.execute(sa.select(OrgNode.id, OrgNode.name).where(
            OrgNode.id.in_({r.scope_node_id for r in rows if r.scope_node_id}))).all())  # type: ignore[union-attr]
        visible = [r for r in rows if _visible(session, viewer, r)]
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in visible:
        groups.setdefault(r.instrument_id, []).append(_summary(r, names))
    for versions in groups.values():
        for newer, older in itertools.pairwise(versions):
            newer["comparable"] = newer["fingerprint"] == older["fingerprint"]
    return render(request, "instruments.html", {
        "section": "instruments", "groups": groups, "schema_path": SCHEMA_PATH})


def _summary(row: Instrument, names: dict[Any, str]) -> dict[str, Any]:
    published = row.status == InstrumentStatus.PUBLISHED.value
    when = row.published_at if published else row.created_at
    scope = t("instruments.whole_institution")
    if row.scope_node_id:
        scope = names.get(row.scope_node_id, scope)
    return {"id": row.instrument_id, "version": row.version, "title": row.title,
            "status": row.status, "fingerprint": row.fingerprint, "by": row.created_by,
            "scope": scope if published else "—",
            "when": when.astimezone(_LOCAL).strftime("%d/%m/%Y %H:%M") if when else "",
            "comparable": None}


def _editor(request: Request, viewer: Viewer, text: str, found: list[Problem] | None = None,
            *, draft: Any = None, checked: bool = False,
            status_code: int = 200) -> Response:
    document = None
    if not found:
        try:
            document = json.loads(text) if text.strip() else None
        except ValueError:
            document = None
    with Session(request.app.state.engine) as session:
        preview = screens(document, services_catalogue(session)) if document else []
    return render(request, "instrument_edit.html", {
        "section": "instruments", "text": text, "problems": [describe(p) for p in found or []],
        "checked": checked, "draft": draft, "preview": preview, "schema_path": SCHEMA_PATH,
        "max_kb": MAX_DOCUMENT_BYTES // 1024}, status_code=status_code)


@router.get("/instrumentos/nuevo", include_in_schema=False)
def new_instrument(request: Request, viewer: CurrentViewer, de: str = "",
                   borrador: str = "") -> Response:
    """The editor, empty or holding a copy of a visible version (``de=id@version``) to
    become the next version; with ``borrador=1`` and a draft, to change that draft."""
    _entitled(viewer)
    text = ""
    draft = None
    if "@" in de:
        iid, _, version = de.rpartition("@")
        with Session(request.app.state.engine) as session:
            if not version.isdigit():
                raise not_found()
            row = _row(session, viewer, iid, int(version))
            text = json.dumps({k: v for k, v in row.definition.items() if k != "version"},
                              ensure_ascii=False, indent=2)
            if borrador and row.status == InstrumentStatus.DRAFT.value:
                draft = row
    return _editor(request, viewer, text, draft=draft)


async def _submitted_text(form: dict[str, Any]) -> str:
    upload = form.get("archivo")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_DOCUMENT_BYTES + 1)
        return data.decode("utf-8", errors="replace")
    return str(form.get("documento", ""))


@router.post("/instrumentos/nuevo", include_in_schema=False)
async def save_instrument(request: Request, viewer: CurrentViewer) -> Response:
    """``accion=revisar``: check and preview only; ``guardar``: keep as the next draft."""
    _entitled(viewer)
    form = await check_csrf(request, viewer)
    text = await _submitted_text(form)
    sent = str(form.get("borrador", ""))
    editing = {"version": int(sent)} if sent.isdigit() else None
    try:
        document = parse_document(text.encode("utf-8"))
    except InstrumentRefused as exc:
        return _editor(request, viewer, text, exc.problems, draft=editing, checked=True,
                       status_code=422)
    if form.get("accion") != "guardar":
        found = problems({**document, "version": document.get("version", 1)})
        return _editor(request, viewer, text, found, draft=editing, checked=True,
                       status_code=422 if found else 200)
    with Session(request.app.state.engine) as session:
        version = _draft_version(session, viewer, document, sent)
        try:
            row = save_draft(session, document, username=viewer.user.username,
                             user_id=viewer.id, version=version)
        except InstrumentRefused as exc:
            return _editor(request, viewer, text, exc.problems, draft=editing, checked=True,
                           status_code=422)
        if version is None:  # a new draft belongs to the writer's branch
            row.scope_node_id = None if viewer.scope.everything else viewer.scope.node_id
        session.commit()
        target = f"/instrumentos/{row.instrument_id}/{row.version}"
    return RedirectResponse(target, status_code=303)


def _draft_version(session: Session, viewer: Viewer, document: dict[str, Any],
                   sent: str) -> int | None:
    """The draft being changed (``borrador`` = its version, same id, still a draft, in the
    user's branch), else None: the document becomes the next version."""
    iid = document.get("id")
    if not sent.isdigit() or not isinstance(iid, str):
        return None
    row = _row(session, viewer, iid, int(sent))
    return row.version if row.status == InstrumentStatus.DRAFT.value else None


def _publish_targets(session: Session, viewer: Viewer) -> list[OrgNode]:
    levels = _PUBLISH_LEVELS if not viewer.scope.everything else _PUBLISH_LEVELS[:3]
    return list(session.exec(select(OrgNode).where(
        viewer.scope.where_node(), OrgNode.level.in_(levels))  # type: ignore[attr-defined]
        .order_by(OrgNode.level, OrgNode.name)).all())


@router.get("/instrumentos/{instrument_id}/{version}", include_in_schema=False)
def instrument_page(request: Request, viewer: CurrentViewer, instrument_id: str, version: int,
                    idioma: str = "", error: str = "") -> Response:
    _entitled(viewer)
    with Session(request.app.state.engine) as session:
        row = _row(session, viewer, instrument_id, version)
        names = {row.scope_node_id: n.name} if row.scope_node_id and (
            n := session.get(OrgNode, row.scope_node_id)) else {}
        languages = sorted(row.definition.get("translations") or {})
        context = {
            "section": "instruments", "row": _summary(row, names), "draft": row.status == "draft",
            "text": json.dumps(row.definition, ensure_ascii=False, indent=2),
            "preview": screens(row.definition, services_catalogue(session),
                               idioma if idioma in languages else None),
            "languages": languages, "language": idioma if idioma in languages else "",
            "targets": [(str(n.id), n.name, n.level) for n in _publish_targets(session, viewer)],
            "problems": [describe(p) for p in problems(row.definition)],
            "publish_error": t(f"instruments.publish_error.{error}") if error in (
                "node", "published") else "",
        }
    return render(request, "instrument.html", context)


@router.post("/instrumentos/{instrument_id}/{version}/publicar", include_in_schema=False)
async def publish_instrument_version(request: Request, viewer: CurrentViewer,
                                     instrument_id: str, version: int) -> Response:
    _entitled(viewer)
    form = await check_csrf(request, viewer)
    here = f"/instrumentos/{instrument_id}/{version}"
    with Session(request.app.state.engine) as session:
        row = _row(session, viewer, instrument_id, version)
        try:
            node_id = uuid.UUID(str(form.get("nodo", "")))
        except ValueError:
            node_id = None
        node = session.get(OrgNode, node_id) if node_id else None
        if node is None or not viewer.scope.contains_node(node) or node.level not in (
                _PUBLISH_LEVELS):
            return RedirectResponse(f"{here}?error=node", status_code=303)
        try:
            publish(session, row, node, username=viewer.user.username, user_id=viewer.id)
        except InstrumentRefused:
            return RedirectResponse(f"{here}?error=published", status_code=303)
        session.commit()
    return RedirectResponse(here, status_code=303)
