"""Record ids: UUIDs whose first 48 bits are the time they were made (RFC 9562 version 7).

A record's id is its identity everywhere (ADR 0001); any UUID will do for that. Time-ordered
ids also keep the central server's two largest indexes (the idempotency ledger's and the
survey responses' primary keys) growing at their right edge: new ids land on the same few
index pages instead of anywhere in an index of tens of millions of entries. Measured on the
national year: 500-record batches insert about three times faster (docs/scaling.md). The other
74 bits are random, so two kiosks, or one kiosk in the same millisecond, never make the same id.
"""

import os
import time
import uuid


def new_record_id(unix_ms: int | None = None) -> uuid.UUID:
    """A new version-7 UUID (``unix_ms``: the time to put in it; default now)."""
    ms = time.time_ns() // 1_000_000 if unix_ms is None else unix_ms
    rand = int.from_bytes(os.urandom(10), "big")  # 80 random bits, 74 used
    value = (ms & (2**48 - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= ((rand >> 64) & 0xFFF) << 64  # rand_a: 12 bits
    value |= 0b10 << 62  # variant RFC 4122/9562
    value |= rand & (2**62 - 1)  # rand_b: 62 bits
    return uuid.UUID(int=value)
