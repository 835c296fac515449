"""Demo data: realistic units, kiosks and a few months of responses and cases.

Records go through the real ingest path (:func:`central.services.ingest.ingest`), so the
board, the change feed and the case follow-up see exactly what real kiosks would produce.
Then cases advance through their stages as a module would move them (most quejas closed in
time, a few overdue, some flagged "impacto institucional"), recognitions are moderated and
each unit gets its module staff with their Buen Trato certification.

Nothing here is a real person: names are drawn from common Mexican first names and surnames.
"""

import logging
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from nacl.signing import SigningKey
from sqlalchemy import Engine, select
from sqlmodel import Session

from central.catalogue import load_organisation, publish_bundled_configuration, read_catalogue
from central.db import utcnow
from central.demo_committees import create_demo_committees
from central.models import (
    Case,
    CaseEvent,
    CaseEventType,
    Kiosk,
    OrgLevel,
    OrgNode,
    RecognitionStatus,
    StaffMember,
)
from central.services.changes import publish_case_status, publish_staff
from central.services.ingest import ingest
from trato.domain.deadlines import add_business_days, business_days_between
from trato.domain.enums import CASE_STAGE_ORDER, CaseStage, StaffRole
from trato.domain.folio import make_folio
from trato.protocol import pins
from trato.protocol.sealing import seal_json
from trato.protocol.signing import public_key_b64

log = logging.getLogger(__name__)

DEMO_HOST_PREFIX = "demo-"
DEMO_OOAD = ("CDMXN", "CDMXS", "JAL", "NL", "MEXO", "VERN", "YUC", "AGS", "SON", "OAX")
DEMO_UMAE = ("UMAE-HE-CMNSXXI", "UMAE-HE-CMNR", "UMAE-HE-CMNO", "UMAE-HE25-MTY")
SERVICES = ("consulta_externa", "urgencias", "hospitalizacion", "farmacia", "laboratorio",
            "rayos_x", "asistentes_medicas", "trabajo_social", "limpieza", "vigilancia")
REASONS_BAD = ("espera", "informacion", "trato_personal", "privacidad", "limpieza",
               "medicamentos")
QUEJA_CATEGORIES = ("trato_grosero", "negacion_servicio", "tiempo_espera", "medicamentos",
                    "informacion", "cobro_indebido", "otro")
FIRST = ("María", "José", "Guadalupe", "Juan", "Ana", "Luis", "Rosa", "Jorge", "Patricia",
         "Carlos", "Verónica", "Miguel", "Laura", "Francisco", "Alejandra", "Ricardo",
         "Leticia", "Fernando", "Claudia", "Eduardo", "Gabriela", "Arturo", "Silvia", "Raúl")
