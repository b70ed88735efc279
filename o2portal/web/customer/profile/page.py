"""Ma fiche (/profile): details, security and personal data, one tab each; and the page the
email-change link opens (/confirm-email)."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.forms import form_card
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import page_title
from o2portal.web.customer.profile.details import details_tab
from o2portal.web.customer.profile.personal_data import personal_data_tab
from o2portal.web.customer.profile.personal_data_state import PrivacyState
from o2portal.web.customer.profile.security import security_tab
from o2portal.web.customer.profile.security_state import (
    PasswordChangeState,
    SessionsState,
    TwoFactorState,
)
from o2portal.web.customer.profile.state import ConfirmEmailState, ProfileState
from o2portal.web.pages import customer_page, public_page
from o2portal.web.session import SessionState


@customer_page(
    "/profile",
    on_load=ProfileState.load,
    # The other sections of the page, each with its own state.
    states=[PasswordChangeState, SessionsState, TwoFactorState, PrivacyState],
    ui=[
        ProfileState.set_account_type,
        ProfileState.set_country,
        ProfileState.set_language,
        ProfileState.set_tab,
    ],
)
def profile_page() -> rx.Component:
    return rx.fragment(
        page_title("nav.profile"),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(t("profile.tab_details"), value="details", id="tab-details"),
                rx.tabs.trigger(t("profile.tab_security"), value="security", id="tab-security"),
                rx.tabs.trigger(t("profile.tab_data"), value="data", id="tab-data"),
                class_name="o2-tabs",
            ),
            rx.tabs.content(details_tab(), value="details", padding_top="1em"),
            rx.tabs.content(security_tab(), value="security", padding_top="1em"),
            rx.tabs.content(personal_data_tab(), value="data", padding_top="1em"),
            value=ProfileState.tab,
            on_change=ProfileState.set_tab,
            width="100%",
        ),
    )


# The link in the new address's mailbox: whoever opens it, signed in or not.
@public_page("/confirm-email", on_load=[ConfirmEmailState.load, SessionState.refresh])
def confirm_email_page() -> rx.Component:
    return form_card(
        "profile.confirm_title",
        rx.match(
            ConfirmEmailState.outcome,
            (
                "ok",
                rx.callout(
                    t("profile.confirm_ok"), icon="check", color_scheme="green", id="confirm-ok"
                ),
            ),
            (
                "taken",
                rx.callout(
                    t("profile.confirm_taken"),
                    icon="triangle-alert",
                    color_scheme="red",
                    id="confirm-taken",
                ),
            ),
            (
                "bad",
                rx.callout(
                    t("profile.confirm_bad"),
                    icon="triangle-alert",
                    color_scheme="red",
                    id="confirm-bad",
                ),
            ),
            rx.spinner(),
        ),
        rx.link(t("nav.profile"), href="/profile"),
    )
