"""Masks: what staff screens and receipts may show of personal data, and never more than
initials, two digits and no e-mail domain, address or clinic (issue 14, item 4)."""

import importlib

from kiosk.services.drafts import PersonalData
from kiosk.services.masking import GIVEN, mask_email, mask_name, mask_personal, mask_tail


def test_masks() -> None:
    assert mask_name("María Guadalupe Gómez") == "M. G."
    assert mask_name("  ana  ") == "A."
    assert mask_name("") == ""
    assert mask_tail("123-456 78903") == "•••••••••03"
    assert mask_tail("12") == "•2"
    assert mask_tail("  ") == ""
    assert mask_email("ana.perez@imss.gob.mx") == "a•••@•••"
    assert mask_email("no-at-sign") == "•••"
    assert mask_personal(None) == {}
    assert mask_personal(PersonalData()) == {}
    assert mask_personal(PersonalData(phone="55 1234 5678")) == {"phone": "••••••••78"}


def test_no_mask_keeps_a_name_a_domain_or_a_clinic() -> None:
    personal = PersonalData(
        filer_name="Guadalupe Xóchitl Hernández", beneficiary_name="Cuauhtémoc Ramírez",
        nss="12345678903", curp="HEGX800101MDFRRC09", phone="5512345678",
        email="lupita.hernandez@correo-familiar.mx", address="Calle Fresno 12, Tlalpan",
        postal_code="14000", assigned_clinic="UMF No. 27 Tlalpan")
    masks = mask_personal(personal)
    text = " ".join(masks.values())
    for clear in ("Guadalupe", "Xóchitl", "Cuauhtémoc", "correo-familiar", ".mx", "Tlalpan",
                  "UMF", "27", "Fresno", "1234", "903", "C09"):
        assert clear not in text, clear
    assert masks["filer_name"] == "G. X." and masks["beneficiary_name"] == "C. R."
    assert masks["assigned_clinic"] == masks["address"] == GIVEN
    assert sum(ch.isdigit() for ch in masks["phone"]) == 2


def test_migration_0003_brings_old_masks_down_and_is_idempotent() -> None:
    module = importlib.import_module(
        "kiosk.storage.migrations.versions.0003_masks_without_names")
    old = {"filer_name": "María G.", "beneficiary_name": "José P.", "nss": "••••••••903",
           "curp": "•••••••••••••••R00", "phone": "••••••5678", "email": "m•••@correo.mx",
           "address": "••••••", "postal_code": "03•••", "assigned_clinic": "UMF 28",
           "something_new": "Tlalpan"}
    new = module.remask(old)
    assert new == {"filer_name": "M. G.", "beneficiary_name": "J. P.", "nss": "•••••••••03",
                   "curp": "••••••••••••••••00", "phone": "••••••••78", "email": "m•••@•••",
                   "address": GIVEN, "postal_code": "03•••", "assigned_clinic": GIVEN,
                   "something_new": GIVEN}
    assert module.remask(new) == new
    # The rule frozen in the migration is the rule capture uses now.
    fresh = mask_personal(PersonalData(filer_name="María Guadalupe", beneficiary_name="José P",
                                       nss="12345678903", phone="5512345678",
                                       email="m@correo.mx", assigned_clinic="UMF 28"))
    assert module.remask(fresh) == fresh
