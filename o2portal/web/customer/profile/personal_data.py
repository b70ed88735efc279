"""Ma fiche, personal data tab: the export (a guarded route) and the deletion of the account."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import stack
from o2portal.web.components.forms import (
    checkbox_field,
    checked_form,
    current_password_field,
    field_error,
    submit,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import download_link, section
from o2portal.web.customer.profile.personal_data_state import EXPORT_PATH, PrivacyState
from o2portal.web.session import SessionState


def personal_data_tab() -> rx.Component:
    P = PrivacyState
    return stack(
        section(
            "profile.export_title",
            rx.text(t("profile.export_text"), size="2"),
            rx.cond(
                SessionState.impersonating,
                # The server refuses it too (web/routes.py): this only says why.
                rx.text(t("profile.export_not_acting"), size="2", color_scheme="gray"),
                rx.button(
                    download_link(
                        "download", "profile.export_button", EXPORT_PATH, id="export-link"
                    ),
                    as_child=True,
                    variant="soft",
                ),
            ),
        ),
        section(
            "profile.delete_title",
            rx.text(t("profile.delete_text"), size="2"),
            rx.cond(
                P.blockers.length() > 0,
                rx.callout.root(
                    rx.callout.icon(rx.icon("circle-alert")),
                    rx.vstack(
                        rx.text(t("profile.delete_blocked"), weight="bold"),
                        rx.el.ul(
                            rx.foreach(P.blockers, lambda b: rx.el.li(b)), class_name="o2-list"
                        ),
                        spacing="1",
                    ),
                    color_scheme="orange",
                    width="100%",
                    id="delete-blockers",
                ),
            ),
            checked_form(
                "delete-form",
                P.delete_account,
                current_password_field("delete_password", P.errors),
                checkbox_field("delete_confirm", "profile.delete_confirm", P.errors),
                field_error(P.errors, "delete"),
                submit(
                    "profile.delete_submit",
                    P.busy,
                    "delete-submit",
                    rx.icon("trash-2", size=16),
                    size="3",
                    color_scheme="red",
                ),
            ),
        ),
        spacing="4",
    )
