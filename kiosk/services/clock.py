"""Moved to :mod:`kiosk.clock` (below every layer, so the sync engine can use it too).

Kept only so that modules not yet updated keep importing; import ``kiosk.clock`` instead.
"""

from kiosk.clock import Clock, FixedClock, SystemClock, now_callable

__all__ = ["Clock", "FixedClock", "SystemClock", "now_callable"]