LAST = ("Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez",
        "Sánchez", "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Jiménez",
        "Reyes", "Díaz", "Torres", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz")
NARRATIVES = (
    "Llegué a las 7:00 a consulta y me atendieron hasta las 12:30 sin darme información.",
    "En farmacia me dijeron que no había el medicamento y que regresara la otra semana.",
    "La asistente médica me habló de mala manera frente a otros pacientes.",
    "En urgencias esperamos cinco horas con mi mamá de 82 años sin que nadie nos explicara.",
    "No me quisieron dar cita porque llegué diez minutos tarde.",
    "El baño de la sala de espera estaba sucio y sin papel todo el día.",
)
SUGGESTIONS = ("Que pongan más sillas en la sala de espera.",
               "Que avisen por pantalla el turno de farmacia.",
               "Que haya un bebedero en urgencias.")
PRAISE = ("La enfermera del turno vespertino fue muy amable con mi papá.",
          "El doctor me explicó todo con paciencia.",
          "La trabajadora social nos ayudó con el traslado.")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"


def _rating(rng: random.Random, quality: float) -> int | None:
    if rng.random() < 0.04:
        return None  # prefiero no responder
    weights = [(1 - quality) * 0.9, (1 - quality) * 1.1, 0.5 - quality * 0.3, quality * 1.2,
               quality * 1.6]
    return rng.choices([1, 2, 3, 4, 5], weights=weights)[0]


def create_demo_data(engine: Engine, *, days: int = 120, seed: int = 7, scale: float = 1.0,
                     sealing_public_key: str | None = None, users_password: str | None = None,
                     now: datetime | None = None) -> dict[str, int]:
    """Create the demo world (idempotent: does nothing if demo kiosks already exist)."""
    rng = random.Random(seed)  # made-up demo data, reproducible on purpose  # nosec B311
    now = now or utcnow()
    summary: dict[str, int] = {}
    with Session(engine, expire_on_commit=False) as session:
        load_organisation(session, read_catalogue())
        publish_bundled_configuration(session)
        existing = session.execute(
            select(Kiosk).where(Kiosk.hostname.startswith(DEMO_HOST_PREFIX))  # type: ignore[attr-defined]
        ).scalars().first()
        if existing is not None:
            return {"already_present": 1}
        units = _demo_units(session)
        kiosks = _demo_kiosks(session, units, rng)
        summary["units"] = len(units)
        summary["kiosks"] = len(kiosks)
        summary["staff"] = _demo_staff(session, units, rng)
        session.commit()

    quality = {k.unit_id: rng.uniform(0.45, 0.92) for k in kiosks}
    stored = {"survey_response": 0, "case": 0}
    start_day = (now - timedelta(days=days)).date()
    for kiosk in kiosks:
        with Session(engine, expire_on_commit=False) as session:
            unit = session.get(OrgNode, kiosk.unit_id)
            assert unit is not None
            seq = 0
            case_seq = 0
            for offset in range(days):
                day = start_day + timedelta(days=offset)
                weekend = day.weekday() >= 5
                n = max(0, int(rng.gauss(3 if weekend else 9, 3) * scale))
                records: list[dict[str, Any]] = []
                received = datetime.combine(day, time(rng.randint(14, 23), rng.randint(0, 59)),
                                            tzinfo=UTC)
                if received > now:
                    continue
                for _ in range(n):
                    seq += 1
                    rating = _rating(rng, quality[kiosk.unit_id])
                    created = received - timedelta(minutes=rng.randint(1, 400))
                    reasons = (rng.sample(REASONS_BAD, rng.randint(1, 2))
                               if rating is not None and rating <= 3 else [])
                    records.append(_record(seq, created, {
                        "kind": "survey_response", "instrument_id": "trato-general",
                        "instrument_version": 1, "language": "es",
                        "channel": rng.choices(["kiosk", "kiosk_assisted"], [0.8, 0.2])[0],
                        "service_code": rng.choice(SERVICES), "rating": rating,
                        "reasons": reasons, "comment": "",
                        "duration_ms": rng.randint(4000, 60000),
                        "probable_misuse": rng.random() < 0.01,
                    }))
                    if rating is not None and rating <= 2 and rng.random() < 0.12 * scale + 0.05:
                        seq += 1
                        case_seq += 1
                        records.append(_case(rng, seq, case_seq, created, unit, kiosk, "queja",
                                             sealing_public_key))
                if rng.random() < 0.25 * scale:
                    seq += 1
                    case_seq += 1
                    kind = rng.choices(["reconocimiento", "sugerencia", "queja", "orientacion",
                                        "gestion"], [0.35, 0.25, 0.2, 0.1, 0.1])[0]
                    records.append(_case(rng, seq, case_seq, received - timedelta(minutes=30),
                                         unit, kiosk, kind, sealing_public_key))
                if not records:
                    continue
                outcome = ingest(session, kiosk, records, batch_id=uuid.uuid4(),
                                 received_at=received)
                for key in stored:
                    stored[key] += outcome.stored.get(key, 0)
            session.commit()
    summary.update({f"{k}s": v for k, v in stored.items()})

    with Session(engine, expire_on_commit=False) as session:
        summary["cases_moved"] = _advance_cases(session, rng, now)
        session.flush()
        summary["committee_sessions"] = create_demo_committees(session, now)
        _kiosk_health(session, rng, now)
        if users_password:
            summary["users"] = _demo_users(session, users_password)
        summary["recognitions_linked"] = _link_recognitions(session, rng)
        session.commit()
    log.info("demo data: %s", summary)
    return summary


def _record(seq: int, created: datetime, body: dict[str, Any], sealed: str | None = None
            ) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "seq": seq, "created_at": created.isoformat(),
            "body": body, "sealed": sealed}


