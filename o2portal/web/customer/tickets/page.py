"""/tickets, /tickets/new and /tickets/[ticket_id]: the customer's tickets, a new one, and
a thread kept up to date live."""

from __future__ import annotations

import reflex as rx

from o2portal.support.models import DEPARTMENTS, PRIORITIES
from o2portal.web.components.blocks import columns, stack
from o2portal.web.components.forms import (
    close_button,
    label,
    labelled,
    native_select,
    select_field,
    text_field,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import page_title
from o2portal.web.components.tables import pager, rows_table
from o2portal.web.components.thread import (
    composer,
    reply_card,
    thread,
    thread_page,
    ticket_facts,
    ticket_status_badge,
)
from o2portal.web.customer.tickets.state import NewTicketState, TicketsState, TicketState
from o2portal.web.pages import customer_page


def _tab_rows(empty_key: str) -> rx.Component:
    return rows_table(
        "tickets-table",
        ["col.ref", "col.subject", "col.department", "col.status", "col.updated"],
        TicketsState.rows,
        lambda r: rx.table.row(
            rx.table.cell(r["ref"]),
            rx.table.row_header_cell(rx.link(r["subject"], href="/tickets/" + r["id"])),
            rx.table.cell(r["department"]),
            rx.table.cell(ticket_status_badge(r["status"], r["status_label"])),
            rx.table.cell(r["updated"]),
        ),
        empty_key=empty_key,
    )


@customer_page("/tickets", on_load=TicketsState.load)
def tickets_page() -> rx.Component:
    S = TicketsState
    return rx.fragment(
        rx.hstack(
            page_title("nav.tickets"),
            rx.spacer(),
            rx.link(rx.button(rx.icon("plus", size=16), t("tickets.new")), href="/tickets/new"),
            width="100%",
            align="center",
        ),
        rx.text(t("tickets.intro"), color_scheme="gray"),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(t("tickets.tab_open"), value="open", id="tab-open"),
                rx.tabs.trigger(t("tickets.tab_closed"), value="closed", id="tab-closed"),
            ),
            value=S.tab,
            on_change=S.set_tab,
            width="100%",
        ),
        rx.cond(S.tab == "closed", _tab_rows("tickets.none_closed"), _tab_rows("tickets.none")),
        rx.cond(S.pages > 1, pager(S)),
    )


def _choice(S, name: str, options_key: str, codes) -> rx.Component:
    """A select of the new ticket's form (tickets.<name>), its value and setter in S."""
    return select_field(
        name,
        f"tickets.{name}",
        S.errors,
        [(code, t(f"{options_key}.{code}")) for code in codes],
        value=getattr(S, name),
        on_change=getattr(S, f"set_{name}"),
    )


@customer_page(
    "/tickets/new",
    on_load=NewTicketState.load,
    ui=[
        NewTicketState.set_body,
        NewTicketState.set_compose_tab,
        NewTicketState.set_department,
        NewTicketState.set_priority,
        NewTicketState.set_product_id,
    ],
)
def new_ticket_page() -> rx.Component:
    S = NewTicketState
    return rx.fragment(
        rx.link(t("tickets.back"), href="/tickets", size="2"),
        page_title("tickets.new_title"),
        rx.card(
            rx.form(
                stack(
                    text_field("subject", "tickets.subject", S.errors, max_length=200),
                    columns(
                        _choice(S, "department", "tickets.dept", DEPARTMENTS),
                        _choice(S, "priority", "tickets.priority", PRIORITIES),
                        at="sm",
                    ),
                    labelled(
                        "product_id",
                        "tickets.product",
                        native_select(
                            "product_id",
                            rx.el.option(t("tickets.no_product"), value=""),
                            rx.foreach(
                                S.products, lambda p: rx.el.option(p["label"], value=p["id"])
                            ),
                            name="product_id",
                            value=S.product_id,
                            on_change=S.set_product_id,
                        ),
                        errors=S.errors,
                        width="100%",
                        class_name="o2-field",
                    ),
                    rx.box(label("body", "tickets.message"), width="100%"),
                    composer(S, "new-ticket-files"),
                    rx.button(
                        t("tickets.create"), type="submit", size="3", loading=S.sending, id="send"
                    ),
                    spacing="4",
                ),
                on_submit=S.submit,
                reset_on_submit=False,
            ),
            width="100%",
        ),
    )


def _reply_box() -> rx.Component:
    S = TicketState
    return rx.cond(
        S.status == "closed",
        rx.card(
            rx.hstack(
                rx.text(t("tickets.closed_text")),
                rx.button(t("tickets.reopen"), on_click=S.reopen_ticket, id="reopen"),
                align="center",
                wrap="wrap",
                justify="between",
                width="100%",
            ),
            width="100%",
        ),
        reply_card(
            S,
            t("tickets.reply_title"),
            "reply-files",
            rx.hstack(
                rx.button(t("tickets.send"), type="submit", loading=S.sending, id="send"),
                rx.spacer(),
                close_button(t("tickets.close"), S.close_ticket, "close-ticket"),
                width="100%",
            ),
        ),
    )


@customer_page(
    "/tickets/[ticket_id]",
    on_load=TicketState.load,
    ui=[TicketState.set_body, TicketState.set_compose_tab],
)
def ticket_page() -> rx.Component:
    S = TicketState
    return thread_page(
        S,
        "tickets.back",
        "/tickets",
        "h1",
        rx.hstack(
            *ticket_facts(S),
            rx.cond(
                S.product != "",
                rx.text(
                    t("tickets.product"),
                    ": ",
                    rx.link(S.product, href="/services/" + S.product_id),
                    size="2",
                ),
            ),
            wrap="wrap",
            spacing="4",
            color_scheme="gray",
        ),
        rx.text(t("tickets.live"), size="1", color_scheme="gray"),
        thread(S, "/files/attachments/"),
        _reply_box(),
    )
