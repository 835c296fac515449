"""The public folio page (the kiosk's QR points here): type, stage and dates only."""

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from central.models import Case
from central.web.auth import client_ip
from central.web.display import MX, display_folio
from central.web.errors import WebError
from central.web.state import render, web_state
from trato.domain.enums import CaseStage
from trato.domain.folio import FolioError, parse_folio

router = APIRouter()


def _not_found() -> WebError:
    return WebError(404, "folio.unknown.title", "folio.unknown.text")


@router.get("/folio/{folio}", include_in_schema=False)
def folio_page(request: Request, folio: str) -> Response:
    wait = web_state(request).folio_limiter.hit(client_ip(request))
    if wait is not None:
        raise WebError(429, "folio.limited.title", "folio.limited.text",
                       headers={"Retry-After": str(int(wait))})
    try:
        compact = parse_folio(folio[:40]).compact
    except FolioError:
        raise _not_found() from None
    with Session(request.app.state.engine) as session:
        case = session.exec(select(Case).where(Case.folio == compact)).first()
        if case is None:
            raise _not_found()
        ctx = {
            "folio": display_folio(case.folio),
            "type": case.case_type,
            "stage": case.stage,
            "closed": case.stage == CaseStage.CERRADO.value,
            "received": case.received_at.astimezone(MX).strftime("%d/%m/%Y"),
            "completion_due": case.completion_due.strftime("%d/%m/%Y")
            if case.completion_due else None,
            "resolution_due": case.resolution_due.strftime("%d/%m/%Y")
            if case.resolution_due else None,
            "updated": case.updated_at.astimezone(MX).strftime("%d/%m/%Y"),
            "section": "",
        }
    response = render(request, "folio.html", ctx)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
