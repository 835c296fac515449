"""A page's main action: "Continuar", "Enviar", "Consultar"."""

from kiosk.ui.base import Page, TouchButton, big_button


def main_action(page: Page, text: str) -> TouchButton:
    """The button that takes ``page`` forward. The window shows it in its action bar, bottom
    right (:class:`kiosk.ui.frame.ActionBar`), in the same spot on every page whether the
    keyboard is up or not; until then it waits, hidden, on ``page``."""
    button = big_button(text, page.metrics, "primary")
    button.setParent(page)
    button.hide()
    page.primary_button = button  # type: ignore[attr-defined]
    return button
