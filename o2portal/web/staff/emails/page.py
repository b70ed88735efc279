"""Staff page: the outbox, filtered by status and recipient, with a mail's detail."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import stacked_card
from o2portal.web.components.filters import (
    filter_bar,
    filter_select,
    text_filter,
    translated_options,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import pager, rows_table, text_cells
from o2portal.web.pages import ADMINS_ONLY, staff_page
from o2portal.web.staff.emails.state import AdminEmailsState as E
from o2portal.web.staff.emails.tabs import mail_tabs

_STATUS_COLOURS = {"sent": "green", "pending": "blue", "failed": "red"}


def _badge(status, text) -> rx.Component:
    return rx.badge(text, color_scheme=rx.match(status, *_STATUS_COLOURS.items(), "gray"))


def _filters() -> rx.Component:
    return filter_bar(
        filter_select(
            "mail-status",
            "mail.status",
            E.status,
            E.set_status,
            translated_options(
                ("", "mail.status_all"),
                *[(s, f"mail.status_{s}") for s in ("pending", "sent", "failed")],
            ),
        ),
        text_filter(
            "mail-recipient",
            "mail.recipient",
            E.recipient,
            E.set_recipient,
            max_length=254,
            min_width="18em",
            size="3",
        ),
        rx.button(
            t("mail.search"), on_click=E.search, id="mail-search", align_self="end", size="3"
        ),
    )


def _line(key: str, value, element_id: str = "") -> rx.Component:
    return rx.hstack(
        rx.text(t(key), weight="medium", min_width="10em", color_scheme="gray"),
        rx.text(value, id=element_id or None),
        spacing="3",
        wrap="wrap",
    )


def _detail() -> rx.Component:
    m = E.mail
    return rx.cond(
        m.contains("id"),
        stacked_card(
            rx.hstack(
                rx.heading(m["subject"], size="4", as_="h2", id="mail-subject"),
                rx.spacer(),
                _badge(m["status"], m["status_label"]),
                width="100%",
                align="center",
            ),
            _line("mail.to", m["to"]),
            _line("mail.kind", m["kind"]),
            _line("mail.created", m["created"]),
            rx.cond(m["sent"] != "", _line("mail.sent_at", m["sent"])),
            rx.cond(m["next"] != "", _line("mail.next_attempt", m["next"])),
            _line("mail.attempts", m["attempts"], "mail-attempts"),
            rx.cond(
                m["error"] != "",
                rx.callout.root(
                    rx.callout.icon(rx.icon("triangle-alert")),
                    rx.callout.text(
                        rx.text(t("mail.last_error"), weight="bold"), rx.code(m["error"])
                    ),
                    color_scheme="red",
                    id="mail-error",
                    width="100%",
                ),
            ),
            rx.text(t("mail.body"), weight="medium", color_scheme="gray"),
            # Plain text, as sent: never rendered as HTML or Markdown.
            rx.el.pre(m["body"], id="mail-body", class_name="o2-mail-body"),
            rx.text(t("mail.links_hidden"), size="1", color_scheme="gray"),
            rx.cond(
                E.message != "",
                rx.callout.root(
                    rx.callout.text(E.message), color_scheme="green", id="mail-message"
                ),
            ),
            rx.cond(
                E.error != "",
                rx.callout.root(
                    rx.callout.text(E.error), color_scheme="red", id="mail-retry-error"
                ),
            ),
            rx.hstack(
                rx.cond(
                    m["status"] == "failed",
                    rx.button(
                        rx.icon("rotate-cw", size=16),
                        t("mail.retry"),
                        on_click=E.retry,
                        id="mail-retry",
                    ),
                ),
                rx.button(
                    t("mail.close"), variant="soft", color_scheme="gray", on_click=E.close_mail
                ),
            ),
            id="mail-detail",
        ),
    )


@staff_page(
    "/admin/emails",
    roles=ADMINS_ONLY,
    title_key="admin.nav_emails",
    on_load=E.load,
    ui=E.close_mail,
)
def emails_page() -> rx.Component:
    return rx.fragment(
        mail_tabs("/admin/emails"),
        _filters(),
        _detail(),
        rx.text(E.total, " ", t("mail.found"), size="2", color_scheme="gray", id="mail-total"),
        rows_table(
            "mail-table",
            ["col.date", "mail.to", "mail.subject", "mail.kind", "mail.status", "mail.attempts"],
            E.rows,
            lambda r: rx.table.row(
                *text_cells(r, "date", "to"),
                rx.table.cell(
                    rx.link(
                        r["subject"],
                        href="#",
                        on_click=E.open_mail(r["id"]).prevent_default,
                        id="mail-open-" + r["id"],
                    )
                ),
                rx.table.cell(r["kind"]),
                rx.table.cell(_badge(r["status"], r["status_label"])),
                rx.table.cell(r["attempts"]),
            ),
        ),
        pager(E),
    )
