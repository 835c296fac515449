"""What the screens show that the central server may change (design principle 7): the survey
instrument and the catalogues of services and case categories.

:class:`BundledContent` reads the files shipped with the kiosk (``assets/instruments``,
``assets/catalogues``). :class:`ReceivedContent` reads the newest instrument and catalogues the
kiosk received in its change feed (``kiosk.sync.changes`` writes them to the store), checks
each against the same models (an instrument also against the published JSON Schema the server
checked it with, :mod:`trato.protocol.instrument`), and falls back to the bundled one for any
part that is missing, switched off or malformed. A malformed document is logged by kind, key,
version and the names of the faulty fields only (these documents hold no personal data, but the
log stays short and never quotes them).

The window asks :meth:`ReceivedContent.current` when a session starts at the attract screen,
so a new version never changes a screen a person is using. Everything here is Qt-free.
"""

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Protocol

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from trato.protocol.instrument import problems as instrument_problems

log = logging.getLogger(__name__)

#: At most this many answers are offered (and may be marked) on one screen.
MAX_CHOICES = 6
#: The case types whose category screen the kiosk shows; a catalogue must list each one.
OFFERED_CASE_TYPES = ("queja", "sugerencia", "reconocimiento")

Text = Annotated[str, Field(min_length=1, max_length=500)]


def _first_choices(choices: tuple["Choice", ...]) -> tuple["Choice", ...]:
    return choices[:MAX_CHOICES]


