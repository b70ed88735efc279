"""Reading a customer's invoices and order forms."""

from __future__ import annotations

from sqlmodel import col, select

from o2portal.db import read_session
from o2portal.models import Invoice, Order

LIST_LIMIT = 50


def customer_invoices(customer_id: int, limit: int = LIST_LIMIT) -> list[Invoice]:
    with read_session() as session:
        return list(
            session.exec(
                select(Invoice)
                .where(Invoice.customer_id == customer_id)
                .order_by(col(Invoice.issued_at).desc())
                .limit(limit)
            ).all()
        )


def customer_unpaid_orders(customer_id: int, limit: int = LIST_LIMIT) -> list[Order]:
    with read_session() as session:
        return list(
            session.exec(
                select(Order)
                .where(Order.customer_id == customer_id, Order.status == "unpaid")
                .order_by(col(Order.created_at).desc())
                .limit(limit)
            ).all()
        )
