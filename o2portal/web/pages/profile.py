"""Ma fiche (/profile): details, email, security, personal data; the second sign-in step
(/two-factor) and the page the email-change link opens (/confirm-email)."""

from __future__ import annotations

import reflex as rx

from o2portal.accounts.models import ACCOUNT_TYPES
from o2portal.core.validation import COUNTRIES
from o2portal.web.components.forms import (
    checkbox_field,
    field_error,
    form_card,
    select_field,
    submit_button,
    text_field,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import customer_layout, public_layout
from o2portal.web.components.tables import data_table, section
from o2portal.web.pages.auth import new_password_fields
from o2portal.web.state.privacy import EXPORT_PATH, PrivacyState
from o2portal.web.state.profile import ConfirmEmailState, ProfileState
from o2portal.web.state.second_factor import SecondFactorState
from o2portal.web.state.security import PasswordChangeState, SessionsState, TwoFactorState

FORM = {"reset_on_submit": False, "no_validate": True, "width": "100%"}


def _notice(message: rx.Var, element_id: str, color: str = "green") -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="info", color_scheme=color, width="100%", id=element_id),
    )


def _row(*children, **props) -> rx.Component:
    return rx.flex(*children, spacing="3", wrap="wrap", align="center", **props)


# ---------------------------------------------------------------- details


def _details_view() -> rx.Component:
    S = ProfileState
    return rx.vstack(
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
        rx.button(
            rx.icon("pencil", size=16), t("profile.edit"), on_click=S.edit, id="details-edit"
        ),
        spacing="4",
        width="100%",
    )


