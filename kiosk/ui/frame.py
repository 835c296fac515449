"""The bar above every page: "Atrás", the brand, the step indicator, the larger-text and
high-contrast toggles, and the IMSS logo (five taps open the staff area).

"Atrás" lives top left, beside the step indicator: the bottom of the screen is kept for the
answers and the on-screen keyboard. Built before the first paint, so only cheap widgets.
"""

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton

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
