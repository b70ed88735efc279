"""What a dashboard shows at a glance: read-only summaries, one query per list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_
from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Order, OrderStatus
from o2portal.content.models import Announcement
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.mail.models import OutboxEmail
from o2portal.products.customer import LIST_COLUMNS
from o2portal.products.expiry import EXPIRING_SOON_DAYS
from o2portal.products.models import LIVE_STATUSES, Product, ProductStatus
from o2portal.support.models import Ticket, TicketStatus


@dataclass
class CustomerOverview:
    expiring: list  # rows of LIST_COLUMNS (web/rows.py product_rows)
    unpaid: list[Order]
    open_tickets: list[Ticket]
    announcements: list[Announcement]


def customer_overview(customer_id: int, limit: int = 10) -> CustomerOverview:
    today = clock.today()
    now = clock.now()
    with read_session() as session:
        expiring = session.exec(
            select(*LIST_COLUMNS)
            .where(
                Product.customer_id == customer_id,
                col(Product.status).in_(LIVE_STATUSES),
                Product.expiry_date <= today + timedelta(days=EXPIRING_SOON_DAYS),
            )
            .order_by(Product.expiry_date)
            .limit(limit)
        ).all()
        unpaid = session.exec(
            select(Order)
            .where(Order.customer_id == customer_id, Order.status == OrderStatus.UNPAID)
            .order_by(col(Order.created_at).desc())
            .limit(limit)
        ).all()
        tickets = session.exec(
            select(Ticket)
            .where(Ticket.customer_id == customer_id, Ticket.status != TicketStatus.CLOSED)
            .order_by(col(Ticket.updated_at).desc())
            .limit(limit)
        ).all()
        announcements = session.exec(
            select(Announcement)
            .where(
                col(Announcement.published).is_(True),
                or_(col(Announcement.starts_at).is_(None), col(Announcement.starts_at) <= now),
                or_(col(Announcement.ends_at).is_(None), col(Announcement.ends_at) > now),
            )
            .order_by(col(Announcement.created_at).desc())
            .limit(3)
        ).all()
    return CustomerOverview(list(expiring), list(unpaid), list(tickets), list(announcements))


@dataclass
class StaffOverview:
    customers: int
    active_products: int
    unpaid_orders: int
    open_tickets: int
    recent_mail: list[OutboxEmail]
    failing_addresses: list[Customer]


def staff_overview(mail_limit: int = 20) -> StaffOverview:
    with read_session() as session:

        def count(model, *where) -> int:
            return session.exec(select(func.count()).select_from(model).where(*where)).one()

        return StaffOverview(
            customers=count(Customer, Customer.role == "customer"),
            active_products=count(Product, Product.status == ProductStatus.ACTIVE),
            unpaid_orders=count(Order, Order.status == OrderStatus.UNPAID),
            open_tickets=count(Ticket, Ticket.status != TicketStatus.CLOSED),
            recent_mail=list(
                session.exec(
                    select(OutboxEmail).order_by(col(OutboxEmail.id).desc()).limit(mail_limit)
                ).all()
            ),
            failing_addresses=list(
                session.exec(
                    select(Customer)
                    .where(col(Customer.email_failing_at).is_not(None))
                    .order_by(col(Customer.email_failing_at).desc())
                    .limit(mail_limit)
                ).all()
            ),
        )
