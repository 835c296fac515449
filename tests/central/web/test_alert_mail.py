"""Alert mails through a real SMTP server (aiosmtpd on a free port): a real central server
configured with it raises an alert when a kiosk's batch lands and mails the rule, the unit,
the figures and a link, nothing personal. A dead SMTP server keeps the mails waiting with
their error and never raises."""

import threading
import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from central.db import make_engine
from central.migrations import upgrade_to_head
from central.models import Alert, AlertMail, AlertRule, OrgNode
from central.settings import CentralSettings
from central.web.alert_mail import send_pending
from tests.central.web.conftest import PASSWORD, csrf_from, login
from tests.support.central import free_port, running_central, seed_small_org, survey_record
from tests.support.xdisplay import wait_until


class Sink:
    """Collects what the SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[Any, EmailMessage]] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope, message_from_bytes(envelope.content,
                                                              policy=policy.default)))
        self.arrived.set()
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    from aiosmtpd.controller import Controller

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def test_a_batch_that_breaks_a_rule_is_mailed(smtp: tuple[Sink, int], tmp_path: Path) -> None:
    sink, port = smtp
    env = {"TD_CENTRAL_SMTP_HOST": "127.0.0.1", "TD_CENTRAL_SMTP_PORT": str(port),
           "TD_CENTRAL_SMTP_SENDER": "tablero@imss.test",
           "TD_CENTRAL_ALERTS_INTERVAL_SECONDS": "3600"}  # the batch, not the timer
    with running_central(f"sqlite:///{tmp_path / 'central.db'}", tmp_path / "data",
                         env=env) as central:
        central.create_user("comite", role="ooad", scope_code="AGS", display_name="Comité")
        kiosk = central.enrol_kiosk("ASIMS000039")
        with central.session() as s:
            ags = s.exec(select(OrgNode).where(OrgNode.code == "AGS")).one()
        with central.http() as c:
            assert login(c, "comite", PASSWORD).status_code == 303
            page = c.get("/alertas/reglas")
            saved = c.post("/alertas/reglas", data={
                "csrf_token": csrf_from(page.text), "nodo": str(ags.id),
                "tipo": "satisfaction", "umbral": "70", "minimo": "5",
                "avisar": "comite.ags@imss.test, calidad@imss.test"})
            assert saved.status_code == 303
        assert not sink.arrived.is_set()  # no responses yet: nothing to say
        note = "Me atendió la enfermera Rosa Martínez"
        response = kiosk.push([survey_record(kiosk.next_seq(), rating=1, comment=note)
                               for _ in range(5)])
        assert response.status_code == 200
        assert sink.arrived.wait(20), "no mail arrived"
        envelope, mail = sink.messages[0]

        def sent() -> AlertMail | None:
            with central.session() as s:
                row = s.exec(select(AlertMail)).one()
            return row if row.sent_at is not None else None

        outbox: Any = wait_until(sent, 10, "the outbox to mark the mail sent")
        with central.session() as s:
            alert = s.exec(select(Alert)).one()
    assert sorted(envelope.rcpt_tos) == ["calidad@imss.test", "comite.ags@imss.test"]
    assert mail["From"] == "tablero@imss.test"
    assert mail["Subject"] == "Trato Digno · Alerta: Satisfacción baja · UMF No. 1 Aguascalientes"
    body = mail.get_content()
    assert f"{central.base_url}/alertas/{alert.id}" in body
    assert "por debajo de 70 % con 5 respuestas calificadas" in body
    assert "Rosa" not in body and note not in str(mail)  # nothing a person wrote
    assert outbox.attempts == 1 and outbox.last_error == ""
    assert len(sink.messages) == 1  # once, not once per batch or per check


def test_a_dead_smtp_server_keeps_the_mails_waiting(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade_to_head(engine)
    seed_small_org(engine)
    with Session(engine) as s:
        unit = s.exec(select(OrgNode).where(OrgNode.code == "ASIMS000039")).one()
        rule = AlertRule(node_id=unit.id, kind="high_impact", notify="a@imss.test")
        s.add(rule)
        s.flush()
        alert = Alert(rule_id=rule.id, kind="high_impact", subject_type="case",
                      subject_id=uuid.uuid4(), unit_id=unit.id)
        s.add(alert)
        s.flush()
        s.add(AlertMail(alert_id=alert.id, recipients="a@imss.test", subject="x", body="y"))
        s.commit()
    settings = CentralSettings(data_dir=tmp_path, database_url=str(engine.url),
                               smtp_host="127.0.0.1", smtp_port=free_port(),
                               smtp_timeout_seconds=2)
    assert send_pending(engine, settings) == 0
    with Session(engine) as s:
        mail = s.exec(select(AlertMail)).one()
    assert mail.sent_at is None and mail.attempts == 1
    assert "ConnectionRefusedError" in mail.last_error
    assert send_pending(engine, settings) == 0  # not due again yet: nothing tried
    with Session(engine) as s:
        assert s.exec(select(AlertMail)).one().attempts == 1
    engine.dispose()
