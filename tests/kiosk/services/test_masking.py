"""Masks: what staff screens and receipts show of personal data."""

from kiosk.services.drafts import PersonalData
from kiosk.services.masking import mask_email, mask_name, mask_personal, mask_tail


def test_masks() -> None:
    assert mask_name("María Guadalupe Gómez") == "María G."
    assert mask_name("  Ana  ") == "A."
    assert mask_name("") == ""
    assert mask_tail("123-456 78903", visible=3) == "••••••••903"
    assert mask_tail("12", visible=3) == "•2"
    assert mask_tail("  ", visible=3) == ""
    assert mask_email("ana.perez@imss.gob.mx") == "a•••@imss.gob.mx"
    assert mask_email("no-at-sign") == "•••"
    assert mask_personal(None) == {}
    assert mask_personal(PersonalData()) == {}
    assert mask_personal(PersonalData(phone="55 1234 5678")) == {"phone": "••••••5678"}
