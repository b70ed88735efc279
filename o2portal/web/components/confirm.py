"""A button that asks before it acts: a dialog with the consequence in words, a way back,
and the button that does it."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.i18n import t


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
    """`trigger` opens the dialog; `on_confirm` runs only from its confirm button."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t(title_key)),
            rx.alert_dialog.description(t(text_key)),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(t(keep_key), variant="soft")),
                rx.alert_dialog.action(
                    rx.button(
                        t(confirm_key), color_scheme=color, on_click=on_confirm, id=confirm_id
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
    )
