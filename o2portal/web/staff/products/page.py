"""/admin/products: products by expiry window and status, and changes by hand with a reason."""

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
    form_select,
    option_list,
    reason_field,
    small_button,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.payment import hidden
from o2portal.web.components.tables import pager, rows_table, text_cells
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.products.state import AdminProductsState as P


def _change_form() -> rx.Component:
    return card_form(
        P.apply,
        rx.heading(t("admin.change_product"), " ", P.selected_name, size="3"),
        form_select(
            "product-action",
            "admin.action",
            "action",
            option_list(
                translated_options(
                    ("renew", "admin.action_renew"),
                    ("suspend", "admin.action_suspend"),
                    ("unsuspend", "admin.action_unsuspend"),
                    ("terminate", "admin.action_terminate"),
                )
            ),
            P.errors,
        ),
        form_select(
            "product-years",
            "renew.years",
            "years",
            [rx.el.option(str(n), value=str(n)) for n in (1, 2, 3)],
            P.errors,
        ),
        reason_field("product-reason", P.errors),
        rx.button(
            rx.cond(P.change_done, t("admin.done_button"), t("admin.apply")),
            type="submit",
            loading=P.applying,
            disabled=P.change_done,
            id="product-apply",
        ),
        hidden=(
            hidden("pay_key", P.change_key),
            hidden("seen_product", P.selected),
            hidden("seen_expiry", P.seen_expiry),
        ),
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
        admin_only(rx.cond(P.selected != "", _change_form())),
        rows_table(
            "admin-products",
            ["col.name", "col.kind", "admin.customer", "col.status", "col.expiry", "col.actions"],
            P.rows,
            lambda r: rx.table.row(
                rx.table.row_header_cell(
                    rx.link(r["name"], href="/admin/products/" + r["id"], id="product-" + r["id"])
                ),
                *text_cells(r, "kind"),
                rx.table.cell(rx.link(r["customer"], href="/admin/customers/" + r["customer_id"])),
                *text_cells(r, "status", "expiry"),
                rx.table.cell(admin_only(small_button(t("admin.change"), P.select(r["id"])))),
            ),
            empty_key="admin.none",
        ),
        pager(P),
    )
