"""The bars around every page: above it, "Atrás", the brand, the step indicator, the
larger-text and high-contrast toggles and the IMSS logo (five taps open the staff area)
(:class:`TopBar`); at the bottom of the window, below the on-screen keyboard, the page's main
action (:class:`ActionBar`).

"Atrás" lives top left, beside the step indicator; "Continuar", "Enviar", "Consultar" bottom
right, in the same spot on every screen whether the keyboard shows or not. Built before the
first paint, so only cheap widgets.
"""

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget
from shiboken6 import isValid

from kiosk.ui.base import NO_FOCUS, Page, big_button, label, set_role
from kiosk.ui.metrics import Metrics


class TopBar(QFrame):
    """Its buttons are the screen's smallest targets (:attr:`Metrics.touch`, 15 mm where the
    screen allows); with "Texto grande" on a narrow screen the toggles wrap their words."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__()
        self.setObjectName("TopBar")
        self.row = row = QHBoxLayout(self)
        self.back_button = big_button("", metrics, "bar")
        row.addWidget(self.back_button)
        self.brand = label("", wrap=False)
        row.addWidget(self.brand)
        self.step_label = label("", "steps", wrap=False)
        row.addWidget(self.step_label)
        row.addStretch(1)
        self.large_text_button = big_button("", metrics, "bar", checkable=True)
        self.contrast_button = big_button("", metrics, "bar", checkable=True,
                                          pictogram="contrast")
        for toggle in (self.large_text_button, self.contrast_button):
            policy = toggle.sizePolicy()
            toggle.setSizePolicy(policy.horizontalPolicy().Preferred, policy.verticalPolicy())
            row.addWidget(toggle)
        self.logo = QPushButton("IMSS")
        set_role(self.logo, "logo")
        self.logo.setProperty("focusPolicy", NO_FOCUS)  # no Qt enums before the first paint
        row.addWidget(self.logo)
        self.apply_metrics(metrics)
        self.retranslate()

    def apply_metrics(self, metrics: Metrics) -> None:
        """Size the bar for ``metrics`` (a new screen size or DPI)."""
        m = metrics
        # 3 mm below: the page's first target (the whole attract screen) keeps its distance.
        self.row.setContentsMargins(m.mm(4), m.mm(2), m.mm(2), m.gap)
        self.row.setSpacing(m.gap)
        self.back_button.setMinimumHeight(m.touch)
        self.back_button.setMinimumWidth(m.mm(40))
        self.back_button.setMaximumWidth(m.mm(80))
        for toggle in (self.large_text_button, self.contrast_button):
            toggle.setMinimumHeight(m.touch)
        self.logo.setFixedSize(m.mm(30), m.touch)

    def retranslate(self) -> None:
        self.brand.setText(self.tr("Trato Digno"))
        self.large_text_button.setText(self.tr("A+ Texto grande"))
        self.contrast_button.setText(self.tr("Alto contraste"))
        self.back_button.setText(self.tr("‹ Atrás"))

    def show_for(self, page: Page) -> None:
        self.back_button.setVisible(page.show_back)
        self.brand.setVisible(not page.show_back)
        # Larger text and contrast belong to a person's session (they reset when it ends),
        # so they are offered only inside one, never on the attract screen.
        self.large_text_button.setVisible(page.in_session)
        self.contrast_button.setVisible(page.in_session)

    def set_step(self, position: tuple[int, int] | None) -> None:
        if position is None:
            self.step_label.setText("")
        else:
            n, total = position
            self.step_label.setText(self.tr("Paso {n} de {total}").format(n=n, total=total))


class ActionBar(QFrame):
    """The bottom of the window: the shown page's main action, bottom right, always the same
    size and in the same spot. A page offers it as ``primary_button`` (see
    :func:`kiosk.ui.pages.main_action`) and may give the bar a line to show, left of it or
    alone, as ``bar_note`` (a receipt's countdown: a receipt has no button there, nothing of
    it is where "Enviar" was). The bar lends them a place while their page is shown and gives
    them back to their page afterwards (so they go with it when it is rebuilt); it hides when
    the page offers neither (a one-tap question moves on by itself).

    It lies inside the window, so the tap guard (:mod:`kiosk.ui.tapguard`) drops a tap that
    lands on it just after a change of page, like any other."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("ActionBar")
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.button: QWidget | None = None
        self.note: QWidget | None = None
        self._owner: Page | None = None
        self.hide()

    @staticmethod
    def button_width(metrics: Metrics) -> int:
        """Wide enough for "Continuar" with larger text; a third of a roomy screen."""
        return metrics.mm(60 + 20 * metrics.fit)

    def show_for(self, page: Page) -> None:
        self._give_back()
        button: QWidget | None = getattr(page, "primary_button", None)
        note: QWidget | None = getattr(page, "bar_note", None)
        m = page.metrics
        self.row.setContentsMargins(m.margin, m.spacing, m.margin, m.spacing)
        self.row.setSpacing(m.mm(4))
        if note is not None:
            self.row.addWidget(note, 1)
            note.show()
        else:
            self.row.addStretch(1)
        if button is not None:
            button.setFixedWidth(self.button_width(m))
            self.row.addWidget(button)
            button.show()
        self._owner, self.button, self.note = page, button, note
        self.setVisible(button is not None or note is not None)

    def _give_back(self) -> None:
        while self.row.count():
            self.row.takeAt(0)
        owner = self._owner
        for widget in (self.button, self.note):
            if widget is None:
                continue
            widget.hide()
            if owner is not None and isValid(owner):
                widget.setParent(owner)
            else:  # its page was dropped while it was shown here
                widget.deleteLater()
        self._owner = self.button = self.note = None
