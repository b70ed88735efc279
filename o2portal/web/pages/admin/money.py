"""Staff pages: products (filters and changes by hand), order forms, invoices, credit notes."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.admin import admin_layout, pager
from o2portal.web.components.forms import field_error, label
from o2portal.web.components.i18n import t
from o2portal.web.components.payment import hidden
from o2portal.web.components.tables import pdf_link, section
from o2portal.web.state.admin.invoices import AdminInvoicesState as I
from o2portal.web.state.admin.products import AdminProductsState as P


def _native_select(name: str, key: str, value, on_change, options) -> rx.Component:
    return rx.box(
        label(name, key),
        rx.el.select(
            *[rx.el.option(text, value=code) for code, text in options],
            id=name,
            value=value,
            on_change=on_change,
            class_name="o2-select",
        ),
        min_width="12em",
    )


def _header(*keys: str):
    return rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(k)) for k in keys]))


def _change_form() -> rx.Component:
    return rx.card(
        rx.form(
            hidden("pay_key", P.change_key),
            hidden("seen_product", P.selected),
            hidden("seen_expiry", P.seen_expiry),
            rx.vstack(
                rx.heading(t("admin.change_product"), " ", P.selected_name, size="3"),
                rx.box(
                    label("product-action", "admin.action"),
                    rx.el.select(
                        rx.el.option(t("admin.action_renew"), value="renew"),
                        rx.el.option(t("admin.action_suspend"), value="suspend"),
                        rx.el.option(t("admin.action_unsuspend"), value="unsuspend"),
                        rx.el.option(t("admin.action_terminate"), value="terminate"),
                        name="action",
                        id="product-action",
                        class_name="o2-select",
                    ),
                    field_error(P.errors, "action"),
                ),
                rx.box(
                    label("product-years", "renew.years"),
                    rx.el.select(
                        *[rx.el.option(str(n), value=str(n)) for n in (1, 2, 3)],
                        name="years",
                        id="product-years",
                        class_name="o2-select",
                    ),
                    field_error(P.errors, "years"),
                ),
                rx.box(
                    label("product-reason", "admin.reason"),
                    rx.input(name="reason", id="product-reason", max_length=300, width="100%"),
                    field_error(P.errors, "reason"),
                    width="100%",
                ),
                rx.button(
                    rx.cond(P.change_done, t("admin.done_button"), t("admin.apply")),
                    type="submit",
                    loading=P.applying,
                    disabled=P.change_done,
                    id="product-apply",
                ),
                spacing="2",
                width="100%",
            ),
            on_submit=P.apply,
            reset_on_submit=False,
            no_validate=True,
        ),
        max_width="30em",
        width="100%",
    )


def products_page() -> rx.Component:
    return admin_layout(
        "admin.nav_products",
        rx.flex(
            _native_select(
                "product-window",
                "admin.window",
                P.window,
                P.set_window,
                [
                    ("", t("services.all")),
                    ("7", "≤ 7 j"),
                    ("30", "≤ 30 j"),
                    ("60", "≤ 60 j"),
                    ("90", "≤ 90 j"),
                    ("expired", t("status.expired")),
                ],
            ),
            _native_select(
                "product-status",
                "col.status",
                P.status,
                P.set_status,
                [
                    ("", t("services.all")),
                    ("active", t("status.active")),
                    ("suspended", t("status.suspended")),
                    ("expired", t("status.expired")),
                    ("terminated", t("status.terminated")),
                    ("released", t("status.released")),
                ],
            ),
            rx.box(
                label("product-search", "col.name"),
                rx.hstack(
                    rx.input(
                        id="product-search", value=P.query, on_change=P.set_query, max_length=100
                    ),
                    rx.button(t("order.search_button"), on_click=P.search),
                ),
            ),
            gap="3",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(P.message != "", rx.callout(P.message, color_scheme="green", id="admin-message")),
        rx.cond(P.selected != "", _change_form()),
        rx.box(
            rx.table.root(
                _header(
                    "col.name",
                    "col.kind",
                    "admin.customer",
                    "col.status",
                    "col.expiry",
                    "col.actions",
                ),
                rx.table.body(
                    rx.foreach(
                        P.rows,
                        lambda r: rx.table.row(
                            rx.table.cell(r["name"]),
                            rx.table.cell(r["kind"]),
                            rx.table.cell(
                                rx.link(r["customer"], href="/admin/customers/" + r["customer_id"])
                            ),
                            rx.table.cell(r["status"]),
                            rx.table.cell(r["expiry"]),
                            rx.table.cell(
                                rx.button(
                                    t("admin.change"),
                                    size="1",
                                    variant="soft",
                                    on_click=P.select(r["id"]),
                                )
                            ),
                        ),
                    )
                ),
                variant="surface",
                width="100%",
                id="admin-products",
            ),
            class_name="o2-table-wrap",
        ),
        pager(P),
    )


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


def invoices_page() -> rx.Component:
    return admin_layout(
        "admin.nav_invoices",
        rx.flex(
            _native_select(
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
                    _header(
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
                    _header(
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
                    _header(
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


PAGES = [
    ("/admin/products", products_page, [P.load]),
    ("/admin/invoices", invoices_page, [I.load]),
]
