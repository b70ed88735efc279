"""The staff's side of support: the queue of tickets, the whole thread (internal notes
included), replies and notes, assignment, closing and reopening. Every function asks
the Actor for a staff role first."""

from __future__ import annotations

from sqlalchemy import func, union
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.core import audit
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.paging import paginate
from o2portal.core.permissions import Actor
from o2portal.core.search import lower_starts_with, starts_with
from o2portal.core.validation import without_controls
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import Part
from o2portal.products.models import Product
from o2portal.support import escalation, thread
from o2portal.support.attachments import NewAttachment, attachments_line
from o2portal.support.models import (
    DEPARTMENTS,
    PRIORITIES,
    TICKET_STATUSES,
    Ticket,
    TicketMessage,
    TicketStatus,
)
from o2portal.support.notes import notes_of


def _ticket(session: Session, ticket_id: int) -> Ticket:
    """Any ticket, for staff (the caller has asked the Actor for the role first)."""
    ticket = session.get(Ticket, ticket_id) if ticket_id else None
    if ticket is None:
        raise NotAllowed("ticket")
    return ticket


SEARCH_MAX = 100


def _matching(text: str):
    """The ids of tickets that `text` names: by number, words of the subject or of a
    message (internal notes included), the customer's email, name or company, or the
    related product's name (prefixes, through their indexes)."""
    low = text.lower()
    found = [
        select(Ticket.id).where(func.lower(Ticket.subject).contains(low, autoescape=True)),
        select(TicketMessage.ticket_id).where(
            func.lower(TicketMessage.body).contains(low, autoescape=True)
        ),
        select(Ticket.id)
        .join(Product, col(Product.id) == Ticket.product_id)
        .where(starts_with(col(Product.name), low)),
    ]
    people = union(
        select(Customer.id).where(starts_with(col(Customer.email), low)),
        select(Customer.id).where(lower_starts_with(Customer.last_name, low)),
        select(Customer.id).where(lower_starts_with(Customer.first_name, low)),
        select(Customer.id).where(lower_starts_with(Customer.company_name, low)),
    )
    found.append(select(Ticket.id).where(col(Ticket.customer_id).in_(people)))
    number = low.lstrip("#")
    if number.isascii() and number.isdigit() and len(number) <= 12:
        found.append(select(Ticket.id).where(Ticket.id == int(number)))
    return union(*found)


def staff_queue(
    actor: Actor,
    *,
    status: str = "",
    department: str = "",
    assigned: str = "",
    query: str = "",
    page: int = 1,
    page_size: int = thread.PAGE_SIZE,
) -> thread.TicketPage:
    """The queue: by status ("" = every open one, "all" = everything) and department;
    assigned "me" or "none" narrows it, "escalated" keeps the escalated ones; `query`
    searches (see _matching). Oldest waiting first for open work."""
    text = without_controls(query or "").strip()[:SEARCH_MAX]
    with read_session() as session:
        actor.staff()
        where = []
        if text:
            where.append(col(Ticket.id).in_(_matching(text)))
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
        elif assigned == "escalated":
            where.append(col(Ticket.escalated_at).is_not(None))
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
        # Each ticket's last message the customer sees (internal notes aside): one query.
        latest = (
            select(func.max(TicketMessage.id))
            .where(
                col(TicketMessage.ticket_id).in_([t.id for t in rows] or [-1]),
                col(TicketMessage.is_internal).is_(False),
            )
            .group_by(TicketMessage.ticket_id)
        )
        last = {
            m.ticket_id: (m.author_id, m.created_at)
            for m in session.exec(select(TicketMessage).where(col(TicketMessage.id).in_(latest)))
        }
        ids = {t.customer_id for t in rows} | {t.assigned_to_id for t in rows if t.assigned_to_id}
        ids |= {author for author, _ in last.values()}
        names = {
            p.id: p.display_name
            for p in session.exec(select(Customer).where(col(Customer.id).in_(ids or {-1})))
        }
    return thread.TicketPage(found.rows, found.total, found.page, found.pages, names, last)


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
        view = thread.thread_view(session, ticket, with_internal=True, window=window)
        view.notes = notes_of(session, ticket.customer_id)
        return view


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
        escalation.clear(ticket)
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


def route(
    actor: Actor,
    ticket_id: int,
    *,
    department: str | None = None,
    priority: str | None = None,
    ip: str | None = None,
) -> None:
    """Staff move a ticket to another department or change its priority (audited with
    the values before and after)."""
    if department is not None and department not in DEPARTMENTS:
        raise InvalidInput({"department": "error.choose_one"})
    if priority is not None and priority not in PRIORITIES:
        raise InvalidInput({"priority": "error.choose_one"})
    with transaction() as session:
        staff = actor.staff()
        ticket = _ticket(session, ticket_id)
        before = {"department": ticket.department, "priority": ticket.priority}
        ticket.department = department or ticket.department
        ticket.priority = priority or ticket.priority
        after = {"department": ticket.department, "priority": ticket.priority}
        if after == before:
            return
        session.add(ticket)
        audit.about(
            session, "ticket.routed", ticket, actor=staff, ip=ip, before=before, after=after
        )


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


def open_for_customer(
    actor: Actor,
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
    """Staff open a ticket for a customer (a call, a problem seen on their service): the
    first message is staff's and the customer is emailed it; the ticket then awaits the
    customer's answer. The same submit_key twice gives the first ticket back."""
    errors = thread.check_subject(subject, department, priority)
    body, files, message_errors = thread.check_message(body, attachments)
    errors.update(message_errors)
    key = thread.clean_key(submit_key)
    with transaction() as session:
        staff = actor.staff()
        customer = session.get(Customer, customer_id) if customer_id else None
        if customer is None or customer.is_staff or customer.deleted_at is not None:
            raise NotAllowed("customer")
        if product_id:
            product = session.get(Product, product_id)
            if product is None or product.customer_id != customer_id:
                errors["product_id"] = "error.not_your_product"
        done = thread.existing_message(session, key)
        if done is not None:
            return done.ticket_id
        if errors:
            raise InvalidInput(errors)
        ticket = thread.start_ticket(
            session,
            customer_id,
            staff,
            subject=thread.clean_subject(subject),
            department=department,
            priority=priority or "normale",
            product_id=product_id,
            status=TicketStatus.AWAITING_CUSTOMER,
            body=body,
            files=files,
            submit_key=key,
            assigned_to_id=staff.id,
        )
        audit.about(session, "ticket.opened_for_customer", ticket, actor=staff, ip=ip)
        mailer.queue_for_customer(
            session,
            customer,
            "ticket_opened_for_you",
            message=body,
            attachments=attachments_line(files),
            **thread.mail_values(ticket),
        )
        return ticket.id
