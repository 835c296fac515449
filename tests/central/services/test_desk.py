"""The web desk's folios on PostgreSQL: agents registering at the same moment in a unit whose
desk does not exist yet get one desk, distinct consecutive folios in the server's namespace,
and every case stored through the ingest (deadlines, timeline)."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from central.db import make_engine, write_session
from central.migrations import upgrade_to_head
from central.models import Case, CaseEvent, Kiosk, OrgNode, User
from central.security import hash_password
from central.services.desk import DeskError, register_case
from central.services.desk_form import DeskEntry, check_entry
from tests.support.central import seed_small_org
from trato.domain.enums import CaseType
from trato.domain.folio import SERVER_KIOSK_NUMBER, parse_folio
from trato.protocol.sealing import new_private_key, open_json, public_key_b64

pytestmark = [pytest.mark.postgres]
AGENTS = 6


def test_simultaneous_agents_get_distinct_server_folios(pg_url: str) -> None:
    engine = make_engine(pg_url)
    upgrade_to_head(engine)
    seed_small_org(engine)
    key = new_private_key()
    with Session(engine, expire_on_commit=False) as s:
        unit = s.exec(select(OrgNode).where(OrgNode.clues == "ASIMS000039")).one()
        user = User(username="agente", password_hash=hash_password("x" * 12), role="agente")
        s.add(user)
        s.commit()
    now = datetime.now(UTC)

    def register(n: int, entry_id: str = "") -> Any:
        entry = DeskEntry(case_type=CaseType.QUEJA, channel="phone", unit_id=str(unit.id),
                          filer_name=f"Persona {n}", same_person=True, nss="12345678903",
                          narrative=f"Relato {n}", consent=True, entry_id=entry_id)
        checked = check_entry(entry, now=now, timezone="America/Mexico_City",
                              services=set(), categories=set())
        assert checked.ok, checked.errors
        with write_session(engine) as session:
            done = register_case(session, entry, checked, unit=session.get(OrgNode, unit.id),
                                 user=session.get(User, user.id),
                                 sealing_public_key=public_key_b64(key),
                                 privacy_notice_version="2025-12", now=now,
                                 timezone="America/Mexico_City")
            session.commit()
            return done

    with ThreadPoolExecutor(AGENTS) as pool:
        done = list(pool.map(register, range(AGENTS)))
    folios = [d.folio for d in done]
    assert {f.kiosk_number for f in folios} == {SERVER_KIOSK_NUMBER}
    assert sorted(f.sequence for f in folios) == list(range(1, AGENTS + 1))
    with Session(engine) as s:
        desks = s.exec(select(Kiosk).where(Kiosk.unit_id == unit.id,
                                           Kiosk.kiosk_number == SERVER_KIOSK_NUMBER)).all()
        assert len(desks) == 1 and desks[0].status == "desk"
        cases = s.exec(select(Case).where(Case.kiosk_id == desks[0].id)).all()
        assert sorted(parse_folio(c.folio).sequence for c in cases) == list(
            range(1, AGENTS + 1))
        for case in cases:
            assert case.resolution_due is not None and case.sealed_personal
            assert open_json(key, case.sealed_personal)["nss"] == "12345678903"
        events = s.exec(select(CaseEvent).where(CaseEvent.case_id.in_(  # type: ignore[attr-defined]
            [c.id for c in cases]))).all()
        assert len(events) == AGENTS and {e.source for e in events} == {"web"}
    assert all(isinstance(d.case_id, uuid.UUID) for d in done)
    # One form sent twice at the same moment: one case, the other send refused (the web
    # page then shows the first one's folio).
    same = str(uuid.uuid4())

    def twice(n: int) -> Any:
        try:
            return register(n, same)
        except DeskError:
            return None

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(twice, range(2)))
    assert sum(o is not None for o in outcomes) == 1
    with Session(engine) as s:
        assert s.get(Case, uuid.UUID(same)) is not None
    engine.dispose()
