"""/admin/invoices: order forms (record a transfer or a cheque, cancel), invoices (credit
notes) and credit notes."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.admin import admin_message
from o2portal.web.components.filters import (
    filter_bar,
    filter_select,
    search_box,
    translated_options,
)
from o2portal.web.components.forms import (
    card_form,
    form_select,
    labelled,
    option_list,
    reason_field,
    small_button,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import pager, pdf_link, rows_table, section, text_cells
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.invoices.state import AdminInvoicesState as I


def _credit_form() -> rx.Component:
    return card_form(
        I.credit,
        rx.heading(t("admin.credit_note"), size="3"),
        labelled(
            "credit-amount",
            "admin.amount_ht",
            rx.input(name="amount", id="credit-amount", max_length=12),
            errors=I.errors,
            name="amount",
        ),
        reason_field("credit-reason", I.errors),
        form_select(
            "credit-refund",
            "admin.refund_method",
            "refund_method",
            option_list(
                translated_options(
                    ("credit", "pay.credit"), ("card", "pay.card"), ("transfer", "pay.transfer")
                )
            ),
        ),
        rx.button(t("admin.issue_credit"), type="submit", id="credit-submit"),
        reset_on_submit=True,
    )


# The first columns of the three tables: a document, whose, when, how much.
PARTS = ["col.number", "admin.customer", "col.date", "col.amount"]


def _order_actions(o) -> rx.Component:
    """Record a transfer or a cheque for an unpaid order form, or cancel it; one at a time."""
    return rx.hstack(
        rx.button(
            t("admin.transfer_received"),
            size="1",
            on_click=I.mark_paid(o["id"], "transfer"),
            loading=I.working == o["id"],
            disabled=I.working != "",
            id="paid-transfer-" + o["id"],
        ),
        small_button(
            t("admin.cheque_received"),
            I.mark_paid(o["id"], "cheque"),
            "paid-cheque-" + o["id"],
            disabled=I.working != "",
        ),
        small_button(
            t("invoices.cancel"),
            I.cancel_order(o["id"]),
            "cancel-order-" + o["id"],
            color_scheme="gray",
            disabled=I.working != "",
        ),
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
        filter_bar(
            filter_select(
                "order-status",
                "col.status",
                I.status,
                I.set_status,
                translated_options(
                    ("unpaid", "status.unpaid"),
                    ("paid", "status.paid"),
                    ("cancelled", "status.cancelled"),
                    ("", "services.all"),
                ),
            ),
            search_box("invoice-search", "admin.search_invoices", I.query, I.set_query, I.search),
            width="100%",
        ),
        admin_message(I.message),
        rx.cond(I.errors.contains("order"), rx.callout(I.errors["order"], color_scheme="red")),
        section(
            "invoices.order_forms",
            rows_table(
                "admin-orders",
                [*PARTS, "invoices.method", "col.actions"],
                I.orders,
                lambda o: rx.table.row(
                    *text_cells(o, "reference", "customer", "date", "amount", "method"),
                    rx.table.cell(
                        rx.cond(
                            o["status"] == "unpaid",
                            _order_actions(o),
                            rx.text(o["done"], size="2", color_scheme="green"),
                        )
                    ),
                ),
            ),
        ),
        rx.cond(I.credit_for != "", _credit_form()),
        section(
            "nav.invoices",
            rows_table(
                "admin-invoices",
                [*PARTS, "invoices.method", "col.actions"],
                I.invoices,
                lambda i: rx.table.row(
                    *text_cells(i, "number", "customer", "date", "amount", "method"),
                    rx.table.cell(
                        rx.hstack(
                            pdf_link("/files/invoices/" + i["id"] + ".pdf"),
                            small_button(t("admin.credit_note"), I.open_credit(i["id"])),
                        )
                    ),
                ),
            ),
            pager(I),
        ),
        section(
            "invoices.credit_notes",
            rows_table(
                "admin-credit-notes",
                [*PARTS, "admin.reason", "col.actions"],
                I.notes,
                lambda n: rx.table.row(
                    *text_cells(n, "number", "customer", "date", "amount", "reason"),
                    rx.table.cell(pdf_link("/files/credit-notes/" + n["id"] + ".pdf")),
                ),
            ),
        ),
    )
