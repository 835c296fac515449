"""The instrument format (trato.protocol.instrument): the bundled instrument is valid, each
kind of mistake is one problem at its path, a translation must say every sentence, and the
fingerprint changes only with the headline question or its scale. Every problem code and
field has its Spanish wording on the board."""

import copy
import json
from typing import Any

import pytest

from central.web.i18n import has_key
from central.web.instrument_text import FIELDS, describe
from tests.support.central import ROOT
from trato.protocol.instrument import Problem, fingerprint, problems

V1 = json.loads((ROOT / "assets" / "instruments" / "trato-general" / "v1.json")
                .read_text(encoding="utf-8"))


def _doc(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(V1)
    doc.update(changes)
    return doc


def _found(doc: Any) -> list[tuple[str, str]]:
    return [(".".join(map(str, p.path)), p.code) for p in problems(doc)]


def test_the_bundled_instrument_is_valid() -> None:
    assert problems(V1) == []


def _without_label() -> dict[str, Any]:
    doc = _doc()
    del doc["reasons"]["bands"][1]["choices"][1]["label"]
    return doc


def _duplicate_code() -> dict[str, Any]:
    doc = _doc()
    doc["reasons"]["bands"][0]["choices"][2]["code"] = "espera"
    return doc


def _rating_off_scale() -> dict[str, Any]:
    doc = _doc()
    doc["headline"]["scale"] = doc["headline"]["scale"][:4]
    return doc


@pytest.mark.parametrize("doc, expected", [
    (_without_label(), [("reasons.bands.1.choices.1.label", "missing")]),
    (_doc(version="2"), [("version", "wrong_type")]),
    (_doc(title="   "), [("title", "empty")]),
    (_doc(id="Trato General"), [("id", "bad_code")]),
    (_doc(colour="verde"), [("colour", "unknown_field")]),
    (_duplicate_code(), [("reasons.bands.0.choices.2.code", "repeated_code")]),
    (_rating_off_scale(), [("reasons.bands.2.ratings", "rating_off_scale")]),
    ([], [("", "not_object")]),
])
def test_each_mistake_is_one_problem_at_its_path(doc: Any, expected: list[tuple[str, str]]
                                                 ) -> None:
    assert _found(doc) == expected


def test_a_translation_missing_a_question_is_an_error() -> None:
    complete = {"headline": "How were you treated today?",
                "scale": {str(v): f"label {v}" for v in range(1, 6)},
                "decline_label": "I prefer not to answer",
                "bands": [{"question": f"q{i}", "choices": {c["code"]: c["code"]
                                                            for c in band["choices"]}}
                          for i, band in enumerate(V1["reasons"]["bands"])],
                "comment": "Anything else?", "service_question": "Which service?"}
    assert problems(_doc(translations={"en": complete})) == []
    partial = copy.deepcopy(complete)
    del partial["bands"][2]
    del partial["scale"]["4"]
    assert _found(_doc(translations={"en": partial})) == [
        ("translations.en.scale.4", "missing"), ("translations.en.bands.2", "missing")]


def test_the_fingerprint_follows_the_headline_question_and_scale_only() -> None:
    same = _doc(title="Otro título")
    same["reasons"]["bands"][0]["question"] = "¿Qué salió mal?"
    assert fingerprint(same) == fingerprint(V1)
    reworded = _doc()
    reworded["headline"]["text"] = "¿Cómo le trataron?"
    relabelled = _doc()
    relabelled["headline"]["scale"][2]["label"] = "Ni bien ni mal"
    assert len({fingerprint(V1), fingerprint(reworded), fingerprint(relabelled)}) == 3


CODES = ("not_object", "bad_name", "missing", "unknown_field", "wrong_type", "empty",
         "too_long", "too_small", "too_large", "too_few", "too_many", "bad_code",
         "not_allowed", "repeated", "invalid", "repeated_value", "rating_off_scale",
         "rating_twice", "repeated_code", "too_big", "not_json", "published_immutable")


def test_every_problem_and_field_is_worded_in_spanish() -> None:
    source = (ROOT / "trato" / "protocol" / "instrument.py").read_text(encoding="utf-8")
    source += (ROOT / "central" / "services" / "instruments.py").read_text(encoding="utf-8")
    for code in CODES:
        assert f'"{code}"' in source, code
        assert has_key(f"instruments.problem.{code}"), code
    for name in FIELDS:
        assert has_key(f"instruments.field.{name}"), name
    for kind in ("object", "array", "string", "integer", "boolean"):
        assert has_key(f"instruments.type.{kind}")
    assert describe(Problem(("headline", "scale", 1, "label"), "empty")) == (
        "Pregunta 1, respuesta 2: falta escribir la etiqueta en español.")
