"""A ticket's thread: a message checked and written (with its files), the thread as
customer or staff see it, the version a live page watches, and the status changes that
customer and staff share (close, reopen)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Integer, bindparam, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.core import audit, clock, events
from o2portal.core.db import read_connection, read_models
from o2portal.core.errors import InvalidInput
from o2portal.core.paging import Page
from o2portal.core.validation import gathered, without_bidi_controls, without_controls
from o2portal.mail.templating import link
from o2portal.products.models import Product
from o2portal.support.attachments import NewAttachment, check_attachments, store_attachments
from o2portal.support.models import (
    DEPARTMENTS,
    PRIORITIES,
    Ticket,
    TicketAttachment,
    TicketMessage,
    TicketStatus,
)

PAGE_SIZE = 20
BODY_MAX = 20_000
SUBJECT_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
OPEN_STATUSES = (TicketStatus.OPEN, TicketStatus.ANSWERED, TicketStatus.AWAITING_CUSTOMER)


# ---------------------------------------------------------------- input


def clean_body(raw: str | None, field_name: str = "body", max_length: int = BODY_MAX) -> str:
    """Multi-line text as typed (Markdown), without NUL and bidi controls; required."""
    body = without_bidi_controls((raw or "").replace("\r\n", "\n").replace("\x00", ""))
    if not body.strip():
        raise InvalidInput({field_name: "error.required"})
    if len(body) > max_length:
        raise InvalidInput({field_name: "error.too_long"})
    return body.rstrip()


def clean_subject(subject: str | None) -> str:
    return without_controls(_CONTROL.sub(" ", subject or "")).strip()


def check_subject(
    subject: str | None, department: str | None, priority: str | None
) -> dict[str, str]:
    """What is wrong with a new ticket's subject, department and priority (none: {})."""
    errors: dict[str, str] = {}
    text = clean_subject(subject)
    if not text:
        errors["subject"] = "error.required"
    elif len(text) > SUBJECT_MAX:
        errors["subject"] = "error.too_long"
    if department not in DEPARTMENTS:
        errors["department"] = "error.choose_one"
    if (priority or "normale") not in PRIORITIES:
        errors["priority"] = "error.choose_one"
    return errors


def check_message(
    body: str | None, attachments: list[NewAttachment] | None
) -> tuple[str, list[NewAttachment], dict[str, str]]:
    """The message's text and files, checked; every problem is reported at once."""
    errors: dict[str, str] = {}
    clean = gathered(errors, lambda: clean_body(body), body or "")
    files = gathered(errors, lambda: check_attachments(attachments), [])
    return clean, files, errors


def clean_key(submit_key: str | None) -> str | None:
    key = (submit_key or "").strip()
    return key[:64] if key else None


# ---------------------------------------------------------------- views


@dataclass
class AttachmentView:
    id: int
    filename: str
    size_bytes: int


@dataclass
class MessageView:
    id: int
    author_name: str
    is_staff: bool
    is_internal: bool
    body: str
    created_at: datetime
    attachments: list[AttachmentView] = field(default_factory=list)


@dataclass
class TicketView:
    ticket: Ticket
    customer_name: str
    customer_email: str
    product_name: str | None
    assigned_name: str | None  # on the staff's view only
    messages: list[MessageView]
    # Older messages exist before the first one given (a long thread comes by pages).
    has_earlier: bool = False
    # Staff's notes on the customer (support/notes.py): on the staff's view only.
    notes: list = field(default_factory=list)


# A thread opens on its latest messages; older ones come a page at a time on request.
THREAD_PAGE = 30


@dataclass(frozen=True)
class Window:
    """Which messages of a thread: from `since_id` on (what a page already shows, and what
    came since), or the last THREAD_PAGE before `before_id` (or the latest ones)."""

    since_id: int | None = None
    before_id: int | None = None
    # Whether to find out if older messages exist (has_earlier): not for the news a page
    # already showing the thread reads.
    earlier: bool = True


LATEST = Window()


@dataclass
class TicketPage(Page):
    """A page of tickets, with the names of the people they mention (the staff's queue)."""

    names: dict[int, str] = field(default_factory=dict)
    # Each ticket's last message seen by the customer: who wrote it (a person's id, in
    # `names` too) and when — "waiting since" for a ticket awaiting staff.
    last: dict[int, tuple[int, datetime]] = field(default_factory=dict)


def _staff_name(person: Customer) -> str:
    return f"{person.first_name} — Support"


