"""What the case screens say for each type, and the stage of a case in plain words.

Each type asks its own questions with its own words: a sugerencia is not asked where
something "ocurrió", and only a queja's review says "Qué pasó" and "Relato". Tables are
case type -> sentence (or sentences); every text is a literal for ``lupdate``.
"""

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from trato.domain.enums import CaseStage, CaseType

Q, S, R = CaseType.QUEJA, CaseType.SUGERENCIA, CaseType.RECONOCIMIENTO


TYPE_LABELS: dict[CaseType, Callable[[], str]] = {
    Q: lambda: QCoreApplication.translate("CaseWording", "Queja"),
    S: lambda: QCoreApplication.translate("CaseWording", "Sugerencia"),
    R: lambda: QCoreApplication.translate("CaseWording", "Reconocimiento"),
}

#: The service question; a sugerencia may be about no service in particular.
SERVICE_QUESTIONS: dict[CaseType, Callable[[], str]] = {
    Q: lambda: QCoreApplication.translate("CaseWording", "¿En qué servicio ocurrió?"),
    S: lambda: QCoreApplication.translate("CaseWording", "¿Sobre qué servicio es su sugerencia?"),
    R: lambda: QCoreApplication.translate("CaseWording", "¿En qué servicio lo atendieron?"),
}
SERVICE_OPTIONAL = frozenset({S})


def no_service_label() -> str:
    return QCoreApplication.translate("CaseWording", "Ninguno en particular")


CATEGORY_QUESTIONS: dict[CaseType, Callable[[], str]] = {
    Q: lambda: QCoreApplication.translate("CaseWording", "¿Qué pasó?"),
    S: lambda: QCoreApplication.translate("CaseWording", "¿Sobre qué es su sugerencia?"),
    R: lambda: QCoreApplication.translate("CaseWording", "¿Qué quiere reconocer?"),
}

#: (question, hint) of the narrative page; a reconocimiento's is optional.
NARRATIVE_QUESTIONS: dict[CaseType, Callable[[], tuple[str, str]]] = {
    Q: lambda: (QCoreApplication.translate("CaseWording", "Cuéntenos qué pasó"),
                QCoreApplication.translate(
                    "CaseWording",
                    "Cuándo y dónde ocurrió, y quién participó. Escriba con sus palabras.")),
    S: lambda: (QCoreApplication.translate("CaseWording", "Escriba su sugerencia"),
                QCoreApplication.translate("CaseWording", "¿Qué podemos mejorar?")),
    R: lambda: (QCoreApplication.translate("CaseWording", "Cuéntenos qué hizo (opcional)"),
                QCoreApplication.translate("CaseWording", "Puede dejarlo en blanco.")),
}
NARRATIVE_REQUIRED = frozenset({Q, S})

#: (caption of the categories, caption of the narrative) on the review page.
REVIEW_CAPTIONS: dict[CaseType, Callable[[], tuple[str, str]]] = {
    Q: lambda: (QCoreApplication.translate("CaseWording", "Qué pasó"),
                QCoreApplication.translate("CaseWording", "Relato")),
    S: lambda: (QCoreApplication.translate("CaseWording", "Tema"),
                QCoreApplication.translate("CaseWording", "Su sugerencia")),
    R: lambda: (QCoreApplication.translate("CaseWording", "Qué reconoce"),
                QCoreApplication.translate("CaseWording", "Lo que nos cuenta")),
}

#: The hint of "¿Quiere dejar sus datos de contacto?".
CONTACT_HINTS: dict[CaseType, Callable[[], str]] = {
    Q: lambda: QCoreApplication.translate(
        "CaseWording",
        "Sin un teléfono o un correo no podremos darle seguimiento ni avisarle la respuesta "
        "a su queja. Aun así puede presentarla sin datos."),
    S: lambda: QCoreApplication.translate(
        "CaseWording", "Es opcional. Si los deja, solo los usaremos para avisarle."),
    R: lambda: QCoreApplication.translate(
        "CaseWording", "Es opcional. Si los deja, solo los usaremos para avisarle."),
}

#: The consent a type asks on the privacy notice (None: the notice only informs).
STORY_CONSENTS: dict[CaseType, Callable[[], str]] = {
    Q: lambda: QCoreApplication.translate(
        "CaseWording", "Acepto que el IMSS use lo que cuente para atender mi queja"),
}

CONFIRMATION_TITLES: dict[CaseType, Callable[[], str]] = {
    Q: lambda: QCoreApplication.translate("CaseWording", "Su queja quedó registrada"),
    S: lambda: QCoreApplication.translate("CaseWording", "Su sugerencia quedó registrada"),
    R: lambda: QCoreApplication.translate("CaseWording", "Su reconocimiento quedó registrado"),
}

STAGES: dict[CaseStage, Callable[[], str]] = {
    CaseStage.RECEPCION: lambda: QCoreApplication.translate(
        "CaseWording", "Recibida: el módulo de Trato Digno la tiene"),
    CaseStage.INTEGRACION: lambda: QCoreApplication.translate(
        "CaseWording", "En integración: se reúne la información del caso"),
    CaseStage.INVESTIGACION: lambda: QCoreApplication.translate(
        "CaseWording", "En investigación"),
    CaseStage.DICTAMEN: lambda: QCoreApplication.translate(
        "CaseWording", "En dictamen: se decide la respuesta"),
    CaseStage.ACUERDO: lambda: QCoreApplication.translate(
        "CaseWording", "Con acuerdo: ya hay una respuesta"),
    CaseStage.NOTIFICACION: lambda: QCoreApplication.translate(
        "CaseWording", "En notificación: se le avisa la respuesta"),
    CaseStage.CERRADO: lambda: QCoreApplication.translate("CaseWording", "Cerrada"),
}


def type_label(case_type: CaseType | None) -> str:
    return TYPE_LABELS[case_type]() if case_type in TYPE_LABELS else ""


def stage_text(stage: CaseStage) -> str:
    return STAGES[stage]()
