"""``/campanas``: perception campaigns. The list of the campaigns covering the viewer's
branch; the form an entitled user (admin, nacional; OOAD and UMAE within their branch) fills
to open one (``POST /campanas``: problems shown on the form, nothing stored); each
campaign's results (``/campanas/<id>``, :mod:`central.web.campaign_results`); and, for an
entitled user of the branch it was made in or above it, its change (``/modificar``: whole
before it opens, its end only once open) and its withdrawal with a reason (``/retirar``),
both audited (:mod:`central.services.campaigns`). A user who may see the campaign but not
manage it gets 403; one who may not see it, 404.

The day a campaign is open on is the local day of the server's clock, ``app.state.clock``
(a callable answering an aware datetime; :func:`central.db.utcnow` when unset), so tests and
demos move it; answers recorded by staff are stored at its now, and only while the campaign
is open on that day (:func:`central.services.campaign_entry.entry_closed`: the entry page then
says why instead of offering its form)."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlmodel import Session

from central.db import local_day, server_now, write_session
from central.models import (
    AuditLog,
    Campaign,
    CampaignUnitRollup,
    Instrument,
    OrgLevel,
    OrgNode,
    Role,
)
from central.models.campaigns import WHOLE_RESPONSE
from central.services.campaign_entry import (
    WIRE_CHANNEL,
    EntryForm,
    check_entry,
    entry_closed,
    record_entry,
)
from central.services.campaigns import (
    REASON_MAX,
    CampaignForm,
    CampaignProblems,
    campaign_instruments,
    create_campaign,
    edit_campaign,
    edit_form,
    manageable,
    state_of,
    withdraw_campaign,
)
from central.web.auth import CurrentViewer, Viewer, check_csrf
from central.web.campaign_results import (
    build_results,
    dimensions_of,
    list_campaigns,
    scoped_units,
    visible_campaign,
)
from central.web.display import MX
from central.web.errors import WebError, not_found
from central.web.i18n import t
from central.web.state import render
from trato.domain.campaigns import CampaignChannel

router = APIRouter()

#: Who may open a campaign (within their branch).
CAMPAIGN_ROLES = frozenset({Role.ADMIN.value, Role.NACIONAL.value, Role.OOAD.value,
                            Role.UMAE.value})
#: Who may record answers given at the bedside, the module or by phone (within their branch).
ENTRY_ROLES = CAMPAIGN_ROLES | {Role.UNIDAD.value, Role.AGENTE.value}
AUDIT_CREATE = "create_campaign"
AUDIT_EDIT = "edit_campaign"
AUDIT_WITHDRAW = "withdraw_campaign"
#: The states in which a campaign may still be changed or withdrawn.
MANAGED_STATES = ("scheduled", "open")
_COVER_LEVELS = (OrgLevel.NIVEL_CENTRAL.value, OrgLevel.OOAD.value, OrgLevel.UMAE.value)


def now(request: Request) -> datetime:
    return server_now(request.app.state)


def today(request: Request) -> date:
    return local_day(now(request))


def entry_day(request: Request, moment: datetime | None = None) -> date:
    """The day staff answers are recorded on, in the zone the ingest judges their window in
    (``TD_CENTRAL_TIMEZONE``), so the page never offers what the ingest would refuse."""
    zone = ZoneInfo(request.app.state.settings.timezone)
    return (moment or now(request)).astimezone(zone).date()


def _choices(session: Session, viewer: Viewer) -> dict[str, Any]:
    """What the form offers: instruments, the branches and the units of the viewer's branch."""
    nodes = session.execute(select(OrgNode).where(
        OrgNode.level.in_((*_COVER_LEVELS, OrgLevel.UNIT.value)),  # type: ignore[attr-defined]
        OrgNode.active, viewer.scope.where_node()).order_by(OrgNode.name)).scalars().all()
    return {
        "instruments": [(f"{i.instrument_id}@{i.version}", f"{i.title} (v{i.version})")
                        for i in campaign_instruments(session)],
        "branches": [(str(n.id), n.name) for n in nodes if n.level in _COVER_LEVELS],
        "unit_choices": [(str(n.id), n.name) for n in nodes if n.level == OrgLevel.UNIT.value],
        "channels": [c.value for c in CampaignChannel],
    }