@functools.cache
def _messages_statement(with_internal: bool, shape: str):
    """A window's messages, built once per shape (the ticket and the edge bound at each
    call; a reply and each live page's news read one): "since" the edge, oldest first;
    the THREAD_PAGE "latest", or those "before" the edge, newest first; one message
    "earlier" than the edge, if any."""
    query = select(TicketMessage).where(TicketMessage.ticket_id == bindparam("ticket_id"))
    if not with_internal:
        query = query.where(col(TicketMessage.is_internal).is_(False))
    edge = bindparam("edge", type_=Integer)
    if shape == "since":
        return query.where(col(TicketMessage.id) >= edge).order_by(col(TicketMessage.id))
    if shape == "earlier":
        return query.where(col(TicketMessage.id) < edge).limit(1)
    if shape == "before":
        query = query.where(col(TicketMessage.id) < edge)
    return query.order_by(col(TicketMessage.id).desc()).limit(THREAD_PAGE)


@functools.cache
def _attachments_statement():
    return (
        select(TicketAttachment)
        .where(col(TicketAttachment.message_id).in_(bindparam("ids", expanding=True)))
        .order_by(col(TicketAttachment.id))
    )


@functools.cache
def _people_statement():
    return select(Customer).where(col(Customer.id).in_(bindparam("ids", expanding=True)))


def thread_view(
    session: Session,
    ticket: Ticket,
    *,
    with_internal: bool,
    window: Window = LATEST,
    known: Customer | None = None,
) -> TicketView:
    """The ticket and the messages of `window`, with their attachments and authors'
    names, read on the session's connection without the ORM's cost per statement (a
    reply and each live page's news read it). `known`: a person's row the caller has just
    read (the customer asking for their own thread), not read again."""
    if window.since_id is not None:
        shape, edge = "since", window.since_id
    elif window.before_id is not None:
        shape, edge = "before", window.before_id
    else:
        shape, edge = "latest", None
    found = read_models(
        TicketMessage,
        _messages_statement(with_internal, shape),
        {"ticket_id": ticket.id, "edge": edge},
        session,
    )
    messages = found if shape == "since" else list(reversed(found))
    first = messages[0].id if messages else window.before_id or window.since_id
    has_earlier = (
        window.earlier
        and first is not None
        and session.exec(
            _messages_statement(with_internal, "earlier"),
            params={"ticket_id": ticket.id, "edge": first},
        ).first()
        is not None
    )
    ids = [m.id for m in messages] or [-1]
    files: dict[int, list[AttachmentView]] = {}
    for a in read_models(TicketAttachment, _attachments_statement(), {"ids": ids}, session):
        files.setdefault(a.message_id, []).append(AttachmentView(a.id, a.filename, a.size_bytes))
    people_ids = {m.author_id for m in messages} | {ticket.customer_id}
    assigned_id = ticket.assigned_to_id if with_internal else None  # the staff's view only
    if assigned_id:
        people_ids.add(assigned_id)
    people = {known.id: known} if known is not None and known.id in people_ids else {}
    if people_ids - set(people):
        asked = {"ids": list(people_ids - set(people))}
        people |= {p.id: p for p in read_models(Customer, _people_statement(), asked, session)}
    owner = people.get(ticket.customer_id)
    product = session.get(Product, ticket.product_id) if ticket.product_id else None
    assigned = people.get(assigned_id) if assigned_id else None

    def author(m: TicketMessage) -> str:
        person = people.get(m.author_id)
        if person is None:
            return ""
        return _staff_name(person) if m.is_staff else person.display_name

    return TicketView(
        ticket=ticket,
        customer_name=owner.display_name if owner else "",
        customer_email=owner.email if owner else "",
        product_name=product.name if product else None,
        assigned_name=f"{assigned.first_name} {assigned.last_name}" if assigned else None,
        messages=[
            MessageView(
                id=m.id,
                author_name=author(m),
                is_staff=m.is_staff,
                is_internal=m.is_internal,
                body=m.body,
                created_at=m.created_at,
                attachments=files.get(m.id, []),
            )
            for m in messages
        ],
        has_earlier=has_earlier,
    )


def mail_values(ticket: Ticket, *, staff: bool = False) -> dict[str, object]:
    """What every mail about a ticket says of it: its number, its subject and the link to
    it (to the staff page with `staff`)."""
    if staff:
        return {
            "ticket_id": ticket.id,
            "ticket_subject": ticket.subject,
            "admin_link": link(f"/admin/tickets/{ticket.id}"),
        }
    return {
        "ticket_id": ticket.id,
        "ticket_subject": ticket.subject,
        "ticket_link": link(f"/tickets/{ticket.id}"),
    }


