"""Tickets: the customer's support requests."""

from __future__ import annotations

import reflex as rx

from o2portal.domain import formatting
from o2portal.domain.tickets import customer_tickets
from o2portal.i18n import translate
from o2portal.state.guards import require_customer
from o2portal.state.session import language_of, show_user


class TicketsState(rx.State):
    tickets: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        user = require_customer(self)
        await show_user(self, user)
        lang = await language_of(self)
        self.tickets = [
            {
                "id": str(tk.id),
                "subject": tk.subject,
                "department": tk.department,
                "status": translate(f"status.{tk.status}", lang),
                "updated": formatting.moment(tk.updated_at, lang),
            }
            for tk in customer_tickets(user.customer.id)
        ]
