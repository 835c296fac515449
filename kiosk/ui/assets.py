"""Read-only bundled files: survey instruments, catalogues, styles, fonts, translations.

Everything is looked up under one ``assets`` directory that the composition root passes in
(by default the repository's ``assets/`` next to the ``kiosk`` package, or the PyInstaller
bundle's copy). Nothing here writes.
"""

import json
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any


def default_assets_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "assets"
    return Path(__file__).resolve().parents[2] / "assets"


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    sensitive: bool = False


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: str
    face: str


@dataclass(frozen=True)
class ReasonBand:
    ratings: tuple[int, ...]
    question: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Instrument:
    """A versioned perception-survey instrument (``assets/instruments/<id>/v<n>.json``)."""

    id: str
    version: int
    headline: str
    scale: tuple[ScalePoint, ...]
    decline_label: str
    reason_bands: tuple[ReasonBand, ...]
    max_reasons: int
    comment_question: str
    comment_max: int
    service_question: str

    def band_for(self, rating: int | None) -> ReasonBand | None:
        if rating is None:
            return None
        for band in self.reason_bands:
            if rating in band.ratings:
                return band
        return None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Instrument":
        head = data["headline"]
        reasons = data.get("reasons", {})
        comment = data.get("comment", {})
        return cls(
            id=str(data["id"]),
            version=int(data["version"]),
            headline=head["text"],
            scale=tuple(ScalePoint(int(p["value"]), p["label"], p["face"]) for p in head["scale"]),
            decline_label=head.get("decline_label", ""),
            reason_bands=tuple(
                ReasonBand(
                    ratings=tuple(int(r) for r in b["ratings"]),
                    question=b["question"],
                    choices=tuple(Choice(c["code"], c["label"]) for c in b["choices"][:6]),
                )
                for b in reasons.get("bands", [])
            ),
            max_reasons=min(6, int(reasons.get("max_choices", 6))),
            comment_question=comment.get("question", ""),
            comment_max=int(comment.get("max_length", 1000)),
            service_question=data.get("service_question", ""),
        )


class AssetLibrary:
    """Typed access to the bundled files under ``root``."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else default_assets_dir()

    def _json(self, *parts: str) -> Any:
        return json.loads((self.root.joinpath(*parts)).read_text(encoding="utf-8"))

    def instrument(
        self, instrument_id: str = "trato-general", version: int | None = None
    ) -> Instrument:
        folder = self.root / "instruments" / instrument_id
        if version is None:
            versions = sorted(
                int(p.stem[1:]) for p in folder.glob("v*.json") if p.stem[1:].isdigit()
            )
            version = versions[-1]
        return Instrument.from_json(self._json("instruments", instrument_id, f"v{version}.json"))

    @cached_property
    def services(self) -> tuple[Choice, ...]:
        data = self._json("catalogues", "services.json")
        return tuple(Choice(s["code"], s["label"]) for s in data["services"])

    def service_label(self, code: str | None) -> str:
        for s in self.services:
            if s.code == code:
                return s.label
        return code or ""

    @cached_property
    def _categories(self) -> dict[str, Any]:
        return self._json("catalogues", "case_categories.json")

    @property
    def categories_version(self) -> int:
        return int(self._categories.get("version", 1))

    @property
    def max_categories(self) -> int:
        return int(self._categories.get("max_choices", 3))

    def categories(self, case_type: str) -> tuple[Choice, ...]:
        return tuple(
            Choice(c["code"], c["label"], bool(c.get("sensitive", False)))
            for c in self._categories["types"].get(case_type, [])
        )

    def stylesheet_template(self, theme: str) -> str:
        return (self.root / "styles" / f"{theme}.qss").read_text(encoding="utf-8")

    @property
    def fonts(self) -> list[Path]:
        return sorted((self.root / "fonts").glob("*.ttf"))

    @property
    def translations_dir(self) -> Path:
        return self.root / "translations"
