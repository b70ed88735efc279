"""Staff notes pinned to a customer: written and read by staff only, shown on the
customer's file and on each of their tickets. A note is removed, never deleted, and both
are audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.core import audit, clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import NotAllowed
from o2portal.core.permissions import Actor
from o2portal.support.models import CustomerNote
from o2portal.support.thread import clean_body

NOTE_MAX = 1000
# A customer's file shows at most this many notes, the newest first.
NOTES_SHOWN = 20


@dataclass(frozen=True)
class NoteView:
    id: int
    body: str
    author: str
    created_at: datetime
    author_id: int = 0


def _customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id) if customer_id else None
    if customer is None or customer.is_staff:
        raise NotAllowed("customer")
    return customer


def notes_of(session: Session, customer_id: int) -> list[NoteView]:
    """The customer's notes still in place, newest first (the caller is staff)."""
    rows = session.exec(
        select(CustomerNote, Customer)
        .join(Customer, col(Customer.id) == CustomerNote.author_id)
        .where(CustomerNote.customer_id == customer_id, col(CustomerNote.removed_at).is_(None))
        .order_by(col(CustomerNote.id).desc())
        .limit(NOTES_SHOWN)
    ).all()
    return [NoteView(n.id, n.body, a.display_name, n.created_at, a.id) for n, a in rows]


def customer_notes(actor: Actor, customer_id: int) -> list[NoteView]:
    with read_session() as session:
        actor.staff()
        _customer(session, customer_id)
        return notes_of(session, customer_id)


def add_note(actor: Actor, customer_id: int, body: str | None, *, ip: str | None = None) -> int:
    """Pin a note to the customer (any staff member). Returns its id."""
    text = clean_body(body, "note", NOTE_MAX)
    with transaction() as session:
        staff = actor.staff()
        _customer(session, customer_id)
        note = CustomerNote(customer_id=customer_id, author_id=staff.id, body=text)
        session.add(note)
        session.flush()
        audit.about(session, "customer.note_added", note, actor=staff, ip=ip, note=text[:200])
        return note.id


def remove_note(actor: Actor, note_id: int, *, ip: str | None = None) -> None:
    """Take a note off the file: its author, or an admin. Removing it twice is harmless."""
    with transaction() as session:
        staff = actor.staff()
        note = session.get(CustomerNote, note_id) if note_id else None
        if note is None:
            raise NotAllowed("note")
        if note.author_id != staff.id and staff.role != "admin":
            raise NotAllowed("note of another staff member")
        if note.removed_at is not None:
            return
        note.removed_at, note.removed_by_id = clock.now(), staff.id
        session.add(note)
        audit.about(session, "customer.note_removed", note, actor=staff, ip=ip)
