"""The kiosk's touchscreen: screens and widgets only (no SQL, no HTTP).

This package is the only part of ``kiosk`` that imports Qt. The composition root
(``kiosk.app.main``) builds the services and hands them to :class:`kiosk.ui.window.KioskWindow`.

PySide6 is pinned below 6.12: the 6.12.0 wheels drop a reference to ``None`` on every call of a
C++ method returning ``void`` on CPython 3.11, which aborts a long-running kiosk (ADR 0004;
``tests/kiosk/ui/test_qt_runtime.py`` guards against a binding with that defect).
"""
