"""Unpaid order forms by age, customer by customer: how much has waited 0–30, 31–60,
61–90 and over 90 days since the form was made (days counted in Paris time), with the
totals, one page of customers at a time, those who owe the most first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import case, func
from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Order, OrderStatus
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.core.paging import paginate
from o2portal.core.permissions import Actor

# The oldest day of each bucket but the last, in days since the form was made.
BUCKET_DAYS = (30, 60, 90)
PAGE_SIZE = 25


@dataclass
class UnpaidForm:
    id: int
    created_at: datetime
    age_days: int
    ttc: int


@dataclass
class AgingRow:
    customer: Customer
    buckets: list[int]  # cents: 0–30, 31–60, 61–90, over 90 days
    total: int
    forms: list[UnpaidForm]


@dataclass
class AgingReport:
    rows: list[AgingRow]
    buckets: list[int]  # every customer's, not only this page's
    total: int
    customers: int
    page: int
    pages: int


def _day_start(days_ago: int) -> datetime:
    day = clock.today() - timedelta(days=days_ago)
    return datetime.combine(day, time(0, 0), tzinfo=clock.PARIS).astimezone(UTC)


def bucket_of(age_days: int) -> int:
    return sum(age_days > limit for limit in BUCKET_DAYS)


def aging_report(actor: Actor, page: int = 1) -> AgingReport:
    """The unpaid order forms (admins)."""
    actor.admin()
    # A form made on or after the first day of a bucket is in it or a younger one.
    starts = [_day_start(days) for days in BUCKET_DAYS]
    amount = col(Order.total_ttc_cents)
    made = col(Order.created_at)
    columns = [
        func.sum(case((made >= starts[0], amount), else_=0)),
        func.sum(case((made < starts[0], case((made >= starts[1], amount), else_=0)), else_=0)),
        func.sum(case((made < starts[1], case((made >= starts[2], amount), else_=0)), else_=0)),
        func.sum(case((made < starts[2], amount), else_=0)),
    ]
    unpaid = Order.status == OrderStatus.UNPAID
    with read_session() as session:
        totals = session.exec(select(*columns).where(unpaid)).one()
        by_customer = (
            select(Order.customer_id, func.sum(amount).label("total"), *columns)
            .where(unpaid)
            .group_by(Order.customer_id)
            .order_by(func.sum(amount).desc(), Order.customer_id)
        )
        found = paginate(
            session,
            by_customer,
            page,
            size=PAGE_SIZE,
            count=select(func.count(func.distinct(Order.customer_id))).where(unpaid),
        )
        ids = [row[0] for row in found.rows]
        customers = {
            c.id: c for c in session.exec(select(Customer).where(col(Customer.id).in_(ids))).all()
        }
        forms = session.exec(
            select(Order)
            .where(unpaid, col(Order.customer_id).in_(ids))
            .order_by(col(Order.created_at))
        ).all()
    today = clock.today()
    by_owner: dict[int, list[UnpaidForm]] = {}
    for form in forms:
        age = (today - form.created_at.astimezone(clock.PARIS).date()).days
        by_owner.setdefault(form.customer_id, []).append(
            UnpaidForm(form.id, form.created_at, age, form.total_ttc_cents)
        )
    rows = [
        AgingRow(customers[cid], [int(v or 0) for v in sums], int(total), by_owner.get(cid, []))
        for cid, total, *sums in found.rows
    ]
    buckets = [int(v or 0) for v in totals]
    return AgingReport(rows, buckets, sum(buckets), found.total, found.page, found.pages)
