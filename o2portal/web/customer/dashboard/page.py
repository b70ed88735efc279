"""/: what expires soon, what is unpaid, open tickets, announcements."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import columns
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import linked_notice
from o2portal.web.components.markdown import safe_markdown
from o2portal.web.components.tables import (
    product_row,
    rows_table,
    section,
    table_section,
)
from o2portal.web.customer.dashboard.state import DashboardState
from o2portal.web.pages import customer_page


@customer_page("/", on_load=DashboardState.load)
def dashboard_page() -> rx.Component:
    return rx.fragment(
        rx.heading(t("dash.hello"), " ", DashboardState.first_name, size="7", as_="h1"),
        rx.cond(
            DashboardState.trades_waiting > 0,
            rx.callout.root(
                rx.callout.icon(rx.icon("arrow-left-right")),
                rx.callout.text(
                    t("trade.waiting"), " ", rx.link(t("trade.waiting_link"), href="/trades")
                ),
                color_scheme="blue",
                width="100%",
                id="trades-waiting",
            ),
        ),
        rx.cond(
            DashboardState.client_orders_waiting > 0,
            linked_notice(
                "shopping-cart",
                "client_orders.waiting",
                "client_orders.waiting_link",
                "/contacts",
                "blue",
                "client-orders-waiting",
            ),
        ),
        rx.foreach(
            DashboardState.announcements,
            lambda a: rx.callout.root(
                rx.callout.icon(rx.icon("megaphone")),
                rx.callout.text(rx.text(a["title"], weight="bold"), safe_markdown(a["body"])),
                color_scheme=rx.cond(a["level"] == "warning", "orange", "blue"),
                width="100%",
            ),
        ),
        section(
            "dash.expiring",
            rows_table(
                "expiring-table",
                [
                    "col.name",
                    "col.kind",
                    "col.offer",
                    "col.expiry",
                    "col.days_left",
                    "col.status",
                    "col.actions",
                ],
                DashboardState.expiring,
                lambda p: product_row(
                    p,
                    ("kind", "offer", "expiry", "days_left"),
                    rx.table.cell(
                        rx.link(rx.button(t("dash.renew"), size="1"), href="/services/" + p["id"])
                    ),
                ),
                empty_key="dash.none_expiring",
            ),
        ),
        columns(
            table_section(
                "dash.unpaid",
                DashboardState.unpaid,
                [("col.number", "reference"), ("col.date", "date"), ("col.amount", "amount")],
                empty_key="dash.none_unpaid",
                table_id="unpaid-table",
                action=lambda o: rx.link(
                    rx.button(t("dash.pay"), size="1"),
                    href="/invoices?pay=" + o["id"],
                    id="dash-pay-" + o["id"],
                ),
            ),
            table_section(
                "dash.tickets",
                DashboardState.tickets,
                [("col.subject", "subject"), ("col.status", "status"), ("col.updated", "updated")],
                empty_key="dash.none_tickets",
                table_id="tickets-table",
                link_prefix="/tickets/",
            ),
            spacing="4",
        ),
    )
