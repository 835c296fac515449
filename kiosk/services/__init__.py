"""Kiosk use cases: what the screens ask for. Services own transactions; screens never do."""