def _case(rng: random.Random, seq: int, case_seq: int, created: datetime, unit: OrgNode,
          kiosk: Kiosk, case_type: str, sealing_public_key: str | None) -> dict[str, Any]:
    folio = str(make_folio(unit_number=int(unit.unit_number or 0),
                           kiosk_number=kiosk.kiosk_number, sequence=case_seq))
    body: dict[str, Any] = {
        "kind": "case", "folio": folio, "case_type": case_type,
        "channel": rng.choice(["kiosk", "kiosk_assisted", "desk"]), "language": "es",
        "service_code": rng.choice(SERVICES), "privacy_notice_version": "2026-01",
    }
    sealed = None
    if case_type == "queja":
        body["categories"] = rng.sample(QUEJA_CATEGORIES, 1)
        if rng.random() < 0.04:
            body["categories"].append(rng.choice(["acoso", "discriminacion", "violencia"]))
            body["sensitive"] = True
        body["narrative"] = rng.choice(NARRATIVES)
        body["request"] = "Que se revise el caso y se me informe."
        body["has_contact"] = True
        body["consent_given"] = True
        if sealing_public_key:
            sealed = seal_json(sealing_public_key, {
                "name": _name(rng), "nss": "", "phone": f"55{rng.randint(10**7, 10**8 - 1)}"})
    elif case_type == "reconocimiento":
        body["recognised_person"] = _name(rng)
        body["narrative"] = rng.choice(PRAISE)
        body["publish_recognition"] = rng.random() < 0.8
        body["consent_given"] = body["publish_recognition"]
    elif case_type == "sugerencia":
        body["narrative"] = rng.choice(SUGGESTIONS)
    else:
        body["narrative"] = "Solicitó información sobre su trámite."
    return _record(seq, created, body, sealed)


def _demo_units(session: Session) -> list[OrgNode]:
    parents = session.execute(
        select(OrgNode).where(OrgNode.code.in_(DEMO_OOAD + DEMO_UMAE))  # type: ignore[attr-defined]
    ).scalars().all()
    ids = [p.id for p in parents]
    return list(session.execute(
        select(OrgNode).where(OrgNode.level == OrgLevel.UNIT.value,
                              OrgNode.parent_id.in_(ids))  # type: ignore[union-attr]
        .order_by(OrgNode.code)
    ).scalars())


def _demo_kiosks(session: Session, units: list[OrgNode], rng: random.Random) -> list[Kiosk]:
    kiosks = []
    for unit in units:
        modules = session.execute(
            select(OrgNode).where(OrgNode.level == OrgLevel.MODULE.value,
                                  OrgNode.parent_id == unit.id).order_by(OrgNode.code)
        ).scalars().all()
        for number, module in enumerate(modules, start=1):
            kiosk = Kiosk(module_id=module.id, unit_id=unit.id, ooad_id=unit.ooad_id,
                          umae_id=unit.umae_id, kiosk_number=number,
                          signing_public_key=public_key_b64(SigningKey.generate()),
                          hostname=f"{DEMO_HOST_PREFIX}{unit.clues}-{number}",
                          app_version="0.1.0",
                          platform="windows" if number % 2 == 0 else "linux")
            session.add(kiosk)
            kiosks.append(kiosk)
    session.flush()
    return kiosks


#: Every demo agent's kiosk PIN (made-up people; shown by ``./dev run``). Never on a real server.
DEMO_AGENT_PIN = "135790"
#: Employee numbers of the demo agents count up from here.
DEMO_EMPLOYEE_BASE = 10_000_000


def _demo_staff(session: Session, units: list[OrgNode], rng: random.Random) -> int:
    """Each unit's module staff with their certification and a kiosk account: employee
    numbers from :data:`DEMO_EMPLOYEE_BASE`, the PIN :data:`DEMO_AGENT_PIN` (hashed once: the
    same hash for every demo agent), the coordinator an administrator who may read sensitive
    cases."""
    pin_hash = pins.hash_pin(DEMO_AGENT_PIN)
    count = 0
    for unit in units:
        share = rng.uniform(0.3, 1.0)
        for i in range(rng.randint(2, 5)):
            certified = rng.random() < share
            name = _name(rng)  # drawn before the date, as the demo always did
            certified_at = (date(2026, rng.randint(1, 10), rng.randint(1, 28))
                            if certified else None)
            coordinator = i == 0
            count += 1
            session.add(StaffMember(
                unit_id=unit.id, name=name,
                role="coordinador(a)" if coordinator else "técnico(a) de atención",
                certified_buen_trato=certified, certified_at=certified_at,
                certified_until=certified_at + timedelta(days=730) if certified_at else None,
                employee_number=str(DEMO_EMPLOYEE_BASE + count), pin_hash=pin_hash,
                kiosk_role=(StaffRole.ADMIN if coordinator else StaffRole.AGENT).value,
                can_read_sensitive=coordinator))
        session.flush()
        publish_staff(session, unit.id)
    return count


