"""The kiosk window: one session at a time, one question per screen.

:class:`KioskWindow` holds the page stack, the top bar (step indicator, larger text, high
contrast, the staff logo), the shared on-screen keyboard, "Atrás", the idle panel and the
staff banner. It is the only place that calls the services; pages only emit signals.

Signals: ``page_changed(str)`` with the name of the page now shown; ``session_ended()``
after a session was wiped and the attract screen is back; ``record_saved()`` after a service
committed a survey response or a case (the sync bridge listens).
"""

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from PySide6 import QtCore
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import theme as themes
from kiosk.ui.assets import AssetLibrary
from kiosk.ui.base import NO_FOCUS, AttractPage, LazyModule, Page, big_button, label, set_role
from kiosk.ui.i18n import DEFAULT_LANGUAGE, Translations
from kiosk.ui.idle import IdleMonitor, MonotonicClock
from kiosk.ui.metrics import Metrics
from trato.domain.enums import VERY_BAD_RATING_MAX, CaseType, Channel

# The attract screen needs none of these: they load on first use, or right after the first
# paint (``kiosk.app.load_after_first_paint``), so it appears sooner.
if TYPE_CHECKING:
    from uuid import UUID

    from kiosk.services.drafts import CaseDraft, SavedCase, SavedSurvey, SurveyDraft
    from kiosk.ui import pages, widgets
    from kiosk.ui.keyboard import OnScreenKeyboard
    from trato.domain import validators
else:
    validators = LazyModule("trato.domain.validators")
    pages = LazyModule("kiosk.ui.pages")
    widgets = LazyModule("kiosk.ui.widgets")

log = logging.getLogger(__name__)

NARRATIVE_MAX = 4000
#: Wrong staff PINs in a row before PIN entry waits; the wait doubles with each further miss.
PIN_MAX_FAILURES = 5
PIN_LOCKOUT_S = 300
PIN_LOCKOUT_MAX_S = 3600
REQUEST_MAX = 1000


class SurveySubmitter(Protocol):
    def submit(self, draft: "SurveyDraft") -> "SavedSurvey": ...


class CaseSubmitter(Protocol):
    def submit(self, draft: "CaseDraft") -> "SavedCase": ...


@dataclass(frozen=True)
class UiConfig:
    """What the screens need from the settings (built by the composition root)."""

    idle_seconds: float = 90
    idle_countdown_seconds: float = 30
    done_seconds: float = 40
    privacy_notice_url: str = "https://www.imss.gob.mx/privacidad"
    privacy_notice_version: str = "2025-12"
    channel: Channel = Channel.KIOSK
    confirm_ms: int = 350
    kiosk_mode: bool = True
    staff_taps: int = 5
    staff_tap_window_s: float = 3.0
    instrument_id: str = "trato-general"


@dataclass
class SurveyState:
    started_at: float = 0.0
    rating: int | None = None
    answered: bool = False
    reasons: tuple[str, ...] = ()
    service_code: str | None = None
    comment: str = ""
    saved: "SavedSurvey | None" = None


@dataclass
class CaseState:
    case_type: CaseType | None = None
    service_code: str | None = None
    categories: tuple[str, ...] = ()
    narrative: str = ""
    staff_involved: str = ""
    request: str = ""
    recognised_person: str = ""
    publish: bool = False
    wants_contact: bool = False
    consent: bool = False
    personal: dict[str, str] = field(default_factory=dict)
    from_survey_id: "UUID | None" = None


@dataclass
class Session:
    language: str = DEFAULT_LANGUAGE
    flow: str | None = None
    survey: SurveyState = field(default_factory=SurveyState)
    case: CaseState = field(default_factory=CaseState)


class _NoticeRelay(QObject):
    """Hops service notices (any thread) to the GUI thread."""

    received = Signal(str, str)


