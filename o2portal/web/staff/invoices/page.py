"""/admin/invoices: order forms (record a transfer or a cheque, cancel), invoices (credit
notes) and credit notes."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.admin import admin_message, admin_only
from o2portal.web.components.filters import (
    filter_bar,
    filter_select,
    search_box,
    translated_options,
)
from o2portal.web.components.forms import (
    card_form,
    field_error,
    form_select,
    labelled,
    option_list,
    reason_field,
    small_button,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.payment import hidden
from o2portal.web.components.tables import (
    csv_link,
    pager,
    pdf_link,
    rows_table,
    section,
    text_cells,
)
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
_METHOD = ("invoices.method", "method")


def _documents(
    title_key: str, table_id: str, rows, keys, pdf_prefix: str, action, *after
) -> rx.Component:
    """A titled table of billing documents: their number (the row key `keys[0]`, a link
    to the PDF under `pdf_prefix`), customer (a link to their file), date and amount, a
    last column (`keys[1]`: its header and row key), and `action(row)` in a cell of its
    own; `after` below the table."""
    number, (header, last) = keys
    return section(
        title_key,
        rows_table(
            table_id,
            [*PARTS, header, "col.actions"],
            rows,
            lambda r: rx.table.row(
                rx.table.cell(rx.link(r[number], href=pdf_prefix + r["id"] + ".pdf")),
                rx.table.cell(rx.link(r["customer"], href="/admin/customers/" + r["customer_id"])),
                *text_cells(r, "date", "amount", last),
                rx.table.cell(action(r)),
            ),
            empty_key="admin.none",
        ),
        *after,
    )


def _payment_form() -> rx.Component:
    """Record a transfer or a cheque: the bank's reference (or the cheque's number) first."""
    return card_form(
        I.mark_paid,
        rx.heading(I.recording_title, size="3", id="record-title"),
        labelled(
            "payment-reference",
            "admin.payment_reference",
            rx.input(name="reference", id="payment-reference", max_length=100),
            errors=I.errors,
            name="reference",
        ),
        field_error(I.errors, "method"),
        rx.hstack(
            rx.button(
                t("admin.record_payment"),
                type="submit",
                id="record-submit",
                loading=I.working != "",
                disabled=I.working != "",
            ),
            rx.button(
                t("pay.cancel"),
                type="button",
                variant="soft",
                color_scheme="gray",
                on_click=I.close_payment,
            ),
            spacing="2",
        ),
        hidden=(hidden("order", I.recording), hidden("method", I.recording_method)),
        id="record-form",
    )


def _order_actions(o) -> rx.Component:
    """Record a transfer or a cheque for an unpaid order form, or cancel it; one at a time."""
    return rx.hstack(
        rx.button(
            t("admin.transfer_received"),
            size="1",
            on_click=I.open_payment(o["id"], "transfer"),
            loading=I.working == o["id"],
            disabled=I.working != "",
            id="paid-transfer-" + o["id"],
        ),
        small_button(
            t("admin.cheque_received"),
            I.open_payment(o["id"], "cheque"),
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
    admin=[I.cancel_order, I.credit, I.mark_paid, I.open_credit, I.open_payment],
    ui=[I.close_payment],
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
            rx.hstack(
                csv_link("export.invoices", I.export_href, "export-invoices"),
                csv_link(
                    "export.credit_notes", "/files/exports/credit-notes.csv", "export-credit-notes"
                ),
                spacing="4",
                align_self="end",
                wrap="wrap",
            ),
            width="100%",
        ),
        admin_message(I.message),
        rx.cond(I.errors.contains("order"), rx.callout(I.errors["order"], color_scheme="red")),
        _documents(
            "invoices.order_forms",
            "admin-orders",
            I.orders,
            ("reference", _METHOD),
            "/files/order-forms/",
            lambda o: rx.cond(
                o["status"] == "unpaid",
                admin_only(_order_actions(o)),
                rx.text(o["done"], size="2", color_scheme="green"),
            ),
        ),
        admin_only(rx.cond(I.recording != "", _payment_form())),
        admin_only(rx.cond(I.credit_for != "", _credit_form())),
        _documents(
            "nav.invoices",
            "admin-invoices",
            I.invoices,
            ("number", _METHOD),
            "/files/invoices/",
            lambda i: rx.hstack(
                pdf_link("/files/invoices/" + i["id"] + ".pdf"),
                admin_only(small_button(t("admin.credit_note"), I.open_credit(i["id"]))),
            ),
            pager(I),
        ),
        _documents(
            "invoices.credit_notes",
            "admin-credit-notes",
            I.notes,
            ("number", ("admin.reason", "reason")),
            "/files/credit-notes/",
            lambda n: pdf_link("/files/credit-notes/" + n["id"] + ".pdf"),
        ),
    )
