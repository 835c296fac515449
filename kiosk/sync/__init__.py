"""Sync between the kiosk's outbox and the central server.

The protocol itself (wire models, signing, sealing) lives in ``trato.protocol``, shared with the
central server. Only ``kiosk.sync.client`` imports requests.
"""
