"""Masks for staff, made at capture from clear values that are then dropped (ADR 0003).

A mask lets an agent tell "this is the case of the person in front of me" (with the folio,
the date and the person's own word) without the disk saying who that person is. Anyone who
takes the disk must not be able to identify a person from the masks, even in a small unit
where a first name, a clinic or an e-mail domain would narrow it to one: so a mask keeps at
most initials, the last two digits of a number, and nothing of an e-mail domain, an address
or the assigned clinic ("given", shown as dots). Masks never include a label; a screen adds
it ("NSS •••••••••03").
"""

from kiosk.services.drafts import PersonalData

DOT = "•"
#: What a filled-in field that keeps nothing of its value is shown as.
GIVEN = DOT * 6
#: Characters of a number (NSS, CURP, phone) left in clear, at the end.
VISIBLE_DIGITS = 2


def mask_name(name: str) -> str:
    """The initials of the first two words: "María Guadalupe Gómez" → "M. G."."""
    words = name.split()
    return " ".join(f"{word[0].upper()}." for word in words[:2])


def mask_tail(value: str, *, visible: int = VISIBLE_DIGITS) -> str:
    """Dots for all but the last ``visible`` characters (separators dropped)."""
    compact = "".join(ch for ch in value if not ch.isspace() and ch != "-")
    if not compact:
        return ""
    if len(compact) <= 2 * visible:  # a short value would show too much of itself
        visible = max(len(compact) // 3, 1)
    return DOT * (len(compact) - visible) + compact[-visible:]


def mask_email(email: str) -> str:
    """The initial of the local part, and nothing of the domain: "m•••@•••"."""
    local, _, domain = email.strip().partition("@")
    if not local or not domain:
        return DOT * 3
    return f"{local[0]}{DOT * 3}@{DOT * 3}"


def mask_personal(personal: PersonalData | None) -> dict[str, str]:
    """Masks of the filled-in fields, keyed by the :class:`PersonalData` field name."""
    if personal is None:
        return {}
    masks: dict[str, str] = {}
    if personal.filer_name.strip():
        masks["filer_name"] = mask_name(personal.filer_name)
    if personal.beneficiary_name.strip():
        masks["beneficiary_name"] = mask_name(personal.beneficiary_name)
    for name in ("nss", "curp", "phone"):
        value = getattr(personal, name)
        if value.strip():
            masks[name] = mask_tail(value)
    if personal.email.strip():
        masks["email"] = mask_email(personal.email)
    if personal.address.strip():
        masks["address"] = GIVEN
    if personal.postal_code.strip():
        masks["postal_code"] = personal.postal_code.strip()[:2] + DOT * 3  # the state only
    if personal.assigned_clinic.strip():
        masks["assigned_clinic"] = GIVEN
    return masks

