"""/tickets, /tickets/new and /tickets/[id]; the message and reply pieces are shared with
the staff's thread page."""

from __future__ import annotations

import reflex as rx

from o2portal.support import tickets as rules
from o2portal.support.models import DEPARTMENTS, PRIORITIES
from o2portal.web.components.admin import pager
from o2portal.web.components.forms import field_error, label, select_field, text_field
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import customer_layout
from o2portal.web.components.markdown import safe_markdown
from o2portal.web.state.tickets import MessageRow, NewTicketState, TicketsState, TicketState


def ticket_status_badge(status: rx.Var, label_text: rx.Var) -> rx.Component:
    return rx.badge(
        label_text,
        color_scheme=rx.match(
            status,
            ("open", "blue"),
            ("answered", "green"),
            ("awaiting_customer", "orange"),
            "gray",
        ),
        class_name="o2-ticket-status",
    )


# ---------------------------------------------------------------- shared pieces


def message_card(m: MessageRow, file_prefix: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(m.author, weight="bold"),
                rx.cond(m.staff, rx.badge(t("tickets.staff"), color_scheme="green")),
                rx.cond(m.internal, rx.badge(t("tickets.internal"), color_scheme="amber")),
                rx.spacer(),
                rx.text(m.when, size="1", color_scheme="gray"),
                width="100%",
                align="center",
                wrap="wrap",
            ),
            rx.box(safe_markdown(m.body), class_name="o2-message-body", width="100%"),
            rx.cond(
                m.files.length() > 0,
                rx.hstack(
                    rx.foreach(
                        m.files,
                        lambda f: rx.link(
                            rx.hstack(
                                rx.icon("paperclip", size=14),
                                rx.text(f.name, " (", f.size, ")"),
                                spacing="1",
                                align="center",
                            ),
                            href=file_prefix + f.id,
                            is_external=True,
                            class_name="o2-attachment",
                        ),
                    ),
                    wrap="wrap",
                    spacing="3",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name=rx.cond(
            m.internal,
            "o2-message o2-internal",
            rx.cond(m.staff, "o2-message o2-staff", "o2-message"),
        ),
        id="message-" + m.id,
    )


def thread(messages: rx.Var, file_prefix: str) -> rx.Component:
    return rx.vstack(
        rx.foreach(messages, lambda m: message_card(m, file_prefix)),
        spacing="3",
        width="100%",
        id="thread",
    )


def composer(S, upload_id: str) -> rx.Component:
    """Markdown text with Write / Preview tabs, and text files staged as they are chosen."""
    return rx.vstack(
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(t("tickets.write"), value="write", id=f"{upload_id}-write"),
                rx.tabs.trigger(t("tickets.preview"), value="preview", id=f"{upload_id}-preview"),
            ),
            rx.tabs.content(
                # Uncontrolled: what the person types is never overwritten by a reply
                # from the server; the state gets a copy for the preview, the form sends
                # the text itself, and a new key empties the field after sending.
                rx.el.textarea(
                    default_value=S.body,
                    key=S.compose_key,
                    on_change=S.set_body.debounce(300),
                    id="body",
                    name="body",
                    rows=10,
                    max_length=rules.BODY_MAX,
                    class_name="o2-textarea",
                    aria_label="message",
                ),
                value="write",
                padding_top="0.5em",
                force_mount=True,
                class_name="o2-tab-kept",
            ),
            rx.tabs.content(
                rx.box(
                    rx.cond(
                        S.body.strip() != "",
                        safe_markdown(S.body),
                        rx.text(t("tickets.preview_empty"), color_scheme="gray"),
                    ),
                    class_name="o2-message-body o2-preview",
                    id="preview",
                ),
                value="preview",
                padding_top="0.5em",
            ),
            value=S.compose_tab,
            on_change=S.set_compose_tab,
            width="100%",
        ),
        rx.text(t("tickets.markdown_hint"), size="1", color_scheme="gray"),
        field_error(S.compose_errors, "body"),
        rx.upload.root(
            rx.hstack(
                rx.button(
                    rx.icon("paperclip", size=16),
                    t("tickets.attach"),
                    type="button",
                    variant="soft",
                ),
                rx.text(t("tickets.attach_hint"), size="1", color_scheme="gray"),
                align="center",
                wrap="wrap",
            ),
            id=upload_id,
            multiple=True,
            max_files=rules.ATTACHMENTS_PER_MESSAGE,
            # No type filter in the browser: logs like error_log have no extension and
            # no type; the server checks each file and says why one is refused.
            on_drop=S.stage_files(rx.upload_files(upload_id=upload_id)),
            border="none",
            padding="0",
        ),
        rx.foreach(
            S.staged,
            lambda f: rx.hstack(
                rx.icon("file-text", size=14),
                rx.text(f.name, " (", f.size, ")", size="2"),
                rx.button(
                    t("tickets.remove_file"),
                    size="1",
                    variant="ghost",
                    type="button",
                    on_click=S.remove_file(f.id),
                ),
                align="center",
                class_name="o2-staged-file",
            ),
        ),
        field_error(S.compose_errors, "attachments"),
        spacing="2",
        width="100%",
    )


