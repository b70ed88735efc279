"""The pieces of a ticket thread that the customer's and the staff's pages share: the
status badge, the messages (Markdown, attachments) and the reply form."""

from __future__ import annotations

import reflex as rx

from o2portal.support import tickets as rules
from o2portal.web.components.blocks import stack, stacked_card
from o2portal.web.components.forms import field_error, icon_button
from o2portal.web.components.i18n import t
from o2portal.web.components.markdown import safe_markdown, write_and_preview
from o2portal.web.components.tables import coloured_badge
from o2portal.web.thread import MessageRow

_TICKET_COLOURS = {"open": "blue", "answered": "green", "awaiting_customer": "orange"}


def ticket_status_badge(status: rx.Var, label_text: rx.Var) -> rx.Component:
    return coloured_badge(status, label_text, _TICKET_COLOURS, class_name="o2-ticket-status")


@rx.memo
def message_body(body: rx.Var[str]) -> rx.Component:
    """A message's Markdown, rendered again only when its text changes: the page's other
    updates (the reply form, a new message) leave the thread's messages as they are,
    instead of parsing every one of them again."""
    return rx.box(safe_markdown(body), class_name="o2-message-body", width="100%")


def message_card(m: MessageRow, file_prefix: str) -> rx.Component:
    return stacked_card(
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
        message_body(body=m.body),
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
        class_name=rx.cond(
            m.internal,
            "o2-message o2-internal",
            rx.cond(m.staff, "o2-message o2-staff", "o2-message"),
        ),
        id="message-" + m.id,
    )


def thread(S, file_prefix: str) -> rx.Component:
    """The thread of a ticket page's state: a button for the older pages, the older
    messages asked for, then the rest."""
    return rx.vstack(
        rx.cond(
            S.has_earlier,
            rx.button(
                t("tickets.earlier"),
                on_click=S.show_earlier,
                variant="soft",
                size="1",
                id="show-earlier",
            ),
        ),
        rx.foreach(S.earlier, lambda m: message_card(m, file_prefix)),
        rx.foreach(S.messages, lambda m: message_card(m, file_prefix)),
        rx.foreach(S.recent, lambda m: message_card(m, file_prefix)),
        spacing="3",
        width="100%",
        id="thread",
    )


def composer(S, upload_id: str) -> rx.Component:
    """Markdown text with Write / Preview tabs, and text files staged as they are chosen."""
    return stack(
        write_and_preview(
            # The form sends the text itself; a new key empties the field after sending.
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
            S.body,
            tab=S.compose_tab,
            on_tab=S.set_compose_tab,
            id_prefix=upload_id,
            preview_id="preview",
            words="tickets",
            width="100%",
        ),
        rx.text(t("tickets.markdown_hint"), size="1", color_scheme="gray"),
        field_error(S.compose_errors, "body"),
        rx.upload.root(
            rx.hstack(
                icon_button("paperclip", "tickets.attach", type="button", variant="soft"),
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
    )


def thread_page(S, back_key: str, back_href: str, heading_as: str, *body) -> rx.Component:
    """A ticket's page: the link back to the list, then the ticket (its reference, subject
    and status, then `body`) or, when the caller may not see it, a refusal."""
    return rx.fragment(
        rx.link(t(back_key), href=back_href, size="2"),
        rx.cond(
            S.found,
            stack(
                rx.hstack(
                    rx.heading(
                        S.ref, " ", S.subject, size="6", as_=heading_as, id="ticket-subject"
                    ),
                    rx.box(ticket_status_badge(S.status, S.status_label), id="ticket-status"),
                    align="center",
                    wrap="wrap",
                ),
                *body,
                spacing="4",
            ),
            rx.callout(t("tickets.not_found"), icon="triangle_alert", color_scheme="red"),
        ),
    )


def ticket_facts(S) -> list[rx.Component]:
    """The ticket's department and priority, as the thread's heading shows them."""
    return [
        rx.text(t("tickets.department"), ": ", S.department, size="2"),
        rx.text(t("tickets.priority"), ": ", S.priority, size="2"),
    ]


def reply_card(S, heading, upload_id: str, *controls: rx.Component) -> rx.Component:
    """The reply form under a thread: a heading, the composer, then the page's controls
    (its send button among them)."""
    return rx.card(
        rx.form(
            stack(
                rx.heading(heading, size="4", as_="h2"),
                composer(S, upload_id),
                *controls,
            ),
            on_submit=S.reply,
            reset_on_submit=False,
        ),
        width="100%",
    )
