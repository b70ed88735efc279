"""Staff view of the outbox: filters, pages, masked links, and retrying a failed mail."""

from __future__ import annotations

import pytest
from sqlmodel import select

from o2portal.accounts import staff as admin_customers
from o2portal.accounts.models import Customer
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.demo.seed import seed_demo
from o2portal.mail import outbox as mailer
from o2portal.mail import staff as admin_mail
from o2portal.mail.models import OutboxEmail
from tests.smtp_server import SmtpSink
from tests.unit.helpers import actor, count


@pytest.fixture
def demo(db):
    seed_demo()
    with read_session() as session:
        return {c.email.split("@")[0]: c for c in session.exec(select(Customer)).all()}


def _queue(to: str, status: str = "pending", kind: str = "invoice", **fields) -> int:
    with transaction() as session:
        mail = mailer.queue_email(
            session, to=to, subject=f"Mail to {to}", body="Bonjour,\n", kind=kind
        )
        mail.status = status
        for key, value in fields.items():
            setattr(mail, key, value)
        session.add(mail)
        return mail.id


def _mail(mail_id: int) -> OutboxEmail:
    with read_session() as session:
        return session.get(OutboxEmail, mail_id)


def test_filter_by_status_and_recipient_fifty_a_page(demo):
    admin = demo["admin"].id
    for i in range(55):
        _queue(f"bulk{i:02d}@example.com", status="sent")
    failed = _queue("zoe@example.com", status="failed", last_error="550 no such user")
    everything = admin_mail.list_mail(actor(admin))
    assert everything.total == count(OutboxEmail) and len(everything.rows) == 50
    assert everything.rows[0].id == failed  # newest first
    last = admin_mail.list_mail(actor(admin), page=everything.pages + 5)
    assert last.page == everything.pages and len(last.rows) == everything.total - 50
    only_failed = admin_mail.list_mail(actor(admin), status="failed")
    assert {r.status for r in only_failed.rows} == {"failed"}
    assert failed in [r.id for r in only_failed.rows]
    assert admin_mail.list_mail(actor(admin), status="pending").total == 0
    assert [r.id for r in admin_mail.list_mail(actor(admin), recipient=" ZOE@").rows] == [failed]
    assert admin_mail.list_mail(actor(admin), recipient="bulk0", status="sent").total == 10
    assert admin_mail.list_mail(actor(admin), status="bogus").total == everything.total


def test_only_admins_read_or_retry(demo):
    mail_id = _queue("zoe@example.com", status="failed")
    events = count(AuditEvent)
    for who in ("support", "client"):
        with pytest.raises(NotAllowed):
            admin_mail.list_mail(actor(demo[who].id))
        with pytest.raises(NotAllowed):
            admin_mail.mail_detail(actor(demo[who].id), mail_id)
        with pytest.raises(NotAllowed):
            admin_mail.retry_mail(actor(demo[who].id), mail_id)
    assert _mail(mail_id).status == "failed"
    assert count(AuditEvent) == events


def test_detail_masks_live_links_before_and_after_sending(demo, smtp_sink):
    admin = demo["admin"].id
    admin_customers.send_reset_link(actor(demo["support"].id), demo["client"].id)
    with read_session() as session:
        mail = session.exec(select(OutboxEmail).where(OutboxEmail.kind == "password_reset")).one()
    token = mail.body_text.split("?token=")[1].split()[0]
    assert len(token) > 20
    pending = admin_mail.mail_detail(actor(admin), mail.id)
    assert token not in pending.body and "?token=[lien masqué]" in pending.body
    assert (pending.status, pending.subject) == ("pending", mail.subject)
    assert mailer.deliver_pending() == 1
    assert token in SmtpSink.text_of(smtp_sink.messages[0])  # the customer got the link
    sent = admin_mail.mail_detail(actor(admin), mail.id)
    assert token not in sent.body and sent.status == "sent" and sent.attempts == 1


def test_retry_puts_a_failed_mail_back_and_it_is_sent_exactly_once(demo, smtp_sink):
    admin = demo["admin"].id
    with read_session() as session:
        failed = session.exec(select(OutboxEmail).where(OutboxEmail.status == "failed")).one()
    assert failed.to_addr == "paul.bernard@o2portal.example"
    assert mailer.deliver_pending() == 0  # a failed mail is never picked up by itself
    assert smtp_sink.messages == []

    admin_mail.retry_mail(actor(admin), failed.id, ip="192.0.2.7")
    back = _mail(failed.id)
    assert back.status == "pending" and back.last_error  # the error stays for the record
    with read_session() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "staff.mail_retried")
        ).one()
    assert (event.actor_id, event.target_id, event.ip) == (admin, failed.id, "192.0.2.7")
    assert event.customer_id == demo["paul.bernard"].id

    # A second click before the sender ran changes nothing and is refused.
    with pytest.raises(InvalidInput) as caught:
        admin_mail.retry_mail(actor(admin), failed.id)
    assert caught.value.errors == {"mail": "mail.error_not_failed"}

    assert mailer.deliver_pending() == 1
    assert mailer.deliver_pending() == 0
    assert [m["To"] for m in smtp_sink.messages] == ["paul.bernard@o2portal.example"]
    done = _mail(failed.id)
    assert (done.status, done.attempts, done.last_error) == ("sent", 2, None)
    with pytest.raises(InvalidInput):
        admin_mail.retry_mail(actor(admin), failed.id)  # a sent mail is not sent again
    assert len(smtp_sink.messages) == 1
    with pytest.raises(NotAllowed):
        admin_mail.retry_mail(actor(admin), 10_000)
