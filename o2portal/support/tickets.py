"""Support tickets: opening one, the thread, replies and attachments, the status
lifecycle, and the staff's queue.

Lifecycle: ``open`` (staff to act: new, or the customer wrote) → ``answered`` (staff
replied) → ``awaiting_customer`` (staff replied and needs something from the customer)
→ ``closed``. A customer reply opens the ticket again; the customer can close it and
reopen it; a ticket awaiting the customer closes itself after ``autoclose_days`` without
news (the jobs run ``close_stale_tickets``).

Who may do what is checked here as well as in the handlers: a customer function takes
the customer's id and refuses a ticket that is not theirs (``NotAllowed``, the same for
"not yours" and "does not exist"); a staff function takes the staff member's id and
refuses anyone else. Internal notes never leave the staff functions.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.core import audit, clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.permissions import Actor
from o2portal.core.settings import get_settings
from o2portal.core.stored_settings import DEFAULT_AUTOCLOSE_DAYS as DEFAULT_AUTOCLOSE_DAYS
from o2portal.core.stored_settings import ticket_autoclose_days
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import Part, link
from o2portal.products.models import Product
from o2portal.support.models import (
    DEPARTMENTS,
    PRIORITIES,
    TICKET_STATUSES,
    Ticket,
    TicketAttachment,
    TicketMessage,
)

LIST_LIMIT = 50
PAGE_SIZE = 20
SUBJECT_MAX = 200
BODY_MAX = 20_000
# Logs and text files: enough for a PHP error log or a configuration file, not a backup.
ATTACHMENT_MAX_BYTES = 1024 * 1024
ATTACHMENTS_PER_MESSAGE = 3
ATTACHMENT_NAME_MAX = 120
_EXTENSIONS = """
    .txt .log .conf .cfg .cnf .ini .env .htaccess .csv .tsv .json .xml .yml .yaml .toml .md
    .sql .php .py .js .ts .css .html .htm .sh .rb .pl .err .out .diff .patch
"""
TEXT_EXTENSIONS = frozenset(_EXTENSIONS.split())
OPEN_STATUSES = ("open", "answered", "awaiting_customer")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# ---------------------------------------------------------------- input


@dataclass(frozen=True)
class NewAttachment:
    """A checked text file, ready to be stored with a message."""

    filename: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


def clean_filename(raw: str | None) -> str:
    """The file's own name, without any folder, control character or odd Unicode form."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _CONTROL.sub("", name).strip().strip(".")
    if len(name) > ATTACHMENT_NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: ATTACHMENT_NAME_MAX - len(ext) - 1] + dot + ext) if dot else name
        name = name[:ATTACHMENT_NAME_MAX]
    return name


def _extension_allowed(name: str) -> bool:
    lowered = name.lower()
    if lowered in ("htaccess", "error_log", "access_log", "php.ini", "dockerfile", "makefile"):
        return True
    suffix = Path(lowered).suffix
    if not suffix:
        # error_log, messages, … : a log without extension is common on a server.
        return "." not in lowered
    return suffix in TEXT_EXTENSIONS or bool(re.fullmatch(r"\.\d{1,3}", suffix))


