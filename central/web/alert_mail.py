"""Alert mails through the configured SMTP server (stdlib :mod:`smtplib`), from the outbox
``alert_mail``: called in a worker thread by :class:`central.web.alert_monitor.AlertMonitor`.

A mail carries the rule, the subject (unit, kiosk or folio), the figures and a link to the
alert's page: never personal data. A mail that fails is tried again later (the wait doubles,
up to :data:`MAX_WAIT`); the outbox keeps what is sent and the last error of what is not.
"""

import logging
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from sqlmodel import Session, select

from central.db import utcnow, write_session
from central.models import AlertMail

log = logging.getLogger(__name__)

BATCH = 50
MAX_WAIT = timedelta(hours=1)


def message(mail: AlertMail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(a.strip() for a in mail.recipients.split(",") if a.strip())
    msg["Subject"] = mail.subject
    msg.set_content(mail.body)
    return msg


def _connect(settings: Any) -> smtplib.SMTP:
    timeout = settings.smtp_timeout_seconds
    if settings.smtp_ssl:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port,
                                              timeout=timeout,
                                              context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
    if settings.smtp_username:
        smtp.login(settings.smtp_username, settings.smtp_password)
    return smtp


def send_pending(engine: Any, settings: Any) -> int:
    """Send the mails that are due; answers how many went. No transaction is open while the
    SMTP server is talked to (a slow one never holds a lock the ingest needs). Never raises
    for a mail server that is down: the mails wait for a later round."""
    with Session(engine, expire_on_commit=False) as session:
        due = list(session.exec(
            select(AlertMail).where(AlertMail.sent_at.is_(None),
                                    AlertMail.next_attempt_at <= utcnow())
            .order_by(AlertMail.created_at).limit(BATCH)))
    if not due:
        return 0
    sent = 0
    refused: set[Any] = set()
    try:
        with _connect(settings) as smtp:
            for mail in due:
                try:
                    smtp.send_message(message(mail, settings.smtp_sender))
                except (OSError, smtplib.SMTPException) as exc:
                    _failed(mail, exc)
                    refused.add(mail.id)
                    continue
                mail.sent_at = utcnow()
                mail.attempts += 1
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        for mail in due:
            if mail.sent_at is None and mail.id not in refused:
                _failed(mail, exc)
        log.warning("alert mails: SMTP server %s:%s failed (%s)", settings.smtp_host,
                    settings.smtp_port, type(exc).__name__)
    with write_session(engine) as session:
        for mail in due:
            session.merge(mail)
        session.commit()
    log.info("alert mails: %d of %d sent", sent, len(due))
    return sent


def _failed(mail: AlertMail, exc: BaseException) -> None:
    mail.attempts += 1
    wait = min(timedelta(minutes=2 ** min(mail.attempts, 10)), MAX_WAIT)
    mail.next_attempt_at = utcnow() + wait
    mail.last_error = f"{type(exc).__name__}: {exc}"[:300]
