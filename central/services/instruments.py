"""Survey instruments written on the board (``/instrumentos``): draft versions checked against
the published schema (:mod:`trato.protocol.instrument`), published once to a branch of the
hierarchy and immutable from then on (a change is the next draft version), each step audited.
The ingest asks :func:`known_instruments` which instrument versions a response may name, and
:func:`instrument_fingerprints` the fingerprint its rollup counts are kept under."""

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlmodel import Session

from central.db import utcnow
from central.models import AuditLog, Instrument, InstrumentStatus, OrgNode
from central.services.changes import publish_instrument
from trato.protocol.instrument import Problem, fingerprint, problems

#: The repository (or installed tree) holding ``assets/`` (as :data:`central.catalogue.ROOT`,
#: which imports the services).
ROOT = Path(__file__).resolve().parents[2]
#: Largest instrument document accepted (the bundled one is about 3 kB).
MAX_DOCUMENT_BYTES = 256 * 1024

Key = tuple[str, int]


class InstrumentRefused(ValueError):  # noqa: N818 - reads better at the raise sites
    """The document or the request cannot be taken; ``problems`` say why."""

    def __init__(self, found: list[Problem]) -> None:
        super().__init__("; ".join(map(str, found)))
        self.problems = found


def parse_document(raw: bytes | str) -> dict[str, Any]:
    """The JSON text as a document, else :class:`InstrumentRefused`."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise InstrumentRefused([Problem((), "too_big", {"kb": MAX_DOCUMENT_BYTES // 1024})])
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InstrumentRefused([Problem((), "not_json", {"line": line or 1})]) from None
    if not isinstance(document, dict):
        raise InstrumentRefused([Problem((), "not_object")])
    return document


def _audit(session: Session, action: str, row: Instrument, username: str, user_id: Any,
           **detail: Any) -> None:
    session.add(AuditLog(user_id=user_id, username=username, action=action,
                         target_type="instrument", target_id=f"{row.instrument_id}@{row.version}",
                         detail={"fingerprint": row.fingerprint, **detail}))


def save_draft(session: Session, document: dict[str, Any], *, username: str, user_id: Any,
               version: int | None = None) -> Instrument:
    """Keep ``document`` as a draft: the draft ``version`` of its instrument when given (it
    must still be a draft), else the instrument's next version. The document's own
    ``version`` is replaced by the one it gets. Refused whole when it does not validate."""
    iid = document.get("id")
    if isinstance(iid, str) and version is None:
        version = next_version(session, iid)
    if isinstance(version, int):
        document = {**document, "version": version}
    found = problems(document)
    if found:
        raise InstrumentRefused(found)
    row = session.get(Instrument, (document["id"], version))
    if row is not None and row.status != InstrumentStatus.DRAFT.value:
        raise InstrumentRefused([Problem(("version",), "published_immutable")])
    if row is None:
        row = Instrument(instrument_id=document["id"], version=version,
                         status=InstrumentStatus.DRAFT.value, created_by=username)
    row.title = document["title"]
    row.definition = document
    row.fingerprint = fingerprint(document)
    row.created_at = utcnow()
    session.add(row)
    session.flush()
    _audit(session, "instrument_draft", row, username, user_id)
    return row


def next_version(session: Session, instrument_id: str) -> int:
    top = session.execute(select(func.max(Instrument.version))
                          .where(Instrument.instrument_id == instrument_id)).scalar_one()
    return int(top or 0) + 1


def publish(session: Session, row: Instrument, node: OrgNode, *, username: str,
            user_id: Any) -> None:
    """Publish the draft ``row`` to the kiosks under ``node``; checked once more."""
    if row.status != InstrumentStatus.DRAFT.value:
        raise InstrumentRefused([Problem(("version",), "published_immutable")])
    found = problems(row.definition)
    if found:
        raise InstrumentRefused(found)
    publish_instrument(session, row, node)
    _audit(session, "instrument_publish", row, username, user_id, node=str(node.id),
           node_name=node.name)


@lru_cache(maxsize=1)
def bundled_instruments() -> frozenset[Key]:
    """The versions shipped with every kiosk (``assets/instruments``): always known."""
    return frozenset(bundled_fingerprints())


@lru_cache(maxsize=1)
def bundled_fingerprints() -> dict[Key, str]:
    """The fingerprint of each version shipped with every kiosk."""
    out = {}
    for path in (ROOT / "assets" / "instruments").glob("*/v*.json"):
        if path.stem[1:].isdigit():
            document = json.loads(path.read_text(encoding="utf-8"))
            out[(path.parent.name, int(path.stem[1:]))] = fingerprint(document)
    return out


#: Published versions seen, per database (a published version is never withdrawn nor
#: changed, so what was found stays true).
_published: dict[str, set[Key]] = {}


def known_instruments(session: Session, wanted: Iterable[Key]) -> set[Key]:
    """Which of ``wanted`` a kiosk may answer: bundled or published (never a draft)."""
    wanted = set(wanted)
    seen = _published.setdefault(str(session.get_bind().url), set())
    known = {k for k in wanted if k in seen or k in bundled_instruments()}
    ask = list(wanted - known)
    if ask:
        found = session.execute(
            select(Instrument.instrument_id, Instrument.version)
            .where(tuple_(Instrument.instrument_id, Instrument.version).in_(ask),
                   Instrument.status == InstrumentStatus.PUBLISHED.value)).all()
        for iid, version in found:
            seen.add((iid, int(version)))
            known.add((iid, int(version)))
    return known


#: Fingerprints of published versions seen, per database (never change once published).
_fingerprints: dict[str, dict[Key, str]] = {}


def instrument_fingerprints(session: Session, wanted: Iterable[Key]) -> dict[Key, str]:
    """The fingerprint of each of ``wanted``: the instrument table's when it holds the version
    published, else the bundled file's (a version neither holds is left out: its responses
    count under ``""``, as the rebuild does)."""
    seen = _fingerprints.setdefault(str(session.get_bind().url), {})
    wanted = set(wanted)
    ask = [k for k in wanted if k not in seen]
    if ask:
        found = session.execute(
            select(Instrument.instrument_id, Instrument.version, Instrument.fingerprint)
            .where(tuple_(Instrument.instrument_id, Instrument.version).in_(ask),
                   Instrument.status == InstrumentStatus.PUBLISHED.value)).all()
        for iid, version, fp in found:
            seen[(iid, int(version))] = fp
    bundled = bundled_fingerprints()
    return {k: seen[k] if k in seen else bundled[k] for k in wanted
            if k in seen or k in bundled}
