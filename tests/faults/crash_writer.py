"""Writer for the crash test: a small fork server whose children file cases until SIGKILLed.

    python tests/faults/crash_writer.py <database path>

It imports only what a writer needs, says ``ready``, then reads commands on stdin:

* ``fork <seed>``: fork a writer child and print ``pid <pid>``; the child opens the
  database as the kiosk does at start (integrity check, quarantine if damaged) and submits
  cases through :class:`CaseService` (and now and then a survey through
  :class:`SurveyService`) for ever, printing ``folio <folio>`` / ``survey <id>`` only after
  ``submit()`` returned. The server then waits for the child and prints
  ``exit <pid> <wait status>``.
* ``quit``: exit.

Why a fork server: a fresh interpreter importing SQLAlchemy, pydantic and PyNaCl takes about
half a second here, so 200 cold starts would take minutes; a fork of the imported server
takes milliseconds. Each kill still ends a whole writer process with its open SQLite
connection, WAL and locks, exactly like a crash. Nothing in the server touches the database
before forking, so children share no connection.
"""

import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.clock import SystemClock
from kiosk.services.cases import CaseService
from kiosk.services.drafts import CaseDraft, PersonalData, SurveyDraft
from kiosk.services.surveys import SurveyService
from kiosk.storage.db import open_database
from trato.domain.enums import CaseType, Channel

TEXT = "Esperé tres horas en urgencias 😡 y nadie me explicó nada. مرحبا ñ "


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def _draft(rng: random.Random) -> CaseDraft:
    # Narratives from a few bytes to several pages, so kills land inside multi-page commits.
    size = rng.choice((20, 200, 1500, 3999))
    personal = (
        PersonalData(filer_name="María López", nss="12345678903", phone="5512345678")
        if rng.random() < 0.5
        else None
    )
    return CaseDraft(
        case_type=rng.choice(tuple(CaseType)),
        channel=Channel.DESK,
        registered_by="10000001",
        language="es",
        service_code="urgencias",
        categories=("trato_grosero",),
        narrative=(TEXT * (size // len(TEXT) + 1))[:size],
        personal=personal,
        privacy_notice_version="2025-12" if personal else None,
        consent_given=personal is not None,
    )


def _child(db_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    result = open_database(db_path, migrate_schema=False)
    if result.quarantined_to is not None:
        _say(f"quarantined {result.quarantined_to.name}")
    cases = CaseService(result.database, SystemClock())
    surveys = SurveyService(result.database, SystemClock())
    while True:
        if rng.random() < 0.25:
            survey = surveys.submit(
                SurveyDraft(
                    instrument_id="trato-general",
                    instrument_version=1,
                    language="es",
                    channel=Channel.KIOSK,
                    service_code="farmacia",
                    rating=rng.randint(1, 5),
                    duration_ms=rng.randint(500, 30_000),
                )
            )
            _say(f"survey {survey.id}")
        else:
            saved = cases.submit(_draft(rng))
            _say(f"folio {saved.folio}")


def _warm_up() -> None:
    """File one case and one survey on a scratch store, so mappers are configured and
    statements compiled once here instead of in every child (children then write within
    milliseconds of the fork). The scratch engine is closed before any fork."""
    import tempfile

    from nacl.public import PrivateKey

    from kiosk.storage.identity import save_identity
    from tests.kiosk.storage.factories import make_enrolment
    from trato.protocol.sealing import public_key_b64

    with tempfile.TemporaryDirectory() as scratch:
        db = open_database(Path(scratch) / "warm.db").database
        with db.write() as session:
            save_identity(
                session,
                enrolment=make_enrolment(public_key_b64(PrivateKey.generate())),
                server_url="https://warm.example.mx",
            )
        rng = random.Random(0)
        CaseService(db, SystemClock()).submit(_draft(rng))
        SurveyService(db, SystemClock()).submit(
            SurveyDraft(
                instrument_id="warm",
                instrument_version=1,
                language="es",
                channel=Channel.KIOSK,
                service_code=None,
                rating=3,
            )
        )
        db.close()


def main() -> int:
    db_path = Path(sys.argv[1])
    _warm_up()
    _say("ready")
    for raw in sys.stdin.buffer:
        command = raw.decode().split()
        if not command:
            continue
        if command[0] == "quit":
            return 0
        if command[0] == "fork":
            pid = os.fork()
            if pid == 0:  # the writer
                try:
                    _child(db_path, int(command[1]))
                finally:
                    os._exit(3)  # only reached on an error: the test reports it
            _say(f"pid {pid}")
            _, status = os.waitpid(pid, 0)
            _say(f"exit {pid} {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
