"""The kiosk ↔ central protocol, defined once: the wire models (``wire``), request signing
(``signing``) and sealed boxes for personal data (``sealing``)."""
