"""Visitor pages: log in (and its second step), sign up, lost password, reset, email
verification."""

from __future__ import annotations

import reflex as rx

from o2portal.accounts.models import ACCOUNT_TYPES
from o2portal.web.components.blocks import columns, stack
from o2portal.web.components.forms import (
    checkbox_field,
    country_field,
    field_error,
    form_card,
    new_password_fields,
    notice,
    select_field,
    submit_button,
    text_field,
    titled_callout,
)
from o2portal.web.components.i18n import t
from o2portal.web.customer.auth.state import (
    ForgotPasswordState,
    LoginState,
    ResetPasswordState,
    SecondFactorState,
    SignupState,
    VerifyEmailState,
)
from o2portal.web.pages import public_page
from o2portal.web.session import SessionState

NO_ERRORS = None  # the login form answers with one message, never per field


def _visitor_form(on_submit, *children, reset_on_submit=False, **props) -> rx.Component:
    """A visitor's form: its fields one under the other, checked on the server only."""
    return rx.form(
        stack(*children),
        on_submit=on_submit,
        reset_on_submit=reset_on_submit,
        no_validate=True,
        width="100%",
        **props,
    )


def _email_field(errors, autocomplete: str = "email") -> rx.Component:
    """The visitor's email address (the login's user name)."""
    return text_field(
        "email", "field.email", errors, type="email", autocomplete=autocomplete, max_length=254
    )


def _error(message: rx.Var, element_id: str) -> rx.Component:
    """The one message a sign-in step answers with."""
    return notice(message, element_id, "red", icon="triangle-alert", role="alert")


@public_page("/login", on_load=LoginState.load)
def login_page() -> rx.Component:
    return form_card(
        "login.title",
        rx.cond(
            LoginState.notice != "",
            rx.callout(LoginState.notice, icon="info", color_scheme="green", width="100%"),
        ),
        _visitor_form(
            LoginState.submit,
            _email_field(NO_ERRORS, autocomplete="username"),
            text_field(
                "password",
                "field.password",
                NO_ERRORS,
                type="password",
                autocomplete="current-password",
                max_length=128,
            ),
            _error(LoginState.error, "login-error"),
            submit_button("login.submit", LoginState.busy),
        ),
        rx.link(t("login.forgot"), href="/forgot-password", id="forgot-link"),
        rx.hstack(
            rx.text(t("login.no_account")),
            rx.link(t("nav.signup"), href="/signup"),
            spacing="2",
            wrap="wrap",
        ),
    )


def _company_fields() -> rx.Component:
    errors = SignupState.errors
    return rx.cond(
        SignupState.account_type != "particulier",
        stack(
            text_field("company_name", "field.company_name", errors, hint="hint.company"),
            text_field("siret", "field.siret", errors, hint="hint.siret", max_length=20),
            text_field("vat_number", "field.vat_number", errors, max_length=20),
        ),
    )


def _signup_form() -> rx.Component:
    errors = SignupState.errors
    types = [(code, t(f"field.account_type.{code}")) for code in ACCOUNT_TYPES]
    return _visitor_form(
        SignupState.submit,
        select_field(
            "account_type",
            "field.account_type",
            errors,
            types,
            value=SignupState.account_type,
            on_change=SignupState.set_account_type,
        ),
        columns(
            text_field("first_name", "field.first_name", errors, autocomplete="given-name"),
            text_field("last_name", "field.last_name", errors, autocomplete="family-name"),
            at="sm",
        ),
        _company_fields(),
        _email_field(errors),
        country_field(errors, SignupState.country, SignupState.set_country),
        text_field("phone", "field.phone", errors, type="tel", autocomplete="tel", max_length=30),
        text_field("address_line1", "field.address_line1", errors, autocomplete="address-line1"),
        text_field("address_line2", "field.address_line2", errors, autocomplete="address-line2"),
        columns(
            text_field(
                "postal_code",
                "field.postal_code",
                errors,
                autocomplete="postal-code",
                max_length=16,
            ),
            text_field("city", "field.city", errors, autocomplete="address-level2", max_length=100),
            at="sm",
        ),
        *new_password_fields(errors, "field.password"),
        checkbox_field("accept_terms", "field.accept_terms", errors),
        field_error(errors, "form"),  # about the form as a whole (sign-ups slowed)
        submit_button("signup.submit", SignupState.busy),
        id="signup-form",
    )


