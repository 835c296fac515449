"""``/campanas``: perception campaigns. The list of the campaigns covering the viewer's
branch; the form an entitled user (admin, nacional; OOAD and UMAE within their branch) fills
to open one (``POST /campanas``: problems shown on the form, nothing stored); and each
campaign's results (``/campanas/<id>``, :mod:`central.web.campaign_results`).

The day a campaign is open on is the local day of the server's clock, ``app.state.clock``
(a callable answering an aware datetime; :func:`central.db.utcnow` when unset), so tests and
demos move it."""

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlmodel import Session

from central.db import local_day, utcnow, write_session
from central.models import AuditLog, OrgLevel, OrgNode, Role
from central.services.campaigns import (
    CampaignForm,
    CampaignProblems,
    campaign_instruments,
    create_campaign,
)
from central.web.auth import CurrentViewer, Viewer, check_csrf
from central.web.campaign_results import build_results, list_campaigns, visible_campaign
from central.web.errors import not_found
from central.web.state import render
from trato.domain.campaigns import CampaignChannel

router = APIRouter()

#: Who may open a campaign (within their branch).
CAMPAIGN_ROLES = frozenset({Role.ADMIN.value, Role.NACIONAL.value, Role.OOAD.value,
                            Role.UMAE.value})
AUDIT_CREATE = "create_campaign"
_COVER_LEVELS = (OrgLevel.NIVEL_CENTRAL.value, OrgLevel.OOAD.value, OrgLevel.UMAE.value)


def today(request: Request) -> date:
    clock = getattr(request.app.state, "clock", None) or utcnow
    return local_day(clock())


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
def results_page(request: Request, viewer: CurrentViewer, campaign_id: str) -> Response:
    with Session(request.app.state.engine) as session:
        campaign = visible_campaign(session, viewer.scope, campaign_id)
        if campaign is None:
            raise not_found()
        results = build_results(session, viewer.scope, campaign, today(request))
    return render(request, "campaign_results.html",
                  {"section": "campaigns", "r": results},
                  headers={"Cache-Control": "no-store"})
