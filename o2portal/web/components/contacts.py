"""What the customer's /contacts and the staff's customer file share about contacts."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.confirm import confirmed_button
from o2portal.web.components.i18n import t


def revoke_button(r, on_click, element_id) -> rx.Component:
    """Take the contact of row `r` off its product (or withdraw the invitation), once
    confirmed in a dialog that names them."""
    return confirmed_button(
        t("contacts.revoke"),
        t("contacts.revoke_title"),
        rx.fragment(t("contacts.revoke_text"), " ", r["contact"], " — ", r["product"]),
        t("contacts.revoke_confirm"),
        on_click,
        element_id,
        keep_key="contacts.keep",
    )
