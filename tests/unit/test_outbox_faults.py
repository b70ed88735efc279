"""The outbox against a real SMTP server that goes away and comes back."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.accounts.sessions import CurrentUser
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.settings import reload_settings
from o2portal.mail import outbox as mailer
from o2portal.mail.models import OutboxEmail
from o2portal.web.session import SessionState
from tests.smtp_server import SmtpSink, free_port


def _customer(email: str) -> Customer:
    with transaction() as session:
        person = Customer(
            email=email,
            password_hash="x",
            first_name="Ana",
            last_name="Lyse",
            phone="+33612345678",
            address_line1="1 rue",
            postal_code="75001",
            city="Paris",
            email_verified_at=clock.now(),
        )
        session.add(person)
        session.flush()
        return person


def test_mail_survives_an_smtp_outage_and_goes_exactly_once(db, monkeypatch):
    port = free_port()
    monkeypatch.setenv("O2PORTAL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("O2PORTAL_SMTP_PORT", str(port))
    reload_settings()
    customer = _customer("ana@example.fr")
    with transaction() as session:
        for i in range(5):
            mailer.queue_email(
                session,
                to=customer.email,
                subject=f"Message {i}",
                body="Bonjour",
                kind="test",
                customer_id=customer.id,
            )
    # The server is down: hours of attempts, nothing lost, nothing marked failed.
    moment = clock.now()
    for _ in range(8):
        with clock.frozen_at(moment):
            assert mailer.deliver_all_due() == 0
        moment += timedelta(hours=7)
    with read_session() as session:
        rows = session.exec(select(OutboxEmail)).all()
    assert {m.status for m in rows} == {"pending"}
    assert all(m.attempts == 8 and m.last_error for m in rows)

    sink = SmtpSink(port=port).start()
    try:
        with clock.frozen_at(moment):
            assert mailer.deliver_all_due() == 5
            assert mailer.deliver_all_due() == 0
        with clock.frozen_at(moment + timedelta(days=1)):
            assert mailer.deliver_all_due() == 0
        subjects = sorted(m["Subject"] for m in sink.messages)
    finally:
        sink.stop()
    assert subjects == [f"Message {i}" for i in range(5)]
    with read_session() as session:
        assert {m.status for m in session.exec(select(OutboxEmail)).all()} == {"sent"}


def test_a_refused_address_is_marked_failing_and_the_banner_shows(smtp_sink):
    customer = _customer("gone@example.fr")
    smtp_sink.reject.add("gone@example.fr")
    with transaction() as session:
        mailer.queue_for_customer(session, customer, "totp_enabled")
    assert mailer.deliver_all_due() == 0
    with read_session() as session:
        mail = session.exec(select(OutboxEmail)).one()
        person = session.get(Customer, customer.id)
    assert mail.status == "failed" and "550" in mail.last_error
    assert person.email_failing_at is not None

    # What the shell shows this customer: the failing-address banner.
    state = SessionState(_reflex_internal_init=True)
    state._show(CurrentUser(customer=person, session_id=0, impersonator_id=None))
    assert state.email_status == "failing"
