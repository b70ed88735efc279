"""Which invoices a staff search finds: the one condition the invoices page and its CSV
export share, so that the export holds exactly the rows the page lists."""

from __future__ import annotations

from sqlmodel import col

from o2portal.accounts.models import Customer
from o2portal.billing.models import Invoice
from o2portal.core.search import starts_with


def invoice_conditions(query: str) -> list:
    """An invoice number's prefix (F…), or the customer's email prefix; the query must join
    Customer on the invoice's customer."""
    text = (query or "").strip()[:100]
    if text.upper().startswith("F"):
        return [starts_with(col(Invoice.number), text.upper())]
    if text:
        return [starts_with(col(Customer.email), text.lower())]
    return []
