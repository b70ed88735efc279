"""Staff (admin) view of the outbox: mails by status and recipient, one mail's detail, and
retrying a failed mail. Links that open an account never reach staff: the outbox drops
their token once a mail is sent, and this view masks it in mail not sent yet too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select

from o2portal.core import audit, clock
from o2portal.core.db import existing, read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.paging import paginate
from o2portal.core.permissions import Actor
from o2portal.core.search import lower_starts_with
from o2portal.mail import outbox as mailer
from o2portal.mail.models import MAIL_STATUSES, MailStatus, OutboxEmail

PAGE_SIZE = 50
HIDDEN_LINK = "[lien masqué]"


@dataclass
class MailRow:
    id: int
    created_at: datetime
    to_addr: str
    kind: str
    subject: str
    status: str
    attempts: int


@dataclass
class MailPage:
    rows: list[MailRow]
    total: int
    page: int
    pages: int


@dataclass
class MailView:
    id: int
    customer_id: int | None
    kind: str
    to_addr: str
    subject: str
    body: str  # live link tokens masked
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None


def list_mail(actor: Actor, *, status: str = "", recipient: str = "", page: int = 1) -> MailPage:
    """Newest first, 50 a page; status one of MAIL_STATUSES (else all), recipient a prefix."""
    where = []
    if status in MAIL_STATUSES:
        where.append(OutboxEmail.status == status)
    text = (recipient or "").strip().lower()[:254]
    if text:
        where.append(lower_starts_with(OutboxEmail.to_addr, text))
    with read_session() as session:
        actor.admin()
        # Only the columns a list shows: bodies can be long.
        found = paginate(
            session,
            select(
                OutboxEmail.id,
                OutboxEmail.created_at,
                OutboxEmail.to_addr,
                OutboxEmail.kind,
                OutboxEmail.subject,
                OutboxEmail.status,
                OutboxEmail.attempts,
            )
            .where(*where)
            .order_by(col(OutboxEmail.id).desc()),
            page,
            size=PAGE_SIZE,
            count=select(func.count()).select_from(OutboxEmail).where(*where),
        )
    return MailPage([MailRow(*row) for row in found.rows], found.total, found.page, found.pages)


def mail_detail(actor: Actor, mail_id: int) -> MailView:
    with read_session() as session:
        actor.admin()
        mail = existing(session, OutboxEmail, mail_id, "no such mail")
        return MailView(
            id=mail.id,
            customer_id=mail.customer_id,
            kind=mail.kind,
            to_addr=mail.to_addr,
            subject=mail.subject,
            body=mailer.without_link_tokens(mail.body_text, HIDDEN_LINK),
            status=mail.status,
            attempts=mail.attempts,
            last_error=mail.last_error or "",
            created_at=mail.created_at,
            next_attempt_at=mail.next_attempt_at,
            sent_at=mail.sent_at,
        )


def retry_mail(actor: Actor, mail_id: int, *, ip=None) -> None:
    """Put a failed mail back in the queue, due now; the sender takes it at its next run.

    The last error stays for the record until a delivery succeeds."""
    with transaction() as session:
        staff = actor.admin()
        mail = existing(session, OutboxEmail, mail_id, "no such mail")
        if mail.status != MailStatus.FAILED:
            raise InvalidInput({"mail": "mail.error_not_failed"})
        mail.status = MailStatus.PENDING
        mail.next_attempt_at = clock.now()
        session.add(mail)
        audit.about(
            session,
            "staff.mail_retried",
            mail,
            actor=staff,
            ip=ip,
            to=mail.to_addr,
            kind=mail.kind,
            attempts=mail.attempts,
        )
