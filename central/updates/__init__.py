"""Signed kiosk updates: the TUF repository (``repository``), the operator's commands
(``cli``), the static files under /updates and the signed rollout offer (``web``), the
staged rollouts per branch (``rollout``). The board's part is central/web/fleet_updates.py."""
