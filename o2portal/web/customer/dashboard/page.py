"""/: what expires soon, what is unpaid, open tickets, announcements."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.i18n import t
from o2portal.web.components.markdown import safe_markdown
from o2portal.web.components.tables import data_table, section, status_badge
from o2portal.web.customer.dashboard.state import DashboardState
from o2portal.web.pages import customer_page


@customer_page("/", on_load=DashboardState.load)
def dashboard_page() -> rx.Component:
    return rx.fragment(
        rx.heading(t("dash.hello"), " ", DashboardState.first_name, size="7", as_="h1"),
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
            rx.cond(
                DashboardState.expiring.length() > 0,
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell(t("col.name")),
                                rx.table.column_header_cell(t("col.kind")),
                                rx.table.column_header_cell(t("col.expiry")),
                                rx.table.column_header_cell(t("col.days_left")),
                                rx.table.column_header_cell(t("col.status")),
                                rx.table.column_header_cell(t("col.actions")),
                            )
                        ),
                        rx.table.body(
                            rx.foreach(
                                DashboardState.expiring,
                                lambda p: rx.table.row(
                                    rx.table.row_header_cell(
                                        rx.link(p["name"], href="/services/" + p["id"])
                                    ),
                                    rx.table.cell(p["kind"]),
                                    rx.table.cell(p["expiry"]),
                                    rx.table.cell(p["days_left"]),
                                    rx.table.cell(status_badge(p["status"], p["status_label"])),
                                    rx.table.cell(
                                        rx.link(
                                            rx.button(t("dash.renew"), size="1"),
                                            href="/services/" + p["id"],
                                        )
                                    ),
                                ),
                            )
                        ),
                        variant="surface",
                        width="100%",
                        id="expiring-table",
                    ),
                    class_name="o2-table-wrap",
                ),
                rx.text(t("dash.none_expiring"), color_scheme="gray"),
            ),
        ),
        rx.grid(
            section(
                "dash.unpaid",
                data_table(
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
            ),
            section(
                "dash.tickets",
                data_table(
                    DashboardState.tickets,
                    [
                        ("col.subject", "subject"),
                        ("col.status", "status"),
                        ("col.updated", "updated"),
                    ],
                    empty_key="dash.none_tickets",
                    table_id="tickets-table",
                    link_prefix="/tickets/",
                ),
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )
