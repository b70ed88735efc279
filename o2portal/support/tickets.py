"""Support tickets, the customer's side: opening one, the thread, replies, closing and
reopening; and the job that closes tickets left awaiting the customer. The staff's side
is support/queue.py, the thread's shared rules support/thread.py, files
support/attachments.py. The `name as name` imports below keep names of those modules
reachable as tickets.<name> for the web package and support/scheduled.py, which still
name them so; they go once those import them from where they live.

Lifecycle: ``open`` (staff to act: new, or the customer wrote) → ``answered`` (staff
replied) → ``awaiting_customer`` (staff replied and needs something from the customer)
→ ``closed``. A customer reply opens the ticket again; the customer can close it and
reopen it; a ticket awaiting the customer closes itself after ``autoclose_days`` without
news (the jobs run ``close_stale_tickets``).

Who may do what is checked here as well as in the handlers: a customer function takes
the customer's id and refuses a ticket that is not theirs (``NotAllowed``, the same for
"not yours" and "does not exist"); a staff function (support/queue.py) asks the Actor
for a staff role first. Internal notes never leave the staff functions.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.core import audit, clock
from o2portal.core.batches import JOB_BATCH
from o2portal.core.db import held_or_read, read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.paging import paginate
from o2portal.core.stored_settings import DEFAULT_AUTOCLOSE_DAYS as DEFAULT_AUTOCLOSE_DAYS
from o2portal.core.stored_settings import ticket_autoclose_days
from o2portal.mail import outbox as mailer
from o2portal.products import contact_lists, contacts
from o2portal.products.contacts import Right
from o2portal.products.models import Product
from o2portal.support import thread
from o2portal.support.attachments import ATTACHMENT_MAX_BYTES as ATTACHMENT_MAX_BYTES
from o2portal.support.attachments import ATTACHMENTS_PER_MESSAGE as ATTACHMENTS_PER_MESSAGE
from o2portal.support.attachments import NewAttachment, attachments_line
from o2portal.support.attachments import attachment_for as attachment_for
from o2portal.support.attachments import clean_filename as clean_filename
from o2portal.support.attachments import discard_staged as discard_staged
from o2portal.support.attachments import purge_stale_staging as purge_stale_staging
from o2portal.support.attachments import stage_attachment as stage_attachment
from o2portal.support.attachments import staged_attachments as staged_attachments
from o2portal.support.models import Ticket, TicketStatus
from o2portal.support.queue import add_staff_reply as add_staff_reply
from o2portal.support.queue import assign as assign
from o2portal.support.queue import close_by_staff as close_by_staff
from o2portal.support.queue import reopen_by_staff as reopen_by_staff
from o2portal.support.queue import route as route
from o2portal.support.queue import staff_members as staff_members
from o2portal.support.queue import staff_queue as staff_queue
from o2portal.support.queue import staff_thread as staff_thread
from o2portal.support.thread import BODY_MAX as BODY_MAX
from o2portal.support.thread import TicketView as TicketView
from o2portal.support.thread import Window as Window
from o2portal.support.thread import thread_version as thread_version
from o2portal.support.thread import topic as topic

SUBJECT_MAX = thread.SUBJECT_MAX


def _own_ticket(session: Session, customer_id: int, ticket_id: int) -> Ticket:
    ticket = held_or_read(session, Ticket, ticket_id) if ticket_id else None
    if ticket is None or ticket.customer_id != customer_id:
        raise NotAllowed("ticket")
    return ticket


def customer_tickets(
    customer_id: int, *, closed: bool = False, page: int = 1, page_size: int = thread.PAGE_SIZE
) -> thread.TicketPage:
    """One page of the customer's open tickets (or of the closed ones), newest news first."""
    wanted = (TicketStatus.CLOSED,) if closed else thread.OPEN_STATUSES
    where = (Ticket.customer_id == customer_id, col(Ticket.status).in_(wanted))
    with read_session() as session:
        found = paginate(
            session,
            select(Ticket)
            .where(*where)
            .order_by(col(Ticket.updated_at).desc(), col(Ticket.id).desc()),
            page,
            size=page_size,
            count=select(func.count()).select_from(Ticket).where(*where),
        )
    return thread.TicketPage(found.rows, found.total, found.page, found.pages)


def customer_thread(
    customer_id: int,
    ticket_id: int,
    window: thread.Window = thread.LATEST,
    *,
    caller: Customer | None = None,
) -> thread.TicketView:
    """The ticket and its messages as the customer sees them (no internal note), the
    messages of `window` (by default the latest page). `caller`: the customer's row as
    the event's session has just read it, for their own name (never another's)."""
    known = caller if caller is not None and caller.id == customer_id else None
    with read_session() as session:
        ticket = _own_ticket(session, customer_id, ticket_id)
        return thread.thread_view(session, ticket, with_internal=False, window=window, known=known)


def product_choices(customer_id: int) -> list[Product]:
    """The customer's products a ticket can be about (at most 200), then those they look
    after for others as a contact."""
    with read_session() as session:
        own = list(
            session.exec(
                select(Product)
                .where(Product.customer_id == customer_id)
                .order_by(col(Product.kind), col(Product.name))
                .limit(200)
            ).all()
        )
    return own + contact_lists.ticket_products(customer_id)


