"""Re-create ``kiosk-0001.db``: a kiosk store at schema revision 0001 holding a few records,
written with plain SQL the way the first release wrote them. The migration test upgrades a
copy to head and checks every record is intact.

Run once (``.venv/bin/python tests/data/make_kiosk_0001_db.py``) and commit the file; never
regenerate it after a release (it stands for databases already out in the field).
"""

import json
import sqlite3
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from kiosk.storage.migrate import migrate  # noqa: E402
from trato.domain.enums import CaseType, Channel  # noqa: E402
from trato.protocol.wire import CaseBody, CaseEventBody, SurveyResponseBody, WireRecord  # noqa: E402

TARGET = HERE / "kiosk-0001.db"
T0 = datetime(2026, 1, 10, 15, 0, tzinfo=UTC)

KIOSK_ID = uuid.UUID("0d7f6f3e-4a51-4c58-9a1b-3f3c1f0e0001")
MODULE_ID = uuid.UUID("0d7f6f3e-4a51-4c58-9a1b-3f3c1f0e0002")
SURVEY_IDS = [uuid.UUID(f"5a000000-0000-4000-8000-00000000000{i}") for i in (1, 2)]
CASE_IDS = [uuid.UUID(f"ca000000-0000-4000-8000-00000000000{i}") for i in (1, 2)]
EVENT_ID = uuid.UUID("e0000000-0000-4000-8000-000000000001")
SEALED = "c2VhbGVkIGJveCBwbGFjZWhvbGRlcg=="  # stands for a sealed box (opaque to the kiosk)


def ts(minutes: int) -> str:
    return T0.replace(minute=minutes).isoformat(timespec="microseconds")


def main() -> None:
    if TARGET.exists():
        TARGET.unlink()
    migrate(TARGET, target="0001")
    conn = sqlite3.connect(TARGET)
    seq = 0
    outbox = []

    def queue(
        record_id: uuid.UUID,
        kind: str,
        created: str,
        body: object,
        sealed: str | None = None,
        state: str = "waiting",
    ) -> None:
        nonlocal seq
        seq += 1
        wire = WireRecord(
            id=record_id,
            seq=seq,
            created_at=datetime.fromisoformat(created),
            body=body,
            sealed=sealed,
        )  # type: ignore[arg-type]
        outbox.append(
            (
                record_id.hex,
                seq,
                kind,
                wire.model_dump_json(),
                state,
                1 if state == "sent" else 0,
                created,
                created,
                created if state == "sent" else None,
            )
        )

    surveys = [
        (SURVEY_IDS[0], ts(1), 5, ["trato_amable"], "Muy bien atendida 😊", {"limpieza": 5}, 21000),
        (SURVEY_IDS[1], ts(2), 1, [], "", {}, 900),
    ]
    for sid, created, rating, reasons, comment, answers, duration in surveys:
        conn.execute(
            "INSERT INTO survey_response VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                sid.hex,
                created,
                "trato-general",
                1,
                "es",
                "kiosk",
                "farmacia",
                rating,
                json.dumps(reasons),
                comment,
                json.dumps(answers),
                duration,
                0,
                None,
            ),
        )
        queue(
            sid,
            "survey_response",
            created,
            SurveyResponseBody(
                instrument_id="trato-general",
                instrument_version=1,
                language="es",
                channel=Channel.KIOSK,
                service_code="farmacia",
                rating=rating,
                reasons=reasons,
                comment=comment,
                answers=answers,
                duration_ms=duration,
            ),
        )

    cases = [
        (
            CASE_IDS[0],
            None,
            1,
            ts(5),
            CaseType.QUEJA,
            ["trato_grosero", "acoso"],
            True,
            "Me gritaron en la ventanilla. مرحبا",
            "Una disculpa",
            "Recepción",
            "",
            SEALED,
            {"filer_name": "María G.", "nss": "••••••••903"},
            ts(30),
        ),
        (
            CASE_IDS[1],
            None,
            2,
            ts(6),
            CaseType.RECONOCIMIENTO,
            [],
            False,
            "Excelente enfermera",
            "",
            "",
            "Enf. Lupita",
            None,
            {},
            None,
        ),
    ]
    from trato.domain.folio import make_folio

    for (
        cid,
        _,
        sequence,
        created,
        ctype,
        categories,
        sensitive,
        narrative,
        request,
        staff,
        recognised,
        sealed,
        masks,
        acked,
    ) in cases:
        folio = str(make_folio(unit_number=561, kiosk_number=7, sequence=sequence))
        conn.execute(
            "INSERT INTO case_record VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                cid.hex,
                folio,
                sequence,
                created,
                str(ctype),
                "kiosk",
                "es",
                "urgencias",
                json.dumps(categories),
                int(sensitive),
                narrative,
                request,
                staff,
                recognised,
                int(bool(recognised)),
                int(sealed is not None),
                1,
                0,
                sealed,
                json.dumps(masks, ensure_ascii=False),
                "2025-12" if sealed else None,
                int(sealed is not None),
                1,
                None,
                acked,
            ),
        )
        queue(
            cid,
            "case",
            created,
            CaseBody(
                folio=folio,
                case_type=ctype,
                channel=Channel.KIOSK,
                language="es",
                service_code="urgencias",
                categories=categories,
                sensitive=sensitive,
                narrative=narrative,
                request=request,
                staff_involved=staff,
                recognised_person=recognised,
                publish_recognition=bool(recognised),
                has_contact=sealed is not None,
                privacy_notice_version="2025-12" if sealed else None,
                consent_given=sealed is not None,
            ),
            sealed=sealed,
            state="sent" if acked else "waiting",
        )

    conn.execute(
        "INSERT INTO case_event VALUES (?,?,?,?,?,?,?,?)",
        (
            EVENT_ID.hex,
            CASE_IDS[0].hex,
            ts(10),
            "note",
            None,
            "Se llamó a la persona",
            "TAOD 3",
            None,
        ),
    )
    queue(
        EVENT_ID,
        "case_event",
        ts(10),
        CaseEventBody(
            case_id=CASE_IDS[0], event_type="note", note="Se llamó a la persona", agent="TAOD 3"
        ),
    )
    conn.executemany(
        "INSERT INTO outbox_entry (id, seq, kind, payload, state, attempts, created_at, "
        "next_attempt_at, sent_at) VALUES (?,?,?,?,?,?,?,?,?)",
        outbox,
    )
    conn.execute(
        "INSERT INTO kiosk_identity VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            1,
            KIOSK_ID.hex,
            "DFIMS000123",
            "UMF 28",
            561,
            7,
            MODULE_ID.hex,
            "Módulo PB",
            "DF-SUR",
            None,
            "https://trato.example.mx",
            "America/Mexico_City",
            "Jg3iPHRqd0BJZlJt9XJa5uHKBtzQvxy+2Rt9Hwz5zWc=",
            "https://central.example.mx",
            ts(0),
            None,
            None,
        ),
    )
    conn.execute(
        "INSERT INTO kiosk_setting VALUES (?,?,?,?)", ("retention_days", json.dumps(30), 1, ts(0))
    )
    conn.execute("INSERT INTO sync_state VALUES (1, 42, ?, ?, NULL, NULL, -1.5)", (ts(30), ts(31)))
    conn.executemany("INSERT INTO counter VALUES (?,?)", [("outbox_seq", seq), ("case_seq", 2)])
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
