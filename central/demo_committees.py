"""Demo committee work (part of :func:`central.demo.create_demo_data`): two sessions each of
the committees of Nivel Central, two OOADs and a UMAE, a quarter apart, with the high-impact
quejas of their branch analysed, agreements at every status with their follow-up notes, and
a recommendation of Nivel Central answered by the OOADs. Made-up people and text."""

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from central.db import LOCAL_ZONE
from central.models import Agreement, AgreementNote, Case, CommitteeSession, OrgLevel, OrgNode
from central.services.committees import branch_columns

#: (committee code or None for Nivel Central, attendees)
COMMITTEES = (
    (None, ["Dra. Leticia Morales Ruiz, titular de la Coordinación de Atención al "
            "Derechohabiente", "Lic. Arturo Vázquez Cruz, jefe de área de Trato Digno",
            "Mtra. Silvia Reyes Ortiz, Dirección de Prestaciones Médicas"]),
    ("CDMXN", ["Dr. Fernando Díaz Gómez, titular del OOAD", "Lic. Rosa Jiménez Flores, "
               "jefa de Atención y Orientación", "Enf. Patricia Torres López, enlace de calidad"]),
    ("JAL", ["Dra. Claudia Aguilar Pérez, titular del OOAD", "Lic. Raúl Mendoza Sánchez, "
             "coordinador de Trato Digno"]),
    ("UMAE-HE-CMNSXXI", ["Dr. Eduardo Gutiérrez Ramírez, director general de la UMAE",
                         "Lic. Gabriela Hernández Cruz, jefa de Trato Digno"]),
)
AGREEMENTS = (
    ("Capacitar en el protocolo de Buen Trato al personal de urgencias del turno nocturno",
     "Jefatura de Enseñanza", 30, "en_proceso", "Se capacitó al primer grupo de 24 personas."),
    ("Publicar en la sala de espera el tiempo estimado de atención y actualizarlo cada hora",
     "Coordinación de Atención y Orientación", 15, "cumplido",
     "Pantallas instaladas en las tres salas de espera."),
    ("Revisar con farmacia el abasto de los medicamentos de las quejas analizadas",
     "Jefatura de Farmacia", 20, "pendiente", ""),
    ("Dar a conocer al personal de asistentes médicas las quejas de trato grosero y sus "
     "acciones de mejora", "Jefatura de Asistentes Médicas", 25, "en_proceso",
     "Reunión con los tres turnos; falta el turno de fin de semana."),
    ("Instalar un segundo kiosco de Trato Digno en la sala de espera de consulta externa",
     "Dirección de la unidad", 40, "pendiente", ""),
    ("Verificar que el módulo de Trato Digno abra en el horario publicado",
     "Coordinación de Trato Digno", 10, "cancelado",
     "Se sustituye por el acuerdo de supervisión semanal del OOAD."),
)
RECOMMENDATION = ("Que cada comité revise mensualmente las quejas de trato grosero y registre "
                  "las acciones tomadas con el personal involucrado")


def create_demo_committees(session: Session, now: datetime) -> int:
    """Store the demo sessions (idempotent: nothing when any session exists)."""
    if session.execute(select(CommitteeSession.id)).first() is not None:
        return 0
    today = now.astimezone(LOCAL_ZONE).date()
    nodes = {n.code: n for n in session.execute(select(OrgNode).where(
        OrgNode.level.in_([OrgLevel.NIVEL_CENTRAL.value, OrgLevel.OOAD.value,
                           OrgLevel.UMAE.value]))).scalars()}
    national = next((n for n in nodes.values() if n.level == OrgLevel.NIVEL_CENTRAL.value), None)
    count = 0
    recommendation: Agreement | None = None
    for k, (code, attendees) in enumerate(COMMITTEES):
        node = national if code is None else nodes.get(code)
        if node is None:
            continue
        cases = _flagged(session, node)
        for n, days_ago in enumerate((85, 12)):
            held = today - timedelta(days=days_ago)
            row = CommitteeSession(
                node_id=node.id, held_on=held, attendees="\n".join(attendees),
                minutes=_minutes(len(cases[n * 2:n * 2 + 2])),
                case_ids=[str(c.id) for c in cases[n * 2:n * 2 + 2]],
                created_by=attendees[-1].split(",")[0], created_at=_at(held, 18),
                **branch_columns(node))
            session.add(row)
            session.flush()
            count += 1
            first = (2 * k + 3 * n) % len(AGREEMENTS)
            chosen = (AGREEMENTS + AGREEMENTS)[first:first + 2]
            for i, (text, owner, days, status, note) in enumerate(chosen):
                agreement = Agreement(session_id=row.id, node_id=node.id, text=text, owner=owner,
                                      due_on=held + timedelta(days=days), status=status,
                                      created_at=_at(held, 18), updated_at=_at(held, 18),
                                      **branch_columns(node))
                session.add(agreement)
                session.flush()
                if status != "pendiente":
                    _note(session, agreement, node, status, note, held + timedelta(days=i + 5),
                          attendees[-1], today)
            if code is None and n == 1:
                recommendation = Agreement(session_id=row.id, node_id=node.id,
                                           text=RECOMMENDATION, owner="Comités de OOAD y UMAE",
                                           due_on=held + timedelta(days=45), recommendation=True,
                                           created_at=_at(held, 18), updated_at=_at(held, 18))
                session.add(recommendation)
                session.flush()
    if recommendation is not None:
        answers = (("CDMXN", "cumplido", "Revisión mensual instalada; acta de la primera "
                    "revisión enviada."), ("JAL", "en_proceso", "Se revisaron las quejas de "
                                           "octubre; falta el seguimiento con el personal."))
        for code, status, note in answers:
            if code in nodes:
                _note(session, recommendation, nodes[code], status, note,
                      today - timedelta(days=4), "Comité " + nodes[code].name, today)
    return count


def _flagged(session: Session, node: OrgNode) -> list[Any]:
    where = [Case.impacto_institucional.is_(True), Case.case_type == "queja"]  # type: ignore[attr-defined]
    if node.level == OrgLevel.OOAD.value:
        where.append(Case.ooad_id == node.id)
    elif node.level == OrgLevel.UMAE.value:
        where.append(Case.umae_id == node.id)
    return list(session.execute(select(Case).where(*where)
                                .order_by(Case.received_at).limit(4)).scalars())


def _minutes(cases: int) -> str:
    return ("Se revisaron los indicadores del trimestre: índice de satisfacción, quejas "
            "recibidas y atendidas en plazo, y certificación del personal en Buen Trato.\n"
            + ("Se analizaron las quejas de impacto institucional señaladas y las acciones de "
               "las unidades involucradas.\n" if cases else "")
            + "Se tomaron los acuerdos que siguen.")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=LOCAL_ZONE)


def _note(session: Session, agreement: Agreement, node: OrgNode, status: str, note: str,
          on: date, by: str, today: date) -> None:
    session.add(AgreementNote(agreement_id=agreement.id, node_id=node.id, status=status,
                              note=note, by_name=by.split(",")[0],
                              at=_at(min(on, today), 12)))