def _advance_cases(session: Session, rng: random.Random, now: datetime) -> int:
    today = now.date()
    moved = 0
    cases = session.execute(select(Case).order_by(Case.received_at)).scalars().all()
    for case in cases:
        age = business_days_between(case.received_at.date(), today)
        if case.case_type == "reconocimiento":
            if case.recognition_status == RecognitionStatus.PENDING.value and age > 3:
                case.recognition_status = (RecognitionStatus.APPROVED.value if rng.random() < 0.85
                                           else RecognitionStatus.REJECTED.value)
                session.add(CaseEvent(case_id=case.id, event_type=
                                      CaseEventType.RECOGNITION_MODERATED.value,
                                      at=case.received_at + timedelta(days=4),
                                      by_name="Comité de Trato Digno", source="system",
                                      note=case.recognition_status))
            target = CaseStage.CERRADO if age > 5 else case.stage
        elif case.case_type == "queja":
            if age >= 50:
                target = CaseStage.CERRADO if rng.random() < 0.9 else CaseStage.DICTAMEN
            else:
                steps = min(len(CASE_STAGE_ORDER) - 1, int(age / 8 + rng.random() * 1.5))
                target = CASE_STAGE_ORDER[steps]
            if rng.random() < 0.04:
                case.impacto_institucional = True
                session.add(CaseEvent(case_id=case.id, event_type=CaseEventType.FLAGGED.value,
                                      at=case.received_at + timedelta(days=1),
                                      by_name="Coordinación OOAD", source="system"))
        else:
            target = CaseStage.CERRADO if age > 10 else CaseStage.INTEGRACION
        target_value = CaseStage(target).value
        if target_value == case.stage and not case.impacto_institucional:
            continue
        start = CASE_STAGE_ORDER.index(CaseStage(case.stage))
        end = CASE_STAGE_ORDER.index(CaseStage(target_value))
        at = case.received_at
        for index in range(start + 1, end + 1):
            business = add_business_days(at.date(), rng.randint(1, 6))
            at = min(datetime.combine(business, time(17, 0), tzinfo=UTC), now)
            session.add(CaseEvent(case_id=case.id, event_type=CaseEventType.STAGE_CHANGED.value,
                                  at=at, stage_from=CASE_STAGE_ORDER[index - 1].value,
                                  stage_to=CASE_STAGE_ORDER[index].value,
                                  by_name=_name(rng), source="web"))
        case.stage = target_value
        case.stage_changed_at = at
        if target_value == CaseStage.CERRADO.value:
            case.closed_at = at
        publish_case_status(session, case)
        moved += 1
    return moved


def _link_recognitions(session: Session, rng: random.Random) -> int:
    """Most reconocimientos name a member of their unit's roster (linked as a moderator does
    on the case page), a few members far more often than the rest."""
    staff: dict[uuid.UUID, list[StaffMember]] = {}
    for member in session.execute(select(StaffMember).where(StaffMember.active)
                                  .order_by(StaffMember.employee_number)).scalars():
        staff.setdefault(member.unit_id, []).append(member)
    linked = 0
    for case in session.execute(select(Case).where(Case.case_type == "reconocimiento")
                                .order_by(Case.received_at)).scalars():
        members = staff.get(case.unit_id)
        if not members or rng.random() < 0.3:
            continue
        member = rng.choices(members, weights=range(len(members) * 2, 0, -2))[0]
        case.recognised_staff_id, case.recognised_person = member.id, member.name
        linked += 1
    return linked


def _kiosk_health(session: Session, rng: random.Random, now: datetime) -> None:
    kiosks = session.execute(
        select(Kiosk).where(Kiosk.hostname.startswith(DEMO_HOST_PREFIX))  # type: ignore[attr-defined]
    ).scalars().all()
    for i, kiosk in enumerate(kiosks):
        kiosk.last_sync_at = now - timedelta(minutes=rng.randint(1, 20))
        kiosk.backlog = 0
        kiosk.clock_offset_seconds = round(rng.gauss(0, 2), 1)
        if i % 11 == 5:  # a kiosk that has not synced for days, with a backlog
            kiosk.last_sync_at = now - timedelta(days=3, hours=rng.randint(1, 12))
            kiosk.backlog = rng.randint(20, 90)
        if i % 13 == 7:  # a kiosk with a wrong clock
            kiosk.clock_offset_seconds = -3600.0 * 24 * 365
            kiosk.app_version = "0.0.9"
        session.add(kiosk)


def _demo_users(session: Session, password: str) -> int:
    from central.services.users import create_or_update_user

    users = [("admin", "admin", None, "Administración"),
             ("nacional", "nacional", None, "Comité Nacional"),
             ("ooad.cdmxn", "ooad", "CDMXN", "Comité OOAD CDMX Norte"),
             ("ooad.jal", "ooad", "JAL", "Comité OOAD Jalisco"),
             ("umae.sxxi", "umae", "UMAE-HE-CMNSXXI", "Comité UMAE Siglo XXI"),
             ("agente.800", "agente", None, "Agente de la línea 800")]
    for username, role, scope, display in users:
        create_or_update_user(session, username, role=role, scope_code=scope,
                              password=password, display_name=display)
    return len(users)
