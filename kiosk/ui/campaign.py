"""A perception campaign's questions, taken from the survey's thank-you page ("Sí,
responder"): one question per screen on its five-point scale plus "No aplica", then thanks.

The questions are the campaign's (:class:`trato.protocol.wire.CampaignData`, in the
session); their pages are built for it and rebuilt for another campaign. The answers are
stored once, after the last question, as a survey response of the campaign's instrument
(:func:`kiosk.services.campaigns.campaign_draft`) with the survey's service.
"""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal

from kiosk.ui.base import Page, label
from kiosk.ui.flow import Flow
from kiosk.ui.receipt import ReceiptPage
from trato.domain.campaigns import NOT_APPLICABLE

# Most questions a campaign may ask (trato.protocol.wire.CampaignData).
MAX_QUESTIONS = 20
PAGE = "campaign_q{}"
THANKS = "campaign_thanks"


class CampaignThanksPage(ReceiptPage):
    """Signals: ``finished()``."""

    finished = Signal()

    def __init__(self, metrics: Any) -> None:
        super().__init__(metrics, self.tr("¡Gracias por sus respuestas!"))
        self.body.addWidget(label(self.tr(
            "Se guardaron. Con ellas su unidad sabe qué mejorar en la atención.")))
        self.body.addStretch(1)
        self.finish_button = self.side_button(self.tr("Terminar"))
        self.finish_button.clicked.connect(self.finished)
        self.side.addStretch(1)


class CampaignFlow(Flow):
    def __init__(self, host: Any, parent: Any = None) -> None:
        super().__init__(host, parent)
        self._built_for: tuple[str, int] | None = None
        self._started = 0.0

    def builders(self) -> dict[str, Callable[[], Page]]:
        pages: dict[str, Callable[[], Page]] = {
            PAGE.format(i): (lambda i=i: self._question_page(i)) for i in range(MAX_QUESTIONS)}
        pages[THANKS] = self._thanks_page
        return pages

    def _question_page(self, index: int) -> Page:
        campaign = self.host.session.campaign
        question = campaign.questions[index]
        choices = [(str(v), text) for v, text in enumerate(question.scale, start=1)]
        choices.append((NOT_APPLICABLE, campaign.not_applicable_label))
        page = self.choice_page(question.text, choices,
                                lambda code, i=index: self._answered(i, code))
        page.set_question(question.text, self.tr("Pregunta {n} de {total}").format(
            n=index + 1, total=len(campaign.questions)))
        return page

    def _thanks_page(self) -> Page:
        page = CampaignThanksPage(self.host.metrics)
        page.seconds_left = self.host.idle.seconds_left
        page.finished.connect(self.finished)
        return page

    def start(self) -> None:
        """ "Sí, responder" on the survey's thank-you page."""
        host = self.host
        campaign = host.session.campaign
        if campaign is None or host.current != "survey_thanks":
            return
        key = (str(campaign.campaign_id), len(campaign.questions))
        if key != self._built_for:  # another campaign: its own questions
            stack = host.stack
            stack.drop(keep=[n for n in stack.pages if not n.startswith("campaign_q")])
            self._built_for = key
        host.session.campaign_answers = {}
        self._started = host.clock.monotonic()
        host.idle.start()  # the full quiet period again, not the thank-you page's
        host.go(PAGE.format(0))

    def _answered(self, index: int, code: str) -> None:
        host = self.host
        campaign = host.session.campaign
        if campaign is None:
            return
        host.session.campaign_answers[campaign.questions[index].code] = (
            code if code == NOT_APPLICABLE else int(code))
        if index + 1 < len(campaign.questions):
            host.go(PAGE.format(index + 1))
        else:
            self._submit(index)

    def _submit(self, index: int) -> None:
        host = self.host
        if self.saving:
            return
        from kiosk.services.campaigns import campaign_draft  # after the first paint

        session = host.session
        draft = campaign_draft(
            session.campaign, dict(session.campaign_answers), language=session.language,
            channel=host.config.channel, service_code=session.survey.service_code,
            duration_ms=int((host.clock.monotonic() - self._started) * 1000))
        page = host.page(PAGE.format(index))
        saved = self.save(host.survey_service, draft, _Problem(page), page)
        page.setEnabled(True)  # the answers stay: a failed save may be tried again
        if saved is not None:
            self.show_receipt(THANKS)


class _Problem:
    """Where :meth:`Flow.save` says a save failed: the question page's hint."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def show_error(self, text: str) -> None:
        self.page.set_question(self.page.question.text(), text)
