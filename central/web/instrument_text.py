"""Each problem of an instrument document (:class:`trato.protocol.instrument.Problem`) as a
sentence for the person who wrote it: where in the questionnaire, in its own words ("Pregunta
3, respuesta 2"), and what is wrong ("falta la etiqueta en español"). Every word comes from
``central/i18n/es.json`` (keys ``instruments.where.*``, ``instruments.field.*``,
``instruments.problem.*``).

Questions are numbered as the kiosk asks them: 1 the headline, then each reason band (2, 3,
…); the comment and the service question are named."""

from typing import Any

from central.web.i18n import t
from trato.protocol.instrument import Problem

#: Field names worded (``instruments.field.<name>``); any other is quoted as it is.
FIELDS = ("id", "version", "title", "headline", "text", "scale", "value", "label", "face",
          "decline_label", "reasons", "max_choices", "bands", "ratings", "question", "choices",
          "code", "sensitive", "comment", "max_length", "optional", "service_question",
          "services", "translations", "tr_label", "tr_question")


def _field(name: Any) -> str:
    if isinstance(name, str) and name in FIELDS:
        return t(f"instruments.field.{name}")
    return t("instruments.field.other", name=name)


def where(path: tuple[Any, ...]) -> tuple[str, str]:
    """(the place in the questionnaire, the field left over) of ``path``."""
    parts: list[str] = []
    rest = list(path)
    if rest[:1] == ["translations"] and len(rest) >= 2:
        parts.append(t("instruments.where.translation", lang=rest[1]))
        rest = rest[2:]
        if rest[:1] == ["scale"] and len(rest) >= 2:
            parts.append(t("instruments.where.question", n=1))
            parts.append(t("instruments.where.answer_value", value=rest[1]))
            rest = ["tr_label"]
        elif rest[:1] == ["headline"]:
            parts.append(t("instruments.where.question", n=1))
            rest = ["text"]
        elif rest[:1] == ["comment"]:
            parts.append(t("instruments.where.comment"))
            rest = ["question"]
        elif rest[:1] == ["bands"] and len(rest) >= 2 and isinstance(rest[1], int):
            parts.append(t("instruments.where.question", n=rest[1] + 2))
            rest = rest[2:] or ["tr_question"]
            if rest[:1] == ["choices"] and len(rest) >= 2:
                parts.append(t("instruments.where.answer_code", code=rest[1]))
                rest = ["tr_label"]
    elif rest[:1] == ["headline"]:
        parts.append(t("instruments.where.question", n=1))
        rest = rest[1:]
        if rest[:1] == ["scale"] and len(rest) >= 2 and isinstance(rest[1], int):
            parts.append(t("instruments.where.answer", n=rest[1] + 1))
            rest = rest[2:]
    elif rest[:2] == ["reasons", "bands"] and len(rest) >= 3 and isinstance(rest[2], int):
        parts.append(t("instruments.where.question", n=rest[2] + 2))
        rest = rest[3:]
        if rest[:1] == ["choices"] and len(rest) >= 2 and isinstance(rest[1], int):
            parts.append(t("instruments.where.answer", n=rest[1] + 1))
            rest = rest[2:]
    elif rest[:1] == ["comment"]:
        parts.append(t("instruments.where.comment"))
        rest = rest[1:]
        if rest == []:
            rest = ["question"]
    elif rest[:1] == ["services"] and len(rest) >= 2:
        parts.append(t("instruments.where.service", n=int(rest[1]) + 1))
        rest = []
    leftover = ""
    if rest:
        leftover = _field(rest[-1]) if not isinstance(rest[-1], int) else t(
            "instruments.where.item", n=rest[-1] + 1)
    place = ", ".join(parts) or t("instruments.where.document")
    return place[:1].upper() + place[1:], leftover


def describe(problem: Problem) -> str:
    """The sentence for one problem."""
    place, name = where(problem.path)
    values = dict(problem.values)
    if "expected" in values:
        values["expected"] = t(f"instruments.type.{values['expected']}")
    what = t(f"instruments.problem.{problem.code}", field=name or t("instruments.field.this"),
             **values)
    return f"{place}: {what}"
