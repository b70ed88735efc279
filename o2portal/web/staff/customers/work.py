"""The customer file's notes and its "open a ticket for this customer" form."""

from __future__ import annotations

import reflex as rx

from o2portal.support.models import DEPARTMENTS, PRIORITIES
from o2portal.support.notes import NOTE_MAX
from o2portal.support.thread import BODY_MAX, SUBJECT_MAX
from o2portal.web.components.blocks import stack
from o2portal.web.components.forms import (
    card_form,
    close_button,
    confirmed_button,
    field_error,
    labelled,
    native_select,
    notice,
    text_field,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.payment import hidden
from o2portal.web.components.tables import download_link, section
from o2portal.web.staff.customers.work_state import BILL_LINES
from o2portal.web.staff.customers.work_state import CustomerWorkState as W


def _note(n) -> rx.Component:
    return rx.hstack(
        rx.box(
            rx.text(n["body"], white_space="pre-wrap", size="2"),
            rx.text(
                t("support_tools.note_by"),
                " ",
                n["author"],
                ", ",
                n["date"],
                size="1",
                color_scheme="gray",
            ),
            width="100%",
        ),
        rx.cond(
            (n["mine"] != "") | W.is_admin,
            confirmed_button(
                t("support_tools.note_remove"),
                t("support_tools.note_remove_title"),
                n["body"],
                t("support_tools.note_remove"),
                W.remove_note(n["id"]),
                "note-remove-" + n["id"],
            ),
        ),
        width="100%",
        align="start",
        class_name="o2-note",
    )


def notes_section() -> rx.Component:
    return section(
        "support_tools.notes",
        rx.cond(
            W.notes.length() > 0,
            rx.vstack(rx.foreach(W.notes, _note), spacing="3", width="100%", id="customer-notes"),
            rx.text(t("support_tools.notes_none"), size="2", color_scheme="gray"),
        ),
        card_form(
            W.add_note,
            labelled(
                "note",
                "support_tools.note_label",
                rx.el.textarea(
                    name="note",
                    id="note",
                    key=W.note_key,
                    rows=3,
                    max_length=NOTE_MAX,
                    class_name="o2-textarea",
                ),
                errors=W.note_errors,
                name="note",
                width="100%",
            ),
            rx.button(t("support_tools.note_add"), type="submit", id="note-add"),
            notice(W.note_message, "note-added"),
            max_width="44em",
            variant="ghost",
        ),
    )


def _choice(field_id: str, key: str, name: str, options, default: str = "") -> rx.Component:
    return labelled(
        field_id,
        key,
        native_select(field_id, *options, name=name, default_value=default),
        errors=W.ticket_errors,
        name=name,
        class_name="o2-field",
    )


def _ticket_form() -> rx.Component:
    return card_form(
        W.open_ticket,
        rx.text(t("support_tools.open_ticket_intro"), size="2", color_scheme="gray"),
        text_field("subject", "tickets.subject", W.ticket_errors, max_length=SUBJECT_MAX),
        rx.flex(
            _choice(
                "ticket-department",
                "tickets.department",
                "department",
                [rx.el.option(t(f"tickets.dept.{d}"), value=d) for d in DEPARTMENTS],
                "technique",
            ),
            _choice(
                "ticket-priority",
                "tickets.priority",
                "priority",
                [rx.el.option(t(f"tickets.priority.{p}"), value=p) for p in PRIORITIES],
                "normale",
            ),
            _choice(
                "ticket-product",
                "tickets.product",
                "product_id",
                [
                    rx.el.option(t("tickets.no_product"), value=""),
                    rx.foreach(W.products, lambda p: rx.el.option(p["name"], value=p["id"])),
                ],
            ),
            spacing="3",
            wrap="wrap",
        ),
        labelled(
            "ticket-body",
            "tickets.message",
            rx.el.textarea(
                name="body", id="ticket-body", rows=6, max_length=BODY_MAX, class_name="o2-textarea"
            ),
            errors=W.ticket_errors,
            name="body",
            width="100%",
        ),
        rx.hstack(
            rx.button(t("support_tools.open_ticket_send"), type="submit", id="ticket-send"),
            close_button(t("support_tools.close"), W.close_ticket_form, "ticket-cancel"),
            spacing="3",
        ),
        hidden=(hidden("pay_key", W.ticket_key),),
        max_width="44em",
        id="open-ticket-form",
    )


def open_ticket_section() -> rx.Component:
    return rx.cond(
        W.ticket_open,
        stack(rx.heading(t("support_tools.open_ticket"), size="4", as_="h2"), _ticket_form()),
        rx.button(
            t("support_tools.open_ticket"),
            on_click=W.start_ticket,
            variant="soft",
            id="open-ticket",
        ),
    )


def _bill_line(n: int) -> rx.Component:
    return rx.flex(
        rx.box(
            text_field(f"description_{n}", "admin.bill_description", W.bill_errors, max_length=300),
            flex="3",
            min_width="16em",
        ),
        rx.box(
            text_field(f"quantity_{n}", "admin.bill_quantity", W.bill_errors, max_length=3),
            flex="1",
            min_width="6em",
        ),
        rx.box(
            text_field(f"price_{n}", "admin.bill_price", W.bill_errors, max_length=12),
            flex="1",
            min_width="8em",
        ),
        spacing="3",
        wrap="wrap",
        width="100%",
    )


def bill_section() -> rx.Component:
    """Bill services outside the catalogue (admins): an order form with up to three lines."""
    return section(
        "admin.bill_title",
        rx.text(t("admin.bill_intro"), size="2", color_scheme="gray"),
        card_form(
            W.bill,
            *[_bill_line(n) for n in range(BILL_LINES)],
            rx.hstack(
                rx.button(
                    t("admin.bill_send"),
                    type="submit",
                    disabled=W.bill_done != "",
                    id="bill-send",
                ),
                rx.cond(
                    W.bill_done != "",
                    rx.button(
                        t("admin.product_again"),
                        type="button",
                        variant="soft",
                        on_click=W.bill_again,
                        id="bill-again",
                    ),
                ),
                spacing="3",
            ),
            rx.cond(
                W.bill_done != "",
                rx.hstack(
                    notice(W.bill_done, "bill-done"),
                    download_link("file-down", "invoices.pdf", W.bill_href, id="bill-pdf"),
                    align="center",
                ),
            ),
            field_error(W.bill_errors, "key"),
            field_error(W.bill_errors, "method"),
            hidden=(hidden("pay_key", W.bill_key),),
            max_width="60em",
            id="bill-form",
            # What was typed stays after an error; a new form (a new key) starts empty.
            key=W.bill_key,
        ),
    )
