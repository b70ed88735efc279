"""The outbox and its delivery, against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.settings import get_settings, reload_settings
from o2portal.mail import outbox as mailer
from o2portal.mail.models import OutboxEmail
from tests.smtp_server import SmtpSink, free_port
from tests.unit.helpers import get_customer, make_customer, outbox

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SUBJECT = "Votre facture F2026-000123 — échéance"
BODY = "Bonjour Jeanne,\n\nVotre facture F2026-000123 est disponible.\n\nL'équipe o2portal\n"


def _queue(to: str = "jeanne@example.com", **kwargs) -> int:
    with transaction() as session:
        mail = mailer.queue_email(
            session, to=to, subject=SUBJECT, body=BODY, kind=kwargs.pop("kind", "invoice"), **kwargs
        )
        return mail.id


def _mail(mail_id: int) -> OutboxEmail:
    with read_session() as session:
        return session.get(OutboxEmail, mail_id)


def test_queued_mail_is_delivered_exactly_once(smtp_sink):
    mail_id = _queue()
    assert _mail(mail_id).status == "pending"

    assert mailer.deliver_pending() == 1

    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert message["To"] == "jeanne@example.com"
    assert message["From"] == get_settings().mail_from
    assert message["Subject"] == SUBJECT
    assert SmtpSink.text_of(message) == BODY
    assert smtp_sink.envelopes[0].rcpt_tos == ["jeanne@example.com"]

    sent = _mail(mail_id)
    assert sent.status == "sent"
    assert sent.attempts == 1
    assert sent.sent_at is not None
    assert sent.last_error is None

    assert mailer.deliver_pending() == 0
    assert len(smtp_sink.messages) == 1


def test_unreachable_server_keeps_mail_pending_then_retries(db, monkeypatch):
    port = free_port()  # nothing listens here yet
    monkeypatch.setenv("O2PORTAL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("O2PORTAL_SMTP_PORT", str(port))
    reload_settings()

    with clock.frozen_at(T0):
        mail_id = _queue()
        assert mailer.deliver_pending() == 0
    waiting = _mail(mail_id)
    assert waiting.status == "pending"
    assert waiting.attempts == 1
    assert waiting.last_error
    assert "Connection" in waiting.last_error or "refused" in waiting.last_error.lower()
    assert waiting.next_attempt_at > T0

    with SmtpSink(port=port) as sink:
        # Not due yet: nothing is sent before next_attempt_at.
        with clock.frozen_at(T0 + timedelta(seconds=30)):
            assert waiting.next_attempt_at > clock.now()
            assert mailer.deliver_pending() == 0
        assert sink.messages == []

        with clock.frozen_at(waiting.next_attempt_at + timedelta(seconds=1)):
            assert mailer.deliver_pending() == 1
            assert mailer.deliver_pending() == 0
        with clock.frozen_at(waiting.next_attempt_at + timedelta(days=1)):
            assert mailer.deliver_pending() == 0

        assert len(sink.messages) == 1
        assert sink.messages[0]["Subject"] == SUBJECT
    sent = _mail(mail_id)
    assert sent.status == "sent"
    assert sent.attempts == 2
    assert sent.last_error is None


def test_without_smtp_mail_stays_readable_in_the_outbox(db):
    assert get_settings().smtp_host == ""
    mail_id = _queue()

    assert mailer.deliver_pending() == 0

    mail = _mail(mail_id)
    assert mail.status == "pending"
    assert mail.attempts == 0
    assert mail.to_addr == "jeanne@example.com"
    assert mail.subject == SUBJECT
    assert mail.body_text == BODY


def test_permanent_refusal_fails_the_mail_and_flags_the_address(smtp_sink):
    smtp_sink.reject.add("bounce@example.com")
    customer = make_customer(email="bounce@example.com")  # queues the welcome mail
    other_id = _queue(to="jeanne@example.com")

    assert mailer.deliver_pending() == 1  # only the other mail went

    (welcome,) = outbox("welcome")
    assert welcome.status == "failed"
    assert welcome.attempts == 1
    assert "550" in welcome.last_error
    flagged = get_customer(customer.id)
    assert flagged.email_failing_at is not None
    assert "550" in flagged.email_failing_reason

    assert _mail(other_id).status == "sent"
    assert [m["To"] for m in smtp_sink.messages] == ["jeanne@example.com"]

    # A failed mail is not retried.
    with clock.frozen_at(clock.now() + timedelta(days=2)):
        assert mailer.deliver_pending() == 0
    assert len(smtp_sink.messages) == 1
    assert outbox("welcome")[0].attempts == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_wrong_smtp_credentials_do_not_flag_the_customer_address(db, monkeypatch):
    """A 535 from our own relay says nothing about the customer's mailbox."""
    with SmtpSink(auth=("o2portal", "right-secret")) as sink:
        monkeypatch.setenv("O2PORTAL_SMTP_HOST", sink.host)
        monkeypatch.setenv("O2PORTAL_SMTP_PORT", str(sink.port))
        monkeypatch.setenv("O2PORTAL_SMTP_USER", "o2portal")
        monkeypatch.setenv("O2PORTAL_SMTP_PASSWORD", "wrong-secret")
        reload_settings()
        customer = make_customer()  # queues the welcome mail

        assert mailer.deliver_pending() == 0
        assert sink.messages == []
        assert get_customer(customer.id).email_failing_at is None
        # Our configuration is at fault: the mail waits for a retry rather than failing.
        (welcome,) = outbox("welcome")
        assert welcome.status == "pending"
        assert welcome.attempts == 1
        assert "535" in welcome.last_error

        # Once the password is fixed, the retry delivers it.
        monkeypatch.setenv("O2PORTAL_SMTP_PASSWORD", "right-secret")
        reload_settings()
        with clock.frozen_at(welcome.next_attempt_at + timedelta(seconds=1)):
            assert mailer.deliver_pending() == 1
        assert [m["To"] for m in sink.messages] == [customer.email]


def test_a_mail_that_cannot_be_built_does_not_stop_the_outbox(smtp_sink):
    """Text that passes clean_text (here U+2028, as a ticket subject could hold) must not
    make deliver_pending raise and leave every later mail stuck behind it."""
    with transaction() as session:
        bad = mailer.queue_email(
            session,
            to="jeanne@example.com",
            subject="Site en panne\u2028urgent",
            body=BODY,
            kind="ticket_reply",
        )
    good_id = _queue(to="paul@example.com")

    sent = mailer.deliver_pending()

    assert sent >= 1
    assert _mail(good_id).status == "sent"
    assert "paul@example.com" in [m["To"] for m in smtp_sink.messages]
    after = _mail(bad.id)
    assert after.status == "sent" or (after.attempts == 1 and after.last_error), after