_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def is_text(content: bytes) -> bool:
    """UTF-8 (or Windows-1252) text without the control characters binary files are full
    of (tabs, line ends, form feeds and the escape of coloured logs are fine)."""
    for encoding in ("utf-8", "cp1252"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _BINARY_CONTROL.search(text) is None
    return False


def check_attachment(filename: str | None, content: bytes) -> NewAttachment:
    """A file a customer or staff member attaches; InvalidInput({"attachments": …}) if not."""
    name = clean_filename(filename)
    if not name:
        raise InvalidInput({"attachments": "error.attachment_name"})
    if not content:
        raise InvalidInput({"attachments": "error.attachment_empty"})
    if len(content) > ATTACHMENT_MAX_BYTES:
        raise InvalidInput({"attachments": "error.attachment_too_big"})
    if not _extension_allowed(name) or not is_text(content):
        raise InvalidInput({"attachments": "error.attachment_type"})
    return NewAttachment(filename=name, content=content)


def clean_body(raw: str | None, field_name: str = "body") -> str:
    body = (raw or "").replace("\r\n", "\n").replace("\x00", "")
    if not body.strip():
        raise InvalidInput({field_name: "error.required"})
    if len(body) > BODY_MAX:
        raise InvalidInput({field_name: "error.too_long"})
    return body.rstrip()


def _clean_attachments(attachments: list[NewAttachment] | None) -> list[NewAttachment]:
    files = list(attachments or [])
    if len(files) > ATTACHMENTS_PER_MESSAGE:
        raise InvalidInput({"attachments": "error.attachment_count"})
    return [check_attachment(a.filename, a.content) for a in files]


def _check_message(
    body: str | None, attachments: list[NewAttachment] | None
) -> tuple[str, list[NewAttachment], dict[str, str]]:
    """The message's text and files, checked; every problem is reported at once."""
    errors: dict[str, str] = {}
    clean, files = body or "", []
    try:
        clean = clean_body(body)
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        files = _clean_attachments(attachments)
    except InvalidInput as exc:
        errors.update(exc.errors)
    return clean, files, errors


def _clean_key(submit_key: str | None) -> str | None:
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
    assigned_name: str | None
    messages: list[MessageView]


@dataclass
class TicketPage:
    rows: list[Ticket]
    total: int
    page: int
    pages: int
    names: dict[int, str] = field(default_factory=dict)


def _staff_name(person: Customer) -> str:
    return f"{person.first_name} — Support"


def _thread(session: Session, ticket: Ticket, *, with_internal: bool) -> TicketView:
    query = select(TicketMessage).where(TicketMessage.ticket_id == ticket.id)
    if not with_internal:
        query = query.where(col(TicketMessage.is_internal).is_(False))
    messages = list(session.exec(query.order_by(col(TicketMessage.id))).all())
    ids = [m.id for m in messages] or [-1]
    files: dict[int, list[AttachmentView]] = {}
    for a in session.exec(
        select(TicketAttachment)
        .where(col(TicketAttachment.message_id).in_(ids))
        .order_by(col(TicketAttachment.id))
    ):
        files.setdefault(a.message_id, []).append(AttachmentView(a.id, a.filename, a.size_bytes))
    people_ids = {m.author_id for m in messages} | {ticket.customer_id}
    if ticket.assigned_to_id:
        people_ids.add(ticket.assigned_to_id)
    people = {
        p.id: p for p in session.exec(select(Customer).where(col(Customer.id).in_(people_ids)))
    }
    owner = people.get(ticket.customer_id)
    product = session.get(Product, ticket.product_id) if ticket.product_id else None
    assigned = people.get(ticket.assigned_to_id) if ticket.assigned_to_id else None

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
    )


def _own_ticket(session: Session, customer_id: int, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id) if ticket_id else None
    if ticket is None or ticket.customer_id != customer_id:
        raise NotAllowed("ticket")
    return ticket


# ---------------------------------------------------------------- customer side


