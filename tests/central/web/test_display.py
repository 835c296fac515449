"""How the pages write folios, services and clock offsets for people in Mexico."""

import pytest

from central.web.display import display_folio, format_offset, service_name


@pytest.mark.parametrize("seconds, text", [
    (None, "—"), (3, "+3 s"), (-119, "−119 s"), (600, "+10 min"), (-7200, "−2 h"),
    (-31536000, "−365 días"),
])
def test_clock_offsets_read_in_the_largest_fitting_unit(seconds: float | None, text: str) -> None:
    assert format_offset(seconds) == text


def test_folios_get_their_hyphens_back() -> None:
    assert display_folio("00390001000K") == "0039-0001-000K"
    assert display_folio("0039-0001-000K") == "0039-0001-000K"
    assert display_folio("short") == "short"


def test_services_by_their_catalogue_name() -> None:
    assert service_name("urgencias") == "Urgencias"
    assert service_name("") == "Sin servicio indicado"
    assert service_name("banco_de_sangre_x") == "Banco de sangre x"
