"""/admin/products: products by expiry window and status, and changes by hand with a reason."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.admin import admin_message
from o2portal.web.components.filters import (
    filter_bar,
    filter_select,
    search_box,
    translated_options,
)
from o2portal.web.components.forms import field_error, label
from o2portal.web.components.i18n import t
from o2portal.web.components.payment import hidden
from o2portal.web.components.tables import pager, rows_table, text_cells
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.products.state import AdminProductsState as P


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


@staff_page(
    "/admin/products",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.nav_products",
    on_load=P.load,
    admin=[P.apply, P.select],
)
def products_page() -> rx.Component:
    return rx.fragment(
        filter_bar(
            filter_select(
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
            filter_select(
                "product-status",
                "col.status",
                P.status,
                P.set_status,
                [("", t("services.all"))]
                + translated_options(
                    ("active", "status.active"),
                    ("suspended", "status.suspended"),
                    ("expired", "status.expired"),
                    ("terminated", "status.terminated"),
                    ("released", "status.released"),
                ),
            ),
            search_box("product-search", "col.name", P.query, P.set_query, P.search),
            width="100%",
        ),
        admin_message(P.message),
        rx.cond(P.selected != "", _change_form()),
        rows_table(
            "admin-products",
            ["col.name", "col.kind", "admin.customer", "col.status", "col.expiry", "col.actions"],
            P.rows,
            lambda r: rx.table.row(
                *text_cells(r, "name", "kind"),
                rx.table.cell(rx.link(r["customer"], href="/admin/customers/" + r["customer_id"])),
                *text_cells(r, "status", "expiry"),
                rx.table.cell(
                    rx.button(
                        t("admin.change"), size="1", variant="soft", on_click=P.select(r["id"])
                    )
                ),
            ),
        ),
        pager(P),
    )
