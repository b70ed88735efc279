"""/admin/trades: the changes of holder waiting, each with a cancel button (confirmed)."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.admin import admin_message
from o2portal.web.components.confirm import confirm_button
from o2portal.web.components.forms import small_button
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import pager, rows_table, text_cells
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.trades.state import AdminTradesState as S


def _row(r) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(r["product"], href="/admin/products/" + r["product_id"])),
        *text_cells(r, "kind", "from", "to", "offered", "expires"),
        rx.table.cell(
            confirm_button(
                small_button(
                    t("trade.cancel"), None, "admin-trade-cancel-" + r["id"], color_scheme="red"
                ),
                title_key="trade.cancel_title",
                text_key="trade.cancel_text",
                keep_key="trade.keep",
                confirm_key="trade.cancel_confirm",
                on_confirm=S.cancel(r["id"]),
                confirm_id="admin-trade-cancel-confirm-" + r["id"],
            )
        ),
        id="admin-trade-" + r["id"],
    )


@staff_page(
    "/admin/trades",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.nav_trades",
    on_load=S.load,
)
def trades_page() -> rx.Component:
    return rx.fragment(
        rx.text(t("admin.trades_intro"), color_scheme="gray"),
        admin_message(S.message),
        rows_table(
            "admin-trades",
            [
                "trade.col_product",
                "col.kind",
                "trade.col_from",
                "trade.col_to",
                "trade.col_offered",
                "trade.col_expires",
                "col.actions",
            ],
            S.rows,
            _row,
            empty_key="admin.trades_none",
        ),
        pager(S),
    )
