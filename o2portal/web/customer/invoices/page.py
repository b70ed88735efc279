"""/invoices: order forms to pay, issued invoices and credit notes, with their PDFs."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.forms import labelled, native_select
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import page_title
from o2portal.web.components.payment import payment_panel
from o2portal.web.components.tables import (
    page_buttons,
    pager,
    pdf_link,
    rows_table,
    section,
    text_cells,
)
from o2portal.web.customer.invoices.state import InvoicesState
from o2portal.web.pages import customer_page


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
    def row(r):
        cells = text_cells(r, *[key for _, key in columns])
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

    return rows_table(
        table_id,
        [h for h, _ in columns] + (["col.actions"] if pdf_prefix or pay else []),
        rows,
        row,
        empty_key=empty_key,
    )


def _year_filter() -> rx.Component:
    """The invoices of one year, or of all."""
    return labelled(
        "invoices-year",
        "invoices.year",
        native_select(
            "invoices-year",
            rx.el.option(t("invoices.all_years"), value=""),
            rx.foreach(InvoicesState.years, lambda year: rx.el.option(year, value=year)),
            value=InvoicesState.year,
            on_change=InvoicesState.set_year,
        ),
        max_width="14em",
    )


@customer_page(
    "/invoices",
    on_load=InvoicesState.load,
    ui=[InvoicesState.close, InvoicesState.set_method, InvoicesState.set_saved_card_id],
)
def invoices_page() -> rx.Component:
    S = InvoicesState
    return rx.fragment(
        page_title("nav.invoices"),
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
                "/files/order-forms/",
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
            rx.cond(S.years.length() > 1, _year_filter()),
            _document_table(
                S.invoices,
                [
                    ("col.number", "number"),
                    ("col.date", "date"),
                    ("col.description", "description"),
                    ("col.ht", "ht"),
                    ("col.amount", "amount"),
                    ("invoices.status_col", "status"),
                    ("invoices.method", "method"),
                ],
                "/files/invoices/",
                "invoices.none",
                "invoices-table",
            ),
            rx.cond(S.pages > 1, pager(S, "invoices-")),
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
            rx.cond(
                S.cn_pages > 1,
                page_buttons(
                    S.cn_page,
                    S.cn_pages,
                    S.previous_credit_notes,
                    S.next_credit_notes,
                    "credit-notes-",
                ),
            ),
        ),
    )
