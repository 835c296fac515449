"""The survey instrument's published format: a JSON Schema (``instrument.schema.json`` beside
this module, served by the central server at :data:`SCHEMA_PATH`) plus the rules a schema
cannot state (a reason band's ratings on the scale, codes unique, every translation
complete). Both programs check a document here: the central server when someone uploads it,
the kiosk when it receives it. ``docs/instruments.md`` explains the format to its authors.

:func:`problems` answers structured :class:`Problem` values (a path into the document, a code,
values), never sentences: the board words them in Spanish (``central/web/instrument_text.py``),
the kiosk logs the codes and paths only.

:func:`fingerprint` says when two versions may be pooled on the board: the same headline
question with the same answer scale.
"""

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

#: Where the central server serves the schema (stable: instruments name it in ``$schema``).
SCHEMA_PATH = "/esquemas/instrumento-v1.json"

Path = tuple[str | int, ...]


@dataclass(frozen=True, eq=False)
class Problem:
    """One thing wrong in a document: where (``path``), what (``code``) and its values."""

    path: Path
    code: str
    values: dict[str, Any] = field(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and (self.path, self.code) == (other.path, other.code)

    def __hash__(self) -> int:
        return hash((self.path, self.code))

    def __str__(self) -> str:  # for logs: never the document's text
        where = ".".join(map(str, self.path)) or "document"
        return f"{where}: {self.code}"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("trato.protocol").joinpath("instrument.schema.json").read_text(
        encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # imported on first use (kiosk start-up)

    return Draft202012Validator(schema())


def problems(document: Any) -> list[Problem]:
    """Everything wrong with ``document`` (empty: it is a valid instrument), in document
    order; the extra rules are checked only once the schema is satisfied."""
    if not isinstance(document, dict):
        return [Problem((), "not_object")]
    found: list[Problem] = []
    for error in sorted(_validator().iter_errors(document), key=lambda e: list(map(str, e.path))):
        found.extend(p for p in _from_schema_error(error) if p not in found)
    if found:
        return found
    return _rules(document)


def _from_schema_error(error: Any) -> list[Problem]:
    path: Path = tuple(error.absolute_path)
    kind, value, instance = error.validator, error.validator_value, error.instance
    if "propertyNames" in error.relative_schema_path:
        return [Problem(path, "bad_name", {"name": str(instance)})]
    if kind == "required":
        present = instance if isinstance(instance, dict) else {}
        return [Problem((*path, name), "missing") for name in value if name not in present]
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        return [Problem((*path, name), "unknown_field") for name in instance if name not in known]
    if kind == "type":
        return [Problem(path, "wrong_type", {"expected": value})]
    if kind in ("minLength", "pattern") and isinstance(instance, str) and not instance.strip():
        return [Problem(path, "empty")]
    simple = {"maxLength": "too_long", "minimum": "too_small", "maximum": "too_large",
              "minItems": "too_few", "maxItems": "too_many", "pattern": "bad_code",
              "enum": "not_allowed", "uniqueItems": "repeated"}
    code = simple.get(kind, "invalid")
    return [Problem(path, code, {"limit": value} if code != "not_allowed"
                    else {"options": ", ".join(map(str, value))})]


def _rules(doc: dict[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    values = [p["value"] for p in doc["headline"]["scale"]]
    for i, v in enumerate(values):
        if v in values[:i]:
            found.append(Problem(("headline", "scale", i, "value"), "repeated_value", {"value": v}))
    seen_ratings: set[int] = set()
    bands = doc.get("reasons", {}).get("bands", [])
    for b, band in enumerate(bands):
        for rating in band["ratings"]:
            if rating not in values:
                found.append(Problem(("reasons", "bands", b, "ratings"), "rating_off_scale",
                                     {"value": rating}))
            elif rating in seen_ratings:
                found.append(Problem(("reasons", "bands", b, "ratings"), "rating_twice",
                                     {"value": rating}))
            seen_ratings.add(rating)
        codes = [c["code"] for c in band["choices"]]
        for c, code in enumerate(codes):
            if code in codes[:c]:
                found.append(Problem(("reasons", "bands", b, "choices", c, "code"),
                                     "repeated_code", {"value": code}))
    for lang, tr in sorted(doc.get("translations", {}).items()):
        found.extend(_translation(doc, lang, tr, values, bands))
    return found


def _translation(doc: dict[str, Any], lang: str, tr: dict[str, Any], values: list[int],
                 bands: list[dict[str, Any]]) -> list[Problem]:
    """A translation must say every sentence the Spanish document says (and no other)."""
    base: Path = ("translations", lang)
    found = [Problem((*base, "scale", str(v)), "missing") for v in values
             if str(v) not in tr["scale"]]
    found += [Problem((*base, "scale", k), "unknown_field") for k in tr["scale"]
              if not k.isdigit() or int(k) not in values]
    if "decline_label" in doc["headline"] and "decline_label" not in tr:
        found.append(Problem((*base, "decline_label"), "missing"))
    tr_bands = tr.get("bands", [])
    for b, band in enumerate(bands):
        if b >= len(tr_bands):
            found.append(Problem((*base, "bands", b), "missing"))
            continue
        if "question" not in tr_bands[b]:
            found.append(Problem((*base, "bands", b, "question"), "missing"))
        labels = tr_bands[b].get("choices", {})
        found += [Problem((*base, "bands", b, "choices", c["code"]), "missing")
                  for c in band["choices"] if c["code"] not in labels]
        codes = {c["code"] for c in band["choices"]}
        found += [Problem((*base, "bands", b, "choices", k), "unknown_field")
                  for k in labels if k not in codes]
    found += [Problem((*base, "bands", b), "unknown_field")
              for b in range(len(bands), len(tr_bands))]
    if doc.get("comment", {}).get("question") and "comment" not in tr:
        found.append(Problem((*base, "comment"), "missing"))
    if doc.get("service_question") and "service_question" not in tr:
        found.append(Problem((*base, "service_question"), "missing"))
    return found


def fingerprint(document: dict[str, Any]) -> str:
    """What makes two versions' satisfaction figures comparable: the headline question's text
    and its answer scale (values and labels). 16 hex digits of SHA-256."""
    headline = document.get("headline") or {}
    key = {"text": " ".join(str(headline.get("text", "")).split()),
           "scale": sorted([p.get("value"), " ".join(str(p.get("label", "")).split())]
                           for p in headline.get("scale", []) if isinstance(p, dict))}
    raw = json.dumps(key, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:16]
