"""/trades: "Changements de titulaire", the offers sent and received."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.confirm import confirm_button
from o2portal.web.components.forms import small_button
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import page_title
from o2portal.web.components.tables import coloured_badge, pager, rows_table, text_cells
from o2portal.web.customer.trades.state import TradesState as S
from o2portal.web.pages import customer_page

_COLOURS = {"offered": "orange", "accepted": "green", "refused": "red"}


def _ask(r, key: str, handler, colour: str) -> rx.Component:
    """A row's button, confirmed in a dialog (trade.<key>_title, _text, _confirm)."""
    return confirm_button(
        small_button(t(f"trade.{key}"), None, f"trade-{key}-" + r["id"], color_scheme=colour),
        title_key=f"trade.{key}_title",
        text_key=f"trade.{key}_text",
        keep_key="trade.keep",
        confirm_key=f"trade.{key}_confirm",
        on_confirm=handler(r["id"]),
        confirm_id=f"trade-{key}-confirm-" + r["id"],
        color=colour,
    )


def _row(r) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.cond(
                r["mine"] != "",
                rx.link(r["product"], href="/services/" + r["product_id"]),
                rx.text(r["product"]),
            )
        ),
        *text_cells(r, "kind", "direction"),
        rx.table.cell(coloured_badge(r["status_code"], r["status"], _COLOURS)),
        *text_cells(r, "offered", "expires"),
        rx.table.cell(
            rx.hstack(
                rx.cond(
                    r["answer"] != "",
                    rx.fragment(
                        _ask(r, "accept", S.accept, "green"),
                        _ask(r, "refuse", S.refuse, "red"),
                    ),
                ),
                rx.cond(r["cancel"] != "", _ask(r, "cancel", S.cancel, "gray")),
                spacing="2",
            )
        ),
        id="trade-" + r["id"],
    )


@customer_page("/trades", on_load=S.load)
def trades_page() -> rx.Component:
    return rx.fragment(
        page_title("nav.trades"),
        rx.text(t("trade.page_intro"), color_scheme="gray"),
        rx.cond(
            S.message != "",
            rx.callout(
                S.message,
                color_scheme=rx.cond(S.failed, "red", "green"),
                id="trades-message",
                width="100%",
            ),
        ),
        rows_table(
            "trades-table",
            [
                "trade.col_product",
                "col.kind",
                "trade.col_direction",
                "col.status",
                "trade.col_offered",
                "trade.col_expires",
                "col.actions",
            ],
            S.rows,
            _row,
            empty_key="trade.none",
        ),
        pager(S),
    )
