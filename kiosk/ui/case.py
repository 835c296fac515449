"""A queja, sugerencia or reconocimiento: the type, the privacy notice, then the questions of
that type (service, categories, the person's own words, and who attended and what they ask
for, or whom to recognise and whether to publish it), contact data if the person wants to
leave it, a review of everything, then the folio with its deadlines.

:class:`CaseFlow` builds these pages from the tables below and the type's wording
(:mod:`kiosk.ui.wording.cases`), records the answers in the session, builds the draft
(:func:`kiosk.flow.drafts.case_draft`) and submits it once. It also takes over a survey whose
very bad rating the person wants to turn into a complaint, with what the survey said.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.flow.steps import pages as flow_pages
from kiosk.ui.base import LazyModule, Page
from kiosk.ui.flow import Flow
from kiosk.ui.wording import cases as wording
from trato.domain.enums import CaseType

if TYPE_CHECKING:
    from kiosk.ui import case_pages, pages, widgets
    from kiosk.ui.wording import receipts
    from trato.domain import validators
else:
    case_pages = LazyModule("kiosk.ui.case_pages")
    pages = LazyModule("kiosk.ui.pages")
    widgets = LazyModule("kiosk.ui.widgets")
    receipts = LazyModule("kiosk.ui.wording.receipts")
    validators = LazyModule("trato.domain.validators")

REQUEST_MAX = 1000
#: The service page's "no service in particular" (a sugerencia only); stored as no service.
NO_SERVICE = "-"

#: The form pages: page -> fields (key, max length (0: a short text), validator, numeric
#: keyboard).
FORM_FIELDS: dict[str, tuple[tuple[str, int, str | None, bool], ...]] = {
    "case_contact": (("phone", 16, "validate_phone", True),
                     ("email", 254, "validate_email", False),
                     ("postal_code", 8, "validate_postal_code", True)),
    "case_identity": (("filer_name", 0, None, False),
                      ("nss", 20, "validate_nss", True),
                      ("curp", 24, "validate_curp", False)),
}
#: The contact form goes on only with one of these (it is there to reach the person).
CONTACT_KEYS = ("phone", "email")


class CaseFlow(Flow):
    def builders(self) -> dict[str, Callable[[], Page]]:
        text = self._text_page
        return {
            "case_type": self._type_page,
            "case_privacy": self._privacy_page,
            "case_service": self._service_page,
            "case_category": self._category_page,
            "case_narrative": lambda: text("narrative", "", "", validators.NARRATIVE_MAX),
            "case_staff": lambda: text(
                "staff_involved", self.tr("¿Quién lo atendió? (opcional)"),
                self.tr("Nombre, puesto o cómo lo reconoce. Puede dejarlo en blanco."),
                validators.SHORT_TEXT_MAX,
                multiline=False),
            "case_request": lambda: text(
                "request", self.tr("¿Qué le gustaría que hiciera el IMSS?"),
                self.tr("Por ejemplo: que me den mi cita, una disculpa, que se revise el caso."),
                REQUEST_MAX),
            "case_recognised": lambda: text(
                "recognised_person", self.tr("¿A quién quiere reconocer?"),
                self.tr("Escriba el nombre de la persona o del área."),
                validators.SHORT_TEXT_MAX,
                multiline=False, required=True),
            "case_publish": lambda: self.choice_page(
                self.tr("¿Podemos publicar su reconocimiento en el Muro del Trato Digno?"),
                [("yes", self.tr("Sí, pueden publicarlo")),
                 ("no", self.tr("No, prefiero que no se publique"))],
                self._publish_chosen,
                hint=self.tr("Se publica sin sus datos personales y después de revisarlo.")),
            "case_contact_choice": lambda: self.choice_page(
                self.tr("¿Quiere dejar sus datos de contacto?"),
                [("yes", self.tr("Sí, acepto dejar mis datos para que me avisen")),
                 ("no", self.tr("No, continuar sin datos"))],
                self._contact_chosen),
            "case_contact": lambda: self._form_page(
                "case_contact", self.tr("¿Cómo podemos contactarle?"),
                self.tr("Déjenos al menos un teléfono o un correo para avisarle la respuesta."),
                (self.tr("Teléfono"), self.tr("Correo"), self.tr("Código postal"))),
            "case_identity": lambda: self._form_page(
                "case_identity", self.tr("Sus datos"),
                self.tr("Todos son opcionales. Llene solo los que quiera."),
                (self.tr("Nombre"), self.tr("NSS"), self.tr("CURP"))),
            "case_review": self._review_page,
            "case_done": self._done_page,
        }

    # ------------------------------------------------------------------ pages
    def _type_page(self) -> Page:
        return self.choice_page(
            self.tr("¿Qué desea presentar?"),
            [(CaseType.QUEJA.value, self.tr("Una queja: algo salió mal")),
             (CaseType.SUGERENCIA.value, self.tr("Una sugerencia: una idea para mejorar")),
             (CaseType.RECONOCIMIENTO.value,
              self.tr("Un reconocimiento: alguien me atendió muy bien"))],
            self._type_chosen, button_mm=32)

    def _service_page(self) -> Page:
        services = [(s.code, s.label) for s in self.host.content.services.services]
        services.append((NO_SERVICE, wording.no_service_label()))
        return self.choice_page("", services, self._service_chosen, columns=2)

    def _category_page(self) -> Page:
        page = pages.MultiChoicePage(self.host.metrics, self.tr("Continuar"), allow_empty=False)
        page.done.connect(self._categories_done)
        return page

    def _text_page(self, attribute: str, question: str, hint: str, max_length: int, *,
                   multiline: bool = True, required: bool = False) -> Page:
        page = pages.TextPage(self.host.metrics, question, hint=hint, max_length=max_length,
                              multiline=multiline, required=required,
                              continue_text=self.tr("Continuar"))
        page.done.connect(lambda text: self._text_done(attribute, text))
        return page

    def _form_page(self, name: str, question: str, hint: str, captions: tuple[str, ...]) -> Page:
        m = self.host.metrics
        fields = [
            (key, caption, widgets.TextField(
                m, max_length=max_length or validators.SHORT_TEXT_MAX,
                validator=getattr(validators, check) if check else None,
                keyboard_layer="numeric" if numeric else "letters"))
            for (key, max_length, check, numeric), caption in zip(FORM_FIELDS[name], captions,
                                                                   strict=True)
        ]
        if name == "case_contact":
            page: Any = case_pages.ContactPage(m, question, hint, fields, self.tr("Continuar"),
                                               CONTACT_KEYS)
        else:
            page = pages.FormPage(m, question, hint, fields, self.tr("Continuar"))
        page.done.connect(self._personal_done)
        return page

    def _privacy_page(self) -> Page:
        page = case_pages.PrivacyPage(self.host.metrics, self.host.config.privacy_notice_url)
        page.accepted.connect(self._notice_read)
        return page

    def _review_page(self) -> Page:
        page = pages.ReviewPage(self.host.metrics,
                                self.tr("Revise su solicitud antes de enviarla"),
                                self.tr("Enviar"))
        page.submit_requested.connect(self.submit)
        return page

    def _done_page(self) -> Page:
        page = case_pages.ConfirmationPage(self.host.metrics)
        page.finished.connect(self.finished)
        page.print_requested.connect(self.print_receipt)
        page.seconds_left = self.host.idle.seconds_left
        return page

    # ------------------------------------------------------------------ before a page shows
    def prepare(self, name: str, page: Page) -> None:
        case = self.host.session.case
        case_type = case.case_type or CaseType.QUEJA
        if name == "case_type" and case.case_type is not None:
            page.mark(case.case_type.value)  # type: ignore[attr-defined]
        elif name == "case_service":
            page.set_question(wording.SERVICE_QUESTIONS[case_type]())
            page.buttons[NO_SERVICE].setVisible(  # type: ignore[attr-defined]
                case_type in wording.SERVICE_OPTIONAL)
            if case.service_code:
                page.mark(case.service_code)  # type: ignore[attr-defined]
        elif name == "case_privacy":
            page.qr.set_data(self.host.config.privacy_notice_url)  # type: ignore[attr-defined]
            consent = wording.STORY_CONSENTS.get(case_type)
            page.set_consent(consent() if consent else "")  # type: ignore[attr-defined]
        elif name == "case_contact_choice":
            page.set_question(page.question.text(), wording.CONTACT_HINTS[case_type]())
        elif name == "case_category":
            categories = self.host.content.categories
            page.set_choices(  # type: ignore[attr-defined]
                wording.CATEGORY_QUESTIONS[case_type](),
                [(c.code, c.label) for c in categories.for_type(case_type.value)],
                categories.max_choices,
                self.tr("Elija hasta {n}.").format(n=categories.max_choices),
            )
            page.set_selected(case.categories)  # type: ignore[attr-defined]
        elif name == "case_narrative":
            assert isinstance(page, pages.TextPage)
            page.set_question(*wording.NARRATIVE_QUESTIONS[case_type]())
            page.required = case_type in wording.NARRATIVE_REQUIRED
            page.reset()
            page.field.set_text(case.narrative)
        elif name == "case_review":
            page.reset()
            page.set_rows(self.review_rows())  # type: ignore[attr-defined]

    def review_rows(self) -> list[tuple[str, str]]:
        """What the review page lists: (caption, value), in the person's language."""
        c = self.host.session.case
        content = self.host.content
        case_type = c.case_type or CaseType.QUEJA
        labels = {x.code: x.label for x in content.categories.for_type(case_type.value)}
        about, story = wording.REVIEW_CAPTIONS[case_type]()
        service = (content.services.label(c.service_code) if c.service_code
                   else wording.no_service_label())
        rows = [
            (self.tr("Tipo"), wording.type_label(c.case_type)),
            (self.tr("Servicio"), service),
            (about, ", ".join(labels.get(x, x) for x in c.categories)),
            (story, c.narrative),
        ]
        if case_type == CaseType.QUEJA:
            rows += [(self.tr("Personal"), c.staff_involved), (self.tr("Lo que pide"), c.request)]
        if case_type == CaseType.RECONOCIMIENTO:
            rows += [
                (self.tr("A quién reconoce"), c.recognised_person),
                (self.tr("Muro del Trato Digno"),
                 self.tr("Sí, publicar") if c.publish else self.tr("No publicar")),
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

    # ------------------------------------------------------------------ answers
    def _type_chosen(self, code: str) -> None:
        self.host.session.choose_case_type(CaseType(code))
        self.host.next_step()

    def _service_chosen(self, code: str) -> None:
        self.host.session.case.service_code = None if code == NO_SERVICE else code
        self.host.next_step()

    def _categories_done(self, codes: tuple[str, ...]) -> None:
        self.host.session.case.categories = tuple(codes)
        self.host.next_step()

    def _text_done(self, attribute: str, text: str) -> None:
        setattr(self.host.session.case, attribute, text)
        self.host.next_step()

    def _publish_chosen(self, code: str) -> None:
        self.host.session.case.publish = code == "yes"
        self.host.next_step()

    def _contact_chosen(self, code: str) -> None:
        self.host.session.choose_contact(code == "yes")
        if code != "yes":
            for name in FORM_FIELDS:
                built = self.host.built(name)
                if built is not None:
                    built.reset()
        self.host.next_step()

    def _notice_read(self, consented: bool) -> None:
        self.host.session.case.consent = consented
        self.host.next_step()

    def _personal_done(self, values: dict[str, str]) -> None:
        self.host.session.case.personal.update(values)
        self.host.next_step()

    def take_over_from_survey(self) -> None:
        """A very bad rating becomes a complaint in one tap, with the survey's service,
        reasons and comment already filled in (and editable), after the privacy notice."""
        categories = self.host.content.categories
        offered = [c.code for c in categories.for_type(CaseType.QUEJA.value)]
        self.host.session.hand_over_to_complaint(offered, categories.max_choices)
        self.host.idle.start()
        self.host.restart_at("case_privacy", ["menu", "case_type"])

    # ------------------------------------------------------------------ submit
    def submit(self) -> None:
        """ "Enviar" on the review page: save the case once, then show its folio."""
        host = self.host
        if self.saving or host.current != "case_review":
            return
        review = host.page("case_review")
        assert isinstance(review, pages.ReviewPage)
        review.show_error("")
        from kiosk.flow import drafts  # with the services, after the first paint

        draft = drafts.case_draft(host.session, host.content, channel=host.config.channel,
                                  privacy_notice_version=host.config.privacy_notice_version)
        saved = self.save(host.case_service, draft, review, review.submit_button)
        if saved is None:
            return
        done = host.page("case_done")
        assert isinstance(done, case_pages.ConfirmationPage)
        done.set_receipt(
            wording.CONFIRMATION_TITLES[draft.case_type](), saved.folio, saved.tracking_url,
            saved.sensitive,
            receipts.deadline_lines(saved.received_on, saved.completion_due,
                                    saved.resolution_due),
            receipts.follow_text(), can_print=host.receipt_printer is not None)
        # The answers are saved and sealed: drop them from memory and from the screens.
        for name in flow_pages(host.session):
            built = host.built(name)
            if built is not None:
                built.reset()
        review.submit_button.setEnabled(False)  # until the next session resets the page
        host.session.forget_case()
        self.show_receipt("case_done")

    def print_receipt(self) -> None:
        """ "Imprimir comprobante": folio, QR, date and deadlines on the receipt printer
        (once per receipt; never any of the person's words or data)."""
        host = self.host
        done = host.page("case_done")
        assert isinstance(done, case_pages.ConfirmationPage)
        if host.receipt_printer is None or done.receipt is None:
            return
        done.print_button.setEnabled(False)
        printed = host.receipt_printer.print_receipt(done.receipt)
        done.show_print_status(
            self.tr("Listo: tome su comprobante.") if printed else
            self.tr("No se pudo imprimir. Anote su folio o tome una foto del código."))
