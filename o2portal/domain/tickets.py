"""Reading a customer's support tickets."""

from __future__ import annotations

from sqlmodel import col, select

from o2portal.db import read_session
from o2portal.models import Ticket

LIST_LIMIT = 50


def customer_tickets(customer_id: int, limit: int = LIST_LIMIT) -> list[Ticket]:
    with read_session() as session:
        return list(
            session.exec(
                select(Ticket)
                .where(Ticket.customer_id == customer_id)
                .order_by(col(Ticket.updated_at).desc())
                .limit(limit)
            ).all()
        )
