"""The perception survey: the rating on five faces, the reasons of its band, the service,
an optional comment, then thanks (and, after a very bad rating, a complaint in one tap).

:class:`SurveyFlow` builds these pages, records the answers in the session and submits the
response with the instrument (id and version) that was on screen.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from kiosk.ui.base import LazyModule, Page, big_button, label, set_role
from kiosk.ui.flow import Flow
from kiosk.ui.metrics import Metrics
from kiosk.ui.receipt import ReceiptPage
from trato.domain.enums import VERY_BAD_RATING_MAX

if TYPE_CHECKING:
    from kiosk.services.configuration import Instrument
    from kiosk.ui import pages, widgets
else:
    pages = LazyModule("kiosk.ui.pages")
    widgets = LazyModule("kiosk.ui.widgets")


class RatingPage(Page):
    """The headline question on a five-face scale plus "prefiero no responder".

    Signals: ``rated(object)`` with 1..5 or ``None`` (declined), after a short confirmation.
    """

    rated = Signal(object)

    def __init__(self, metrics: Metrics, instrument: "Instrument", confirm_ms: int = 350) -> None:
        super().__init__(metrics, instrument.headline.text)
        self.confirm_ms = confirm_ms
        self._pending: tuple[int | None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._emit)
        row = QVBoxLayout() if metrics.portrait else QHBoxLayout()  # one column when tall
        row.setSpacing(metrics.gap * 3)
        self.faces: dict[int, widgets.FaceButton] = {}
        for point in instrument.headline.scale:
            button = widgets.FaceButton(point.value, point.face, point.label, metrics)
            button.clicked.connect(lambda _=False, v=point.value: self.rate(v))
            self.faces[point.value] = button
            row.addWidget(button)
        self.root.addStretch(1)
        self.root.addLayout(row)
        self.root.addStretch(1)
        self.decline = big_button(instrument.headline.decline_label, metrics, "choice",
                                  checkable=True, mark="check")  # one answer, as the faces
        self.decline.clicked.connect(lambda _=False: self.rate(None))
        self.root.addWidget(self.decline)

    def rate(self, value: int | None) -> None:
        if self._pending is not None or not self.isVisible():
            return
        self._pending = (value,)
        for v, b in self.faces.items():
            b.setChecked(v == value)
        self.decline.setChecked(value is None)
        self._timer.start(self.confirm_ms)

    def _emit(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and self.isVisible():
            self.rated.emit(pending[0])

    def apply_palette(self, palette: dict[str, str]) -> None:
        for b in self.faces.values():
            b.apply_colours(palette["surface"], palette["fg"])

    def reset(self) -> None:
        self._timer.stop()
        self._pending = None
        for b in self.faces.values():
            b.setChecked(False)
        self.decline.setChecked(False)


class SurveyThanksPage(ReceiptPage):
    """Thanks after a survey, with the countdown back to the attract screen; a very bad
    rating also offers to file a complaint in one tap (it carries what the survey said).

    A perception campaign open in the unit is offered here too ("Sí, responder"): whoever
    declines taps "Terminar" as always, or lets the countdown end, so the short path is not
    one tap longer.

    Signals: ``finished()``; ``complaint_requested()``; ``campaign_requested()``.
    """

    finished = Signal()
    complaint_requested = Signal()
    campaign_requested = Signal()

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, self.tr("¡Gracias por su opinión!"))
        self.body.addWidget(
            label(self.tr("Su respuesta se guardó. Nos ayuda a mejorar el trato en esta unidad."))
        )
        self.finish_button = self.side_button(self.tr("Terminar"))
        self.finish_button.clicked.connect(self.finished)
        # With the other receipt buttons, top right: never where "Enviar" was, on any screen.
        self.complaint_button = self.side_button(self.tr("Sí, presentar una queja"), "primary")
        self.complaint_button.clicked.connect(self.complaint_requested)
        self.campaign_button = self.side_button(self.tr("Sí, responder"), "primary")
        self.campaign_button.clicked.connect(self.campaign_requested)
        self.side.addStretch(1)
        self.offer = QFrame()
        set_role(self.offer, "card")
        offer_layout = QHBoxLayout(self.offer)
        offer_layout.setContentsMargins(metrics.mm(5), metrics.mm(4), metrics.mm(5), metrics.mm(4))
        offer_layout.addWidget(
            label(self.tr("Lamentamos que le haya ido muy mal. ¿Quiere presentar una queja? "
                          "Lo que ya nos dijo quedará escrito en ella.")), 1)
        self.body.addWidget(self.offer)
        self.campaign_offer = QFrame()
        set_role(self.campaign_offer, "card")
        campaign_layout = QVBoxLayout(self.campaign_offer)
        campaign_layout.setContentsMargins(metrics.mm(5), metrics.mm(4), metrics.mm(5),
                                           metrics.mm(4))
        self.campaign_text = label("")
        campaign_layout.addWidget(self.campaign_text)
        self.body.addWidget(self.campaign_offer)
        self.body.addStretch(1)
        self.set_offer(False)
        self.set_campaign(None)

    def set_offer(self, offer: bool) -> None:
        self.offer.setVisible(offer)
        self.complaint_button.setVisible(offer)

    def set_campaign(self, questions: int | None) -> None:
        """Offer a campaign of ``questions`` questions (None: no offer)."""
        shown = questions is not None
        if shown:
            self.campaign_text.setText(self.tr(
                "¿Nos ayuda con {n} preguntas más sobre su atención en esta unidad? "
                "Toma un minuto.").format(n=questions))
        self.campaign_offer.setVisible(shown)
        self.campaign_button.setVisible(shown)

    def reset(self) -> None:
        self.set_offer(False)
        self.set_campaign(None)


class SurveyFlow(Flow):
    """Signals: ``complaint_requested()`` when the person takes the offer to complain."""

    complaint_requested = Signal()
    campaign_requested = Signal()

    def builders(self) -> dict[str, Callable[[], Page]]:
        return {
            "survey_rating": self._rating_page,
            "survey_reasons": self._reasons_page,
            "survey_service": self._service_page,
            "survey_comment": self._comment_page,
            "survey_thanks": self._thanks_page,
        }

    # ------------------------------------------------------------------ pages
    def _rating_page(self) -> Page:
        page = RatingPage(self.host.metrics, self.host.content.instrument,
                          confirm_ms=self.host.config.confirm_ms)
        page.rated.connect(self._rated)
        return page

    def _reasons_page(self) -> Page:
        page = pages.MultiChoicePage(self.host.metrics, self.tr("Continuar"), allow_empty=True)
        page.done.connect(self._reasons_done)
        return page

    def _service_page(self) -> Page:
        content = self.host.content
        services = [(s.code, s.label)
                    for s in content.instrument.offered_services(content.services)]
        return self.choice_page(content.instrument.service_question, services,
                                self._service_chosen, columns=2)

    def _comment_page(self) -> Page:
        instrument = self.host.content.instrument
        page = pages.TextPage(
            self.host.metrics,
            instrument.comment.question,
            hint=self.tr("Es opcional. Puede dejarlo en blanco y tocar «Enviar»."),
            max_length=instrument.comment.max_length,
            continue_text=self.tr("Enviar"),
        )
        page.done.connect(self.submit)
        return page

    def _thanks_page(self) -> Page:
        page = SurveyThanksPage(self.host.metrics)
        page.seconds_left = self.host.idle.seconds_left
        page.finished.connect(self.finished)
        page.complaint_requested.connect(self.complaint_requested)
        page.campaign_requested.connect(self.campaign_requested)
        return page

    def prepare(self, name: str, page: Page) -> None:
        survey = self.host.session.survey
        if name == "survey_service":
            if survey.service_code:
                page.mark(survey.service_code)  # type: ignore[attr-defined]
        elif name == "survey_reasons":
            instrument = self.host.content.instrument
            band = instrument.band_for(survey.rating)
            if band is not None:
                page.set_choices(  # type: ignore[attr-defined]
                    band.question,
                    [(c.code, c.label) for c in band.choices],
                    instrument.reasons.max_choices,
                    self.tr("Puede elegir varias, o ninguna."),
                )
                page.set_selected(survey.reasons)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ answers
    def _rated(self, rating: int | None) -> None:
        self.host.session.rate(rating, self.host.content.instrument)
        self.host.next_step()

    def _reasons_done(self, codes: tuple[str, ...]) -> None:
        self.host.session.survey.reasons = tuple(codes)
        self.host.next_step()

    def _service_chosen(self, code: str) -> None:
        self.host.session.survey.service_code = code
        self.host.next_step()

    def submit(self, comment: str) -> None:
        """ "Enviar" on the comment page: save the response once, then thank the person."""
        host = self.host
        if self.saving or host.current != "survey_comment":
            return
        page = host.page("survey_comment")
        assert isinstance(page, pages.TextPage)
        host.session.survey.comment = comment
        from kiosk.flow import drafts  # with the services, after the first paint

        draft = drafts.survey_draft(host.session, host.content, channel=host.config.channel,
                                    now=host.clock.monotonic())
        saved = self.save(host.survey_service, draft, page, page.continue_button)
        if saved is None:
            return
        survey = host.session.survey
        survey.saved_id = saved.id
        thanks = host.page("survey_thanks")
        assert isinstance(thanks, SurveyThanksPage)
        very_bad = survey.rating is not None and survey.rating <= VERY_BAD_RATING_MAX
        thanks.set_offer(very_bad)
        offers = getattr(host, "campaigns", None)  # kiosk.services.campaigns.CampaignOffers
        host.session.campaign = None if very_bad or offers is None else offers.current()
        thanks.set_campaign(len(host.session.campaign.questions) if host.session.campaign
                            else None)
        page.reset()
        page.continue_button.setEnabled(False)  # until the next session resets the page
        self.show_receipt("survey_thanks")
