"""A button that asks before it acts: a dialog with the consequence in words, a way back,
and the button that does it."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.i18n import t


def confirm_dialog(
    trigger: rx.Component,
    title,
    question,
    keep,
    confirm,
    on_confirm,
    confirm_id,
    color: str = "red",
) -> rx.Component:
    """`trigger` opens the dialog (`title`, `question`); `on_confirm` runs only from its
    `confirm` button, `keep` closes it."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(question),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(keep, variant="soft")),
                rx.alert_dialog.action(
                    rx.button(confirm, color_scheme=color, on_click=on_confirm, id=confirm_id)
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
    )


def confirm_button(
    trigger: rx.Component,
    *,
    title_key: str,
    text_key: str,
    keep_key: str,
    confirm_key: str,
    on_confirm,
    confirm_id,
    color: str = "red",
) -> rx.Component:
    """confirm_dialog with its words as i18n keys."""
    return confirm_dialog(
        trigger,
        t(title_key),
        t(text_key),
        t(keep_key),
        t(confirm_key),
        on_confirm,
        confirm_id,
        color,
    )


def confirmed_button(
    text, title, question, confirm, on_click, element_id, *, keep_key: str = "invoices.keep"
) -> rx.Component:
    """A small red button of a table row whose action (a deletion, a removal) is asked
    again in a dialog: `title` and `question` (text or Vars), then `confirm` or keep. The
    confirm button's id is the button's with "-confirm"."""
    return confirm_dialog(
        rx.button(text, size="1", variant="soft", color_scheme="red", id=element_id),
        title,
        question,
        t(keep_key),
        confirm,
        on_click,
        rx.Var.create(element_id).to(str) + "-confirm",
    )
