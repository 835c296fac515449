"""Sync integration and fault tests (real processes, real network on loopback)."""
