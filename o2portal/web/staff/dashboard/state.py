"""The staff dashboard: KPIs, charts, failing addresses and the latest mail."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core import formatting
from o2portal.reporting import customer_overview as overview
from o2portal.reporting import staff_dashboard as admin_stats
from o2portal.web.rows import mail_row
from o2portal.web.session import load_staff


def _read():
    """The dashboard's figures and its four charts (in a worker thread)."""
    data = overview.staff_overview()
    return data, (
        admin_stats.revenue_by_month(),
        admin_stats.expiries_by_week(),
        admin_stats.new_customers_by_month(),
        admin_stats.open_tickets_by_department(),
    )


class AdminDashboardState(rx.State):
    customers: int = 0
    active_products: int = 0
    unpaid_orders: int = 0
    open_tickets: int = 0
    mail: list[dict[str, str]] = []
    failing: list[dict[str, str]] = []
    revenue: list[dict] = []
    expiries: list[dict] = []
    new_customers: list[dict] = []
    tickets_by_department: list[dict] = []

    @rx.event
    async def load(self):
        _, lang = await load_staff(self)
        data, charts = await asyncio.to_thread(_read)
        self.customers = data.customers
        self.active_products = data.active_products
        self.unpaid_orders = data.unpaid_orders
        self.open_tickets = data.open_tickets
        self.mail = [
            {"id": str(m.id), "to": m.to_addr, **mail_row(m, lang)} for m in data.recent_mail
        ]
        self.failing = [
            {
                "id": str(c.id),
                "name": c.display_name,
                "email": c.email,
                "since": formatting.moment(c.email_failing_at, lang),
                "reason": c.email_failing_reason or "",
            }
            for c in data.failing_addresses
        ]
        self.revenue, self.expiries, self.new_customers, self.tickets_by_department = charts
