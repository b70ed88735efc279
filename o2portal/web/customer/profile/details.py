"""Ma fiche, details tab: the customer's details (shown, then edited) and the email address
with its change."""

from __future__ import annotations

import reflex as rx

from o2portal.accounts.models import ACCOUNT_TYPES
from o2portal.web.components.blocks import columns, stack
from o2portal.web.components.forms import (
    FORM_PROPS,
    cancel_button,
    checked_form,
    country_field,
    current_password_field,
    icon_button,
    inline,
    notice,
    select_field,
    small_button,
    submit,
    text_field,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import section
from o2portal.web.customer.profile.state import ProfileState


def _details_view() -> rx.Component:
    S = ProfileState
    return stack(
        rx.data_list.root(
            rx.foreach(
                S.details,
                lambda d: rx.data_list.item(
                    rx.data_list.label(d["label"]),
                    rx.data_list.value(d["value"], id="value-" + d["field"]),
                ),
            ),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            id="details-list",
        ),
        icon_button("pencil", "profile.edit", on_click=S.edit, id="details-edit"),
        spacing="4",
    )


def _pair(*fields) -> rx.Component:
    return columns(*fields, at="sm")


def _details_form() -> rx.Component:
    S = ProfileState
    errors, values = S.errors, S.form

    def field(name: str, key: str, **props) -> rx.Component:
        return text_field(name, key, errors, default_value=values[name], **props)

    types = [(code, t(f"field.account_type.{code}")) for code in ACCOUNT_TYPES]
    languages = [("fr", t("profile.language.fr")), ("en", t("profile.language.en"))]
    return rx.form(
        stack(
            select_field(
                "account_type",
                "field.account_type",
                errors,
                types,
                value=S.account_type,
                on_change=S.set_account_type,
            ),
            _pair(
                field("first_name", "field.first_name", autocomplete="given-name", max_length=100),
                field("last_name", "field.last_name", autocomplete="family-name", max_length=100),
            ),
            rx.cond(
                S.account_type != "particulier",
                stack(
                    field("company_name", "field.company_name", autocomplete="organization"),
                    _pair(
                        field("siret", "field.siret", hint="hint.siret", max_length=20),
                        field(
                            "vat_number",
                            "field.vat_number",
                            hint="profile.hint_vat",
                            max_length=20,
                        ),
                    ),
                ),
            ),
            field(
                "phone",
                "field.phone",
                type="tel",
                autocomplete="tel",
                max_length=30,
                hint="profile.hint_phone",
            ),
            field("address_line1", "field.address_line1", autocomplete="address-line1"),
            field("address_line2", "field.address_line2", autocomplete="address-line2"),
            _pair(
                field(
                    "postal_code", "field.postal_code", autocomplete="postal-code", max_length=16
                ),
                field("city", "field.city", autocomplete="address-level2", max_length=100),
            ),
            _pair(
                country_field(errors, S.country, S.set_country),
                select_field(
                    "language",
                    "field.language",
                    errors,
                    languages,
                    value=S.language,
                    on_change=S.set_language,
                ),
            ),
            inline(
                rx.button(t("profile.save"), type="submit", size="3", id="details-save"),
                cancel_button(S.cancel_edit, "details-cancel"),
            ),
        ),
        on_submit=S.save,
        id="details-form",
        **FORM_PROPS,
    )


def _email_badge() -> rx.Component:
    return rx.match(
        ProfileState.email_state,
        ("verified", rx.badge(t("profile.email_verified"), color_scheme="green", id="email-state")),
        ("failing", rx.badge(t("profile.email_failing"), color_scheme="red", id="email-state")),
        (
            "unverified",
            rx.badge(t("profile.email_unverified"), color_scheme="amber", id="email-state"),
        ),
        rx.fragment(),
    )


def _email_card() -> rx.Component:
    S = ProfileState
    return section(
        "profile.email_title",
        inline(rx.text(S.email, weight="bold", id="current-email"), _email_badge()),
        rx.cond(
            S.email_state == "failing",
            rx.text(
                t("profile.email_failing_text"),
                " ",
                S.email_failing_since,
                size="2",
                color_scheme="red",
            ),
        ),
        rx.cond(
            (S.email_state == "unverified") | (S.email_state == "failing"),
            icon_button(
                "mail-check",
                "profile.send_check_link",
                on_click=S.send_check_link,
                variant="soft",
                id="send-check-link",
            ),
        ),
        rx.cond(
            S.pending_email != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("hourglass")),
                rx.vstack(
                    rx.text(
                        t("profile.email_pending"),
                        " ",
                        rx.text(S.pending_email, as_="span", weight="bold", id="pending-email"),
                    ),
                    rx.text(t("profile.email_pending_until"), " ", S.pending_until, size="2"),
                    inline(
                        rx.button(
                            t("profile.email_resend"),
                            size="1",
                            on_click=S.resend_email_link,
                            id="email-resend",
                        ),
                        small_button(
                            t("profile.email_cancel_change"),
                            S.cancel_email_change,
                            "email-cancel-change",
                            color_scheme="gray",
                        ),
                    ),
                    spacing="2",
                ),
                color_scheme="blue",
                width="100%",
                id="email-pending",
            ),
        ),
        notice(S.email_message, "email-message"),
        rx.text(t("profile.email_change_text"), size="2"),
        checked_form(
            "email-form",
            S.change_email,
            text_field(
                "new_email",
                "profile.new_email",
                S.email_errors,
                type="email",
                autocomplete="email",
                max_length=254,
            ),
            current_password_field("email_password", S.email_errors),
            submit("profile.email_change_submit", S.email_busy, "email-change-submit", size="3"),
        ),
    )


def details_tab() -> rx.Component:
    S = ProfileState
    return stack(
        section(
            "profile.details_title",
            notice(S.message, "details-message"),
            rx.cond(S.editing, _details_form(), _details_view()),
        ),
        _email_card(),
        spacing="4",
    )
