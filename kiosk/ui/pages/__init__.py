"""The page classes more than one flow uses: one question per screen, big targets, no
database access. Each flow module (``kiosk.ui.survey``, ``kiosk.ui.case``, ...) builds its
pages from these and from its own page classes.

Every page documents its signals; the flow that built it listens. ``reset()`` wipes whatever a
person chose or typed on that page. A page that moves on by a button makes it with
:func:`main_action`: the window shows it at the bottom right, the same spot on every page.
"""

from kiosk.ui.base import AttractPage, Page
from kiosk.ui.pages.action import main_action
from kiosk.ui.pages.choice import CHECK_MARK, MultiChoicePage, SingleChoicePage
from kiosk.ui.pages.text import FormPage, InfoPage, ReviewPage, TextPage, scrolling_body

__all__ = [
    "CHECK_MARK",
    "AttractPage",
    "FormPage",
    "InfoPage",
    "MultiChoicePage",
    "Page",
    "ReviewPage",
    "SingleChoicePage",
    "TextPage",
    "main_action",
    "scrolling_body",
]