# ---------------------------------------------------------------- customer pages


def _tab_rows(empty_key: str) -> rx.Component:
    return rx.cond(
        TicketsState.rows.length() > 0,
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(t(k))
                            for k in ("col.ref", "col.subject", "col.department", "col.status")
                        ],
                        rx.table.column_header_cell(t("col.updated")),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        TicketsState.rows,
                        lambda r: rx.table.row(
                            rx.table.cell(r["ref"]),
                            rx.table.row_header_cell(
                                rx.link(r["subject"], href="/tickets/" + r["id"])
                            ),
                            rx.table.cell(r["department"]),
                            rx.table.cell(ticket_status_badge(r["status"], r["status_label"])),
                            rx.table.cell(r["updated"]),
                        ),
                    )
                ),
                variant="surface",
                width="100%",
                id="tickets-table",
            ),
            class_name="o2-table-wrap",
        ),
        rx.text(t(empty_key), color_scheme="gray"),
    )


def tickets_page() -> rx.Component:
    S = TicketsState
    return customer_layout(
        rx.hstack(
            rx.heading(t("nav.tickets"), size="7", as_="h1"),
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


def new_ticket_page() -> rx.Component:
    S = NewTicketState
    return customer_layout(
        rx.link(t("tickets.back"), href="/tickets", size="2"),
        rx.heading(t("tickets.new_title"), size="7", as_="h1"),
        rx.card(
            rx.form(
                rx.vstack(
                    text_field("subject", "tickets.subject", S.errors, max_length=200),
                    rx.grid(
                        select_field(
                            "department",
                            "tickets.department",
                            S.errors,
                            [(d, t(f"tickets.dept.{d}")) for d in DEPARTMENTS],
                            value=S.department,
                            on_change=S.set_department,
                        ),
                        select_field(
                            "priority",
                            "tickets.priority",
                            S.errors,
                            [(p, t(f"tickets.priority.{p}")) for p in PRIORITIES],
                            value=S.priority,
                            on_change=S.set_priority,
                        ),
                        columns=rx.breakpoints(initial="1", sm="2"),
                        spacing="3",
                        width="100%",
                    ),
                    rx.box(
                        label("product_id", "tickets.product"),
                        rx.el.select(
                            rx.el.option(t("tickets.no_product"), value=""),
                            rx.foreach(
                                S.products, lambda p: rx.el.option(p["label"], value=p["id"])
                            ),
                            id="product_id",
                            name="product_id",
                            value=S.product_id,
                            on_change=S.set_product_id,
                            class_name="o2-select",
                        ),
                        field_error(S.errors, "product_id"),
                        width="100%",
                        class_name="o2-field",
                    ),
                    rx.box(label("body", "tickets.message"), width="100%"),
                    composer(S, "new-ticket-files"),
                    rx.button(
                        t("tickets.create"), type="submit", size="3", loading=S.sending, id="send"
                    ),
                    spacing="4",
                    width="100%",
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
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading(t("tickets.reply_title"), size="4", as_="h2"),
                    composer(S, "reply-files"),
                    rx.hstack(
                        rx.button(t("tickets.send"), type="submit", loading=S.sending, id="send"),
                        rx.spacer(),
                        rx.button(
                            t("tickets.close"),
                            on_click=S.close_ticket,
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                            id="close-ticket",
                        ),
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.reply,
                reset_on_submit=False,
            ),
            width="100%",
        ),
    )


def ticket_page() -> rx.Component:
    S = TicketState
    return customer_layout(
        rx.link(t("tickets.back"), href="/tickets", size="2"),
        rx.cond(
            S.found,
            rx.vstack(
                rx.hstack(
                    rx.heading(S.ref, " ", S.subject, size="6", as_="h1", id="ticket-subject"),
                    rx.box(ticket_status_badge(S.status, S.status_label), id="ticket-status"),
                    align="center",
                    wrap="wrap",
                ),
                rx.hstack(
                    rx.text(t("tickets.department"), ": ", S.department, size="2"),
                    rx.text(t("tickets.priority"), ": ", S.priority, size="2"),
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
                thread(S.messages, "/files/attachments/"),
                _reply_box(),
                spacing="4",
                width="100%",
            ),
            rx.callout(t("tickets.not_found"), icon="triangle_alert", color_scheme="red"),
        ),
    )
