"""Staff page: the outbox, filtered by status and recipient, with a mail's detail."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.admin import pager
from o2portal.web.components.forms import label
from o2portal.web.components.i18n import t
from o2portal.web.pages import ADMINS_ONLY, staff_page
from o2portal.web.staff.emails.state import AdminEmailsState as E

_STATUS_COLOURS = {"sent": "green", "pending": "blue", "failed": "red"}


def _badge(status, text) -> rx.Component:
    return rx.badge(text, color_scheme=rx.match(status, *_STATUS_COLOURS.items(), "gray"))


def _filters() -> rx.Component:
    return rx.flex(
        rx.box(
            label("mail-status", "mail.status"),
            rx.el.select(
                rx.el.option(t("mail.status_all"), value=""),
                *[
                    rx.el.option(t(f"mail.status_{s}"), value=s)
                    for s in ("pending", "sent", "failed")
                ],
                id="mail-status",
                value=E.status,
                on_change=E.set_status,
                class_name="o2-select",
            ),
            min_width="12em",
        ),
        rx.box(
            label("mail-recipient", "mail.recipient"),
            rx.input(
                id="mail-recipient",
                value=E.recipient,
                on_change=E.set_recipient,
                max_length=254,
                size="3",
            ),
            min_width="18em",
        ),
        rx.button(
            t("mail.search"), on_click=E.search, id="mail-search", align_self="end", size="3"
        ),
        gap="3",
        wrap="wrap",
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
        rx.card(
            rx.vstack(
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
                spacing="3",
                width="100%",
            ),
            width="100%",
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
        _filters(),
        _detail(),
        rx.text(E.total, " ", t("mail.found"), size="2", color_scheme="gray", id="mail-total"),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(t(k))
                            for k in (
                                "col.date",
                                "mail.to",
                                "mail.subject",
                                "mail.kind",
                                "mail.status",
                                "mail.attempts",
                            )
                        ]
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        E.rows,
                        lambda r: rx.table.row(
                            rx.table.cell(r["date"]),
                            rx.table.cell(r["to"]),
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
                    )
                ),
                variant="surface",
                width="100%",
                id="mail-table",
            ),
            class_name="o2-table-wrap",
        ),
        pager(E),
    )
