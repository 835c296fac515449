"""What the staff case pages say about a case: stage names, clocks, refusals, in Mexican
Spanish (usted) through the translation system."""

from PySide6.QtCore import QCoreApplication

from kiosk.services.module_cases import CaseRow
from trato.domain.case_clock import CaseClock
from trato.domain.enums import CaseStage, CaseType


def stage_name(stage: CaseStage) -> str:
    tr = QCoreApplication.translate
    names = {
        CaseStage.RECEPCION: tr("CaseWords", "Recepción"),
        CaseStage.INTEGRACION: tr("CaseWords", "Integración"),
        CaseStage.INVESTIGACION: tr("CaseWords", "Investigación"),
        CaseStage.DICTAMEN: tr("CaseWords", "Dictamen"),
        CaseStage.ACUERDO: tr("CaseWords", "Acuerdo"),
        CaseStage.NOTIFICACION: tr("CaseWords", "Notificación"),
        CaseStage.CERRADO: tr("CaseWords", "Cerrado"),
    }
    return names[CaseStage(stage)]


def type_name(case_type: CaseType | None) -> str:
    tr = QCoreApplication.translate
    if case_type is None:
        return tr("CaseWords", "Reservado")
    names = {
        CaseType.QUEJA: tr("CaseWords", "Queja"),
        CaseType.SUGERENCIA: tr("CaseWords", "Sugerencia"),
        CaseType.RECONOCIMIENTO: tr("CaseWords", "Reconocimiento"),
        CaseType.ORIENTACION: tr("CaseWords", "Orientación"),
        CaseType.GESTION: tr("CaseWords", "Gestión"),
    }
    return names.get(CaseType(case_type), str(case_type))


def _days(n: int) -> str:
    tr = QCoreApplication.translate
    if n == 1:
        return tr("CaseWords", "1 día hábil")
    return tr("CaseWords", "%1 días hábiles").replace("%1", str(n))


def clock_text(clock: CaseClock, stage: CaseStage) -> str:
    tr = QCoreApplication.translate
    if stage is CaseStage.CERRADO:
        return tr("CaseWords", "Cerrado")
    if clock.due is None:
        return tr("CaseWords", "Sin fecha límite")
    due = clock.due.strftime("%d/%m/%Y")
    left = clock.days_left or 0
    if clock.overdue:
        text = tr("CaseWords", "Vencido hace %1 (%2)").replace("%1", _days(max(-left, 0)))
    elif left == 0:
        text = tr("CaseWords", "Vence hoy (%2)")
    elif clock.on_completion:
        text = tr("CaseWords", "Completar información: %1, %2").replace("%1", _days(left))
    else:
        text = tr("CaseWords", "Resolver: %1, %2").replace("%1", _days(left))
    return text.replace("%2", due)


def row_text(row: CaseRow) -> str:
    """One line of the case list: folio, type, stage, clock, initials."""
    parts = [row.display_folio, type_name(row.case_type), stage_name(row.stage),
             clock_text(row.clock, row.stage)]
    if row.initials:
        parts.append(row.initials)
    if row.pending:
        parts.append(QCoreApplication.translate("CaseWords", "por enviar"))
    return " · ".join(parts)


def refusal_text(problem: str, current: CaseStage) -> str:
    """Why a stage change was refused, in plain Spanish."""
    tr = QCoreApplication.translate
    texts = {
        "stage_same": tr("CaseWords", "El caso ya está en la etapa %1."),
        "stage_skips": tr("CaseWords", "No se puede saltar etapas: el caso está en %1 y "
                                       "solo puede pasar a la siguiente."),
        "stage_backwards": tr("CaseWords", "No se puede regresar a una etapa anterior: el "
                                           "caso está en %1."),
        "stage_closed": tr("CaseWords", "El caso está cerrado: solo se puede reabrir."),
        "stage_not_closed": tr("CaseWords", "Solo se puede reabrir un caso cerrado; este "
                                            "está en %1."),
    }
    text = texts.get(problem, tr("CaseWords", "El servidor no aceptó el cambio de etapa."))
    return text.replace("%1", stage_name(current))


def timeline_kind(kind: str) -> str:
    tr = QCoreApplication.translate
    return {
        "filed": tr("CaseWords", "Registrado"),
        "stage": tr("CaseWords", "Etapa"),
        "change": tr("CaseWords", "Cambio de etapa"),
        "reopen": tr("CaseWords", "Reabierto"),
        "note": tr("CaseWords", "Nota"),
    }.get(kind, kind)


def entry_state(state: str) -> str:
    tr = QCoreApplication.translate
    return {
        "pending": tr("CaseWords", "por enviar"),
        "set_aside": tr("CaseWords", "no aceptado por el servidor"),
    }.get(state, "")
