"""Staff pages: the ticket queue and one ticket's thread."""

from __future__ import annotations

import reflex as rx

from o2portal.support.models import DEPARTMENTS, TICKET_STATUSES
from o2portal.web.components.filters import filter_bar, filter_select, search_box
from o2portal.web.components.forms import close_button, labelled, native_select
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import pager, rows_table, text_cells
from o2portal.web.components.thread import (
    reply_card,
    thread,
    thread_page,
    ticket_facts,
    ticket_status_badge,
)
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.tickets.state import AdminTicketsState as Q
from o2portal.web.staff.tickets.state import AdminTicketState as T


@staff_page(
    "/admin/tickets",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.tickets.title",
    on_load=Q.load,
)
def queue_page() -> rx.Component:
    return rx.fragment(
        filter_bar(
            search_box("queue-search", "support_tools.search", Q.query, Q.set_query, Q.search),
            filter_select(
                "queue-status",
                "col.status",
                Q.status,
                Q.set_status,
                [("", t("admin.tickets.status_all_open"))]
                + [(s, t(f"status.{s}")) for s in TICKET_STATUSES]
                + [("all", t("admin.tickets.status_everything"))],
                min_width=None,
            ),
            filter_select(
                "queue-department",
                "col.department",
                Q.department,
                Q.set_department,
                [("", t("admin.tickets.dept_all"))]
                + [(d, t(f"tickets.dept.{d}")) for d in DEPARTMENTS],
                min_width=None,
            ),
            filter_select(
                "queue-assigned",
                "col.assigned",
                Q.assigned,
                Q.set_assigned,
                [
                    ("", t("admin.tickets.assigned_any")),
                    ("me", t("admin.tickets.assigned_me")),
                    ("none", t("admin.tickets.assigned_none")),
                    ("escalated", t("support_tools.assigned_escalated")),
                ],
                min_width=None,
            ),
        ),
        rows_table(
            "queue-table",
            [
                "col.ref",
                "col.subject",
                "col.customer",
                "col.department",
                "col.priority",
                "col.status",
                "col.assigned",
                "admin.tickets.last_by",
                "admin.tickets.waiting",
                "col.updated",
            ],
            Q.rows,
            lambda r: rx.table.row(
                rx.table.cell(r["ref"]),
                rx.table.row_header_cell(
                    rx.link(r["subject"], href="/admin/tickets/" + r["id"]),
                    rx.cond(
                        r["escalated"] != "",
                        rx.badge(r["escalated"], color_scheme="red", margin_left="0.5em"),
                    ),
                ),
                *text_cells(r, "customer", "department", "priority"),
                rx.table.cell(ticket_status_badge(r["status"], r["status_label"])),
                *text_cells(r, "assigned", "last_by", "waiting", "updated"),
            ),
            empty_key="admin.tickets.none",
        ),
        pager(Q),
    )


def _notes() -> rx.Component:
    """The staff's notes on the customer, above the thread (never shown to the customer)."""
    return rx.cond(
        T.notes.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("sticky-note")),
            rx.vstack(
                rx.text(t("support_tools.notes"), weight="bold"),
                rx.foreach(
                    T.notes,
                    lambda n: rx.text(
                        n["body"],
                        rx.text.span(
                            " — ", n["author"], ", ", n["date"], color_scheme="gray", size="1"
                        ),
                        white_space="pre-wrap",
                        size="2",
                    ),
                ),
                spacing="1",
            ),
            color_scheme="amber",
            width="100%",
            id="ticket-notes",
        ),
    )


def _canned_select() -> rx.Component:
    return rx.cond(
        T.canned.length() > 0,
        labelled(
            "canned-insert",
            "support_tools.canned_insert",
            native_select(
                "canned-insert",
                rx.el.option(t("support_tools.canned_pick"), value=""),
                rx.foreach(T.canned, lambda c: rx.el.option(c["title"], value=c["id"])),
                value="",
                on_change=T.use_canned,
            ),
        ),
    )


def _reply_box() -> rx.Component:
    return reply_card(
        T,
        rx.cond(T.internal, t("admin.tickets.note"), t("admin.tickets.reply")),
        "staff-reply-files",
        _canned_select(),
        rx.hstack(
            rx.checkbox(
                t("admin.tickets.note"),
                checked=T.internal,
                on_change=T.set_internal,
                id="internal-note",
            ),
            rx.cond(
                ~T.internal,
                rx.checkbox(
                    t("admin.tickets.await"),
                    checked=T.await_customer,
                    on_change=T.set_await_customer,
                    id="await-customer",
                ),
            ),
            wrap="wrap",
            spacing="4",
        ),
        rx.button(
            rx.cond(T.internal, t("admin.tickets.send_note"), t("admin.tickets.send_reply")),
            type="submit",
            loading=T.sending,
            id="send",
        ),
    )


@staff_page(
    "/admin/tickets/[ticket_id]",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.tickets.title",
    on_load=T.load,
    ui=[T.set_body, T.set_compose_tab],
)
def ticket_page() -> rx.Component:
    return thread_page(
        T,
        "admin.tickets.back",
        "/admin/tickets",
        "h2",
        rx.hstack(
            rx.text(
                t("col.customer"),
                ": ",
                rx.link(
                    T.customer_name,
                    " <",
                    T.customer_email,
                    ">",
                    href="/admin/customers/" + T.customer_id,
                ),
                size="2",
            ),
            *ticket_facts(T),
            rx.cond(
                T.product != "",
                rx.text(
                    t("tickets.product"),
                    ": ",
                    rx.link(T.product, href="/admin/products/" + T.product_id, id="ticket-product"),
                    size="2",
                ),
            ),
            rx.cond(T.escalated, rx.badge(t("support_tools.escalated"), color_scheme="red")),
            spacing="4",
            wrap="wrap",
        ),
        rx.hstack(
            labelled(
                "assign",
                "admin.tickets.assign",
                native_select(
                    "assign",
                    rx.el.option(t("admin.tickets.nobody"), value=""),
                    rx.foreach(T.staff, lambda p: rx.el.option(p["name"], value=p["id"])),
                    value=T.assigned_to,
                    on_change=T.assign,
                ),
            ),
            labelled(
                "route-department",
                "col.department",
                native_select(
                    "route-department",
                    *[
                        rx.el.option(t(f"tickets.dept.{d}"), value=d)
                        for d in ("technique", "facturation", "commercial")
                    ],
                    value=T.department_code,
                    on_change=T.route_department,
                ),
            ),
            labelled(
                "route-priority",
                "col.priority",
                native_select(
                    "route-priority",
                    *[
                        rx.el.option(t(f"tickets.priority.{p}"), value=p)
                        for p in ("basse", "normale", "haute", "urgente")
                    ],
                    value=T.priority_code,
                    on_change=T.route_priority,
                ),
            ),
            rx.spacer(),
            rx.cond(
                T.status == "closed",
                rx.button(t("tickets.reopen"), on_click=T.reopen_ticket, id="reopen"),
                close_button(t("tickets.close"), T.close_ticket, "close-ticket"),
            ),
            width="100%",
            align="end",
            wrap="wrap",
        ),
        _notes(),
        thread(T, "/files/attachments/"),
        _reply_box(),
    )