def _pair(*fields) -> rx.Component:
    return rx.grid(*fields, columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%")


def _details_form() -> rx.Component:
    S = ProfileState
    errors, values = S.errors, S.form

    def field(name: str, key: str, **props) -> rx.Component:
        return text_field(name, key, errors, default_value=values[name], **props)

    types = [(code, t(f"field.account_type.{code}")) for code in ACCOUNT_TYPES]
    languages = [("fr", t("profile.language.fr")), ("en", t("profile.language.en"))]
    return rx.form(
        rx.vstack(
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
                rx.vstack(
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
                    spacing="3",
                    width="100%",
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
                select_field(
                    "country",
                    "field.country",
                    errors,
                    list(COUNTRIES.items()),
                    value=S.country,
                    on_change=S.set_country,
                ),
                select_field(
                    "language",
                    "field.language",
                    errors,
                    languages,
                    value=S.language,
                    on_change=S.set_language,
                ),
            ),
            _row(
                rx.button(t("profile.save"), type="submit", size="3", id="details-save"),
                rx.button(
                    t("profile.cancel"),
                    type="button",
                    size="3",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.cancel_edit,
                    id="details-cancel",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=S.save,
        id="details-form",
        **FORM,
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
        _row(rx.text(S.email, weight="bold", id="current-email"), _email_badge()),
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
            rx.button(
                rx.icon("mail-check", size=16),
                t("profile.send_check_link"),
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
                    _row(
                        rx.button(
                            t("profile.email_resend"),
                            size="1",
                            on_click=S.resend_email_link,
                            id="email-resend",
                        ),
                        rx.button(
                            t("profile.email_cancel_change"),
                            size="1",
                            variant="soft",
                            color_scheme="gray",
                            on_click=S.cancel_email_change,
                            id="email-cancel-change",
                        ),
                    ),
                    spacing="2",
                ),
                color_scheme="blue",
                width="100%",
                id="email-pending",
            ),
        ),
        _notice(S.email_message, "email-message"),
        rx.text(t("profile.email_change_text"), size="2"),
        rx.form(
            rx.vstack(
                text_field(
                    "new_email",
                    "profile.new_email",
                    S.email_errors,
                    type="email",
                    autocomplete="email",
                    max_length=254,
                ),
                text_field(
                    "email_password",
                    "profile.current_password",
                    S.email_errors,
                    type="password",
                    autocomplete="current-password",
                    max_length=128,
                ),
                rx.button(
                    t("profile.email_change_submit"),
                    type="submit",
                    size="3",
                    loading=S.email_busy,
                    id="email-change-submit",
                ),
                spacing="3",
                width="100%",
                max_width="30em",
            ),
            on_submit=S.change_email,
            id="email-form",
            **FORM,
        ),
    )


def _details_tab() -> rx.Component:
    S = ProfileState
    return rx.vstack(
        section(
            "profile.details_title",
            _notice(S.message, "details-message"),
            rx.cond(S.editing, _details_form(), _details_view()),
        ),
        _email_card(),
        spacing="4",
        width="100%",
    )


# ---------------------------------------------------------------- security


def _password_card() -> rx.Component:
    P = PasswordChangeState
    return section(
        "profile.password_title",
        _notice(P.message, "password-message"),
        rx.form(
            rx.vstack(
                text_field(
                    "current_password",
                    "profile.current_password",
                    P.errors,
                    type="password",
                    autocomplete="current-password",
                    max_length=128,
                ),
                *new_password_fields(P.errors, "field.new_password"),
                rx.text(t("profile.password_sessions_hint"), size="2", color_scheme="gray"),
                rx.button(
                    t("profile.password_submit"),
                    type="submit",
                    size="3",
                    loading=P.busy,
                    id="password-submit",
                ),
                spacing="3",
                width="100%",
                max_width="30em",
            ),
            on_submit=P.submit,
            id="password-form",
            **FORM,
        ),
    )


def _recovery_codes() -> rx.Component:
    T = TwoFactorState
    return rx.callout.root(
        rx.callout.icon(rx.icon("key-round")),
        rx.vstack(
            rx.text(t("profile.codes_title"), weight="bold"),
            rx.text(t("profile.codes_text"), size="2"),
            rx.grid(
                rx.foreach(
                    T.new_recovery_codes,
                    lambda code: rx.code(code, size="3", variant="ghost", class_name="o2-code"),
                ),
                columns="2",
                spacing="2",
                margin_y="0.5em",
                id="recovery-codes",
            ),
            rx.button(t("profile.codes_saved"), on_click=T.codes_saved, id="codes-saved"),
            spacing="2",
        ),
        color_scheme="amber",
        width="100%",
    )


def _password_confirm_form(name: str, button_key: str, handler, color: str) -> rx.Component:
    T = TwoFactorState
    return rx.form(
        rx.vstack(
            text_field(
                name,
                "profile.current_password",
                T.errors,
                type="password",
                autocomplete="current-password",
                max_length=128,
            ),
            rx.button(
                t(button_key),
                type="submit",
                variant="soft",
                color_scheme=color,
                loading=T.busy,
                id=f"{name}-submit",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=handler,
        id=f"{name}-form",
        **FORM,
    )


def _two_factor_on() -> rx.Component:
    T = TwoFactorState
    return rx.vstack(
        _row(
            rx.badge(t("profile.totp_status_on"), color_scheme="green", id="totp-status"),
            rx.text(t("profile.since"), " ", T.since, size="2", color_scheme="gray"),
        ),
        rx.text(t("profile.codes_left"), " ", rx.text(T.codes_left, as_="span", id="codes-left")),
        rx.grid(
            rx.box(
                rx.text(t("profile.codes_new_text"), size="2", margin_bottom="0.5em"),
                _password_confirm_form("codes_password", "profile.codes_new", T.new_codes, "blue"),
            ),
            rx.box(
                rx.text(t("profile.totp_disable_text"), size="2", margin_bottom="0.5em"),
                _password_confirm_form(
                    "disable_password", "profile.totp_disable", T.disable, "red"
                ),
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _two_factor_setup() -> rx.Component:
    T = TwoFactorState
    return rx.vstack(
        rx.text(t("profile.totp_scan")),
        rx.image(
            src=T.setup_qr,
            alt=t("profile.totp_qr_alt"),
            width="200px",
            height="200px",
            id="totp-qr",
        ),
        rx.text(t("profile.totp_manual"), size="2"),
        rx.code(T.setup_secret, size="3", id="totp-secret", class_name="o2-code"),
        rx.form(
            rx.vstack(
                text_field(
                    "totp_code",
                    "profile.totp_code",
                    T.errors,
                    autocomplete="one-time-code",
                    max_length=10,
                ),
                _row(
                    rx.button(
                        t("profile.totp_confirm"), type="submit", size="3", id="totp-confirm"
                    ),
                    rx.button(
                        t("profile.cancel"),
                        type="button",
                        size="3",
                        variant="soft",
                        color_scheme="gray",
                        on_click=T.cancel_setup,
                        id="totp-cancel",
                    ),
                ),
                spacing="3",
                width="100%",
                max_width="22em",
            ),
            on_submit=T.confirm_setup,
            id="totp-form",
            **FORM,
        ),
        spacing="3",
        width="100%",
    )


def _two_factor_off() -> rx.Component:
    T = TwoFactorState
    return rx.vstack(
        rx.badge(t("profile.totp_status_off"), color_scheme="gray", id="totp-status"),
        field_error(T.errors, "totp_code"),
        rx.button(
            rx.icon("shield-check", size=16),
            t("profile.totp_start"),
            on_click=T.start_setup,
            id="totp-start",
        ),
        spacing="3",
    )


def _two_factor_card() -> rx.Component:
    T = TwoFactorState
    return section(
        "profile.totp_title",
        rx.text(t("profile.totp_text"), size="2"),
        _notice(T.message, "totp-message"),
        rx.cond(T.new_recovery_codes.length() > 0, _recovery_codes()),
        rx.cond(
            T.enabled,
            _two_factor_on(),
            rx.cond(T.setup_secret != "", _two_factor_setup(), _two_factor_off()),
        ),
    )


def _session_item(s) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.vstack(
                _row(
                    rx.icon("monitor-smartphone", size=18),
                    rx.text(s["device"], weight="bold"),
                    rx.cond(
                        s["current"] != "",
                        rx.badge(t("profile.this_session"), color_scheme="green"),
                    ),
                    rx.cond(
                        s["staff"] != "",
                        rx.badge(t("profile.staff_session"), color_scheme="purple"),
                    ),
                ),
                rx.text(
                    t("profile.session_ip"),
                    " ",
                    s["ip"],
                    " · ",
                    t("profile.session_last_seen"),
                    " ",
                    s["last_seen"],
                    size="2",
                    color_scheme="gray",
                ),
                rx.text(
                    t("profile.session_started"), " ", s["started"], size="1", color_scheme="gray"
                ),
                spacing="1",
            ),
            rx.spacer(),
            rx.cond(
                s["current"] == "",
                rx.button(
                    t("profile.end_session"),
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=SessionsState.end_session(s["id"]),
                    class_name="o2-end-session",
                ),
            ),
            spacing="3",
            wrap="wrap",
            align="center",
            width="100%",
        ),
        class_name="o2-session",
        width="100%",
    )


def _sessions_card() -> rx.Component:
    S = SessionsState
    return section(
        "profile.sessions_title",
        _notice(S.message, "sessions-message"),
        rx.vstack(rx.foreach(S.sessions, _session_item), spacing="2", width="100%", id="sessions"),
        rx.button(
            rx.icon("log-out", size=16),
            t("profile.end_others"),
            on_click=S.end_other_sessions,
            variant="soft",
            color_scheme="red",
            disabled=S.sessions.length() <= 1,
            id="end-other-sessions",
        ),
    )


def _sign_ins_card() -> rx.Component:
    return section(
        "profile.sign_ins_title",
        data_table(
            SessionsState.sign_ins,
            [
                ("profile.col_when", "at"),
                ("profile.col_step", "step"),
                ("profile.col_result", "result"),
                ("profile.session_ip", "ip"),
                ("profile.col_device", "device"),
            ],
            empty_key="profile.sign_ins_none",
            table_id="sign-ins",
        ),
    )


def _security_tab() -> rx.Component:
    return rx.vstack(
        _password_card(),
        _two_factor_card(),
        _sessions_card(),
        _sign_ins_card(),
        spacing="4",
        width="100%",
    )


# ---------------------------------------------------------------- personal data


def _data_tab() -> rx.Component:
    P = PrivacyState
    return rx.vstack(
        section(
            "profile.export_title",
            rx.text(t("profile.export_text"), size="2"),
            rx.button(
                rx.el.a(
                    rx.icon("download", size=16),
                    t("profile.export_button"),
                    href=EXPORT_PATH,
                    download="",
                    reload_document=True,
                    id="export-link",
                ),
                as_child=True,
                variant="soft",
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
            rx.form(
                rx.vstack(
                    text_field(
                        "delete_password",
                        "profile.current_password",
                        P.errors,
                        type="password",
                        autocomplete="current-password",
                        max_length=128,
                    ),
                    checkbox_field("delete_confirm", "profile.delete_confirm", P.errors),
                    field_error(P.errors, "delete"),
                    rx.button(
                        rx.icon("trash-2", size=16),
                        t("profile.delete_submit"),
                        type="submit",
                        size="3",
                        color_scheme="red",
                        loading=P.busy,
                        id="delete-submit",
                    ),
                    spacing="3",
                    width="100%",
                    max_width="30em",
                ),
                on_submit=P.delete_account,
                id="delete-form",
                **FORM,
            ),
        ),
        spacing="4",
        width="100%",
    )


def profile_page() -> rx.Component:
    return customer_layout(
        rx.heading(t("nav.profile"), size="7", as_="h1"),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(t("profile.tab_details"), value="details", id="tab-details"),
                rx.tabs.trigger(t("profile.tab_security"), value="security", id="tab-security"),
                rx.tabs.trigger(t("profile.tab_data"), value="data", id="tab-data"),
                class_name="o2-tabs",
            ),
            rx.tabs.content(_details_tab(), value="details", padding_top="1em"),
            rx.tabs.content(_security_tab(), value="security", padding_top="1em"),
            rx.tabs.content(_data_tab(), value="data", padding_top="1em"),
            value=ProfileState.tab,
            on_change=ProfileState.set_tab,
            width="100%",
        ),
    )


# ---------------------------------------------------------------- public steps


def second_factor_page() -> rx.Component:
    S = SecondFactorState
    return public_layout(
        form_card(
            "profile.login_code_title",
            rx.text(t("profile.login_code_text")),
            rx.form(
                rx.vstack(
                    text_field(
                        "code",
                        "profile.login_code",
                        None,
                        autocomplete="one-time-code",
                        max_length=40,
                        auto_focus=True,
                        hint="profile.login_code_hint",
                    ),
                    rx.cond(
                        S.error != "",
                        rx.callout(
                            S.error,
                            icon="triangle-alert",
                            color_scheme="red",
                            width="100%",
                            id="code-error",
                            role="alert",
                        ),
                    ),
                    submit_button("profile.login_code_submit", S.busy),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.submit,
                reset_on_submit=True,
                no_validate=True,
                width="100%",
                id="code-form",
            ),
            rx.link(t("profile.login_code_cancel"), href="#", on_click=S.give_up, id="code-cancel"),
        )
    )


def confirm_email_page() -> rx.Component:
    return public_layout(
        form_card(
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
    )