class _Document(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Choice(_Document):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    label: Text
    sensitive: bool = False


class ScalePoint(_Document):
    value: Annotated[int, Field(ge=1, le=5)]
    label: Text
    face: Annotated[str, Field(min_length=1, max_length=32)]


class Headline(_Document):
    text: Text
    scale: Annotated[tuple[ScalePoint, ...], Field(min_length=2, max_length=5)]
    decline_label: Text = "Prefiero no responder"


class ReasonBand(_Document):
    ratings: Annotated[tuple[Annotated[int, Field(ge=1, le=5)], ...], Field(min_length=1)]
    question: Text
    choices: Annotated[tuple[Choice, ...], Field(min_length=1), AfterValidator(_first_choices)]


class Reasons(_Document):
    max_choices: Annotated[int, Field(ge=1, le=MAX_CHOICES)] = MAX_CHOICES
    bands: tuple[ReasonBand, ...] = ()


class Comment(_Document):
    question: str = ""
    max_length: Annotated[int, Field(ge=1, le=4000)] = 1000


class Instrument(_Document):
    """A versioned perception-survey instrument (``assets/instruments/<id>/v<n>.json``)."""

    id: Annotated[str, Field(min_length=1, max_length=64)]
    version: Annotated[int, Field(ge=1)]
    headline: Headline
    reasons: Reasons = Reasons()
    comment: Comment = Comment()
    service_question: str = ""
    #: The services it applies to (catalogue codes); empty: every service.
    services: tuple[str, ...] = ()

    def offered_services(self, catalogue: "Services") -> tuple[Choice, ...]:
        """The catalogue's services this instrument asks about (all when it names none, or
        when none of those it names is in the catalogue)."""
        chosen = tuple(s for s in catalogue.services if s.code in self.services)
        return chosen or catalogue.services

    def band_for(self, rating: int | None) -> ReasonBand | None:
        if rating is None:
            return None
        return next((b for b in self.reasons.bands if rating in b.ratings), None)


class Services(_Document):
    """The unit's services a person can name (``assets/catalogues/services.json``)."""

    version: Annotated[int, Field(ge=1)] = 1
    services: Annotated[tuple[Choice, ...], Field(min_length=1)]

    def label(self, code: str | None) -> str:
        return next((s.label for s in self.services if s.code == code), code or "")


class CaseCategories(_Document):
    """What a case is about, per case type (``assets/catalogues/case_categories.json``)."""

    version: Annotated[int, Field(ge=1)] = 1
    max_choices: Annotated[int, Field(ge=1, le=MAX_CHOICES)] = 3
    types: dict[str, Annotated[tuple[Choice, ...], Field(min_length=1)]]

    @model_validator(mode="after")
    def _every_offered_type(self) -> "CaseCategories":
        missing = [t for t in OFFERED_CASE_TYPES if t not in self.types]
        if missing:
            raise ValueError(f"no categories for {', '.join(missing)}")
        return self

    def for_type(self, case_type: str | None) -> tuple[Choice, ...]:
        return self.types.get(case_type or "", ())


@dataclass(frozen=True)
class Content:
    """One consistent set of what the screens show, fixed for a whole session."""

    instrument: Instrument
    services: Services
    categories: CaseCategories


class ContentSource(Protocol):
    def current(self) -> Content: ...


#: Store catalogue name -> (model, bundled file).
CATALOGUES: dict[str, type[_Document]] = {"services": Services,
                                          "case_categories": CaseCategories}


class BundledContent:
    """The instrument and catalogues shipped under ``root`` (read once, on first use)."""

    def __init__(self, root: Path, instrument_id: str = "trato-general") -> None:
        self.root = Path(root)
        self.instrument_id = instrument_id
        self._content: Content | None = None

    def _json(self, *parts: str) -> Any:
        return json.loads(self.root.joinpath(*parts).read_text(encoding="utf-8"))

    def instrument(self, version: int | None = None) -> Instrument:
        folder = self.root / "instruments" / self.instrument_id
        if version is None:
            version = max(int(p.stem[1:]) for p in folder.glob("v*.json") if p.stem[1:].isdigit())
        return Instrument.model_validate(
            self._json("instruments", self.instrument_id, f"v{version}.json"))

    def current(self) -> Content:
        if self._content is None:
            self._content = Content(
                instrument=self.instrument(),
                services=Services.model_validate(self._json("catalogues", "services.json")),
                categories=CaseCategories.model_validate(
                    self._json("catalogues", "case_categories.json")),
            )
        return self._content


class ReceivedContent:
    """The newest instrument and catalogues received from the central server, each checked;
    the bundled one for any part not received, switched off or malformed."""

    def __init__(self, database: Any, bundled: BundledContent) -> None:
        self.database = database
        self.bundled = bundled
        self._parsed: dict[tuple[str, str, int], _Document | None] = {}

    def current(self) -> Content:
        fallback = self.bundled.current()
        try:
            instrument_row, catalogue_rows = self._read()
        except Exception:  # a busy or closed store must not stop a session from starting
            log.exception("received configuration unreadable; showing the bundled one")
            return fallback
        instrument = self._checked("instrument", instrument_row, Instrument,
                                   key=self.bundled.instrument_id)
        services = self._checked("catalogue", catalogue_rows.get("services"), Services)
        categories = self._checked("catalogue", catalogue_rows.get("case_categories"),
                                   CaseCategories)
        return Content(
            instrument=instrument if isinstance(instrument, Instrument) else fallback.instrument,
            services=services if isinstance(services, Services) else fallback.services,
            categories=(categories if isinstance(categories, CaseCategories)
                        else fallback.categories),
        )

    def _read(self) -> tuple[Any, dict[str, Any]]:
        from kiosk.storage import models

        with self.database.read() as session:
            instrument = session.get(models.Instrument, self.bundled.instrument_id)
            catalogues = {name: session.get(models.Catalogue, name) for name in CATALOGUES}
            rows = (instrument, catalogues)
            session.expunge_all()
        return rows

    def _checked(self, kind: str, row: Any, model: type[_Document],
                 key: str | None = None) -> _Document | None:
        """The row's document as ``model`` (cached per version), or None."""
        if row is None:
            return None
        key = key or row.name
        cache_key = (kind, key, int(row.version))
        if cache_key not in self._parsed:
            self._parsed[cache_key] = _parse(kind, key, int(row.version), dict(row.data), model)
        return self._parsed[cache_key]


def _parse(kind: str, key: str, version: int, data: dict[str, Any],
           model: type[_Document]) -> _Document | None:
    if data.get("active") is False:
        log.info("received %s %s v%d is switched off; showing the bundled one", kind, key,
                 version)
        return None
    # The change's key and version are what the server published; they name what is shown.
    data["version"] = version
    if model is Instrument:
        data["id"] = key
        found = instrument_problems({k: v for k, v in data.items() if k != "active"})
        if found:
            log.warning("received %s %s v%d is malformed (%s); showing the bundled one",
                        kind, key, version, ", ".join(map(str, found[:5])))
            return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = sorted({".".join(map(str, e["loc"])) or "document" for e in exc.errors()})
        log.warning("received %s %s v%d is malformed (%s); showing the bundled one",
                    kind, key, version, ", ".join(fields[:5]))
        return None