def open_ticket(
    customer_id: int,
    *,
    subject: str | None,
    department: str | None,
    priority: str | None,
    product_id: int | None,
    body: str | None,
    attachments: list[NewAttachment] | None = None,
    submit_key: str | None = None,
    ip: str | None = None,
) -> int:
    """A new ticket with its first message; the support address is told. Returns its id.

    The same submit_key twice gives the first ticket back instead of a second one."""
    errors = thread.check_subject(subject, department, priority)
    subject = thread.clean_subject(subject)
    priority = priority or "normale"
    body, files, message_errors = thread.check_message(body, attachments)
    errors.update(message_errors)
    key = thread.clean_key(submit_key)
    with transaction() as session:
        customer = session.get(Customer, customer_id)
        if customer is None or customer.deleted_at is not None:
            raise NotAllowed("customer")
        link = None
        if product_id:
            try:
                # Theirs, or one they look after as a contact (products/contacts.py).
                _, link = contacts.access(session, customer_id, product_id, Right.TICKET)
            except NotAllowed:
                errors["product_id"] = "error.not_your_product"
        if errors:
            raise InvalidInput(errors)
        done = thread.existing_message(session, key)
        if done is not None:
            _own_ticket(session, customer_id, done.ticket_id)
            return done.ticket_id
        ticket = thread.start_ticket(
            session,
            customer_id,
            customer,
            subject=subject,
            department=department,
            priority=priority,
            product_id=product_id,
            status=TicketStatus.OPEN,
            body=body,
            files=files,
            submit_key=key,
        )
        audit.about(session, "ticket.opened", ticket, actor=customer, ip=ip)
        if link is not None:
            contacts.note_action(session, link, "ticket_opened", subject=subject)
        mailer.queue_for_staff(
            session,
            "ticket_new",
            department=ticket.department,
            priority=ticket.priority,
            customer_name=customer.display_name,
            customer_email=customer.email,
            message=body,
            attachments=attachments_line(files),
            **thread.mail_values(ticket, staff=True),
        )
        return ticket.id


def add_customer_reply(
    customer_id: int,
    ticket_id: int,
    body: str | None,
    attachments: list[NewAttachment] | None = None,
    *,
    submit_key: str | None = None,
    caller: Customer | None = None,
) -> int:
    """The customer writes in their ticket; it is open again for staff. Returns the message id.
    `caller`: the customer's row as the event's session has just read it, taken for the
    author instead of reading it again inside the write (never another's).

    A closed ticket must be reopened first (the reply form is not shown on it)."""
    body, files, errors = thread.check_message(body, attachments)
    key = thread.clean_key(submit_key)
    with transaction() as session:
        ticket = _own_ticket(session, customer_id, ticket_id)
        done = thread.existing_message(session, key)
        if done is not None:
            if done.ticket_id != ticket.id:
                raise NotAllowed("ticket")
            return done.id
        if errors:
            raise InvalidInput(errors)
        if ticket.status == TicketStatus.CLOSED:
            raise InvalidInput({"body": "error.ticket_closed"})
        if caller is not None and caller.id == customer_id:
            customer = caller
        else:
            customer = session.get(Customer, customer_id)
        message = thread.add_message(session, ticket, customer, body, files, submit_key=key)
        ticket.status = TicketStatus.OPEN
        session.add(ticket)
        return message.id


def close_by_customer(customer_id: int, ticket_id: int, *, ip: str | None = None) -> None:
    with transaction() as session:
        ticket = _own_ticket(session, customer_id, ticket_id)
        thread.close(session, ticket, session.get(Customer, customer_id), ip=ip)


def reopen_by_customer(customer_id: int, ticket_id: int, *, ip: str | None = None) -> None:
    with transaction() as session:
        ticket = _own_ticket(session, customer_id, ticket_id)
        thread.reopen(session, ticket, session.get(Customer, customer_id), ip=ip)


def autoclose_days(session: Session) -> int:
    """Set by staff on /admin/settings (settings_store keeps the rule and the default)."""
    return ticket_autoclose_days(session)


def close_stale_tickets(now: datetime | None = None, batch: int = JOB_BATCH) -> int:
    """Close the tickets that have been awaiting the customer for the set number of days,
    telling each customer. Reads only those through the (status, updated_at) index."""
    now = now or clock.now()
    closed = 0
    with transaction() as session:
        cutoff = now - timedelta(days=autoclose_days(session))
        stale = session.exec(
            select(Ticket)
            .where(
                Ticket.status == TicketStatus.AWAITING_CUSTOMER, col(Ticket.updated_at) <= cutoff
            )
            .order_by(col(Ticket.updated_at))
            .limit(batch)
        ).all()
        for ticket in stale:
            ticket.status, ticket.closed_at, ticket.updated_at = TicketStatus.CLOSED, now, now
            session.add(ticket)
            thread.announce(session, ticket.id)
            audit.about(session, "ticket.closed", ticket, reason="awaiting_customer_timeout")
            mailer.queue_for_account(
                session,
                ticket.customer_id,
                "ticket_closed",
                **thread.mail_values(ticket),
            )
            closed += 1
    return closed
