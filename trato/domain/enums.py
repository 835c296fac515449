"""The IMSS vocabulary as enumerations (see docs/design/domain.md).

Values are the stable wire and database spellings; people never read them directly: the UI and
the board translate them.
"""

from enum import StrEnum


class CaseType(StrEnum):
    """The five request types of the IMSS taxonomy."""

    QUEJA = "queja"
    SUGERENCIA = "sugerencia"
    RECONOCIMIENTO = "reconocimiento"
    ORIENTACION = "orientacion"
    GESTION = "gestion"


#: Types a beneficiary may file alone on the kiosk; staff may register any of the five.
SELF_SERVICE_CASE_TYPES = (CaseType.QUEJA, CaseType.SUGERENCIA, CaseType.RECONOCIMIENTO)


class Channel(StrEnum):
    """How a record was captured."""

    KIOSK = "kiosk"  # the beneficiary alone at the kiosk
    KIOSK_ASSISTED = "kiosk_assisted"  # at the kiosk with an agent present
    DESK = "desk"  # registered by an agent at the module desk
    PHONE = "phone"  # registered by an agent over the phone (the 800 line)
    OTHER = "other"  # registered by an agent from another channel (a letter, an e-mail, ...)


#: Channels on which an agent registers a record on someone's behalf (``registered_by``).
STAFF_CHANNELS = (Channel.DESK, Channel.PHONE, Channel.KIOSK_ASSISTED, Channel.OTHER)


class StaffRole(StrEnum):
    """What a staff account may do on the kiosk (``docs/design/domain.md``, staff)."""

    AGENT = "agente"  # registers and follows the module's cases
    ADMIN = "administrador"  # also the kiosk's settings and leaving kiosk mode


class QuickOutcome(StrEnum):
    """How an orientación or a gestión logged at the desk ended."""

    RESOLVED = "resuelta"  # answered or done at the module
    REFERRED = "canalizada"  # sent to another area or unit
    FOLLOW_UP = "seguimiento"  # the module still has to do something


#: The case types an agent logs in seconds (a topic and an outcome, text optional).
QUICK_CASE_TYPES = (CaseType.ORIENTACION, CaseType.GESTION)


class CaseStage(StrEnum):
    """Stages of a case (Instructivo, Art. 18-19), then closed; a case can be reopened."""

    RECEPCION = "recepcion"
    INTEGRACION = "integracion"
    INVESTIGACION = "investigacion"
    DICTAMEN = "dictamen"
    ACUERDO = "acuerdo"
    NOTIFICACION = "notificacion"
    CERRADO = "cerrado"


CASE_STAGE_ORDER = tuple(CaseStage)


class RecordKind(StrEnum):
    """Kinds of record that travel up from the kiosk through the outbox."""

    SURVEY_RESPONSE = "survey_response"
    CASE = "case"
    CASE_EVENT = "case_event"


class SensitiveCategory(StrEnum):
    """Categories that make a case 'sensible' (restricted reading)."""

    HARASSMENT = "acoso"
    DISCRIMINATION = "discriminacion"
    VIOLENCE = "violencia"


#: Standard face scale: 1 (very bad) .. 5 (very good); None means "prefiero no responder".
RATING_MIN = 1
RATING_MAX = 5
#: Ratings at or below this offer, in one tap, to file a complaint.
VERY_BAD_RATING_MAX = 1
