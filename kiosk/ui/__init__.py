"""The kiosk's touchscreen: screens and widgets only (no SQL, no HTTP).

This package is the only part of ``kiosk`` that imports Qt. The composition root
(``kiosk.app.main``) builds the services and hands them to :class:`kiosk.ui.window.KioskWindow`.

Importing it applies :func:`keep_none_alive` (see there): on CPython 3.11 the PySide6 6.12
``abi3`` wheels drop one reference to ``None`` on every call of a C++ method that returns
``void``, which would deallocate ``None`` and abort the kiosk after a few thousand taps.
"""

import sys

#: Added to None's reference count on CPython < 3.12; no process makes that many Qt calls.
_NONE_REFERENCE_RESERVE = 1 << 48


def keep_none_alive() -> bool:
    """Make ``None`` effectively immortal on CPython < 3.12 (3.12+ does so by design, PEP 683).

    PySide6 6.12's stable-ABI wheels return ``None`` from ``void`` methods without a new
    reference (correct only where ``None`` is immortal). On 3.11 every ``setText``,
    ``setEnabled``, ``QPainter.drawRect``... leaks one reference until CPython aborts with
    "none_dealloc: deallocating None". ``None`` is never freed legitimately, so reserving a
    huge number of references is harmless. Returns True when the reserve was added.
    """
    if sys.version_info >= (3, 12):
        return False
    import ctypes

    refcount = ctypes.c_ssize_t.from_address(id(None))
    if refcount.value < _NONE_REFERENCE_RESERVE:
        refcount.value += _NONE_REFERENCE_RESERVE
    return True


keep_none_alive()