@public_page(
    "/signup",
    on_load=SignupState.load,
    ui=[SignupState.set_account_type, SignupState.set_country],
)
def signup_page() -> rx.Component:
    return form_card(
        "signup.title",
        rx.cond(
            SignupState.done,
            titled_callout(
                "mail-check",
                "signup.done_title",
                "signup.done_text",
                rx.link(t("nav.login"), href="/login"),
                "green",
                "signup-done",
            ),
            rx.fragment(
                _signup_form(),
                rx.hstack(
                    rx.text(t("signup.have_account")),
                    rx.link(t("nav.login"), href="/login"),
                    spacing="2",
                ),
            ),
        ),
        max_width="40em",
    )


@public_page("/forgot-password", on_load=ForgotPasswordState.load)
def forgot_password_page() -> rx.Component:
    return form_card(
        "forgot.title",
        rx.cond(
            ForgotPasswordState.sent,
            rx.callout(t("forgot.sent"), icon="mail", color_scheme="green", id="forgot-sent"),
            rx.fragment(
                rx.text(t("forgot.text")),
                _visitor_form(
                    ForgotPasswordState.submit,
                    _email_field(ForgotPasswordState.errors),
                    submit_button("forgot.submit"),
                ),
            ),
        ),
        rx.link(t("nav.login"), href="/login"),
    )


@public_page("/reset-password", on_load=ResetPasswordState.load)
def reset_password_page() -> rx.Component:
    errors = ResetPasswordState.errors
    return form_card(
        "reset.title",
        rx.cond(
            ResetPasswordState.link_ok,
            _visitor_form(
                ResetPasswordState.submit,
                *new_password_fields(errors, "field.new_password"),
                field_error(errors, "token"),
                submit_button("reset.submit"),
            ),
            rx.vstack(
                rx.callout(
                    t("reset.invalid"),
                    icon="triangle-alert",
                    color_scheme="red",
                    id="reset-invalid",
                ),
                rx.link(t("forgot.title"), href="/forgot-password"),
            ),
        ),
    )


# The banner of the customer shell offers `resend` to a signed-in person.
@public_page(
    "/verify-email",
    on_load=[VerifyEmailState.load, SessionState.refresh],
    customer=VerifyEmailState.resend,
)
def verify_email_page() -> rx.Component:
    return form_card(
        "verify.title",
        rx.match(
            VerifyEmailState.outcome,
            (
                "ok",
                rx.callout(t("verify.ok"), icon="check", color_scheme="green", id="verify-ok"),
            ),
            (
                "bad",
                rx.callout(
                    t("verify.bad"), icon="triangle-alert", color_scheme="red", id="verify-bad"
                ),
            ),
            rx.spinner(),
        ),
        rx.link(t("nav.dashboard"), href="/"),
    )


# The code step of a sign-in works on its own half-open session, like the login form.
@public_page("/two-factor", on_load=SecondFactorState.load)
def second_factor_page() -> rx.Component:
    S = SecondFactorState
    return form_card(
        "profile.login_code_title",
        rx.text(t("profile.login_code_text")),
        _visitor_form(
            S.submit,
            text_field(
                "code",
                "profile.login_code",
                None,
                autocomplete="one-time-code",
                max_length=40,
                auto_focus=True,
                hint="profile.login_code_hint",
            ),
            _error(S.error, "code-error"),
            submit_button("profile.login_code_submit", S.busy),
            reset_on_submit=True,
            id="code-form",
        ),
        rx.link(t("profile.login_code_cancel"), href="#", on_click=S.give_up, id="code-cancel"),
    )
