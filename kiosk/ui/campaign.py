"""A perception campaign's questions, taken from the survey's thank-you page ("Sí,
responder"): one question per screen on its five-point scale plus "No aplica", then thanks.

The questions are the campaign's (:class:`trato.protocol.wire.CampaignData`, in the
session). One page shows them in turn ("Pregunta 2 de 6"); "Atrás" goes back to the previous
question (from the first, to the thank-you page). The answers are stored once, after the
last question, as a survey response of the campaign's instrument
(:func:`kiosk.services.campaigns.campaign_draft`) with the survey's service.
"""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal

from kiosk.ui.base import Page, label
from kiosk.ui.flow import Flow
from kiosk.ui.receipt import ReceiptPage
from trato.domain.campaigns import NOT_APPLICABLE

QUESTION = "campaign_question"
THANKS = "campaign_thanks"
#: The answers' codes, in order: the five points of the scale, then "no aplica".
CODES = ("1", "2", "3", "4", "5", NOT_APPLICABLE)


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
        self.index = 0
        self._started = 0.0

    def builders(self) -> dict[str, Callable[[], Page]]:
        return {QUESTION: self._question_page, THANKS: self._thanks_page}

    def _question_page(self) -> Page:
        # One column where six answers fit, else two of three (1280x720, "Texto grande"):
        # every answer in view, never under the scroll cue.
        page = self.choice_page("", [(code, code) for code in CODES], self.answer,
                                columns=2, ordered=True)
        page.back_requested = self.back  # type: ignore[attr-defined]
        return page

    def _thanks_page(self) -> Page:
        page = CampaignThanksPage(self.host.metrics)
        page.seconds_left = self.host.idle.seconds_left
        page.finished.connect(self.finished)
        return page

    def prepare(self, name: str, page: Page) -> None:
        campaign = self.host.session.campaign
        if name != QUESTION or campaign is None:
            return
        question = campaign.questions[self.index]
        labels = [*question.scale, campaign.not_applicable_label]
        for code, text in zip(CODES, labels, strict=True):
            button = page.buttons[code]  # type: ignore[attr-defined]
            button.setText(text)
            button.updateGeometry()
        page.set_question(question.text, self.tr("Pregunta {n} de {total}").format(
            n=self.index + 1, total=len(campaign.questions)))
        page.choices.refit()  # type: ignore[attr-defined]  # the labels are the question's
        answer = self.host.session.campaign_answers.get(question.code)
        page.mark(None if answer is None else str(answer))  # type: ignore[attr-defined]

    def start(self) -> None:
        """ "Sí, responder" on the survey's thank-you page."""
        host = self.host
        if host.session.campaign is None or host.current != "survey_thanks":
            return
        host.session.campaign_answers = {}
        self.index = 0
        self._started = host.clock.monotonic()
        host.idle.start()  # the full quiet period again, not the thank-you page's
        host.go(QUESTION)

    def back(self) -> bool:
        """ "Atrás" on a question: the previous one (False on the first: the window goes
        back to the thank-you page)."""
        if self.index == 0:
            return False
        self.index -= 1
        self.host.go(QUESTION, push=False)
        return True

    def answer(self, code: str) -> None:
        host = self.host
        campaign = host.session.campaign
        if campaign is None:
            return
        host.session.campaign_answers[campaign.questions[self.index].code] = (
            code if code == NOT_APPLICABLE else int(code))
        if self.index + 1 < len(campaign.questions):
            self.index += 1
            host.go(QUESTION, push=False)
        else:
            self._submit()

    def _submit(self) -> None:
        host = self.host
        if self.saving:
            return
        from kiosk.services.campaigns import campaign_draft  # after the first paint

        session = host.session
        draft = campaign_draft(
            session.campaign, dict(session.campaign_answers), language=session.language,
            channel=host.config.channel, service_code=session.survey.service_code,
            duration_ms=int((host.clock.monotonic() - self._started) * 1000))
        page = host.page(QUESTION)
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
