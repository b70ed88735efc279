"""The signed-in customer's pages: dashboard and the sections of the navigation."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.i18n import t
from o2portal.web.components.layout import customer_layout
from o2portal.web.components.markdown import safe_markdown
from o2portal.web.components.payment import payment_panel
from o2portal.web.components.tables import data_table, pdf_link, section, status_badge
from o2portal.web.state.dashboard import DashboardState
from o2portal.web.state.invoices import InvoicesState
from o2portal.web.state.services import ServicesState


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


def _filter(name: str, key: str, value, on_change, options) -> rx.Component:
    return rx.box(
        rx.el.label(t(key), html_for=name, class_name="o2-label"),
        rx.el.select(
            *[rx.el.option(t(label_key), value=code) for code, label_key in options],
            id=name,
            value=value,
            on_change=on_change,
            class_name="o2-select",
        ),
        min_width="12em",
    )


def services_page() -> rx.Component:
    S = ServicesState
    return customer_layout(
        _title("nav.services"),
        rx.flex(
            _filter(
                "filter-kind",
                "services.filter_kind",
                S.kind,
                S.set_kind,
                [
                    ("", "services.all"),
                    ("hosting", "kind.hosting"),
                    ("domain", "kind.domain"),
                    ("server", "kind.server"),
                ],
            ),
            _filter(
                "filter-status",
                "services.filter_status",
                S.status,
                S.set_status,
                [
                    ("", "services.all"),
                    ("active", "status.active"),
                    ("expiring", "status.expiring"),
                    ("expired", "status.expired"),
                    ("suspended", "status.suspended"),
                    ("terminated", "status.terminated"),
                ],
            ),
            _filter(
                "sort",
                "services.sort",
                S.sort,
                S.set_sort,
                [
                    ("expiry_asc", "services.sort_expiry_asc"),
                    ("expiry_desc", "services.sort_expiry_desc"),
                    ("name", "services.sort_name"),
                ],
            ),
            gap="3",
            wrap="wrap",
            width="100%",
        ),
        rx.text(
            S.total, " ", t("services.count"), size="2", color_scheme="gray", id="services-total"
        ),
        rx.cond(
            S.rows.length() > 0,
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
                            S.rows,
                            lambda p: rx.table.row(
                                rx.table.row_header_cell(
                                    rx.link(p["name"], href="/services/" + p["id"])
                                ),
                                rx.table.cell(p["kind"]),
                                rx.table.cell(p["offer"]),
                                rx.table.cell(status_badge(p["status"], p["status_label"])),
                                rx.table.cell(p["expiry"]),
                                rx.table.cell(p["days_left"]),
                                rx.table.cell(p["auto_renew"]),
                                class_name=rx.cond(p["soon"] != "", "o2-soon", ""),
                            ),
                        )
                    ),
                    variant="surface",
                    width="100%",
                    id="services-table",
                ),
                class_name="o2-table-wrap",
            ),
            rx.text(t("services.none"), color_scheme="gray"),
        ),
        rx.hstack(
            rx.button(
                t("page.previous"),
                on_click=S.previous_page,
                disabled=S.page <= 1,
                variant="soft",
                id="page-previous",
            ),
            rx.text(S.page, " ", t("page.of"), " ", S.pages, id="page-indicator"),
            rx.button(
                t("page.next"),
                on_click=S.next_page,
                disabled=S.page >= S.pages,
                variant="soft",
                id="page-next",
            ),
            align="center",
        ),
    )


def _cancel_order_button(r) -> rx.Component:
    """Cancel an unpaid order form, after a confirmation."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                t("invoices.cancel"),
                size="1",
                variant="soft",
                color_scheme="gray",
                id="cancel-" + r["id"],
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("invoices.cancel_title"), " ", r["reference"]),
            rx.alert_dialog.description(t("invoices.cancel_text")),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(t("invoices.keep"), variant="soft")),
                rx.alert_dialog.action(
                    rx.button(
                        t("invoices.cancel_confirm"),
                        color_scheme="red",
                        on_click=InvoicesState.cancel_order(r["id"]),
                        id="cancel-confirm-" + r["id"],
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
    )


def _document_table(
    rows, columns, pdf_prefix: str | None, empty_key: str, table_id: str, pay: bool = False
) -> rx.Component:
    headers = [rx.table.column_header_cell(t(h)) for h, _ in columns]
    if pdf_prefix or pay:
        headers.append(rx.table.column_header_cell(t("col.actions")))

    def row(r):
        cells = [rx.table.cell(r[key]) for _, key in columns]
        if pdf_prefix:
            cells.append(rx.table.cell(pdf_link(pdf_prefix + r["id"] + ".pdf")))
        if pay:
            cells.append(
                rx.table.cell(
                    rx.hstack(
                        rx.cond(
                            r["paid"] != "",
                            rx.badge(r["paid"], color_scheme="green"),
                            rx.fragment(
                                rx.button(
                                    t("pay.pay"),
                                    size="1",
                                    on_click=InvoicesState.choose(r["id"]),
                                    id="pay-" + r["id"],
                                ),
                                _cancel_order_button(r),
                            ),
                        ),
                        spacing="2",
                    )
                )
            )
        return rx.table.row(*cells)

    return rx.cond(
        rows.length() > 0,
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(*headers)),
                rx.table.body(rx.foreach(rows, row)),
                variant="surface",
                width="100%",
                id=table_id,
            ),
            class_name="o2-table-wrap",
        ),
        rx.text(t(empty_key), color_scheme="gray"),
    )


def invoices_page() -> rx.Component:
    S = InvoicesState
    return customer_layout(
        _title("nav.invoices"),
        section(
            "invoices.order_forms",
            _document_table(
                S.unpaid,
                [
                    ("col.number", "reference"),
                    ("col.date", "date"),
                    ("col.amount", "amount"),
                    ("invoices.method", "method"),
                ],
                None,
                "dash.none_unpaid",
                "orders-table",
                pay=True,
            ),
            rx.cond(
                S.selected != "",
                rx.card(
                    rx.vstack(
                        rx.hstack(
                            rx.heading(t("pay.pay_title"), " ", S.selected_label, size="3"),
                            rx.spacer(),
                            rx.button(t("pay.cancel"), variant="ghost", on_click=S.close),
                            width="100%",
                        ),
                        payment_panel(
                            S,
                            S.pay,
                            "pay.pay",
                            "pay-form",
                            seen=[("seen_order", S.selected), ("seen_ttc", S.seen_ttc)],
                        ),
                        width="100%",
                    ),
                    width="100%",
                    max_width="36em",
                ),
                rx.cond(
                    S.pay_message != "",
                    rx.callout(
                        S.pay_message,
                        color_scheme=rx.cond(S.pay_ok, "green", "red"),
                        id="pay-message",
                    ),
                ),
            ),
        ),
        section(
            "nav.invoices",
            _document_table(
                S.invoices,
                [
                    ("col.number", "number"),
                    ("col.date", "date"),
                    ("col.amount", "amount"),
                    ("invoices.method", "method"),
                ],
                "/files/invoices/",
                "invoices.none",
                "invoices-table",
            ),
        ),
        section(
            "invoices.credit_notes",
            _document_table(
                S.credit_notes,
                [("col.number", "number"), ("col.date", "date"), ("col.amount", "amount")],
                "/files/credit-notes/",
                "invoices.credit_notes_none",
                "credit-notes-table",
            ),
        ),
    )
