"""/admin/products: products by expiry window and status, each linking to its own page."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.filters import (
    filter_bar,
    filter_select,
    search_box,
    translated_options,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import pager, rows_table, text_cells
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.products.state import AdminProductsState as P


@staff_page(
    "/admin/products",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.nav_products",
    on_load=P.load,
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
        rows_table(
            "admin-products",
            ["col.name", "col.kind", "admin.customer", "col.status", "col.expiry"],
            P.rows,
            lambda r: rx.table.row(
                rx.table.row_header_cell(
                    rx.link(r["name"], href="/admin/products/" + r["id"], id="product-" + r["id"])
                ),
                *text_cells(r, "kind"),
                rx.table.cell(rx.link(r["customer"], href="/admin/customers/" + r["customer_id"])),
                *text_cells(r, "status", "expiry"),
            ),
            empty_key="admin.none",
        ),
        pager(P),
    )
