"""Folios round-trip through every way a person may write or dictate them, and the check
character catches the mistakes people make."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trato.domain import folio as f

units = st.integers(0, f.MAX_UNIT_NUMBER)
kiosks = st.integers(0, f.MAX_KIOSK_NUMBER)
sequences = st.integers(0, f.MAX_SEQUENCE)


@st.composite
def folios(draw: st.DrawFn) -> f.Folio:
    return f.make_folio(
        unit_number=draw(units), kiosk_number=draw(kiosks), sequence=draw(sequences)
    )


@given(folios())
def test_round_trip_of_the_grouped_and_compact_forms(folio: f.Folio) -> None:
    text = str(folio)
    assert len(folio.compact) == f.FOLIO_LEN == 12
    assert len(text) == 14 and text[4] == text[9] == "-"
    assert f.parse_folio(text) == folio
    assert f.parse_folio(folio.compact) == folio
    assert set(folio.compact) <= set(f.ALPHABET)
    assert not set(folio.compact) & set("ILOU")


@given(folios(), st.sampled_from([" ", "", ".", "_", "\u00a0"]), st.booleans())
def test_parsing_forgives_case_and_separators(folio: f.Folio, sep: str, lower: bool) -> None:
    c = folio.compact
    text = sep.join((c[0:4], c[4:8], c[8:12]))
    assert f.parse_folio(text.lower() if lower else text) == folio


@given(folios())
def test_crockford_look_alikes_are_read_as_digits(folio: f.Folio) -> None:
    text = folio.compact.replace("1", "l").replace("0", "O")
    assert f.parse_folio(text) == folio


@given(folios(), st.integers(0, f.FOLIO_LEN - 1), st.sampled_from(f.ALPHABET))
def test_every_single_character_error_is_caught(folio: f.Folio, pos: int, ch: str) -> None:
    c = folio.compact
    if c[pos] == ch:
        return
    with pytest.raises(f.FolioError):
        f.parse_folio(c[:pos] + ch + c[pos + 1 :])


#: Luhn mod N cannot see one adjacent transposition: the first and last characters of the
#: alphabet ("0Z" <-> "Z0"), just as Luhn mod 10 misses "09" <-> "90". The docstring of
#: trato.domain.folio and ADR 0001 claim "every" transposition; this pair is the exception.
UNDETECTABLE_PAIR = {f.ALPHABET[0], f.ALPHABET[-1]}


@given(folios(), st.integers(0, f.FOLIO_LEN - 2))
def test_adjacent_transpositions_are_caught_except_0_z(folio: f.Folio, pos: int) -> None:
    c = folio.compact
    if c[pos] == c[pos + 1]:
        return
    swapped = c[:pos] + c[pos + 1] + c[pos] + c[pos + 2 :]
    if {c[pos], c[pos + 1]} == UNDETECTABLE_PAIR:
        assert f.parse_folio(swapped) != folio  # accepted, but as another folio
        return
    with pytest.raises(f.FolioError):
        f.parse_folio(swapped)


def test_the_known_blind_spot_of_luhn_mod_32() -> None:
    folio = f.make_folio(unit_number=f.decode("0Z0"), kiosk_number=0, sequence=0)
    c = folio.compact
    assert c.startswith("0Z")
    swapped = "Z0" + c[2:]
    assert f.parse_folio(swapped).unit_number == f.decode("Z00")


@given(st.text(max_size=20))
def test_parse_never_crashes_on_anything_typed(text: str) -> None:
    try:
        folio = f.parse_folio(text)
    except f.FolioError:
        return
    assert f.parse_folio(str(folio)) == folio


@pytest.mark.parametrize(
    "kwargs",
    [
        {"unit_number": -1, "kiosk_number": 0, "sequence": 0},
        {"unit_number": f.MAX_UNIT_NUMBER + 1, "kiosk_number": 0, "sequence": 0},
        {"unit_number": 0, "kiosk_number": f.MAX_KIOSK_NUMBER + 1, "sequence": 0},
        {"unit_number": 0, "kiosk_number": 0, "sequence": f.MAX_SEQUENCE + 1},
    ],
)
def test_numbers_out_of_range_make_no_folio(kwargs: dict) -> None:
    with pytest.raises(f.FolioError):
        f.make_folio(**kwargs)


def test_encode_refuses_numbers_that_do_not_fit() -> None:
    with pytest.raises(f.FolioError):
        f.encode(32, 1)


@given(st.integers(0, f.MAX_SEQUENCE - 1))
def test_consecutive_sequences_give_distinct_folios(seq: int) -> None:
    a = f.make_folio(unit_number=5, kiosk_number=1, sequence=seq)
    b = f.make_folio(unit_number=5, kiosk_number=1, sequence=seq + 1)
    assert a.compact != b.compact
