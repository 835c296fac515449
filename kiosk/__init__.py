"""Trato Digno kiosk.

Importing ``kiosk`` (or anything outside ``kiosk.ui``) must never import Qt: the domain,
storage, services and sync layers run in tests, the sync process and the central server
without a GUI toolkit.
"""

import sys
from pathlib import Path

#: The version of this source tree; a folder build carries it as ``_internal/VERSION``
#: (installer/trato-kiosk.spec writes it), and a build reports what that file says: the
#: version it was published under (``trato-central updates publish`` checks they agree).
SOURCE_VERSION = "0.1.0"


def _build_version() -> str:
    bundle = getattr(sys, "_MEIPASS", None) if getattr(sys, "frozen", False) else None
    if bundle is None:
        return SOURCE_VERSION
    try:
        # utf-8, not ascii: its codec is loaded already (the ascii one would be one more
        # module before the first paint); a version is ASCII either way.
        return (Path(bundle) / "VERSION").read_text(encoding="utf-8").strip() or SOURCE_VERSION
    except (OSError, UnicodeDecodeError):
        return SOURCE_VERSION


__version__ = _build_version()
