"""Sync between the kiosk's outbox and the central server.

``kiosk.sync.wire`` and ``kiosk.sync.signing`` are the protocol, imported by both the kiosk and
the central server; they import neither Qt nor requests. Only ``kiosk.sync.client`` imports
requests.
"""
