"""Reading the audit log: who did what, when and from where, filtered, 50 a page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.core.db import read_session
from o2portal.core.models import AuditEvent
from o2portal.core.paging import paginate
from o2portal.core.permissions import Actor
from o2portal.core.search import starts_with

PAGE_SIZE = 50


@dataclass
class AuditPage:
    rows: list[tuple[AuditEvent, str]]
    total: int
    page: int
    pages: int


def list_events(
    staff: Actor, *, action: str = "", actor: str = "", customer_id: str = "", page: int = 1
) -> AuditPage:
    """The audit log for admins, newest first, filtered by action prefix, the actor's
    email prefix and the customer's number."""
    where = []
    if action.strip():
        where.append(starts_with(col(AuditEvent.action), action.strip()[:64]))
    if customer_id.strip().isdigit():
        where.append(AuditEvent.customer_id == int(customer_id))
    staff.admin()
    with read_session() as session:
        if actor.strip():
            ids = select(Customer.id).where(starts_with(col(Customer.email), actor.strip().lower()))
            where.append(col(AuditEvent.actor_id).in_(ids))
        found = paginate(
            session,
            select(AuditEvent).where(*where).order_by(col(AuditEvent.id).desc()),
            page,
            size=PAGE_SIZE,
            count=select(func.count()).select_from(AuditEvent).where(*where),
        )
        events = found.rows
        actor_ids = {e.actor_id for e in events if e.actor_id}
        emails = (
            dict(
                session.exec(
                    select(Customer.id, Customer.email).where(col(Customer.id).in_(actor_ids))
                ).all()
            )
            if actor_ids
            else {}
        )
    return AuditPage(
        [(e, emails.get(e.actor_id, "")) for e in events], found.total, found.page, found.pages
    )
