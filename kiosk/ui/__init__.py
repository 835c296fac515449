"""The kiosk's touchscreen: screens and widgets only (no SQL, no HTTP).

This package is the only part of ``kiosk`` that imports Qt. The composition root
(``kiosk.app.main``) builds the services and hands them to :class:`kiosk.ui.window.KioskWindow`.
"""