def customer_tickets(
    customer_id: int, *, closed: bool = False, page: int = 1, page_size: int = PAGE_SIZE
) -> TicketPage:
    """One page of the customer's open tickets (or of the closed ones), newest news first."""
    wanted = ("closed",) if closed else OPEN_STATUSES
    where = (Ticket.customer_id == customer_id, col(Ticket.status).in_(wanted))
    with read_session() as session:
        total = session.exec(select(func.count()).select_from(Ticket).where(*where)).one()
        pages = max(1, -(-total // page_size))
        page = min(max(1, page), pages)
        rows = list(
            session.exec(
                select(Ticket)
                .where(*where)
                .order_by(col(Ticket.updated_at).desc(), col(Ticket.id).desc())
                .offset((page - 1) * page_size)
                .limit(page_size)
            ).all()
        )
    return TicketPage(rows=rows, total=total, page=page, pages=pages)


def customer_thread(customer_id: int, ticket_id: int) -> TicketView:
    """The ticket and its messages as the customer sees them (no internal note)."""
    with read_session() as session:
        ticket = _own_ticket(session, customer_id, ticket_id)
        return _thread(session, ticket, with_internal=False)


def product_choices(customer_id: int) -> list[Product]:
    """The customer's products a ticket can be about (newest first, at most 200)."""
    with read_session() as session:
        return list(
            session.exec(
                select(Product)
                .where(Product.customer_id == customer_id)
                .order_by(col(Product.kind), col(Product.name))
                .limit(200)
            ).all()
        )


def _existing_message(session: Session, submit_key: str | None) -> TicketMessage | None:
    if not submit_key:
        return None
    return session.exec(select(TicketMessage).where(TicketMessage.submit_key == submit_key)).first()


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
    errors: dict[str, str] = {}
    subject = _CONTROL.sub(" ", subject or "").strip()
    if not subject:
        errors["subject"] = "error.required"
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = "error.too_long"
    if department not in DEPARTMENTS:
        errors["department"] = "error.choose_one"
    priority = priority or "normale"
    if priority not in PRIORITIES:
        errors["priority"] = "error.choose_one"
    body, files, message_errors = _check_message(body, attachments)
    errors.update(message_errors)
    key = _clean_key(submit_key)
    with transaction() as session:
        customer = session.get(Customer, customer_id)
        if customer is None or customer.deleted_at is not None:
            raise NotAllowed("customer")
        if product_id:
            product = session.get(Product, product_id)
            if product is None or product.customer_id != customer_id:
                errors["product_id"] = "error.not_your_product"
        if errors:
            raise InvalidInput(errors)
        done = _existing_message(session, key)
        if done is not None:
            _own_ticket(session, customer_id, done.ticket_id)
            return done.ticket_id
        now = clock.now()
        ticket = Ticket(
            customer_id=customer_id,
            subject=subject,
            department=department,
            priority=priority,
            product_id=product_id or None,
            status="open",
            created_at=now,
            updated_at=now,
        )
        session.add(ticket)
        session.flush()
        _add_message(session, ticket, customer, body, files, submit_key=key, now=now)
        audit.about(session, "ticket.opened", ticket, actor=customer, ip=ip)
        # To the support address: staff read French.
        mailer.queue_rendered(
            session,
            to=get_settings().support_email,
            language="fr",
            kind="ticket_new",
            ticket_id=ticket.id,
            ticket_subject=ticket.subject,
            department=ticket.department,
            priority=ticket.priority,
            customer_name=customer.display_name,
            customer_email=customer.email,
            message=body,
            attachments=_attachments(files),
            admin_link=link(f"/admin/tickets/{ticket.id}"),
        )
        return ticket.id


def add_customer_reply(
    customer_id: int,
    ticket_id: int,
    body: str | None,
    attachments: list[NewAttachment] | None = None,
    *,
    submit_key: str | None = None,
) -> int:
    """The customer writes in their ticket; it is open again for staff. Returns the message id.

    A closed ticket must be reopened first (the reply form is not shown on it)."""
    body, files, errors = _check_message(body, attachments)
    key = _clean_key(submit_key)
    with transaction() as session:
        ticket = _own_ticket(session, customer_id, ticket_id)
        done = _existing_message(session, key)
        if done is not None:
            if done.ticket_id != ticket.id:
                raise NotAllowed("ticket")
            return done.id
        if errors:
            raise InvalidInput(errors)
        if ticket.status == "closed":
            raise InvalidInput({"body": "error.ticket_closed"})
        customer = session.get(Customer, customer_id)
        message = _add_message(session, ticket, customer, body, files, submit_key=key)
        ticket.status = "open"
        session.add(ticket)
        return message.id


def close_by_customer(customer_id: int, ticket_id: int, *, ip: str | None = None) -> None:
    with transaction() as session:
        ticket = _own_ticket(session, customer_id, ticket_id)
        _close(session, ticket, session.get(Customer, customer_id), ip=ip)


def reopen_by_customer(customer_id: int, ticket_id: int, *, ip: str | None = None) -> None:
    with transaction() as session:
        ticket = _own_ticket(session, customer_id, ticket_id)
        _reopen(session, ticket, session.get(Customer, customer_id), ip=ip)


def thread_version(ticket_id: int, *, with_internal: bool) -> str:
    """Changes whenever the thread gains a message or the ticket its status: what a live
    page compares to know it has news, with one indexed query."""
    query = select(func.max(TicketMessage.id)).where(TicketMessage.ticket_id == ticket_id)
    if not with_internal:
        query = query.where(col(TicketMessage.is_internal).is_(False))
    with read_session() as session:
        latest = session.exec(query).one()
        status = session.exec(select(Ticket.status).where(Ticket.id == ticket_id)).first()
    return f"{latest or 0}:{status or ''}"


# ---------------------------------------------------------------- staff side


def staff_queue(
    actor: Actor,
    *,
    status: str = "",
    department: str = "",
    assigned: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> TicketPage:
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
            where.append(col(Ticket.status).in_(OPEN_STATUSES))
        if department in DEPARTMENTS:
            where.append(Ticket.department == department)
        if assigned == "me":
            where.append(Ticket.assigned_to_id == actor.id)
        elif assigned == "none":
            where.append(col(Ticket.assigned_to_id).is_(None))
        total = session.exec(select(func.count()).select_from(Ticket).where(*where)).one()
        pages = max(1, -(-total // page_size))
        page = min(max(1, page), pages)
        order = (
            (col(Ticket.updated_at).desc(),)
            if status in ("closed", "all")
            else (col(Ticket.status) != "open", col(Ticket.updated_at))
        )
        rows = list(
            session.exec(
                select(Ticket)
                .where(*where)
                .order_by(*order, col(Ticket.id))
                .offset((page - 1) * page_size)
                .limit(page_size)
            ).all()
        )
        ids = {t.customer_id for t in rows} | {t.assigned_to_id for t in rows if t.assigned_to_id}
        names = {
            p.id: p.display_name
            for p in session.exec(select(Customer).where(col(Customer.id).in_(ids or {-1})))
        }
    return TicketPage(rows=rows, total=total, page=page, pages=pages, names=names)


def staff_thread(actor: Actor, ticket_id: int) -> TicketView:
    """The whole thread, internal notes included."""
    with read_session() as session:
        actor.staff()
        ticket = session.get(Ticket, ticket_id) if ticket_id else None
        if ticket is None:
            raise NotAllowed("ticket")
        return _thread(session, ticket, with_internal=True)


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
    body, files, errors = _check_message(body, attachments)
    key = _clean_key(submit_key)
    with transaction() as session:
        staff = actor.staff()
        ticket = session.get(Ticket, ticket_id) if ticket_id else None
        if ticket is None:
            raise NotAllowed("ticket")
        done = _existing_message(session, key)
        if done is not None:
            if done.ticket_id != ticket.id:
                raise InvalidInput({"body": "error.already_sent"})
            return done.id
        if errors:
            raise InvalidInput(errors)
        message = _add_message(
            session, ticket, staff, body, files, submit_key=key, internal=internal
        )
        if internal:
            return message.id
        ticket.status = "awaiting_customer" if await_customer else "answered"
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
                ticket_id=ticket.id,
                ticket_subject=ticket.subject,
                message=body,
                attachments=_attachments(files),
                awaiting=Part("ticket_awaiting") if ticket.status == "awaiting_customer" else "",
                ticket_link=link(f"/tickets/{ticket.id}"),
            )
        audit.about(session, "ticket.answered", ticket, actor=staff, ip=ip)
        return message.id


def assign(actor: Actor, ticket_id: int, assignee_id: int | None, *, ip: str | None = None):
    with transaction() as session:
        staff = actor.staff()
        ticket = session.get(Ticket, ticket_id) if ticket_id else None
        if ticket is None:
            raise NotAllowed("ticket")
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
        ticket = session.get(Ticket, ticket_id) if ticket_id else None
        if ticket is None:
            raise NotAllowed("ticket")
        _close(session, ticket, staff, ip=ip)


def reopen_by_staff(actor: Actor, ticket_id: int, *, ip: str | None = None) -> None:
    with transaction() as session:
        staff = actor.staff()
        ticket = session.get(Ticket, ticket_id) if ticket_id else None
        if ticket is None:
            raise NotAllowed("ticket")
        _reopen(session, ticket, staff, ip=ip)


# ---------------------------------------------------------------- attachments


def attachment_for(person_id: int, attachment_id: int) -> tuple[Path, str]:
    """The stored file and its name, for the ticket's owner (not on an internal note) or
    staff; NotAllowed for anyone else and for what does not exist."""
    with read_session() as session:
        person = session.get(Customer, person_id) if person_id else None
        attachment = session.get(TicketAttachment, attachment_id) if attachment_id else None
        if person is None or attachment is None:
            raise NotAllowed("attachment")
        message = session.get(TicketMessage, attachment.message_id)
        ticket = session.get(Ticket, message.ticket_id) if message else None
        if ticket is None:
            raise NotAllowed("attachment")
        staff = person.is_staff and person.disabled_at is None and person.deleted_at is None
        if not staff and (ticket.customer_id != person.id or message.is_internal):
            raise NotAllowed("attachment")
    root = _data_dir()
    path = (root / attachment.storage_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotAllowed("attachment")
    return path, attachment.filename


def _data_dir() -> Path:
    return Path(get_settings().data_dir).resolve()


def _store(ticket_id: int, content: bytes) -> str:
    """Write the file under the private data directory; returns its relative path."""
    relative = Path("attachments") / str(ticket_id) / secrets.token_hex(16)
    target = _data_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return relative.as_posix()


def _add_message(
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
    written: list[Path] = []
    try:
        for f in files:
            relative = _store(ticket.id, f.content)
            written.append(_data_dir() / relative)
            session.add(
                TicketAttachment(
                    message_id=message.id,
                    filename=f.filename,
                    content_type="text/plain",
                    size_bytes=f.size,
                    sha256=hashlib.sha256(f.content).hexdigest(),
                    storage_path=relative,
                    created_at=now,
                )
            )
        session.flush()
    except Exception:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    if not internal:
        ticket.updated_at = now
    session.add(ticket)
    return message


def _reopen(session: Session, ticket: Ticket, actor: Customer | None, *, ip: str | None) -> None:
    if ticket.status != "closed":
        return
    ticket.status, ticket.closed_at, ticket.updated_at = "open", None, clock.now()
    session.add(ticket)
    audit.about(session, "ticket.reopened", ticket, actor=actor, ip=ip)


def _close(session: Session, ticket: Ticket, actor: Customer | None, *, ip: str | None) -> None:
    if ticket.status == "closed":
        return
    now = clock.now()
    ticket.status, ticket.closed_at, ticket.updated_at = "closed", now, now
    session.add(ticket)
    audit.about(session, "ticket.closed", ticket, actor=actor, ip=ip)


# ---------------------------------------------------------------- files being written


STAGING_HOURS = 24
_STAGED_ID = re.compile(r"[0-9a-f]{32}")


def _staging_dir() -> Path:
    return _data_dir() / "staging"


def stage_attachment(owner_id: int, filename: str | None, content: bytes) -> str:
    """Check a file chosen in the reply form and keep it aside until the message is sent.

    Returns its staged id; only the same person can use it (the id names its owner)."""
    checked = check_attachment(filename, content)
    staged_id = secrets.token_hex(16)
    folder = _staging_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{int(owner_id)}-{staged_id}").write_bytes(checked.content)
    return staged_id


def staged_attachments(owner_id: int, files: list[tuple[str, str]]) -> list[NewAttachment]:
    """The staged files (id, name) of this person, read back for the message."""
    found = []
    for staged_id, name in files:
        path = _staged_path(owner_id, staged_id)
        if path is None or not path.is_file():
            raise InvalidInput({"attachments": "error.attachment_gone"})
        found.append(NewAttachment(filename=clean_filename(name), content=path.read_bytes()))
    return found


def discard_staged(owner_id: int, staged_ids: list[str]) -> None:
    for staged_id in staged_ids:
        path = _staged_path(owner_id, staged_id)
        if path is not None:
            path.unlink(missing_ok=True)


def _staged_path(owner_id: int, staged_id: str) -> Path | None:
    if not _STAGED_ID.fullmatch(staged_id or ""):
        return None
    return _staging_dir() / f"{int(owner_id)}-{staged_id}"


def purge_stale_staging(now: datetime | None = None) -> int:
    """Files chosen in a form that was never sent: gone after a day."""
    folder = _staging_dir()
    if not folder.is_dir():
        return 0
    cutoff = (now or clock.now()).timestamp() - STAGING_HOURS * 3600
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# ---------------------------------------------------------------- the job


def autoclose_days(session: Session) -> int:
    """Set by staff on /admin/settings (settings_store keeps the rule and the default)."""
    return ticket_autoclose_days(session)


def close_stale_tickets(now: datetime | None = None, batch: int = 500) -> int:
    """Close the tickets that have been awaiting the customer for the set number of days,
    telling each customer. Reads only those through the (status, updated_at) index."""
    now = now or clock.now()
    closed = 0
    with transaction() as session:
        cutoff = now - timedelta(days=autoclose_days(session))
        stale = session.exec(
            select(Ticket)
            .where(Ticket.status == "awaiting_customer", col(Ticket.updated_at) <= cutoff)
            .order_by(col(Ticket.updated_at))
            .limit(batch)
        ).all()
        for ticket in stale:
            ticket.status, ticket.closed_at, ticket.updated_at = "closed", now, now
            session.add(ticket)
            audit.about(session, "ticket.closed", ticket, reason="awaiting_customer_timeout")
            customer = session.get(Customer, ticket.customer_id)
            if customer is not None and customer.deleted_at is None:
                mailer.queue_for_customer(
                    session,
                    customer,
                    "ticket_closed",
                    ticket_id=ticket.id,
                    ticket_subject=ticket.subject,
                    ticket_link=link(f"/tickets/{ticket.id}"),
                )
            closed += 1
    return closed


# ---------------------------------------------------------------- mails


def _attachments(files: list[NewAttachment]) -> Part | str:
    """The attachments line, or nothing (its paragraph is then left out)."""
    if not files:
        return ""
    return Part("attachments", files=", ".join(f.filename for f in files))
