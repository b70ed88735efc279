"""Factures: issued invoices and order forms waiting for payment."""

from __future__ import annotations

import reflex as rx

from o2portal.domain import formatting
from o2portal.domain.billing import customer_invoices, customer_unpaid_orders
from o2portal.state.guards import require_customer
from o2portal.state.session import language_of, show_user


class InvoicesState(rx.State):
    invoices: list[dict[str, str]] = []
    unpaid: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        user = require_customer(self)
        await show_user(self, user)
        lang = await language_of(self)
        self.invoices = [
            {
                "id": str(i.id),
                "number": i.number,
                "date": formatting.day(i.issued_at, lang),
                "amount": formatting.money(i.total_ttc_cents, lang),
            }
            for i in customer_invoices(user.customer.id)
        ]
        self.unpaid = [
            {
                "id": str(o.id),
                "reference": f"BC-{o.id:06d}",
                "date": formatting.day(o.created_at, lang),
                "amount": formatting.money(o.total_ttc_cents, lang),
            }
            for o in customer_unpaid_orders(user.customer.id)
        ]
