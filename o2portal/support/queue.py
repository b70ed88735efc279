"""The staff's side of support: the queue of tickets, the whole thread (internal notes
included), replies and notes, assignment, closing and reopening. Every function asks
the Actor for a staff role first."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.core import audit
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.paging import paginate
from o2portal.core.permissions import Actor
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import Part
from o2portal.support import thread
from o2portal.support.attachments import NewAttachment, attachments_line
from o2portal.support.models import DEPARTMENTS, TICKET_STATUSES, Ticket, TicketStatus


def _ticket(session: Session, ticket_id: int) -> Ticket:
    """Any ticket, for staff (the caller has asked the Actor for the role first)."""
    ticket = session.get(Ticket, ticket_id) if ticket_id else None
    if ticket is None:
        raise NotAllowed("ticket")
    return ticket


def staff_queue(
    actor: Actor,
    *,
    status: str = "",
    department: str = "",
    assigned: str = "",
    page: int = 1,
    page_size: int = thread.PAGE_SIZE,
) -> thread.TicketPage:
    """The queue: by status ("" = every open one, "all" = everything) and department;
    assigned "me" or "none" narrows it. Oldest waiting first for open work."""
    with read_session() as session:
        actor.staff()
        where = []
        if status == "all":
            pass
        elif status in TICKET_STATUSES:
            where.append(Ticket.status == status)
        else:
            where.append(col(Ticket.status).in_(thread.OPEN_STATUSES))
        if department in DEPARTMENTS:
            where.append(Ticket.department == department)
        if assigned == "me":
            where.append(Ticket.assigned_to_id == actor.id)
        elif assigned == "none":
            where.append(col(Ticket.assigned_to_id).is_(None))
        order = (
            (col(Ticket.updated_at).desc(),)
            if status in (TicketStatus.CLOSED, "all")
            else (col(Ticket.status) != TicketStatus.OPEN, col(Ticket.updated_at))
        )
        found = paginate(
            session,
            select(Ticket).where(*where).order_by(*order, col(Ticket.id)),
            page,
            size=page_size,
            count=select(func.count()).select_from(Ticket).where(*where),
        )
        rows = found.rows
        ids = {t.customer_id for t in rows} | {t.assigned_to_id for t in rows if t.assigned_to_id}
        names = {
            p.id: p.display_name
            for p in session.exec(select(Customer).where(col(Customer.id).in_(ids or {-1})))
        }
    return thread.TicketPage(found.rows, found.total, found.page, found.pages, names)


def ticket_by_number(actor: Actor, text: str) -> Ticket | None:
    """The ticket a staff member names by its number ("1234", "#1234"), or None."""
    number = (text or "").strip().lstrip("#")
    if not (number.isascii() and number.isdigit() and len(number) <= 12):
        return None
    with read_session() as session:
        actor.staff()
        return session.get(Ticket, int(number))


def staff_thread(
    actor: Actor, ticket_id: int, window: thread.Window = thread.LATEST
) -> thread.TicketView:
    """The thread, internal notes included: the messages of `window` (by default the
    latest page)."""
    with read_session() as session:
        actor.staff()
        ticket = _ticket(session, ticket_id)
        return thread.thread_view(session, ticket, with_internal=True, window=window)


def staff_members(actor: Actor) -> list[Customer]:
    with read_session() as session:
        actor.staff()
        return list(
            session.exec(
                select(Customer)
                .where(col(Customer.role).in_(("support", "admin")))
                .where(col(Customer.disabled_at).is_(None))
                .order_by(col(Customer.first_name))
            ).all()
        )


def add_staff_reply(
    actor: Actor,
    ticket_id: int,
    body: str | None,
    attachments: list[NewAttachment] | None = None,
    *,
    internal: bool = False,
    await_customer: bool = False,
    submit_key: str | None = None,
    ip: str | None = None,
) -> int:
    """A reply to the customer (emailed to them), or an internal note that only staff see.

    A reply makes the ticket "answered", or "awaiting_customer" when staff need something
    from the customer; a note changes nothing the customer can see."""
    body, files, errors = thread.check_message(body, attachments)
    key = thread.clean_key(submit_key)
    with transaction() as session:
        staff = actor.staff()
        ticket = _ticket(session, ticket_id)
        done = thread.existing_message(session, key)
        if done is not None:
            if done.ticket_id != ticket.id:
                raise InvalidInput({"body": "error.already_sent"})
            return done.id
        if errors:
            raise InvalidInput(errors)
        message = thread.add_message(
            session, ticket, staff, body, files, submit_key=key, internal=internal
        )
        if internal:
            return message.id
        ticket.status = TicketStatus.AWAITING_CUSTOMER if await_customer else TicketStatus.ANSWERED
        ticket.closed_at = None
        if ticket.assigned_to_id is None:
            ticket.assigned_to_id = staff.id
        session.add(ticket)
        customer = session.get(Customer, ticket.customer_id)
        if customer is not None and customer.deleted_at is None:
            mailer.queue_for_customer(
                session,
                customer,
                "ticket_reply",
                message=body,
                attachments=attachments_line(files),
                awaiting=Part("ticket_awaiting")
                if ticket.status == TicketStatus.AWAITING_CUSTOMER
                else "",
                **thread.mail_values(ticket),
            )
        audit.about(session, "ticket.answered", ticket, actor=staff, ip=ip)
        return message.id


def assign(actor: Actor, ticket_id: int, assignee_id: int | None, *, ip: str | None = None):
    with transaction() as session:
        staff = actor.staff()
        ticket = _ticket(session, ticket_id)
        if assignee_id:
            assignee = session.get(Customer, assignee_id)
            if assignee is None or not assignee.is_staff or assignee.disabled_at is not None:
                raise InvalidInput({"assignee": "error.choose_one"})
        ticket.assigned_to_id = assignee_id or None
        session.add(ticket)
        audit.about(session, "ticket.assigned", ticket, actor=staff, ip=ip, assignee_id=assignee_id)


def close_by_staff(actor: Actor, ticket_id: int, *, ip: str | None = None) -> None:
    with transaction() as session:
        staff = actor.staff()
        ticket = _ticket(session, ticket_id)
        thread.close(session, ticket, staff, ip=ip)


def reopen_by_staff(actor: Actor, ticket_id: int, *, ip: str | None = None) -> None:
    with transaction() as session:
        staff = actor.staff()
        ticket = _ticket(session, ticket_id)
        thread.reopen(session, ticket, staff, ip=ip)
