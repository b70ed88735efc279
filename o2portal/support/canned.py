"""Canned replies: texts admins prepare for staff's replies, with variables filled in for
the ticket at hand. Placeholders are `${name}` as in the mail templates
(mail/templating.py): string.Template only substitutes, runs nothing and reads no
attribute, and lists its placeholders, so an unknown one is refused when the text is
saved rather than left in a customer's reply."""

from __future__ import annotations

import string
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.core import audit, clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.permissions import Actor
from o2portal.core.validation import clean_text, gathered
from o2portal.support.models import DEPARTMENTS, CannedReply, Ticket
from o2portal.support.thread import clean_body

TITLE_MAX = 100
BODY_MAX = 5000

# The variables a canned reply may use, and what fills them for a ticket.
VARIABLES = ("prenom", "nom", "client", "ticket", "sujet", "agent")


@dataclass(frozen=True)
class CannedView:
    id: int
    title: str
    body: str
    department: str


def check_placeholders(body: str, field: str = "body") -> None:
    """Refuse a text whose placeholders are malformed or not among VARIABLES."""
    template = string.Template(body)
    if not template.is_valid():
        raise InvalidInput({field: "error.template_syntax"})
    unknown = [name for name in template.get_identifiers() if name not in VARIABLES]
    if unknown:
        raise InvalidInput({field: "error.template_unknown"})


def _checked(title: str | None, body: str | None, department: str | None):
    errors: dict[str, str] = {}
    clean_title = gathered(
        errors, lambda: clean_text("title", title, required=True, max_length=TITLE_MAX), ""
    )
    clean = gathered(errors, lambda: clean_body(body, "body", BODY_MAX), "")
    if clean and "body" not in errors:
        gathered(errors, lambda: check_placeholders(clean))
    department = department or ""
    if department and department not in DEPARTMENTS:
        errors["department"] = "error.choose_one"
    if errors:
        raise InvalidInput(errors)
    return clean_title, clean, department


def canned_replies(actor: Actor, department: str = "") -> list[CannedView]:
    """Every canned reply (staff), or those that fit `department`, by title."""
    with read_session() as session:
        actor.staff()
        query = select(CannedReply).order_by(col(CannedReply.title))
        if department:
            query = query.where(col(CannedReply.department).in_(("", department)))
        return [CannedView(r.id, r.title, r.body, r.department) for r in session.exec(query).all()]


def save_canned(
    actor: Actor,
    reply_id: int | None,
    *,
    title: str | None,
    body: str | None,
    department: str | None = "",
    ip: str | None = None,
) -> int:
    """Create (no id) or change a canned reply (admins). Returns its id."""
    clean_title, clean, department = _checked(title, body, department)
    try:
        with transaction() as session:
            admin = actor.admin()
            if reply_id:
                reply = session.get(CannedReply, reply_id)
                if reply is None:
                    raise NotAllowed("canned reply")
                before = {"title": reply.title, "body": reply.body}
            else:
                reply, before = CannedReply(title=clean_title, body=clean), None
            reply.title, reply.body, reply.department = clean_title, clean, department
            reply.updated_at, reply.updated_by_id = clock.now(), admin.id
            session.add(reply)
            session.flush()
            audit.about(
                session,
                "canned.saved",
                reply,
                actor=admin,
                ip=ip,
                before=before,
                after={"title": clean_title, "body": clean},
            )
            return reply.id
    except IntegrityError as exc:  # the title is taken (by another admin, a moment ago)
        raise InvalidInput({"title": "error.title_taken"}) from exc


def delete_canned(actor: Actor, reply_id: int, *, ip: str | None = None) -> None:
    with transaction() as session:
        admin = actor.admin()
        reply = session.get(CannedReply, reply_id) if reply_id else None
        if reply is None:
            return
        audit.about(session, "canned.deleted", reply, actor=admin, ip=ip, title=reply.title)
        session.delete(reply)


def _values(session: Session, ticket: Ticket, staff_id: int) -> dict[str, str]:
    customer = session.get(Customer, ticket.customer_id)
    agent = session.get(Customer, staff_id)
    return {
        "prenom": customer.first_name if customer else "",
        "nom": customer.last_name if customer else "",
        "client": customer.display_name if customer else "",
        "ticket": str(ticket.id),
        "sujet": ticket.subject,
        "agent": agent.first_name if agent else "",
    }


def fill_canned(actor: Actor, reply_id: int, ticket_id: int) -> str:
    """The canned reply's text for this ticket, its variables filled in (staff)."""
    with read_session() as session:
        staff = actor.staff()
        reply = session.get(CannedReply, reply_id) if reply_id else None
        ticket = session.get(Ticket, ticket_id) if ticket_id else None
        if reply is None or ticket is None:
            raise NotAllowed("canned reply")
        return string.Template(reply.body).safe_substitute(_values(session, ticket, staff.id))
