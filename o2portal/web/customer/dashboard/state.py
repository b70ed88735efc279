"""Tableau de bord: what expires soon, what is unpaid, open tickets, announcements."""

from __future__ import annotations

import reflex as rx

from o2portal.accounts.sessions import CurrentUser
from o2portal.billing import client_orders
from o2portal.catalog.offers import offer_names
from o2portal.core import clock, formatting
from o2portal.products.trades import waiting_for
from o2portal.reporting import customer_overview as overview
from o2portal.web.rows import product_rows, ticket_row
from o2portal.web.session import read_as_customer


class DashboardState(rx.State):
    expiring: list[dict[str, str]] = []
    unpaid: list[dict[str, str]] = []
    tickets: list[dict[str, str]] = []
    announcements: list[dict[str, str]] = []
    first_name: str = ""
    trades_waiting: int = 0  # offers of a change of holder awaiting my answer
    client_orders_waiting: int = 0  # orders a webmaster proposed to me, awaiting my answer

    @rx.event
    async def load(self):
        def read(user: CurrentUser):
            # One hop off the event loop and one connection for the whole page: the
            # session, the overview, the offers' names and the two notices' counts.
            me = user.customer.id
            return (
                overview.customer_overview(me),
                offer_names(),
                waiting_for(me),
                client_orders.waiting_for(me),
            )

        user, lang, (data, offers, trades, proposals) = await read_as_customer(self, read)
        today = clock.today()
        self.first_name = user.customer.first_name
        self.expiring = product_rows(data.expiring, lang, today, offers)
        self.unpaid = [
            {
                "id": str(o.id),
                "reference": f"BC-{o.id:06d}",
                "date": formatting.day(o.created_at, lang),
                "amount": formatting.money(o.total_ttc_cents, lang),
            }
            for o in data.unpaid
        ]
        self.tickets = [ticket_row(tk, lang) for tk in data.open_tickets]
        self.trades_waiting, self.client_orders_waiting = trades, proposals
        self.announcements = [
            {"title": a.title, "body": a.body, "level": a.level} for a in data.announcements
        ]
