"""The public Muro del Trato Digno of one unit (``/muro/<CLUES>``), for a screen in its waiting
room: no sign-in, large type, a few recognitions at a time.

Only reconocimientos whose filer consented to publication and that a moderator approved (the
board's Muro, :data:`central.models.records.WALL_CASE`) are shown, and of them only the
recognised person or area, the service, the text and the month: never a folio, nor anything of
the person who filed it (their personal data stay sealed and are never read here).

The page turns by itself without any script (the board's CSP allows only its own): a
``<meta http-equiv="refresh">`` sends the screen to the next page every :data:`ROTATE_SECONDS`,
back to the first after the last, so new approvals appear within one round. Requests are
rate-limited per address like the public folio page, in a bucket of their own so a waiting
room's screens never use up the folio look-ups of the people sitting in it.
"""

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from central.models import Case, OrgLevel, OrgNode, StaffMember
from central.web.auth import client_ip
from central.web.display import MX, service_name
from central.web.errors import WebError
from central.web.i18n import t
from central.web.recognised_staff import counts_by_person, wall_where
from central.web.state import render, web_state

router = APIRouter()

#: Recognitions on one screen: few enough to read from the back of the room.
PAGE_SIZE = 3
#: The newest approved recognitions the wall goes round (a dozen pages at most).
MAX_ITEMS = 36
#: Seconds each page stays on screen before the next one (and fresh data) loads.
ROTATE_SECONDS = 20
#: People named with their count of recognitions (the unit's most recognised).
PEOPLE_SHOWN = 5
#: Longest text shown on the screen; the rest is cut at a word.
MAX_TEXT = 180


def _wall_rows(session: Session, unit_id: Any) -> list[Any]:
    return list(session.exec(
        select(Case.recognised_person, Case.service_code, Case.narrative, Case.received_at,
               StaffMember.name.label("staff_name"))
        .outerjoin(StaffMember, StaffMember.id == Case.recognised_staff_id)
        .where(Case.unit_id == unit_id, wall_where())
        .order_by(Case.received_at.desc(), Case.id).limit(MAX_ITEMS)
    ).all())


def _short(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _page_number(raw: str | None, pages: int) -> int:
    try:
        number = int(raw or "1")
    except ValueError:
        number = 1
    return number if 1 <= number <= pages else 1


@router.get("/muro/{clues}", include_in_schema=False)
def public_wall(request: Request, clues: str, pagina: str | None = None) -> Response:
    wait = web_state(request).wall_limiter.hit(client_ip(request))
    if wait is not None:
        raise WebError(429, "folio.limited.title", "folio.limited.text",
                       headers={"Retry-After": str(int(wait))})
    code = clues.strip().upper()[:16]
    with Session(request.app.state.engine) as session:
        unit = session.exec(select(OrgNode).where(
            OrgNode.level == OrgLevel.UNIT.value, OrgNode.clues == code,
            OrgNode.active == sa.true())).first()
        if unit is None:
            raise WebError(404, "muro.unknown.title", "muro.unknown.text")
        rows = _wall_rows(session, unit.id)
        people = counts_by_person(session, Case.unit_id == unit.id, PEOPLE_SHOWN)
        unit_name, unit_clues = unit.name, unit.clues
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = _page_number(pagina, pages)
    shown = rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    items = []
    for r in shown:
        received = r.received_at.astimezone(MX)
        items.append({
            "person": r.staff_name or _short(r.recognised_person, 120) or t("wall.area"),
            "service": service_name(r.service_code) if r.service_code else "",
            "text": _short(r.narrative),
            "month": f"{t(f'month.{received.month}')} {received.year}",
        })
    next_page = page + 1 if page < pages else 1
    response = render(request, "public_wall.html", {
        "unit_name": unit_name, "items": items, "page": page, "pages": pages,
        "total": len(rows), "people": people, "refresh_seconds": ROTATE_SECONDS,
        "refresh_url": f"/muro/{unit_clues}?pagina={next_page}", "section": "",
    })
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