def _page(request: Request, viewer: Viewer, *, form: CampaignForm | None = None,
          problems: dict[str, str] | None = None, status_code: int = 200) -> Response:
    may_create = viewer.role in CAMPAIGN_ROLES
    with Session(request.app.state.engine) as session:
        campaigns = list_campaigns(session, viewer.scope, today(request))
        choices = _choices(session, viewer) if may_create else {}
    return render(request, "campaigns.html", {
        "section": "campaigns", "campaigns": campaigns, "may_create": may_create,
        "form": form or CampaignForm(channels=[CampaignChannel.KIOSK.value]),
        "problems": problems or {}, **choices,
    }, status_code=status_code, headers={"Cache-Control": "no-store"})


@router.get("/campanas", include_in_schema=False)
def campaigns_page(request: Request, viewer: CurrentViewer) -> Response:
    return _page(request, viewer)


@router.post("/campanas", include_in_schema=False)
async def create(request: Request, viewer: CurrentViewer) -> Response:
    await check_csrf(request, viewer)
    if viewer.role not in CAMPAIGN_ROLES:
        raise not_found()
    form = CampaignForm.from_form(await request.form())
    with write_session(request.app.state.engine) as session:
        try:
            campaign = create_campaign(session, viewer.scope, form,
                                       created_by=viewer.user.username)
        except CampaignProblems as exc:
            session.rollback()
            return _page(request, viewer, form=form, problems=exc.problems, status_code=400)
        session.add(AuditLog(user_id=viewer.id, username=viewer.user.username,
                             action=AUDIT_CREATE, target_type="campaign",
                             target_id=str(campaign.id), detail={"name": campaign.name}))
        session.commit()
        target = f"/campanas/{campaign.id}"
    return RedirectResponse(target, status_code=303)


@router.get("/campanas/{campaign_id}", include_in_schema=False)
def results_page(request: Request, viewer: CurrentViewer, campaign_id: str,
                 pagina: int = 1) -> Response:
    with Session(request.app.state.engine) as session:
        campaign = visible_campaign(session, viewer.scope, campaign_id)
        if campaign is None:
            raise not_found()
        results = build_results(session, viewer.scope, campaign, today(request), page=pagina)
        may_manage = viewer.role in CAMPAIGN_ROLES and results.state in MANAGED_STATES \
            and manageable(session, viewer.scope, campaign)
    may_enter = viewer.role in ENTRY_ROLES and results.state == "open" \
        and any(c in WIRE_CHANNEL for c in campaign.channels)
    withdrawn_when = (campaign.withdrawn_at.astimezone(MX).strftime("%d/%m/%Y %H:%M")
                      if campaign.withdrawn_at else "")
    return render(request, "campaign_results.html",
                  {"section": "campaigns", "r": results, "may_enter": may_enter,
                   "may_manage": may_manage, "withdrawn_when": withdrawn_when,
                   "saved": request.query_params.get("guardada") == "1"},
                  headers={"Cache-Control": "no-store"})


# ---------------------------------------------------------------------------- manage


def _managed(session: Session, viewer: Viewer, campaign_id: str, day: date) -> Campaign:
    """The campaign the viewer may change or withdraw now: 404 when they may not see it,
    403 when they may see it but not manage it, 409 once it is closed or withdrawn."""
    campaign = visible_campaign(session, viewer.scope, campaign_id)
    if campaign is None:
        raise not_found()
    if viewer.role not in CAMPAIGN_ROLES or not manageable(session, viewer.scope, campaign):
        raise WebError(403, "error.forbidden.title", "campaign.forbidden")
    if state_of(campaign, day) not in MANAGED_STATES:
        raise WebError(409, "campaign.locked.title", "campaign.error.not_editable")
    return campaign


