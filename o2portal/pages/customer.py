"""The signed-in customer's pages: dashboard and the sections of the navigation."""

from __future__ import annotations

import reflex as rx

from o2portal.components.i18n import t
from o2portal.components.layout import customer_layout
from o2portal.components.markdown import safe_markdown
from o2portal.components.tables import data_table, section, status_badge
from o2portal.state.dashboard import DashboardState
from o2portal.state.invoices import InvoicesState
from o2portal.state.order import OrderState
from o2portal.state.profile import ProfileState
from o2portal.state.services import ServicesState
from o2portal.state.tickets import TicketsState


def _title(key: str) -> rx.Component:
    return rx.heading(t(key), size="7", as_="h1")


def dashboard_page() -> rx.Component:
    return customer_layout(
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
                            )
                        ),
                        rx.table.body(
                            rx.foreach(
                                DashboardState.expiring,
                                lambda p: rx.table.row(
                                    rx.table.row_header_cell(p["name"]),
                                    rx.table.cell(p["kind"]),
                                    rx.table.cell(p["expiry"]),
                                    rx.table.cell(p["days_left"]),
                                    rx.table.cell(status_badge(p["status"], p["status_label"])),
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
                ),
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )


def services_page() -> rx.Component:
    return customer_layout(
        _title("nav.services"),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(t(k))
                            for k in (
                                "col.name",
                                "col.kind",
                                "col.offer",
                                "col.status",
                                "col.expiry",
                                "col.days_left",
                                "col.auto_renew",
                            )
                        ]
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        ServicesState.rows,
                        lambda p: rx.table.row(
                            rx.table.row_header_cell(p["name"]),
                            rx.table.cell(p["kind"]),
                            rx.table.cell(p["offer"]),
                            rx.table.cell(status_badge(p["status"], p["status_label"])),
                            rx.table.cell(p["expiry"]),
                            rx.table.cell(p["days_left"]),
                            rx.table.cell(p["auto_renew"]),
                        ),
                    )
                ),
                variant="surface",
                width="100%",
                id="services-table",
            ),
            class_name="o2-table-wrap",
        ),
        rx.hstack(
            rx.button(
                t("page.previous"),
                on_click=ServicesState.previous_page,
                disabled=ServicesState.page <= 1,
                variant="soft",
            ),
            rx.text(ServicesState.page, " ", t("page.of"), " ", ServicesState.pages),
            rx.button(
                t("page.next"),
                on_click=ServicesState.next_page,
                disabled=ServicesState.page >= ServicesState.pages,
                variant="soft",
            ),
            align="center",
        ),
    )


def invoices_page() -> rx.Component:
    return customer_layout(
        _title("nav.invoices"),
        section(
            "dash.unpaid",
            data_table(
                InvoicesState.unpaid,
                [("col.number", "reference"), ("col.date", "date"), ("col.amount", "amount")],
                empty_key="dash.none_unpaid",
                table_id="orders-table",
            ),
        ),
        section(
            "nav.invoices",
            data_table(
                InvoicesState.invoices,
                [("col.number", "number"), ("col.date", "date"), ("col.amount", "amount")],
                empty_key="invoices.none",
                table_id="invoices-table",
            ),
        ),
    )


def tickets_page() -> rx.Component:
    return customer_layout(
        _title("nav.tickets"),
        data_table(
            TicketsState.tickets,
            [
                ("col.subject", "subject"),
                ("col.department", "department"),
                ("col.status", "status"),
                ("col.updated", "updated"),
            ],
            empty_key="tickets.none",
            table_id="tickets-table",
        ),
    )


def profile_page() -> rx.Component:
    return customer_layout(
        _title("nav.profile"),
        rx.card(
            rx.data_list.root(
                rx.foreach(
                    ProfileState.details,
                    lambda d: rx.data_list.item(
                        rx.data_list.label(d["label"]), rx.data_list.value(d["value"])
                    ),
                ),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            ),
            width="100%",
        ),
    )


def order_page() -> rx.Component:
    return customer_layout(
        _title("nav.order"),
        rx.grid(
            rx.foreach(
                OrderState.hosting,
                lambda o: rx.card(
                    rx.vstack(
                        rx.heading(o["name"], size="4"),
                        rx.text(o["specs"], size="2", color_scheme="gray"),
                        rx.text(o["description"], size="2"),
                        rx.text(t("order.first_year"), " ", o["first_year"], " HT", weight="bold"),
                        rx.text(
                            t("order.renewal"),
                            " ",
                            o["renew_1y"],
                            " ",
                            t("order.per_year_ht"),
                            size="2",
                        ),
                        spacing="2",
                    )
                ),
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
            id="hosting-offers",
        ),
        section(
            "order.domains",
            data_table(
                OrderState.tlds,
                [
                    ("col.tld", "tld"),
                    ("col.register", "register"),
                    ("col.renew", "renew"),
                    ("col.transfer", "transfer"),
                ],
                empty_key="faq.none",
                table_id="tld-table",
            ),
        ),
        section(
            "order.servers",
            data_table(
                OrderState.servers,
                [("col.name", "name"), ("col.offer", "specs"), ("col.amount", "monthly")],
                empty_key="faq.none",
                table_id="server-table",
            ),
        ),
    )
