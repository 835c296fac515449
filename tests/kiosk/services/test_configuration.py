"""What the screens show: the newest instrument and catalogues received through the change
feed (real SQLite store, the real appliers), else the bundled ones; a malformed or switched-off
document falls back and is logged without its content."""

import copy
import json
import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.services.configuration import BundledContent, ReceivedContent
from kiosk.storage.db import open_database
from kiosk.sync.changes import apply_change
from trato.protocol.wire import Change, ChangeKind

ASSETS = Path(__file__).resolve().parents[3] / "assets"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SECRET = "texto-que-no-debe-aparecer-en-el-registro"  # noqa: S105 - text that must not be logged


def _bundled_json(*parts: str) -> dict[str, Any]:
    return json.loads(ASSETS.joinpath(*parts).read_text(encoding="utf-8"))


@pytest.fixture
def db(tmp_path: Path) -> Any:
    database = open_database(tmp_path / "kiosk.db").database
    yield database
    database.close()


@pytest.fixture
def source(db: Any) -> ReceivedContent:
    return ReceivedContent(db, BundledContent(ASSETS))


def _receive(db: Any, kind: ChangeKind, key: str, version: int, data: dict[str, Any]) -> None:
    with db.write() as session:
        assert apply_change(session, Change(cursor=version, kind=kind, key=key,
                                            version=version, data=data), NOW)


def _instrument_v2() -> dict[str, Any]:
    definition = _bundled_json("instruments", "trato-general", "v1.json")
    definition["version"] = 2
    definition["headline"]["text"] = "¿Cómo le trataron hoy en esta unidad?"
    return definition


def test_without_received_documents_the_bundled_ones_are_shown(source: ReceivedContent) -> None:
    content = source.current()
    assert content == BundledContent(ASSETS).current()
    assert (content.instrument.id, content.instrument.version) == ("trato-general", 1)


def test_the_newest_received_instrument_and_catalogues_are_shown(
        db: Any, source: ReceivedContent) -> None:
    # As the central server publishes them (central.services.changes): wrapped documents.
    _receive(db, ChangeKind.INSTRUMENT, "trato-general", 2,
             {"instrument_id": "trato-general", "version": 2, "title": "Percepción",
              "active": True, "definition": _instrument_v2()})
    services = _bundled_json("catalogues", "services.json")
    services["services"].append({"code": "dental", "label": "Estomatología"})
    _receive(db, ChangeKind.CATALOGUE, "services", 3,
             {"name": "services", "version": 3, "data": services})
    categories = _bundled_json("catalogues", "case_categories.json")
    categories["max_choices"] = 2
    _receive(db, ChangeKind.CATALOGUE, "case_categories", 4,
             {"name": "case_categories", "version": 4, "data": categories})
    content = source.current()
    assert content.instrument.version == 2
    assert content.instrument.headline.text == "¿Cómo le trataron hoy en esta unidad?"
    assert content.services.label("dental") == "Estomatología"
    assert content.services.version == 3
    assert (content.categories.version, content.categories.max_choices) == (4, 2)
    assert source.current() is not content and source.current() == content


def test_the_published_version_names_what_is_shown(db: Any, source: ReceivedContent) -> None:
    definition = _instrument_v2()
    definition["version"] = 1  # the document says 1, the server published it as version 5
    _receive(db, ChangeKind.INSTRUMENT, "trato-general", 5, {"definition": definition})
    assert source.current().instrument.version == 5


@pytest.mark.parametrize("damage", ["no_headline", "empty_scale", "label_not_text",
                                    "rating_out_of_range", "not_a_document",
                                    # only the published JSON Schema and its rules see these:
                                    "misspelt_field", "translation_missing_a_question"])
def test_a_malformed_instrument_falls_back_and_is_logged_without_its_content(
        db: Any, source: ReceivedContent, caplog: pytest.LogCaptureFixture,
        damage: str) -> None:
    definition = _instrument_v2()
    definition["headline"]["decline_label"] = SECRET
    broken = copy.deepcopy(definition)
    if damage == "no_headline":
        del broken["headline"]
    elif damage == "empty_scale":
        broken["headline"]["scale"] = []
    elif damage == "label_not_text":
        broken["headline"]["scale"][0]["label"] = {"text": SECRET}
    elif damage == "rating_out_of_range":
        broken["reasons"]["bands"][0]["ratings"] = [0, 9]
    elif damage == "misspelt_field":
        broken["servce_question"] = SECRET
    elif damage == "translation_missing_a_question":
        broken["translations"] = {"en": {"headline": SECRET, "scale": {
            str(p["value"]): SECRET for p in broken["headline"]["scale"]}}}
    else:
        broken = {"surprise": SECRET}
    _receive(db, ChangeKind.INSTRUMENT, "trato-general", 2, {"definition": broken})
    with caplog.at_level(logging.WARNING, logger="kiosk.services.configuration"):
        content = source.current()
        source.current()  # the verdict is kept per version: one warning, not one per session
    assert content.instrument == BundledContent(ASSETS).current().instrument
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "instrument trato-general v2 is malformed" in warnings[0].getMessage()
    assert SECRET not in caplog.text


def test_the_services_an_instrument_names_are_the_ones_offered(
        db: Any, source: ReceivedContent) -> None:
    assert len(source.current().instrument.offered_services(source.current().services)) > 2
    definition = _instrument_v2()
    definition["services"] = ["urgencias", "farmacia", "no_existe"]
    _receive(db, ChangeKind.INSTRUMENT, "trato-general", 2, {"definition": definition})
    content = source.current()
    offered = content.instrument.offered_services(content.services)
    assert [s.code for s in offered] == ["urgencias", "farmacia"]  # the catalogue's order


def test_a_catalogue_missing_a_case_type_falls_back_alone(db: Any,
                                                          source: ReceivedContent) -> None:
    categories = _bundled_json("catalogues", "case_categories.json")
    del categories["types"]["reconocimiento"]
    _receive(db, ChangeKind.CATALOGUE, "case_categories", 2, {"data": categories})
    _receive(db, ChangeKind.INSTRUMENT, "trato-general", 2, {"definition": _instrument_v2()})
    content = source.current()
    assert content.categories == BundledContent(ASSETS).current().categories
    assert content.instrument.version == 2  # the good part is still shown


def test_a_switched_off_instrument_is_not_shown(db: Any, source: ReceivedContent) -> None:
    _receive(db, ChangeKind.INSTRUMENT, "trato-general", 2,
             {"active": False, "definition": _instrument_v2()})
    assert source.current().instrument.version == 1


def test_an_unreadable_store_shows_the_bundled_content(
        db: Any, source: ReceivedContent, monkeypatch: pytest.MonkeyPatch) -> None:
    _receive(db, ChangeKind.INSTRUMENT, "trato-general", 2, {"definition": _instrument_v2()})
    assert source.current().instrument.version == 2

    def locked() -> Any:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(db, "read", locked)  # the fault: a store that cannot be read now
    # ... must not stop a session from starting.
    assert source.current() == BundledContent(ASSETS).current()
