"""/admin/invoices: order forms (record a transfer or a cheque, cancel), invoices (credit
notes) and credit notes."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.admin import pager
from o2portal.web.components.filters import filter_select
from o2portal.web.components.forms import field_error, label
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import pdf_link, section, table_header
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.invoices.state import AdminInvoicesState as I


def _credit_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t("admin.credit_note"), size="3"),
                rx.box(
                    label("credit-amount", "admin.amount_ht"),
                    rx.input(name="amount", id="credit-amount", max_length=12),
                    field_error(I.errors, "amount"),
                ),
                rx.box(
                    label("credit-reason", "admin.reason"),
                    rx.input(name="reason", id="credit-reason", max_length=300, width="100%"),
                    field_error(I.errors, "reason"),
                    width="100%",
                ),
                rx.box(
                    label("credit-refund", "admin.refund_method"),
                    rx.el.select(
                        rx.el.option(t("pay.credit"), value="credit"),
                        rx.el.option(t("pay.card"), value="card"),
                        rx.el.option(t("pay.transfer"), value="transfer"),
                        name="refund_method",
                        id="credit-refund",
                        class_name="o2-select",
                    ),
                ),
                rx.button(t("admin.issue_credit"), type="submit", id="credit-submit"),
                spacing="2",
                width="100%",
            ),
            on_submit=I.credit,
            reset_on_submit=True,
            no_validate=True,
        ),
        max_width="30em",
        width="100%",
    )


@staff_page(
    "/admin/invoices",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.nav_invoices",
    on_load=I.load,
    admin=[I.cancel_order, I.credit, I.mark_paid, I.open_credit],
)
def invoices_page() -> rx.Component:
    return rx.fragment(
        rx.flex(
            filter_select(
                "order-status",
                "col.status",
                I.status,
                I.set_status,
                [
                    ("unpaid", t("status.unpaid")),
                    ("paid", t("status.paid")),
                    ("cancelled", t("status.cancelled")),
                    ("", t("services.all")),
                ],
            ),
            rx.box(
                label("invoice-search", "admin.search_invoices"),
                rx.hstack(
                    rx.input(
                        id="invoice-search", value=I.query, on_change=I.set_query, max_length=100
                    ),
                    rx.button(t("order.search_button"), on_click=I.search),
                ),
            ),
            gap="3",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(I.message != "", rx.callout(I.message, color_scheme="green", id="admin-message")),
        rx.cond(I.errors.contains("order"), rx.callout(I.errors["order"], color_scheme="red")),
        section(
            "invoices.order_forms",
            rx.box(
                rx.table.root(
                    table_header(
                        "col.number",
                        "admin.customer",
                        "col.date",
                        "col.amount",
                        "invoices.method",
                        "col.actions",
                    ),
                    rx.table.body(
                        rx.foreach(
                            I.orders,
                            lambda o: rx.table.row(
                                rx.table.cell(o["reference"]),
                                rx.table.cell(o["customer"]),
                                rx.table.cell(o["date"]),
                                rx.table.cell(o["amount"]),
                                rx.table.cell(o["method"]),
                                rx.table.cell(
                                    rx.cond(
                                        o["status"] == "unpaid",
                                        rx.hstack(
                                            rx.button(
                                                t("admin.transfer_received"),
                                                size="1",
                                                on_click=I.mark_paid(o["id"], "transfer"),
                                                loading=I.working == o["id"],
                                                disabled=I.working != "",
                                                id="paid-transfer-" + o["id"],
                                            ),
                                            rx.button(
                                                t("admin.cheque_received"),
                                                size="1",
                                                variant="soft",
                                                on_click=I.mark_paid(o["id"], "cheque"),
                                                disabled=I.working != "",
                                                id="paid-cheque-" + o["id"],
                                            ),
                                            rx.button(
                                                t("invoices.cancel"),
                                                size="1",
                                                variant="soft",
                                                color_scheme="gray",
                                                on_click=I.cancel_order(o["id"]),
                                                disabled=I.working != "",
                                                id="cancel-order-" + o["id"],
                                            ),
                                        ),
                                        rx.text(o["done"], size="2", color_scheme="green"),
                                    )
                                ),
                            ),
                        )
                    ),
                    variant="surface",
                    width="100%",
                    id="admin-orders",
                ),
                class_name="o2-table-wrap",
            ),
        ),
        rx.cond(I.credit_for != "", _credit_form()),
        section(
            "nav.invoices",
            rx.box(
                rx.table.root(
                    table_header(
                        "col.number",
                        "admin.customer",
                        "col.date",
                        "col.amount",
                        "invoices.method",
                        "col.actions",
                    ),
                    rx.table.body(
                        rx.foreach(
                            I.invoices,
                            lambda i: rx.table.row(
                                rx.table.cell(i["number"]),
                                rx.table.cell(i["customer"]),
                                rx.table.cell(i["date"]),
                                rx.table.cell(i["amount"]),
                                rx.table.cell(i["method"]),
                                rx.table.cell(
                                    rx.hstack(
                                        pdf_link("/files/invoices/" + i["id"] + ".pdf"),
                                        rx.button(
                                            t("admin.credit_note"),
                                            size="1",
                                            variant="soft",
                                            on_click=I.open_credit(i["id"]),
                                        ),
                                    )
                                ),
                            ),
                        )
                    ),
                    variant="surface",
                    width="100%",
                    id="admin-invoices",
                ),
                class_name="o2-table-wrap",
            ),
            pager(I),
        ),
        section(
            "invoices.credit_notes",
            rx.box(
                rx.table.root(
                    table_header(
                        "col.number",
                        "admin.customer",
                        "col.date",
                        "col.amount",
                        "admin.reason",
                        "col.actions",
                    ),
                    rx.table.body(
                        rx.foreach(
                            I.notes,
                            lambda n: rx.table.row(
                                rx.table.cell(n["number"]),
                                rx.table.cell(n["customer"]),
                                rx.table.cell(n["date"]),
                                rx.table.cell(n["amount"]),
                                rx.table.cell(n["reason"]),
                                rx.table.cell(pdf_link("/files/credit-notes/" + n["id"] + ".pdf")),
                            ),
                        )
                    ),
                    variant="surface",
                    width="100%",
                    id="admin-credit-notes",
                ),
                class_name="o2-table-wrap",
            ),
        ),
    )
