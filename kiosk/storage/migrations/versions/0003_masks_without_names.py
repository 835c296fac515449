"""Masks that identify nobody: existing masks brought down to what capture keeps now.

Masks made by earlier releases kept a first name ("María G."), the e-mail domain, the
assigned clinic in clear and three or four digits of NSS, CURP and phone. They now keep at
most the initials of two words, the first letter of an e-mail, the last two digits and
nothing of an address or a clinic (kiosk/services/masking.py). This revision rewrites every
case's ``masked_personal`` that way (the rule is written out here, frozen with the revision).
With ``secure_delete`` on (kiosk/storage/connection.py) the old text is overwritten in the
file, and the checkpoint at the end of start-up (``truncate``) empties the WAL of it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

DOT = "•"
GIVEN = DOT * 6


def _initials(value: str) -> str:
    words = value.replace(".", " ").split()
    return " ".join(f"{word[0].upper()}." for word in words[:2])


def remask(masks: dict[str, str]) -> dict[str, str]:
    """One case's masks, rewritten; idempotent."""
    out: dict[str, str] = {}
    for name, value in masks.items():
        if name in ("filer_name", "beneficiary_name"):
            out[name] = _initials(value)
        elif name in ("nss", "curp", "phone"):
            shown = value.replace(DOT, "")[-2:]
            out[name] = DOT * (len(value) - len(shown)) + shown
        elif name == "email":
            out[name] = f"{value[0]}{DOT * 3}@{DOT * 3}" if "@" in value else DOT * 3
        elif name == "postal_code":
            out[name] = value.replace(DOT, "")[:2] + DOT * 3
        else:  # address, assigned_clinic, and anything unknown: keep nothing of it
            out[name] = GIVEN
    return out


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, masked_personal FROM case_record")).all()
    for case_id, raw in rows:
        masks = json.loads(raw) if isinstance(raw, str) else (raw or {})
        new = remask(masks)
        if new != masks:
            bind.execute(sa.text("UPDATE case_record SET masked_personal = :m WHERE id = :i"),
                         {"m": json.dumps(new, ensure_ascii=False), "i": case_id})


def downgrade() -> None:
    """Nothing to undo: what the old masks kept is gone, as intended."""
