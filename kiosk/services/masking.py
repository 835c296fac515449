"""Masks for staff, made at capture from clear values that are then dropped (ADR 0003).

A mask tells an agent "this is the person you talked to" without keeping the identifier:
``María G.`` for a name, ``••••••••903`` for an NSS. Masks never include a label; the UI adds
it ("NSS ••••••••903").
"""

from kiosk.services.drafts import PersonalData

DOT = "•"


def mask_name(name: str) -> str:
    """First word and the initial of the second: "María Guadalupe Gómez" → "María G."."""
    words = name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0] + "."
    return f"{words[0]} {words[1][0]}."


def mask_tail(value: str, *, visible: int) -> str:
    """Dots for all but the last ``visible`` characters (separators dropped)."""
    compact = "".join(ch for ch in value if not ch.isspace() and ch != "-")
    if not compact:
        return ""
    if len(compact) <= 2 * visible:  # a short value would show too much of itself
        visible = max(len(compact) // 3, 1)
    return DOT * (len(compact) - visible) + compact[-visible:]


def mask_email(email: str) -> str:
    """First character of the local part and the domain: "m•••@correo.mx"."""
    local, _, domain = email.strip().partition("@")
    if not local or not domain:
        return DOT * 3
    return f"{local[0]}{DOT * 3}@{domain}"


def mask_personal(personal: PersonalData | None) -> dict[str, str]:
    """Masks of the filled-in fields, keyed by the :class:`PersonalData` field name."""
    if personal is None:
        return {}
    masks: dict[str, str] = {}
    if personal.filer_name.strip():
        masks["filer_name"] = mask_name(personal.filer_name)
    if personal.beneficiary_name.strip():
        masks["beneficiary_name"] = mask_name(personal.beneficiary_name)
    if personal.nss.strip():
        masks["nss"] = mask_tail(personal.nss, visible=3)
    if personal.curp.strip():
        masks["curp"] = mask_tail(personal.curp, visible=3)
    if personal.phone.strip():
        masks["phone"] = mask_tail(personal.phone, visible=4)
    if personal.email.strip():
        masks["email"] = mask_email(personal.email)
    if personal.address.strip():
        masks["address"] = DOT * 6
    if personal.postal_code.strip():
        masks["postal_code"] = personal.postal_code.strip()[:2] + DOT * 3
    if personal.assigned_clinic.strip():
        masks["assigned_clinic"] = personal.assigned_clinic.strip()
    return masks
