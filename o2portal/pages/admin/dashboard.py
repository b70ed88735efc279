"""The staff area's front page. Its handlers pass the staff guard on the server."""

from __future__ import annotations

import reflex as rx

from o2portal.components.i18n import t
from o2portal.components.layout import customer_layout
from o2portal.components.tables import section
from o2portal.state.admin.dashboard import AdminDashboardState
from o2portal.state.session import SessionState


def _kpi(key: str, value) -> rx.Component:
    return rx.card(
        rx.vstack(rx.text(t(key), size="2", color_scheme="gray"), rx.heading(value, size="7")),
    )


def _denied() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("shield-x")),
        rx.callout.text(
            rx.text(t("denied.title"), weight="bold"),
            rx.text(t("denied.text")),
            rx.link(t("denied.back"), href="/"),
        ),
        color_scheme="red",
        id="access-denied",
    )


def admin_dashboard_page() -> rx.Component:
    return customer_layout(
        rx.cond(
            SessionState.is_staff,
            rx.vstack(
                rx.heading(t("admin.title"), size="7", as_="h1"),
                rx.grid(
                    _kpi("admin.customers", AdminDashboardState.customers),
                    _kpi("admin.active_products", AdminDashboardState.active_products),
                    _kpi("admin.unpaid", AdminDashboardState.unpaid_orders),
                    _kpi("admin.open_tickets", AdminDashboardState.open_tickets),
                    columns=rx.breakpoints(initial="2", md="4"),
                    spacing="3",
                    width="100%",
                ),
                section(
                    "admin.failing",
                    rx.cond(
                        AdminDashboardState.failing.length() > 0,
                        rx.vstack(
                            rx.foreach(
                                AdminDashboardState.failing,
                                lambda c: rx.hstack(
                                    rx.text(c["name"], weight="bold"),
                                    rx.text(c["email"]),
                                    rx.text(c["since"], color_scheme="gray"),
                                    rx.text(c["reason"], size="1", color_scheme="red"),
                                    wrap="wrap",
                                    spacing="3",
                                ),
                            ),
                            id="failing-addresses",
                        ),
                        rx.text(t("admin.failing_none"), color_scheme="gray"),
                    ),
                ),
                section(
                    "admin.outbox",
                    rx.box(
                        rx.table.root(
                            rx.table.header(
                                rx.table.row(
                                    rx.table.column_header_cell(t("col.date")),
                                    rx.table.column_header_cell(t("admin.mail_to")),
                                    rx.table.column_header_cell(t("admin.mail_subject")),
                                    rx.table.column_header_cell(t("admin.mail_status")),
                                )
                            ),
                            rx.table.body(
                                rx.foreach(
                                    AdminDashboardState.mail,
                                    lambda m: rx.table.row(
                                        rx.table.cell(m["created"]),
                                        rx.table.cell(m["to"]),
                                        rx.table.cell(m["subject"]),
                                        rx.table.cell(m["status"]),
                                    ),
                                )
                            ),
                            width="100%",
                            id="outbox-table",
                        ),
                        class_name="o2-table-wrap",
                    ),
                ),
                spacing="4",
                width="100%",
            ),
            _denied(),
        ),
    )
