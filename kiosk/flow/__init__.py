"""A person's way through the kiosk, without Qt: the session's answers (:mod:`.session`),
the numbered steps of each flow (:mod:`.steps`), the drafts handed to the services
(:mod:`.drafts`) and the staff PIN lockout (:mod:`.pin`).

The screens in ``kiosk.ui`` record answers here and ask here where to go next; everything in
this package is tested without a display (``tests/kiosk/flow``).
"""
