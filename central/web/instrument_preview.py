"""The screens a kiosk shows for an instrument, as data a template draws (``/instrumentos``
preview): the headline question with its faces, one screen per reason band, the services, the
comment. The kiosk draws these with Qt (``kiosk/ui/survey.py``); the server cannot, so this
follows the same document the same way: up to ``max_choices`` reasons, the services the
instrument names (all of the catalogue when it names none), a translation when asked."""

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from central.catalogue import ROOT
from central.models import Catalogue

#: Mouth curvature per face, as the kiosk draws it (kiosk/ui/widgets.py FACE_CURVE).
FACE_CURVE = {"very_bad": -1.0, "bad": -0.5, "neutral": 0.0, "good": 0.5, "very_good": 1.0}
#: Answers on one kiosk screen (kiosk/services/configuration.py MAX_CHOICES).
MAX_CHOICES = 6


@dataclass
class Screen:
    step: str  # rating, reasons, service, comment
    question: str
    items: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""  # which ratings lead here (reasons), or how many may be marked
    extra: str = ""  # the decline button (rating)


def services_catalogue(session: Session) -> list[dict[str, str]]:
    """The newest published services catalogue, else the bundled one."""
    row = session.execute(select(Catalogue).where(Catalogue.name == "services")
                          .order_by(Catalogue.version.desc()).limit(1)).scalars().first()  # type: ignore[attr-defined]
    data = row.data if row is not None else json.loads(
        (ROOT / "assets" / "catalogues" / "services.json").read_text(encoding="utf-8"))
    return [s for s in data.get("services", []) if isinstance(s, dict)]


def face_path(face: str) -> str:
    """The mouth of ``face`` as an SVG path in a 100×100 box (as the kiosk's painter)."""
    curve = FACE_CURVE.get(face, 0.0)
    y = 66 - curve * 5
    return f"M30 {y:g} Q50 {y + curve * 22:g} 70 {y:g}"


def screens(document: dict[str, Any], services: list[dict[str, str]],
            language: str | None = None) -> list[Screen]:
    """Every screen of the survey in the order a person meets them."""
    tr = (document.get("translations") or {}).get(language or "", {})
    headline = document.get("headline", {})
    scale_tr = tr.get("scale", {})
    out = [Screen("rating", tr.get("headline") or headline.get("text", ""), [
        {"value": p.get("value"), "face": p.get("face", "neutral"),
         "mouth": face_path(p.get("face", "neutral")), "brows": p.get("face") == "very_bad",
         "label": scale_tr.get(str(p.get("value"))) or p.get("label", "")}
        for p in headline.get("scale", [])],
        extra=tr.get("decline_label") or headline.get("decline_label", "Prefiero no responder"))]
    reasons = document.get("reasons", {})
    bands_tr = tr.get("bands", [])
    for i, band in enumerate(reasons.get("bands", [])):
        band_tr = bands_tr[i] if i < len(bands_tr) else {}
        labels = band_tr.get("choices", {})
        out.append(Screen(
            "reasons", band_tr.get("question") or band.get("question", ""),
            [{"code": c.get("code"), "label": labels.get(c.get("code")) or c.get("label", "")}
             for c in band.get("choices", [])[:MAX_CHOICES]],
            note=", ".join(map(str, band.get("ratings", []))),
            extra=str(reasons.get("max_choices", MAX_CHOICES))))
    wanted = document.get("services")
    offered = [s for s in services if not wanted or s.get("code") in wanted]
    out.append(Screen("service", tr.get("service_question") or document.get(
        "service_question", ""), [{"code": s.get("code"), "label": s.get("label", "")}
                                  for s in offered]))
    comment = document.get("comment", {})
    if comment.get("question"):
        out.append(Screen("comment", tr.get("comment") or comment["question"],
                          note=str(comment.get("max_length", 1000))))
    return out
