"""A queja, sugerencia or reconocimiento: type, service, categories, the person's own words,
the questions of that type, contact data if the person wants to leave it, the privacy
notice, a review of everything, then the folio.

:class:`CaseFlow` builds these pages from the tables below, records the answers in the
session, builds the draft (:func:`kiosk.flow.drafts.case_draft`) and submits it once. It also
takes over a survey whose very bad rating the person wants to turn into a complaint.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.flow.steps import steps
from kiosk.ui.base import LazyModule, Page
from kiosk.ui.flow import Flow
from trato.domain.enums import CaseType

if TYPE_CHECKING:
    from kiosk.ui import case_pages, pages, widgets
    from trato.domain import validators
else:
    case_pages = LazyModule("kiosk.ui.case_pages")
    pages = LazyModule("kiosk.ui.pages")
    widgets = LazyModule("kiosk.ui.widgets")
    validators = LazyModule("trato.domain.validators")

REQUEST_MAX = 1000

#: The form pages: page -> fields (key, max length (0: a short text), validator, numeric
#: keyboard).
FORM_FIELDS: dict[str, tuple[tuple[str, int, str | None, bool], ...]] = {
    "case_identity": (("filer_name", 0, None, False),
                      ("nss", 20, "validate_nss", True),
                      ("curp", 24, "validate_curp", False)),
    "case_contact": (("phone", 16, "validate_phone", True),
                     ("email", 254, "validate_email", False),
                     ("postal_code", 8, "validate_postal_code", True)),
}


class CaseFlow(Flow):
    def builders(self) -> dict[str, Callable[[], Page]]:
        text = self._text_page
        return {
            "case_type": self._type_page,
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
                [("yes", self.tr("Sí, dejar mis datos")),
                 ("no", self.tr("No, continuar sin datos"))],
                self._contact_chosen),
            "case_privacy": self._privacy_page,
            "case_identity": lambda: self._form_page(
                "case_identity", self.tr("Sus datos"),
                self.tr("Todos son opcionales. Llene solo los que quiera."),
                (self.tr("Nombre"), self.tr("NSS"), self.tr("CURP"))),
            "case_contact": lambda: self._form_page(
                "case_contact", self.tr("¿Cómo podemos contactarle?"),
                self.tr("Déjenos al menos un teléfono o un correo para avisarle la respuesta."),
                (self.tr("Teléfono"), self.tr("Correo"), self.tr("Código postal"))),
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
        return self.choice_page(self.tr("¿En qué servicio ocurrió?"), services,
                                self._service_chosen, columns=2)

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
        page = pages.FormPage(m, question, hint, fields, self.tr("Continuar"))
        page.done.connect(self._personal_done)
        return page

    def _privacy_page(self) -> Page:
        page = case_pages.PrivacyPage(self.host.metrics, self.host.config.privacy_notice_url)
        page.accepted.connect(self._consented)
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
        return page

    # ------------------------------------------------------------------ before a page shows
    def prepare(self, name: str, page: Page) -> None:
        case = self.host.session.case
        if name in ("case_type", "case_service"):
            marked = case.service_code if name == "case_service" else (
                case.case_type.value if case.case_type else None)
            if marked:
                page.mark(marked)  # type: ignore[attr-defined]
        elif name == "case_contact_choice":
            page.set_question(page.question.text(), self._contact_hint(case.case_type))
        elif name == "case_category" and case.case_type is not None:
            categories = self.host.content.categories
            page.set_choices(  # type: ignore[attr-defined]
                self._category_question(case.case_type),
                [(c.code, c.label) for c in categories.for_type(case.case_type.value)],
                categories.max_choices,
                self.tr("Elija hasta {n}.").format(n=categories.max_choices),
            )
            page.set_selected(case.categories)  # type: ignore[attr-defined]
        elif name == "case_narrative":
            assert isinstance(page, pages.TextPage)
            page.set_question(*self._narrative_question(case.case_type))
            page.required = case.case_type in (CaseType.QUEJA, CaseType.SUGERENCIA)
            page.reset()
            page.field.set_text(case.narrative)
        elif name == "case_privacy":
            page.qr.set_data(self.host.config.privacy_notice_url)  # type: ignore[attr-defined]
        elif name == "case_review":
            page.reset()
            page.set_rows(self.review_rows())  # type: ignore[attr-defined]

    def _category_question(self, case_type: CaseType) -> str:
        return {
            CaseType.QUEJA: self.tr("¿Qué pasó?"),
            CaseType.SUGERENCIA: self.tr("¿Sobre qué es su sugerencia?"),
            CaseType.RECONOCIMIENTO: self.tr("¿Qué quiere reconocer?"),
        }[case_type]

    def _narrative_question(self, case_type: CaseType | None) -> tuple[str, str]:
        if case_type == CaseType.QUEJA:
            return (self.tr("Cuéntenos qué pasó"),
                    self.tr("Cuándo y dónde ocurrió, y quién participó. Escriba con sus palabras."))
        if case_type == CaseType.SUGERENCIA:
            return self.tr("Escriba su sugerencia"), self.tr("¿Qué podemos mejorar?")
        return self.tr("Cuéntenos qué hizo (opcional)"), self.tr("Puede dejarlo en blanco.")

    def _contact_hint(self, case_type: CaseType | None) -> str:
        if case_type == CaseType.QUEJA:
            return self.tr(
                "Sin un teléfono o un correo no podremos darle seguimiento ni avisarle la "
                "respuesta a su queja. Aun así puede presentarla sin datos."
            )
        return self.tr("Es opcional.")

    def review_rows(self) -> list[tuple[str, str]]:
        """What the review page lists: (caption, value), in the person's language."""
        c = self.host.session.case
        content = self.host.content
        labels = {x.code: x.label for x in content.categories.for_type(
            c.case_type.value if c.case_type else None)}
        type_labels = {
            CaseType.QUEJA: self.tr("Queja"),
            CaseType.SUGERENCIA: self.tr("Sugerencia"),
            CaseType.RECONOCIMIENTO: self.tr("Reconocimiento"),
        }
        rows = [
            (self.tr("Tipo"), type_labels.get(c.case_type, "") if c.case_type else ""),
            (self.tr("Servicio"), content.services.label(c.service_code)),
            (self.tr("Qué pasó"), ", ".join(labels.get(x, x) for x in c.categories)),
            (self.tr("Relato"), c.narrative),
        ]
        if c.case_type == CaseType.QUEJA:
            rows += [(self.tr("Personal"), c.staff_involved), (self.tr("Lo que pide"), c.request)]
        if c.case_type == CaseType.RECONOCIMIENTO:
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
        self.host.session.case.service_code = code
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

    def _consented(self) -> None:
        self.host.session.case.consent = True
        self.host.next_step()

    def _personal_done(self, values: dict[str, str]) -> None:
        self.host.session.case.personal.update(values)
        self.host.next_step()

    def take_over_from_survey(self) -> None:
        """A very bad rating becomes a complaint in one tap, with the service prefilled."""
        self.host.session.hand_over_to_complaint()
        self.host.idle.start()
        self.host.restart_at("case_category", ["menu", "case_type", "case_service"])

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
        done.set_receipt(saved.folio, saved.tracking_url, saved.sensitive)
        # The answers are saved and sealed: drop them from memory and from the screens.
        for name in steps(host.session):
            built = host.built(name)
            if built is not None:
                built.reset()
        review.submit_button.setEnabled(False)  # until the next session resets the page
        host.session.forget_case()
        self.show_receipt("case_done")
