"""Which customers a staff search finds: the one condition the customers page and its CSV
export share, so that the export holds exactly the rows the page lists."""

from __future__ import annotations

from sqlalchemy import union
from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.core.search import lower_starts_with, starts_with
from o2portal.products.models import Product


def customer_conditions(query: str) -> list:
    """Customers (not staff) whose name, company, email or one of whose domains starts with
    the text (prefix match on indexed columns)."""
    text = (query or "").strip().lower()[:100]
    where = [Customer.role == "customer"]
    if text:
        # A prefix, each read from its own index (core/search.py): a union of ids,
        # where an OR with a subquery would make PostgreSQL read the whole table.
        def ids(condition):
            return select(Customer.id).where(condition)

        matches = union(
            ids(starts_with(col(Customer.email), text)),
            ids(lower_starts_with(Customer.last_name, text)),
            ids(lower_starts_with(Customer.first_name, text)),
            ids(lower_starts_with(Customer.company_name, text)),
            select(Product.customer_id).where(starts_with(col(Product.name), text)),
        )
        where.append(col(Customer.id).in_(matches))
    return where