def existing_message(session: Session, submit_key: str | None) -> TicketMessage | None:
    if not submit_key:
        return None
    found = read_models(TicketMessage, _by_key_statement(), {"submit_key": submit_key}, session)
    return found[0] if found else None


@functools.cache
def _by_key_statement():
    """Built once: every message posted asks it first."""
    return select(TicketMessage).where(TicketMessage.submit_key == bindparam("submit_key"))


def add_message(
    session: Session,
    ticket: Ticket,
    author: Customer,
    body: str,
    files: list[NewAttachment],
    *,
    submit_key: str | None,
    internal: bool = False,
    now: datetime | None = None,
) -> TicketMessage:
    now = now or clock.now()
    message = TicketMessage(
        ticket_id=ticket.id,
        author_id=author.id,
        is_staff=author.is_staff and author.id != ticket.customer_id,
        is_internal=internal,
        body=body,
        created_at=now,
        submit_key=submit_key,
    )
    session.add(message)
    try:
        session.flush()
    except IntegrityError as exc:  # the same key from a second tab, at the same moment
        raise InvalidInput({"body": "error.already_sent"}) from exc
    store_attachments(session, ticket.id, message.id, files, now)
    if not internal:
        ticket.updated_at = now
    session.add(ticket)
    announce(session, ticket.id)
    return message


def start_ticket(
    session: Session,
    customer_id: int,
    author: Customer,
    *,
    subject: str,
    department: str,
    priority: str,
    product_id: int | None,
    status: str,
    body: str,
    files: list[NewAttachment],
    submit_key: str | None,
    assigned_to_id: int | None = None,
) -> Ticket:
    """A new ticket of the customer's with its first message (by the customer, or by
    staff opening it for them), its fields already checked."""
    now = clock.now()
    ticket = Ticket(
        customer_id=customer_id,
        subject=subject,
        department=department,
        priority=priority,
        product_id=product_id or None,
        status=status,
        assigned_to_id=assigned_to_id,
        created_at=now,
        updated_at=now,
    )
    session.add(ticket)
    session.flush()
    add_message(session, ticket, author, body, files, submit_key=submit_key, now=now)
    return ticket


def topic(ticket_id: int) -> str:
    """What the open pages of a ticket listen to (core/events.py)."""
    return f"ticket:{ticket_id}"


def announce(session: Session, ticket_id: int) -> None:
    """The ticket's open pages learn of a change once it is committed."""
    events.publish_after_commit(session, topic(ticket_id))


def reopen(session: Session, ticket: Ticket, actor: Customer | None, *, ip: str | None) -> None:
    if ticket.status != TicketStatus.CLOSED:
        return
    ticket.status, ticket.closed_at, ticket.updated_at = TicketStatus.OPEN, None, clock.now()
    session.add(ticket)
    announce(session, ticket.id)
    audit.about(session, "ticket.reopened", ticket, actor=actor, ip=ip)


def close(session: Session, ticket: Ticket, actor: Customer | None, *, ip: str | None) -> None:
    if ticket.status == TicketStatus.CLOSED:
        return
    now = clock.now()
    ticket.status, ticket.closed_at, ticket.updated_at = TicketStatus.CLOSED, now, now
    session.add(ticket)
    announce(session, ticket.id)
    audit.about(session, "ticket.closed", ticket, actor=actor, ip=ip)


@functools.cache
def _version_statement(with_internal: bool):
    """thread_version's one statement, built once (the ticket bound at each call): a live
    page runs it at every piece of news."""
    ticket_id = bindparam("ticket_id", type_=Integer)
    status = select(Ticket.status).where(Ticket.id == ticket_id).scalar_subquery()
    query = select(func.max(TicketMessage.id), func.count(TicketMessage.id), status).where(
        TicketMessage.ticket_id == ticket_id
    )
    if not with_internal:
        query = query.where(col(TicketMessage.is_internal).is_(False))
    return query


def thread_version(ticket_id: int, *, with_internal: bool) -> str:
    """Changes whenever the thread gains a message or the ticket its status: what a live
    page compares to know it has news, with one indexed query. The count as well as the
    last id: a message whose id was taken before another's but committed after it (two
    writers at once on PostgreSQL) changes the count, not the last id."""
    with read_connection() as connection:
        latest, count, status = connection.execute(
            _version_statement(with_internal), {"ticket_id": ticket_id}
        ).one()
    return f"{latest or 0}:{count}:{status or ''}"
