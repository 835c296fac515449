"""Qt-free session state, steps and drafts of the kiosk's flows."""