class KioskWindow(QWidget):
    page_changed = Signal(str)
    session_ended = Signal()
    record_saved = Signal()

    def __init__(
        self,
        *,
        assets: AssetLibrary,
        survey_service: SurveySubmitter,
        case_service: CaseSubmitter,
        clock: MonotonicClock,
        config: UiConfig | None = None,
        metrics: Metrics | None = None,
        verify_pin: Callable[[str], bool] | None = None,
        translations: Translations | None = None,
        languages: list[tuple[str, str]] | None = None,
        notifier: Any = None,
        sync_bridge: Any = None,
    ) -> None:
        super().__init__()
        self.setObjectName("KioskWindow")
        self.setWindowTitle("Trato Digno")
        self.assets = assets
        self.survey_service = survey_service
        self.case_service = case_service
        self.clock = clock
        self.config = config or UiConfig()
        self.metrics = metrics or Metrics.for_screen()
        self.verify_pin = verify_pin or (lambda _pin: False)
        self.translations = translations
        self.languages = languages or [(DEFAULT_LANGUAGE, "Español")]
        self.sync_bridge = sync_bridge
        self.instrument = assets.instrument(self.config.instrument_id)
        self.session = Session()
        self.theme = themes.NORMAL
        self.large_text = False
        self._styles: dict[tuple[str, bool], str] = {}
        self._pages: dict[str, Page] = {}
        self._history: list[str] = []
        self._current = ""
        self._submitting = False
        self._staff_taps: list[float] = []
        self._pin_failures = 0
        self._pin_locked_until = 0.0
        self._allow_close = not self.config.kiosk_mode
        self._unsubscribe: Callable[[], None] | None = None
        self._torn_down = False

        self._build_frame()
        self.idle = IdleMonitor(
            clock,
            idle_seconds=self.config.idle_seconds,
            countdown_seconds=self.config.idle_countdown_seconds,
            parent=self,
        )
        self.idle.warn.connect(self._idle_warn)
        self.idle.tick.connect(lambda left: self.idle_panel.set_remaining(left))
        self.idle.expired.connect(self.end_session)  # it watches the app while it runs
        self._relay = _NoticeRelay(self)
        self._relay.received.connect(self._on_notice)
        if notifier is not None:
            self.attach_notifier(notifier)
        if self.translations is not None:
            self.translations.set_language(DEFAULT_LANGUAGE)
        self.apply_theme()
        self.go("attract", push=False)

    # ------------------------------------------------------------------ frame
    def _build_frame(self) -> None:
        m = self.metrics
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        self.banner = QFrame()
        set_role(self.banner, "banner")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(m.mm(4), m.mm(2), m.mm(4), m.mm(2))
        self.banner_label = label("")
        banner_layout.addWidget(self.banner_label, 1)
        self.banner.hide()
        outer.addWidget(self.banner)

        self.top_bar = QFrame()
        self.top_bar.setObjectName("TopBar")
        top = QHBoxLayout(self.top_bar)
        top.setContentsMargins(m.mm(4), m.mm(2), m.mm(2), m.mm(2))
        top.setSpacing(m.mm(3))
        # "Atrás" lives top left, beside the step indicator: the bottom of the screen is
        # kept for the answers and the on-screen keyboard.
        self.back_button = big_button("", m, "bar")
        self.back_button.setMinimumHeight(m.mm(15))
        self.back_button.setMinimumWidth(m.mm(45))
        self.back_button.setMaximumWidth(m.mm(80))
        self.back_button.clicked.connect(self.back)
        top.addWidget(self.back_button)
        self.brand = label("", wrap=False)
        top.addWidget(self.brand)
        self.step_label = label("", "steps", wrap=False)
        top.addWidget(self.step_label)
        top.addStretch(1)
        self.large_text_button = big_button("", m, "bar", checkable=True)
        self.large_text_button.setMinimumHeight(m.mm(15))
        self.large_text_button.setSizePolicy(
            self.large_text_button.sizePolicy().horizontalPolicy().Preferred,
            self.large_text_button.sizePolicy().verticalPolicy(),
        )
        self.large_text_button.toggled.connect(self.set_large_text)
        top.addWidget(self.large_text_button)
        self.contrast_button = big_button("", m, "bar", checkable=True)
        self.contrast_button.setMinimumHeight(m.mm(15))
        self.contrast_button.setSizePolicy(self.large_text_button.sizePolicy())
        self.contrast_button.toggled.connect(self.set_high_contrast)
        top.addWidget(self.contrast_button)
        self.logo = QPushButton("IMSS")
        set_role(self.logo, "logo")
        self.logo.setProperty("focusPolicy", NO_FOCUS)  # no Qt enums before the first paint
        self.logo.setFixedSize(m.mm(30), m.mm(15))
        self.logo.clicked.connect(self._logo_tapped)
        top.addWidget(self.logo)
        outer.addWidget(self.top_bar)

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)

        # The keyboard and the idle panel are built on first use (faster first paint).
        self._outer = outer
        self._keyboard: OnScreenKeyboard | None = None
        self._idle_panel: pages.IdlePanel | None = None

        QApplication.instance().focusChanged.connect(self._focus_changed)  # type: ignore[union-attr]
        self._retranslate_frame()

    @property
    def keyboard(self) -> "OnScreenKeyboard":
        """The on-screen keyboard between the page and "Atrás" (built on first use)."""
        if self._keyboard is None:
            from kiosk.ui.keyboard import OnScreenKeyboard  # not needed for the first paint

            self._keyboard = OnScreenKeyboard(self.metrics)
            self._keyboard.hide()
            self._outer.addWidget(self._keyboard)
        return self._keyboard

    @property
    def idle_panel(self) -> "pages.IdlePanel":
        """The "¿Sigue ahí?" panel over the whole window (built on first use)."""
        if self._idle_panel is None:
            self._idle_panel = pages.IdlePanel(self.metrics, self)
            self._idle_panel.resumed.connect(self._idle_resume)
            self._idle_panel.setGeometry(self.rect())
        return self._idle_panel

    def _retranslate_frame(self) -> None:
        self.brand.setText(self.tr("Trato Digno"))
        self.large_text_button.setText(self.tr("A+ Texto grande"))
        self.contrast_button.setText(self.tr("◐ Alto contraste"))
        self.back_button.setText(self.tr("‹ Atrás"))

    # ------------------------------------------------------------------ pages
    def page(self, name: str) -> Page:
        """The page called ``name``, built on first use."""
        page = self._pages.get(name)
        if page is None:
            page = self._build_page(name)
            self._pages[name] = page
            self.stack.addWidget(page)
            if not isinstance(page, AttractPage):  # no text field there (nor widgets loaded)
                for text_field in page.findChildren(widgets.TextField):
                    text_field.activated.connect(self._attach_keyboard)
        return page

    def built_pages(self) -> dict[str, Page]:
        return dict(self._pages)

    # ------------------------------------------------------------------ late wiring
    def set_services(self, survey_service: SurveySubmitter, case_service: CaseSubmitter) -> None:
        """Attach the services (the composition root may open the store after the first
        paint, so the attract screen appears without waiting for it)."""
        self.survey_service = survey_service
        self.case_service = case_service

    def configure(
        self, config: UiConfig, *, verify_pin: Callable[[str], bool] | None = None
    ) -> None:
        """Apply settings read after the window was built; takes effect at once."""
        self.config = config
        if verify_pin is not None:
            self.verify_pin = verify_pin
        self._allow_close = not config.kiosk_mode
        self.idle.base_idle_seconds = config.idle_seconds
        self.idle.countdown_seconds = config.idle_countdown_seconds
        if not self.idle.direct:
            self.idle.idle_seconds = config.idle_seconds
        privacy = self._pages.get("case_privacy")
        if privacy is not None and isinstance(privacy, pages.PrivacyPage):
            privacy.qr.set_data(config.privacy_notice_url)

    def attach_notifier(self, notifier: Any) -> None:
        """Show service notices (any thread) as the staff banner."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._unsubscribe = notifier.subscribe(
            lambda n: self._relay.received.emit(str(n.level), n.code)
        )

    def set_sync_bridge(self, bridge: Any) -> None:
        self.sync_bridge = bridge
        self.refresh_sync_status()

    def _build_page(self, name: str) -> Page:
        m = self.metrics
        ms = self.config.confirm_ms
        if name == "attract":
            attract = AttractPage(m)
            attract.started.connect(self.start_session)
            return attract
        if name == "language":
            page = pages.SingleChoicePage(
                m, self.tr("Elija su idioma"), self.languages, confirm_ms=ms, columns=2
            )
            page.chosen.connect(self._language_chosen)
            return page
        if name == "menu":
            page = pages.SingleChoicePage(
                m,
                self.tr("¿Qué desea hacer?"),
                [
                    ("survey", self.tr("☺  Calificar la atención que recibí")),
                    ("case", self.tr("✎  Presentar una queja, sugerencia o reconocimiento")),
                    ("folio", self.tr("🔍  Consultar un folio")),
                ],
                confirm_ms=ms,
                button_mm=32,
            )
            page.chosen.connect(self._menu_chosen)
            return page
        if name == "folio_info":
            info = pages.InfoPage(
                m,
                self.tr("Consultar un folio"),
                self.tr(
                    "Para conocer el avance de su solicitud, escanee con su teléfono el código "
                    "QR de su comprobante, o pregunte en el módulo de Trato Digno con su número "
                    "de folio."
                ),
                self.tr("Terminar"),
            )
            info.finished.connect(self.end_session)
            return info
        if name == "survey_rating":
            rating = pages.RatingPage(m, self.instrument, confirm_ms=ms)
            rating.rated.connect(self._rated)
            return rating
        if name == "survey_reasons":
            reasons = pages.MultiChoicePage(m, self.tr("Continuar"), allow_empty=True)
            reasons.done.connect(self._reasons_done)
            return reasons
        if name in ("survey_service", "case_service"):
            question = (
                self.instrument.service_question
                if name == "survey_service"
                else self.tr("¿En qué servicio ocurrió?")
            )
            services = [(s.code, s.label) for s in self.assets.services]
            page = pages.SingleChoicePage(m, question, services, columns=2, confirm_ms=ms)
            page.chosen.connect(lambda code, n=name: self._service_chosen(n, code))
            return page
        if name == "survey_comment":
            comment = pages.TextPage(
                m,
                self.instrument.comment_question,
                hint=self.tr("Es opcional. Puede dejarlo en blanco y tocar «Enviar»."),
                max_length=self.instrument.comment_max,
                continue_text=self.tr("Enviar"),
            )
            comment.done.connect(self.submit_survey)
            return comment
        if name == "survey_thanks":
            thanks = pages.SurveyThanksPage(m)
            thanks.finished.connect(self.end_session)
            thanks.complaint_requested.connect(self.survey_to_complaint)
            return thanks
        if name == "case_type":
            page = pages.SingleChoicePage(
                m,
                self.tr("¿Qué desea presentar?"),
                [
                    (CaseType.QUEJA.value, self.tr("Una queja: algo salió mal")),
                    (CaseType.SUGERENCIA.value, self.tr("Una sugerencia: una idea para mejorar")),
                    (
                        CaseType.RECONOCIMIENTO.value,
                        self.tr("Un reconocimiento: alguien me atendió muy bien"),
                    ),
                ],
                confirm_ms=ms,
                button_mm=32,
            )
            page.chosen.connect(self._type_chosen)
            return page
        if name == "case_category":
            cats = pages.MultiChoicePage(m, self.tr("Continuar"), allow_empty=False)
            cats.done.connect(self._categories_done)
            return cats
        if name == "case_narrative":
            narrative = pages.TextPage(
                m,
                "",
                hint="",
                max_length=NARRATIVE_MAX,
                continue_text=self.tr("Continuar"),
            )
            narrative.done.connect(lambda text: self._text_done("narrative", text))
            return narrative
        if name == "case_staff":
            staff = pages.TextPage(
                m,
                self.tr("¿Quién lo atendió? (opcional)"),
                hint=self.tr("Nombre, puesto o cómo lo reconoce. Puede dejarlo en blanco."),
                max_length=validators.SHORT_TEXT_MAX,
                multiline=False,
                continue_text=self.tr("Continuar"),
            )
            staff.done.connect(lambda text: self._text_done("staff_involved", text))
            return staff
        if name == "case_request":
            request = pages.TextPage(
                m,
                self.tr("¿Qué le gustaría que hiciera el IMSS?"),
                hint=self.tr(
                    "Por ejemplo: que me den mi cita, una disculpa, que se revise el caso."
                ),
                max_length=REQUEST_MAX,
                continue_text=self.tr("Continuar"),
            )
            request.done.connect(lambda text: self._text_done("request", text))
            return request
        if name == "case_recognised":
            who = pages.TextPage(
                m,
                self.tr("¿A quién quiere reconocer?"),
                hint=self.tr("Escriba el nombre de la persona o del área."),
                max_length=validators.SHORT_TEXT_MAX,
                multiline=False,
                required=True,
                continue_text=self.tr("Continuar"),
            )
            who.done.connect(lambda text: self._text_done("recognised_person", text))
            return who
        if name == "case_publish":
            page = pages.SingleChoicePage(
                m,
                self.tr("¿Podemos publicar su reconocimiento en el Muro del Trato Digno?"),
                [
                    ("yes", self.tr("Sí, pueden publicarlo")),
                    ("no", self.tr("No, prefiero que no se publique")),
                ],
                hint=self.tr("Se publica sin sus datos personales y después de revisarlo."),
                confirm_ms=ms,
            )
            page.chosen.connect(self._publish_chosen)
            return page
        if name == "case_contact_choice":
            page = pages.SingleChoicePage(
                m,
                self.tr("¿Quiere dejar sus datos de contacto?"),
                [
                    ("yes", self.tr("Sí, dejar mis datos")),
                    ("no", self.tr("No, continuar sin datos")),
                ],
                confirm_ms=ms,
            )
            page.chosen.connect(self._contact_chosen)
            return page
        if name == "case_privacy":
            privacy = pages.PrivacyPage(m, self.config.privacy_notice_url)
            privacy.accepted.connect(self._consented)
            return privacy
        if name == "case_identity":
            identity = pages.FormPage(
                m,
                self.tr("Sus datos"),
                self.tr("Todos son opcionales. Llene solo los que quiera."),
                [
                    (
                        "filer_name",
                        self.tr("Nombre"),
                        widgets.TextField(m, max_length=validators.SHORT_TEXT_MAX),
                    ),
                    (
                        "nss",
                        self.tr("NSS"),
                        widgets.TextField(
                            m,
                            max_length=20,
                            validator=validators.validate_nss,
                            keyboard_layer="numeric",
                        ),
                    ),
                    (
                        "curp",
                        self.tr("CURP"),
                        widgets.TextField(m, max_length=24, validator=validators.validate_curp),
                    ),
                ],
                self.tr("Continuar"),
            )
            identity.done.connect(self._identity_done)
            return identity
        if name == "case_contact":
            contact = pages.FormPage(
                m,
                self.tr("¿Cómo podemos contactarle?"),
                self.tr("Déjenos al menos un teléfono o un correo para avisarle la respuesta."),
                [
                    (
                        "phone",
                        self.tr("Teléfono"),
                        widgets.TextField(
                            m,
                            max_length=16,
                            validator=validators.validate_phone,
                            keyboard_layer="numeric",
                        ),
                    ),
                    (
                        "email",
                        self.tr("Correo"),
                        widgets.TextField(m, max_length=254, validator=validators.validate_email),
                    ),
                    (
                        "postal_code",
                        self.tr("Código postal"),
                        widgets.TextField(
                            m,
                            max_length=8,
                            validator=validators.validate_postal_code,
                            keyboard_layer="numeric",
                        ),
                    ),
                ],
                self.tr("Continuar"),
            )
            contact.done.connect(self._contact_done)
            return contact
        if name == "case_review":
            review = pages.ReviewPage(
                m, self.tr("Revise su solicitud antes de enviarla"), self.tr("Enviar")
            )
            review.submit_requested.connect(self.submit_case)
            return review
        if name == "case_done":
            done = pages.ConfirmationPage(m)
            done.finished.connect(self.end_session)
            return done
        if name == "pin":
            pin = pages.PinPage(m)
            pin.pin_entered.connect(self._pin_entered)
            return pin
        if name == "staff":
            staff_page = pages.StaffPage(m)
            staff_page.exit.connect(self.end_session)
            staff_page.sync_requested.connect(self._staff_sync_now)
            staff_page.retry_requested.connect(self._staff_retry_set_aside)
            return staff_page
        raise KeyError(name)

    # ------------------------------------------------------------------ navigation
    @property
    def current(self) -> str:
        return self._current

    def current_page(self) -> Page:
        return self.page(self._current)

    def go(self, name: str, *, push: bool = True) -> None:
        if push and self._current and self._current != name:
            self._history.append(self._current)
        page = self.page(name)
        self._current = name
        self._prepare(name, page)
        self.stack.setCurrentWidget(page)
        self.back_button.setVisible(page.show_back)
        self.brand.setVisible(not page.show_back)
        # Larger text and contrast belong to a person's session (they reset when it ends),
        # so they are offered only inside one, never on the attract screen.
        self.large_text_button.setVisible(page.in_session)
        self.contrast_button.setVisible(page.in_session)
        if page.wants_keyboard:
            self.keyboard.show()
        elif self._keyboard is not None:
            self._keyboard.hide()
        if self._keyboard is not None:
            self._keyboard.attach(None)
        if page.wants_keyboard:
            editor = page.first_editor()
            if editor is not None:
                editor.setFocus()
                self.keyboard.attach(editor)
        self._update_steps()
        self.page_changed.emit(name)

    def back(self) -> None:
        if not self._history:
            self.end_session()
            return
        previous = self._history.pop()
        if previous == "attract":
            self.end_session()
            return
        self.go(previous, push=False)

    def steps(self) -> list[str]:
        """The numbered steps of the current flow, as the session stands now."""
        s = self.session
        if s.flow == "survey":
            steps = ["survey_rating"]
            if s.survey.rating is not None or not s.survey.answered:
                steps.append("survey_reasons")
            return [*steps, "survey_service", "survey_comment"]
        if s.flow == "case":
            steps = ["case_type", "case_service", "case_category", "case_narrative"]
            if s.case.case_type == CaseType.QUEJA:
                steps += ["case_staff", "case_request"]
            elif s.case.case_type == CaseType.RECONOCIMIENTO:
                steps += ["case_recognised", "case_publish"]
            steps += ["case_contact_choice", "case_privacy"]
            if s.case.wants_contact:
                steps += ["case_identity", "case_contact"]
            return [*steps, "case_review"]
        return []

    def next_step(self) -> None:
        steps = self.steps()
        index = steps.index(self._current)
        self.go(steps[index + 1])

    def _update_steps(self) -> None:
        steps = self.steps()
        if self._current in steps:
            self.step_label.setText(
                self.tr("Paso {n} de {total}").format(
                    n=steps.index(self._current) + 1, total=len(steps)
                )
            )
        else:
            self.step_label.setText("")

    def _prepare(self, name: str, page: Page) -> None:
        """Make a page show the session's current answers before it appears."""
        if isinstance(page, AttractPage):  # nothing to show (and the other pages not loaded)
            return
        s = self.session
        if isinstance(page, pages.SingleChoicePage):
            page.reset()
            marked = {
                "survey_service": s.survey.service_code,
                "case_service": s.case.service_code,
                "case_type": s.case.case_type.value if s.case.case_type else None,
            }.get(name)
            if marked:
                page.mark(marked)
        if name == "survey_reasons":
            band = self.instrument.band_for(s.survey.rating)
            assert isinstance(page, pages.MultiChoicePage)
            if band is not None:
                page.set_choices(
                    band.question,
                    [(c.code, c.label) for c in band.choices],
                    self.instrument.max_reasons,
                    self.tr("Puede elegir varias, o ninguna."),
                )
                page.set_selected(s.survey.reasons)
        elif name == "case_category":
            assert isinstance(page, pages.MultiChoicePage) and s.case.case_type is not None
            question = {
                CaseType.QUEJA: self.tr("¿Qué pasó?"),
                CaseType.SUGERENCIA: self.tr("¿Sobre qué es su sugerencia?"),
                CaseType.RECONOCIMIENTO: self.tr("¿Qué quiere reconocer?"),
            }[s.case.case_type]
            page.set_choices(
                question,
                [(c.code, c.label) for c in self.assets.categories(s.case.case_type.value)],
                self.assets.max_categories,
                self.tr("Elija hasta {n}.").format(n=self.assets.max_categories),
            )
            page.set_selected(s.case.categories)
        elif name == "case_narrative":
            assert isinstance(page, pages.TextPage)
            ctype = s.case.case_type
            if ctype == CaseType.QUEJA:
                page.set_question(
                    self.tr("Cuéntenos qué pasó"),
                    self.tr("Cuándo y dónde ocurrió, y quién participó. Escriba con sus palabras."),
                )
            elif ctype == CaseType.SUGERENCIA:
                page.set_question(
                    self.tr("Escriba su sugerencia"), self.tr("¿Qué podemos mejorar?")
                )
            else:
                page.set_question(
                    self.tr("Cuéntenos qué hizo (opcional)"),
                    self.tr("Puede dejarlo en blanco."),
                )
            page.required = ctype in (CaseType.QUEJA, CaseType.SUGERENCIA)
            page.reset()
            page.field.set_text(s.case.narrative)
        elif name == "case_contact_choice":
            hint = (
                self.tr(
                    "Sin un teléfono o un correo no podremos darle seguimiento ni avisarle la "
                    "respuesta a su queja. Aun así puede presentarla sin datos."
                )
                if s.case.case_type == CaseType.QUEJA
                else self.tr("Es opcional.")
            )
            page.set_question(page.question.text(), hint)
        elif name == "case_review":
            assert isinstance(page, pages.ReviewPage)
            page.reset()
            page.set_rows(self._review_rows())
        elif name == "pin":
            page.reset()
        elif name == "staff":
            assert isinstance(page, pages.StaffPage)
            self._show_staff_status(page)

    # ------------------------------------------------------------------ session
    def start_session(self) -> None:
        self.session = Session(language=self.session.language)
        self._history = []
        self.idle.start()
        self.go("language")

    def end_session(self) -> None:
        """Wipe every answer from the screens and from memory; back to the attract screen."""
        self.idle.stop()
        if self._idle_panel is not None:
            self._idle_panel.hide()
        for page in self._pages.values():
            page.reset()
        self.session = Session()
        self._history = []
        self._submitting = False
        if self._keyboard is not None:
            self._keyboard.attach(None)
            self._keyboard.set_shift(False)
        self.large_text_button.setChecked(False)
        self.contrast_button.setChecked(False)
        if self.translations is not None and self.translations.language != DEFAULT_LANGUAGE:
            self._set_language(DEFAULT_LANGUAGE)
        self.go("attract", push=False)
        self.session_ended.emit()

    def _idle_warn(self, remaining: int) -> None:
        self.idle_panel.set_remaining(remaining)
        self.idle_panel.setGeometry(self.rect())
        self.idle_panel.show()
        self.idle_panel.raise_()

    def _idle_resume(self) -> None:
        self.idle_panel.hide()
        self.idle.resume()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self._idle_panel is not None:
            self._idle_panel.setGeometry(self.rect())

    # ------------------------------------------------------------------ answers
    def _language_chosen(self, code: str) -> None:
        if code != self.session.language:
            self._set_language(code)
            self.session.language = code
        self.go("menu")

    def _set_language(self, code: str) -> None:
        if self.translations is None:
            return
        self.translations.set_language(code)
        # Pages keep the strings they were built with: rebuild all but the attract screen.
        for name in list(self._pages):
            if name not in ("attract", self._current):
                page = self._pages.pop(name)
                self.stack.removeWidget(page)
                page.deleteLater()
        self._retranslate_frame()

    def _menu_chosen(self, code: str) -> None:
        s = self.session
        if code == "survey":
            s.flow = "survey"
            s.survey = SurveyState(started_at=self.clock.monotonic())
            self.go("survey_rating")
        elif code == "case":
            s.flow = "case"
            s.case = CaseState()
            self.go("case_type")
        else:
            s.flow = "folio"
            self.go("folio_info")

    def _rated(self, rating: int | None) -> None:
        survey = self.session.survey
        if self.instrument.band_for(rating) != self.instrument.band_for(survey.rating):
            survey.reasons = ()  # reasons belong to a rating band (what went well or badly)
        survey.rating = rating
        survey.answered = True
        self.next_step()

    def _reasons_done(self, codes: tuple[str, ...]) -> None:
        self.session.survey.reasons = tuple(codes)
        self.next_step()

    def _service_chosen(self, page_name: str, code: str) -> None:
        if page_name == "survey_service":
            self.session.survey.service_code = code
        else:
            self.session.case.service_code = code
        self.next_step()

    def _type_chosen(self, code: str) -> None:
        case = self.session.case
        new_type = CaseType(code)
        if case.case_type != new_type:
            case.categories = ()
        case.case_type = new_type
        self.next_step()

    def _categories_done(self, codes: tuple[str, ...]) -> None:
        self.session.case.categories = tuple(codes)
        self.next_step()

    def _text_done(self, attribute: str, text: str) -> None:
        setattr(self.session.case, attribute, text)
        self.next_step()

    def _publish_chosen(self, code: str) -> None:
        self.session.case.publish = code == "yes"
        self.next_step()

    def _contact_chosen(self, code: str) -> None:
        case = self.session.case
        case.wants_contact = code == "yes"
        if not case.wants_contact:
            case.personal = {}
            for name in ("case_identity", "case_contact"):
                if name in self._pages:
                    self._pages[name].reset()
        self.next_step()

    def _consented(self) -> None:
        self.session.case.consent = True
        self.next_step()

    def _identity_done(self, values: dict[str, str]) -> None:
        self.session.case.personal.update(values)
        self.next_step()

    def _contact_done(self, values: dict[str, str]) -> None:
        self.session.case.personal.update(values)
        self.next_step()

    def _type_label(self, case_type: CaseType | None) -> str:
        return (
            {
                CaseType.QUEJA: self.tr("Queja"),
                CaseType.SUGERENCIA: self.tr("Sugerencia"),
                CaseType.RECONOCIMIENTO: self.tr("Reconocimiento"),
            }.get(case_type, "")
            if case_type
            else ""
        )

    def _review_rows(self) -> list[tuple[str, str]]:
        c = self.session.case
        labels = {x.code: x.label for x in self.assets.categories(c.case_type or "")}
        rows = [
            (self.tr("Tipo"), self._type_label(c.case_type)),
            (self.tr("Servicio"), self.assets.service_label(c.service_code)),
            (self.tr("Qué pasó"), ", ".join(labels.get(x, x) for x in c.categories)),
            (self.tr("Relato"), c.narrative),
        ]
        if c.case_type == CaseType.QUEJA:
            rows += [
                (self.tr("Personal"), c.staff_involved),
                (self.tr("Lo que pide"), c.request),
            ]
        if c.case_type == CaseType.RECONOCIMIENTO:
            rows += [
                (self.tr("A quién reconoce"), c.recognised_person),
                (
                    self.tr("Muro del Trato Digno"),
                    self.tr("Sí, publicar") if c.publish else self.tr("No publicar"),
                ),
            ]
        p = c.personal
        if c.wants_contact and any(p.values()):
            contact = [
                p.get("filer_name", ""),
                self.tr("NSS {v}").format(v=p["nss"]) if p.get("nss") else "",
                self.tr("CURP {v}").format(v=p["curp"]) if p.get("curp") else "",
                self.tr("Tel. {v}").format(v=p["phone"]) if p.get("phone") else "",
                p.get("email", ""),
                self.tr("C.P. {v}").format(v=p["postal_code"]) if p.get("postal_code") else "",
            ]
            rows.append((self.tr("Sus datos"), "\n".join(x for x in contact if x)))
        else:
            rows.append((self.tr("Sus datos"), self.tr("Sin datos de contacto")))
        return rows

    # ------------------------------------------------------------------ submit
    def survey_draft(self) -> "SurveyDraft":
        from kiosk.services.drafts import SurveyDraft  # loaded with the store, after the paint

        s = self.session
        elapsed = max(0.0, self.clock.monotonic() - s.survey.started_at)
        return SurveyDraft(
            instrument_id=self.instrument.id,
            instrument_version=self.instrument.version,
            language=s.language,
            channel=self.config.channel,
            service_code=s.survey.service_code,
            rating=s.survey.rating,
            reasons=s.survey.reasons,
            comment=s.survey.comment,
            duration_ms=int(elapsed * 1000),
        )

    def case_draft(self) -> "CaseDraft":
        from kiosk.services.drafts import CaseDraft, PersonalData

        s = self.session
        c = s.case
        assert c.case_type is not None
        queja = c.case_type == CaseType.QUEJA
        recognition = c.case_type == CaseType.RECONOCIMIENTO
        personal = None
        if c.wants_contact:
            p = c.personal
            data = PersonalData(
                filer_name=p.get("filer_name", ""),
                nss=p.get("nss", ""),
                curp=p.get("curp", ""),
                phone=p.get("phone", ""),
                email=p.get("email", ""),
                postal_code=p.get("postal_code", ""),
            )
            personal = None if data.is_empty() else data
        return CaseDraft(
            case_type=c.case_type,
            channel=self.config.channel,
            language=s.language,
            service_code=c.service_code,
            categories=c.categories,
            narrative=c.narrative,
            # Only what belongs to the chosen type: answers typed before the person
            # switched type are not sent.
            request=c.request if queja else "",
            staff_involved=c.staff_involved if queja else "",
            recognised_person=c.recognised_person if recognition else "",
            publish_recognition=c.publish if recognition else False,
            personal=personal,
            privacy_notice_version=self.config.privacy_notice_version if c.consent else None,
            consent_given=c.consent,
            catalogue_version=self.assets.categories_version,
            from_survey_id=c.from_survey_id,
        )

    def submit_survey(self, comment: str) -> None:
        if self._submitting or self._current != "survey_comment":
            return
        page = self.page("survey_comment")
        assert isinstance(page, pages.TextPage)
        self._submitting = True
        page.continue_button.setEnabled(False)
        self.session.survey.comment = comment
        try:
            saved = self.survey_service.submit(self.survey_draft())
        except Exception as exc:
            page.show_error(self._save_failed(exc))
            page.continue_button.setEnabled(True)
            self._submitting = False
            return
        self._submitting = False
        self.record_saved.emit()
        self.session.survey.saved = saved
        rating = self.session.survey.rating
        thanks = self.page("survey_thanks")
        assert isinstance(thanks, pages.SurveyThanksPage)
        thanks.set_offer(rating is not None and rating <= VERY_BAD_RATING_MAX)
        page.reset()
        page.continue_button.setEnabled(False)  # until the next session resets the page
        self._history = []
        self.go("survey_thanks", push=False)
        self.idle.start(direct=True, idle_seconds=self.config.done_seconds)

    def survey_to_complaint(self) -> None:
        """A very bad rating becomes a complaint in one tap, with the service prefilled."""
        survey = self.session.survey
        self.session.flow = "case"
        self.session.case = CaseState(
            case_type=CaseType.QUEJA,
            service_code=survey.service_code,
            from_survey_id=survey.saved.id if survey.saved else None,
        )
        self.idle.start()
        self._history = ["menu", "case_type", "case_service"]
        self.go("case_category", push=False)

    def submit_case(self) -> None:
        if self._submitting or self._current != "case_review":
            return
        review = self.page("case_review")
        assert isinstance(review, pages.ReviewPage)
        self._submitting = True
        review.submit_button.setEnabled(False)
        review.show_error("")
        try:
            saved = self.case_service.submit(self.case_draft())
        except Exception as exc:
            review.show_error(self._save_failed(exc))
            review.submit_button.setEnabled(True)
            self._submitting = False
            return
        self._submitting = False
        self.record_saved.emit()
        done = self.page("case_done")
        assert isinstance(done, pages.ConfirmationPage)
        done.set_receipt(saved.folio, saved.tracking_url, saved.sensitive)
        # The answers are saved and sealed: drop them from memory and from the screens.
        for name in self.steps():
            if name in self._pages:
                self._pages[name].reset()
        review.submit_button.setEnabled(False)  # until the next session resets the page
        self.session.case = CaseState()
        self._history = []
        self.go("case_done", push=False)
        self.idle.start(direct=True, idle_seconds=self.config.done_seconds)

    def _save_failed(self, exc: Exception) -> str:
        from kiosk.services.errors import KnownError

        if isinstance(exc, KnownError):
            code = getattr(exc, "code", type(exc).__name__)
            log.warning("save refused: %s", code)
        else:
            code = "bug"
            log.exception("unexpected error while saving")
        self.show_staff_notice(code)
        return self.save_failed_text()

    def save_failed_text(self) -> str:
        """What a person reads when a record could not be saved (nothing was)."""
        return self.tr(
            "No pudimos guardar su respuesta. No se registró nada. "
            "Por favor avise al personal del módulo."
        )

    # ------------------------------------------------------------------ staff
    def show_staff_notice(self, code: str, *, recovered: int = 0) -> None:
        """Show the staff banner for a known condition (``code``); never personal data.

        ``recovered`` is the number of records copied out of a damaged database."""
        texts = {
            "storage_full": self.tr(
                "Personal: el disco del kiosco está lleno; no se pueden guardar registros."
            ),
            "storage_read_only": self.tr(
                "Personal: la carpeta de datos del kiosco es de solo lectura."
            ),
            "storage_busy": self.tr("Personal: la base de datos del kiosco está ocupada."),
            "not_enrolled": self.tr(
                "Personal: este kiosco no está dado de alta (trato-kiosk enroll)."
            ),
            "startup_failed": self.tr(
                "Personal: el kiosco no terminó de iniciar; revise la configuración y el registro."
            ),
            "database_quarantined": self.tr(
                "Personal: la base de datos estaba dañada. Se apartó sin borrarla y el kiosco "
                "empezó con una nueva. Avise a soporte técnico."
            ),
        }
        text = texts.get(code) or self.tr("Personal: falla del kiosco (código {code}).").format(
            code=code
        )
        if code == "database_quarantined" and recovered:
            text += " " + self.tr("Se recuperaron {n} registros del archivo dañado.").format(
                n=recovered
            )
        self.banner_label.setText(text)
        self.banner.show()

    def _on_notice(self, level: str, code: str) -> None:
        if level in ("warning", "error"):
            self.show_staff_notice(code)

    def _logo_tapped(self) -> None:
        now = self.clock.monotonic()
        window = self.config.staff_tap_window_s
        self._staff_taps = [t for t in self._staff_taps if now - t <= window] + [now]
        if len(self._staff_taps) >= self.config.staff_taps:
            self._staff_taps = []
            self.idle.start()
            self.go("pin")

    def _pin_entered(self, pin: str) -> None:
        page = self.page("pin")
        assert isinstance(page, pages.PinPage)
        now = self.clock.monotonic()
        if now < self._pin_locked_until:
            page.reset()
            page.show_error(self._pin_wait_text(now))
            return
        if pin and self.verify_pin(pin):
            log.info("staff mode entered")
            self._pin_failures = 0
            page.reset()
            self._history = []
            self.go("staff", push=False)
            return
        self._pin_failures += 1
        page.reset()
        if self._pin_failures < PIN_MAX_FAILURES:
            page.show_error(self.tr("PIN incorrecto. Intente de nuevo."))
            return
        # Too many wrong PINs in a row: wait, longer each time (never logs what was typed).
        extra = self._pin_failures - PIN_MAX_FAILURES
        wait = min(PIN_LOCKOUT_MAX_S, PIN_LOCKOUT_S * 2**extra)
        self._pin_locked_until = now + wait
        log.warning("staff PIN wrong %d times in a row; PIN entry locked for %d s",
                    self._pin_failures, wait)
        page.show_error(self._pin_wait_text(now))

    def _pin_wait_text(self, now: float) -> str:
        minutes = max(1, math.ceil((self._pin_locked_until - now) / 60))
        if minutes == 1:
            return self.tr(
                "Demasiados intentos con un PIN incorrecto. Espere 1 minuto e intente de nuevo."
            )
        return self.tr(
            "Demasiados intentos con un PIN incorrecto. Espere {n} minutos e intente de nuevo."
        ).format(n=minutes)

    def refresh_sync_status(self, *_args: object) -> None:
        """Slot for the sync bridge's ``statusChanged``: refresh the staff page if shown."""
        page = self._pages.get("staff")
        if isinstance(page, pages.StaffPage):
            self._show_staff_status(page)

    def _show_staff_status(self, page: "pages.StaffPage") -> None:
        bridge = self.sync_bridge
        if bridge is None:
            page.set_status(
                self.tr("Sincronización no disponible: el kiosco no está dado de alta.")
            )
            return
        from kiosk.ui.sync_bridge import describe_status, set_aside_lines, status_rows

        status = bridge.status()
        now = self.clock.now()
        page.set_status(describe_status(status, now), status_rows(status, now),
                        set_aside_lines(status),
                        can_sync=status.enrolled and not status.revoked,
                        syncing=status.syncing)

    def _staff_sync_now(self) -> None:
        if self.sync_bridge is not None:
            log.info("staff asked for a sync round")
            self.sync_bridge.sync_now()

    def _staff_retry_set_aside(self) -> None:
        if self.sync_bridge is not None:
            log.info("staff asked to retry the set-aside records")
            self.sync_bridge.retry_set_aside()

    # ------------------------------------------------------------------ look
    def apply_theme(self) -> None:
        key = (self.theme, self.large_text)
        sheet = self._styles.get(key)
        if sheet is None:
            template = self.assets.stylesheet_template(self.theme)
            sheet = themes.build_stylesheet(template, self.theme, self.large_text)
            self._styles[key] = sheet
        self.setStyleSheet(sheet)
        palette = themes.PALETTES[self.theme]
        rating = self._pages.get("survey_rating")
        if rating is not None and isinstance(rating, pages.RatingPage):
            rating.apply_colours(palette["surface"], palette["fg"])

    def set_large_text(self, on: bool) -> None:
        if on != self.large_text:
            self.large_text = on
            self.apply_theme()

    def set_high_contrast(self, on: bool) -> None:
        theme = themes.HIGH_CONTRAST if on else themes.NORMAL
        if theme != self.theme:
            self.theme = theme
            self.apply_theme()

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, (QLineEdit, QPlainTextEdit)) and self.isAncestorOf(new):
            self._attach_keyboard(new)

    def _attach_keyboard(self, editor: QWidget) -> None:
        if self._keyboard is not None:
            self._keyboard.attach(editor)

    # ------------------------------------------------------------------ kiosk mode
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if self.config.kiosk_mode and event.key() == QtCore.Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self._allow_close:
            event.ignore()
            return
        self._teardown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Close for real (the composition root, tests): wipes the session first."""
        self.end_session()
        self._allow_close = True
        self.close()

    def _teardown(self) -> None:
        if self._torn_down:
            return
        self._torn_down = True
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
            app.focusChanged.disconnect(self._focus_changed)  # type: ignore[attr-defined]
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


__all__ = ["CaseState", "KioskWindow", "Session", "SurveyState", "UiConfig"]
