"""Trato Digno kiosk.

Importing ``kiosk`` (or anything outside ``kiosk.ui``) must never import Qt: the domain,
storage, services and sync layers run in tests, the sync process and the central server
without a GUI toolkit.
"""

__version__ = "0.1.0"
