"""Figures for the staff dashboard. Each reads one column set over a bounded period."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Invoice
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.products.models import Product, ProductStatus
from o2portal.support.models import Ticket, TicketStatus

MONTHS_FR = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


def last_months(count: int) -> list[tuple[int, int]]:
    """The last `count` months (year, month) in Paris time, oldest first, this one last."""
    today = clock.today()
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _label(year: int, month: int) -> str:
    return f"{MONTHS_FR[month - 1]} {str(year)[2:]}"


def revenue_by_month(months: int = 12) -> list[dict]:
    """Invoiced HT per month (euros, rounded), the last `months` months in Paris time."""
    slots = last_months(months)
    since = date(*slots[0], 1)
    with read_session() as session:
        rows = session.exec(
            select(Invoice.issued_at, Invoice.total_ht_cents).where(
                col(Invoice.issued_at) >= clock.now() - timedelta(days=31 * months + 31)
            )
        ).all()
    totals: Counter = Counter()
    for issued_at, cents in rows:
        local = issued_at.astimezone(clock.PARIS).date()
        if local >= since:
            totals[(local.year, local.month)] += cents
    return [{"month": _label(*slot), "revenue": totals[slot] // 100} for slot in slots]


def new_customers_by_month(months: int = 12) -> list[dict]:
    slots = last_months(months)
    since = date(*slots[0], 1)
    with read_session() as session:
        rows = session.exec(
            select(Customer.created_at).where(
                Customer.role == "customer",
                col(Customer.created_at) >= clock.now() - timedelta(days=31 * months + 31),
            )
        ).all()
    counts: Counter = Counter()
    for created in rows:
        local = created.astimezone(clock.PARIS).date()
        if local >= since:
            counts[(local.year, local.month)] += 1
    return [{"month": _label(*slot), "customers": counts[slot]} for slot in slots]


def expiries_by_week(days: int = 90) -> list[dict]:
    today = clock.today()
    with read_session() as session:
        rows = session.exec(
            select(Product.expiry_date).where(
                Product.status == ProductStatus.ACTIVE,
                Product.expiry_date >= today,
                Product.expiry_date < today + timedelta(days=days),
            )
        ).all()
    weeks = -(-days // 7)
    counts = Counter((expiry - today).days // 7 for expiry in rows)
    return [
        {"week": (today + timedelta(days=7 * w)).strftime("%d/%m"), "expiries": counts[w]}
        for w in range(weeks)
    ]


def open_tickets_by_department() -> list[dict]:
    with read_session() as session:
        rows = session.exec(
            select(Ticket.department, func.count())
            .where(Ticket.status != TicketStatus.CLOSED)
            .group_by(Ticket.department)
        ).all()
    found = dict(rows)
    return [
        {"department": d, "tickets": found.get(d, 0)}
        for d in ("technique", "facturation", "commercial")
    ]