def _audit(session: Session, viewer: Viewer, action: str, campaign: Campaign,
           detail: dict[str, Any]) -> None:
    session.add(AuditLog(user_id=viewer.id, username=viewer.user.username, action=action,
                         target_type="campaign", target_id=str(campaign.id),
                         detail={"name": campaign.name, **detail}))


def _edit_page(request: Request, viewer: Viewer, campaign_id: str, *,
               form: CampaignForm | None = None, problems: dict[str, str] | None = None,
               status_code: int = 200) -> Response:
    day = today(request)
    with Session(request.app.state.engine) as session:
        campaign = _managed(session, viewer, campaign_id, day)
        units = list(session.execute(scoped_units(viewer.scope, campaign.id)).scalars())
        state = state_of(campaign, day)
        choices = _choices(session, viewer) if state == "scheduled" else {}
        instrument = session.get(Instrument, (campaign.instrument_id,
                                              campaign.instrument_version))
    label = (f"{instrument.title} (v{instrument.version})" if instrument
             else f"{campaign.instrument_id} (v{campaign.instrument_version})")
    return render(request, "campaign_edit.html", {
        "section": "campaigns", "c": campaign, "state": state, "today": day,
        "form": form or edit_form(campaign, units), "problems": problems or {},
        "instrument_label": label, **choices,
    }, status_code=status_code, headers={"Cache-Control": "no-store"})


@router.get("/campanas/{campaign_id}/modificar", include_in_schema=False)
def edit_page(request: Request, viewer: CurrentViewer, campaign_id: str) -> Response:
    return _edit_page(request, viewer, campaign_id)


@router.post("/campanas/{campaign_id}/modificar", include_in_schema=False)
async def edit(request: Request, viewer: CurrentViewer, campaign_id: str) -> Response:
    """Change a campaign that has not opened, or the end of an open one."""
    form = CampaignForm.from_form(await check_csrf(request, viewer))
    day = today(request)
    with write_session(request.app.state.engine) as session:
        campaign = _managed(session, viewer, campaign_id, day)
        try:
            changes = edit_campaign(session, campaign, form, today=day,
                                   now=now(request))
        except CampaignProblems as exc:
            session.rollback()
            return _edit_page(request, viewer, campaign_id, form=form, problems=exc.problems,
                              status_code=400)
        if changes:
            _audit(session, viewer, AUDIT_EDIT, campaign, {"changes": changes})
        session.commit()
    return RedirectResponse(f"/campanas/{campaign_id}", status_code=303)


def _withdraw_page(request: Request, viewer: Viewer, campaign_id: str, *, reason: str = "",
                   problems: dict[str, str] | None = None, status_code: int = 200) -> Response:
    day = today(request)
    with Session(request.app.state.engine) as session:
        campaign = _managed(session, viewer, campaign_id, day)
        r = CampaignUnitRollup.__table__.c
        responses = session.execute(select(func.sum(r.answers)).where(
            r.campaign_id == campaign.id, r.question == WHOLE_RESPONSE,
            r.unit_id.in_(scoped_units(viewer.scope, campaign.id)))).scalar_one()
    return render(request, "campaign_withdraw.html", {
        "section": "campaigns", "c": campaign, "state": state_of(campaign, day),
        "reason": reason, "problems": problems or {}, "reason_max": REASON_MAX,
        "responses": int(responses or 0),
    }, status_code=status_code, headers={"Cache-Control": "no-store"})


@router.get("/campanas/{campaign_id}/retirar", include_in_schema=False)
def withdraw_page(request: Request, viewer: CurrentViewer, campaign_id: str) -> Response:
    return _withdraw_page(request, viewer, campaign_id)


