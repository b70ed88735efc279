"""The three pages about mail, as tabs over each of them."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.i18n import t

MAIL_TABS = [
    ("mailtabs.outbox", "/admin/emails", "inbox"),
    ("mailtabs.templates", "/admin/emails/templates", "file-pen-line"),
    ("mailtabs.campaigns", "/admin/emails/campaigns", "send"),
]


def mail_tabs(current: str) -> rx.Component:
    """Links to the outbox, the templates and mass mail; the current one marked."""
    return rx.hstack(
        *[
            rx.link(
                rx.button(
                    rx.icon(icon, size=16),
                    t(key),
                    variant="solid" if href == current else "soft",
                    size="2",
                    tab_index=-1,
                ),
                href=href,
                aria_current="page" if href == current else None,
                id="tab-" + href.rsplit("/", 1)[-1],
            )
            for key, href, icon in MAIL_TABS
        ],
        spacing="2",
        wrap="wrap",
        as_="nav",
        aria_label="Emails",
    )
