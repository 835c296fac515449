"""The staff area behind the discreet gesture and the PIN: one module per staff screen.

:mod:`.area` is the flow the window talks to (gesture, PIN, which page comes next); the pages
live beside it (:mod:`.pin`, :mod:`.status`)."""

from kiosk.ui.staff.area import StaffArea
from kiosk.ui.staff.pin import PinPage
from kiosk.ui.staff.status import StaffPage

__all__ = ["PinPage", "StaffArea", "StaffPage"]