@router.post("/campanas/{campaign_id}/retirar", include_in_schema=False)
async def withdraw(request: Request, viewer: CurrentViewer, campaign_id: str) -> Response:
    """Withdraw a scheduled or open campaign, with a reason (kiosks receive it switched off;
    its responses are kept)."""
    form = await check_csrf(request, viewer)
    reason = str(form.get("motivo", ""))[:REASON_MAX * 2]
    day = today(request)
    with write_session(request.app.state.engine) as session:
        campaign = _managed(session, viewer, campaign_id, day)
        try:
            withdraw_campaign(session, campaign, reason=reason, by=viewer.display_name,
                              today=day, now=now(request))
        except CampaignProblems as exc:
            session.rollback()
            return _withdraw_page(request, viewer, campaign_id, reason=reason[:REASON_MAX],
                                  problems=exc.problems, status_code=400)
        _audit(session, viewer, AUDIT_WITHDRAW, campaign,
               {"reason": campaign.withdrawn_reason})
        session.commit()
    return RedirectResponse(f"/campanas/{campaign_id}", status_code=303)


def _entry_page(request: Request, viewer: Viewer, campaign_id: str, *,
                form: EntryForm | None = None, problems: dict[str, str] | None = None,
                status_code: int = 200, posted: bool = False) -> Response:
    """The entry form; while the campaign is not open, only why (409; 400 for a POST)."""
    with Session(request.app.state.engine) as session:
        campaign, dims, units = _entry_context(session, viewer, campaign_id)
        questions = _questions(session, campaign)
    closed = entry_closed(campaign, entry_day(request))
    if closed is not None:
        status_code = 400 if posted else 409
    channels = [c for c in campaign.channels if c in WIRE_CHANNEL]
    return render(request, "campaign_entry.html", {
        "section": "campaigns", "c": campaign, "questions": questions, "units": units,
        "channels": channels, "form": form or EntryForm(channel=channels[0]),
        "problems": problems or {}, "dims": dims, "posted": posted,
        "closed_notice": t(closed[0], **closed[1]) if closed else "",
    }, status_code=status_code, headers={"Cache-Control": "no-store"})


def _entry_context(session: Session, viewer: Viewer, campaign_id: str) -> Any:
    campaign = visible_campaign(session, viewer.scope, campaign_id)
    if campaign is None or viewer.role not in ENTRY_ROLES \
            or not any(c in WIRE_CHANNEL for c in campaign.channels):
        raise not_found()
    ids = list(session.execute(scoped_units(viewer.scope, campaign.id)).scalars())
    units = {str(u.id): u for u in session.execute(
        select(OrgNode).where(OrgNode.id.in_(ids)).order_by(OrgNode.name)).scalars()}  # type: ignore[attr-defined]
    return campaign, dimensions_of(session, campaign), units


def _questions(session: Session, campaign: Any) -> list[dict[str, Any]]:
    row = session.get(Instrument, (campaign.instrument_id, campaign.instrument_version))
    return list(row.definition.get("questions", [])) if row else []


@router.get("/campanas/{campaign_id}/capturar", include_in_schema=False)
def entry_page(request: Request, viewer: CurrentViewer, campaign_id: str) -> Response:
    return _entry_page(request, viewer, campaign_id)


@router.post("/campanas/{campaign_id}/capturar", include_in_schema=False)
async def record(request: Request, viewer: CurrentViewer, campaign_id: str) -> Response:
    """One person's answers, asked at the bedside, the module or by phone, while the campaign
    is open (otherwise the page says why and nothing is stored)."""
    form_data = await check_csrf(request, viewer)
    moment = now(request)
    with write_session(request.app.state.engine) as session:
        campaign, dims, units = _entry_context(session, viewer, campaign_id)
        codes = [code for code, _ in dims]
        form = EntryForm.from_form(form_data, codes)
        closed = entry_closed(campaign, entry_day(request, moment))
        answers, problems = check_entry(campaign, codes, units, form)
        if not problems and closed is None:
            settings = request.app.state.settings
            record_entry(session, campaign, units[form.unit], form.channel, answers,
                         user=viewer.user, now=moment, timezone=settings.timezone)
            session.commit()
    if problems or closed is not None:
        return _entry_page(request, viewer, campaign_id, form=form, problems=problems,
                           status_code=400, posted=True)
    return RedirectResponse(f"/campanas/{campaign_id}?guardada=1", status_code=303)
