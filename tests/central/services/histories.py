"""Histories of what reaches the central server, played through the real ingest and ORM
sessions (the rollup tests): batches of survey responses, cases, kiosk case events and
resends landing at any moment of the last months, and follow-up done on the web."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from hypothesis import strategies as st
from nacl.signing import SigningKey
from sqlmodel import Session, select

from central.db import make_engine
from central.migrations import upgrade_to_head
from central.models import (
    Case,
    CaseEvent,
    ChangeLog,
    IngestedRecord,
    Instrument,
    Kiosk,
    OrgLevel,
    OrgNode,
    SurveyResponse,
)
from central.services.ingest import ingest
from central.services.rollups import ROLLUP_TABLES
from central.web.nodes import BoardNode, root_node
from central.web.scope import Scope
from tests.support.central import case_event_record, case_record, seed_small_org, survey_record
from trato.protocol.signing import public_key_b64

STAGES = ("recepcion", "integracion", "investigacion", "dictamen", "cerrado")
CASE_TYPES = ("queja", "queja", "queja", "sugerencia", "reconocimiento", "orientacion",
              "gestion")
SERVICES = (None, "urgencias", "farmacia")
#: What a history writes, in an order that deleting respects the foreign keys.
RECORD_TABLES = (CaseEvent, ChangeLog, Case, SurveyResponse, IngestedRecord)


def _catalogue() -> dict[str, Any]:
    """The small organisation, with a second module in one unit (a unit's drill-down)."""
    from tests.support.central import small_catalogue

    data = small_catalogue()
    data["units"][0]["modules"].append({"code": "ASIMS000039-M2", "name": "Módulo 2"})
    return data


@dataclass
class World:
    engine: Any
    kiosks: list[Kiosk]
    unit_numbers: dict[uuid.UUID, int]
    nodes: list[OrgNode]


def make_world(url: str) -> World:
    engine = make_engine(url)
    upgrade_to_head(engine)
    seed_small_org(engine, _catalogue())
    with Session(engine, expire_on_commit=False) as s:
        # Responses name versions 1 (bundled) and 2: the server must know both.
        s.add(Instrument(instrument_id="trato-general", version=2, title="v2"))
        modules = s.exec(select(OrgNode).where(OrgNode.level == OrgLevel.MODULE.value)
                         .order_by(OrgNode.code)).all()
        kiosks = [Kiosk(module_id=m.id, unit_id=m.unit_id, ooad_id=m.ooad_id,
                        umae_id=m.umae_id, kiosk_number=n,
                        signing_public_key=public_key_b64(SigningKey.generate()))
                  for n, m in enumerate(modules, start=1)]
        s.add_all(kiosks)
        s.commit()
        nodes = list(s.exec(select(OrgNode)).all())
    numbers = {n.id: int(n.unit_number) for n in nodes if n.unit_number}
    return World(engine, kiosks, numbers, nodes)


def empty(engine: Any) -> None:
    """Remove every record and every rollup row (the organisation and kiosks stay)."""
    with engine.begin() as conn:
        for model in RECORD_TABLES:
            conn.execute(sa.delete(model.__table__))
        for table in ROLLUP_TABLES:
            conn.execute(sa.delete(table))


# ---------------------------------------------------------------------------- what happens


@dataclass
class Survey:
    rating: int | None
    misuse: bool
    service: str | None
    version: int
    skew_days: int  # the kiosk's clock minus the real time


@dataclass
class NewCase:
    case_type: str
    service: str | None


@dataclass
class Event:
    pick: int
    stage: str | None


@dataclass
class Resend:
    pick: int


@dataclass
class Batch:
    kiosk: int
    days_ago: int
    minute: int
    records: list[Any]


@dataclass
class Edit:
    pick: int
    action: str
    shift: int


records = st.one_of(
    st.builds(Survey, st.one_of(st.none(), st.integers(1, 5)), st.booleans(),
              st.sampled_from(SERVICES), st.integers(1, 2), st.integers(-400, 400)),
    st.builds(NewCase, st.sampled_from(CASE_TYPES), st.sampled_from(SERVICES)),
    st.builds(Event, st.integers(0, 10**6), st.one_of(st.none(), st.sampled_from(STAGES))),
    st.builds(Resend, st.integers(0, 10**6)),
)
batches = st.builds(Batch, st.integers(0, 4), st.integers(0, 130), st.integers(0, 1439),
                    st.lists(records, min_size=1, max_size=10))
edits = st.builds(Edit, st.integers(0, 10**6),
                  st.sampled_from(["stage", "reopen", "close", "deadline"]),
                  st.integers(-70, 70))
histories = st.lists(st.one_of(batches, batches, edits), min_size=1, max_size=8)


@dataclass
class Player:
    """Plays a history against the database through the real ingest and ORM sessions."""

    world: World
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    cases: dict[uuid.UUID, list[str]] = field(default_factory=dict)  # unit -> case ids

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def record(self, spec: Any, kiosk: Kiosk, received: datetime) -> dict[str, Any] | None:
        if isinstance(spec, Survey):
            created = received + timedelta(days=spec.skew_days)
            return survey_record(self.next_seq(), rating=spec.rating,
                                 probable_misuse=spec.misuse, service_code=spec.service,
                                 instrument_version=spec.version,
                                 created_at=created.isoformat())
        if isinstance(spec, NewCase):
            return case_record(self.next_seq(), unit_number=self.world.unit_numbers[
                kiosk.unit_id], kiosk_number=kiosk.kiosk_number, case_type=spec.case_type,
                service_code=spec.service)
        known = self.cases.get(kiosk.unit_id, [])
        if isinstance(spec, Event) and known:
            return case_event_record(self.next_seq(), known[spec.pick % len(known)],
                                     stage=spec.stage, event_type="seguimiento")
        if isinstance(spec, Resend) and self.sent:
            return self.sent[spec.pick % len(self.sent)]
        return None

    def batch(self, b: Batch) -> None:
        kiosk = self.world.kiosks[b.kiosk]
        received = self.now - timedelta(days=b.days_ago, minutes=b.minute)
        recs = [r for r in (self.record(spec, kiosk, received) for spec in b.records) if r]
        if not recs:
            return
        with Session(self.world.engine) as s:
            outcome = ingest(s, s.get(Kiosk, kiosk.id), recs, batch_id=uuid.uuid4(),
                             received_at=received)
            s.commit()
        for rec, result in zip(recs, outcome.results, strict=True):
            if result.status.value == "stored":
                self.sent.append(rec)
                if rec["body"]["kind"] == "case":
                    self.cases.setdefault(kiosk.unit_id, []).append(rec["id"])

    def edit(self, e: Edit) -> None:
        every = [c for ids in self.cases.values() for c in ids]
        if not every:
            return
        with Session(self.world.engine) as s:
            case = s.get(Case, uuid.UUID(every[e.pick % len(every)]))
            assert case is not None
            if e.action == "stage":
                case.stage = STAGES[e.pick % len(STAGES)]
            elif e.action == "reopen":
                case.stage = "investigacion"
            elif e.action == "close":
                case.stage = "cerrado"
            else:  # a deadline set by hand, or taken away
                base = case.resolution_due or self.now.date()
                case.resolution_due = None if e.shift == 0 else base + timedelta(days=e.shift)
            s.add(case)
            s.commit()


def views(world: World) -> list[tuple[Scope, BoardNode]]:
    """Every node, seen nationally, and the nodes inside an OOAD and a unit by their users."""
    def node(row: OrgNode) -> BoardNode:
        return BoardNode(str(row.id), row.name, row.level, row)

    by_code = {n.code: n for n in world.nodes}
    views = []
    with Session(world.engine) as s:
        views.append((Scope(None, None), root_node(s, Scope(None, None))))
    views += [(Scope(None, None), node(n)) for n in world.nodes
              if n.level != OrgLevel.NIVEL_CENTRAL.value]
    ags, unit = by_code["AGS"], by_code["ASIMS000039"]
    views += [(Scope("ooad_id", ags.id), node(n)) for n in world.nodes
              if n.id == ags.id or n.ooad_id == ags.id]
    views += [(Scope("unit_id", unit.id), node(n)) for n in world.nodes
              if n.id == unit.id or n.unit_id == unit.id]
    return views
