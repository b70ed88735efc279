"""Ma fiche, security tab: the password, the second factor, the signed-in browsers and the
recent sign-ins."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import columns, stack
from o2portal.web.components.forms import (
    cancel_button,
    checked_form,
    current_password_field,
    field_error,
    icon_button,
    inline,
    new_password_fields,
    notice,
    small_button,
    submit,
    text_field,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import section, table_section
from o2portal.web.customer.profile.security_state import (
    PasswordChangeState,
    SessionsState,
    TwoFactorState,
)


def _password_card() -> rx.Component:
    P = PasswordChangeState
    return section(
        "profile.password_title",
        notice(P.message, "password-message"),
        checked_form(
            "password-form",
            P.submit,
            current_password_field("current_password", P.errors),
            *new_password_fields(P.errors, "field.new_password"),
            rx.text(t("profile.password_sessions_hint"), size="2", color_scheme="gray"),
            submit("profile.password_submit", P.busy, "password-submit", size="3"),
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
    return checked_form(
        f"{name}-form",
        handler,
        current_password_field(name, T.errors),
        submit(button_key, T.busy, f"{name}-submit", variant="soft", color_scheme=color),
        spacing="2",
        max_width=None,
    )


def _two_factor_on() -> rx.Component:
    T = TwoFactorState
    return stack(
        inline(
            rx.badge(t("profile.totp_status_on"), color_scheme="green", id="totp-status"),
            rx.text(t("profile.since"), " ", T.since, size="2", color_scheme="gray"),
        ),
        rx.text(t("profile.codes_left"), " ", rx.text(T.codes_left, as_="span", id="codes-left")),
        columns(
            rx.box(
                rx.text(t("profile.codes_new_text"), size="2", margin_bottom="0.5em"),
                _password_confirm_form("codes_password", "profile.codes_new", T.new_codes, "blue"),
            ),
            rx.cond(
                T.staff,
                # The staff area needs it: an admin resets it, on /admin/staff.
                rx.text(t("profile.totp_staff_keeps"), size="2", id="totp-staff-keeps"),
                rx.box(
                    rx.text(t("profile.totp_disable_text"), size="2", margin_bottom="0.5em"),
                    _password_confirm_form(
                        "disable_password", "profile.totp_disable", T.disable, "red"
                    ),
                ),
            ),
            spacing="4",
        ),
    )


def _two_factor_setup() -> rx.Component:
    T = TwoFactorState
    return stack(
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
        checked_form(
            "totp-form",
            T.confirm_setup,
            current_password_field("setup_password", T.errors),
            text_field(
                "totp_code",
                "profile.totp_code",
                T.errors,
                autocomplete="one-time-code",
                max_length=10,
            ),
            inline(
                submit("profile.totp_confirm", T.busy, "totp-confirm"),
                cancel_button(T.cancel_setup, "totp-cancel"),
            ),
            max_width="22em",
        ),
    )


def _two_factor_off() -> rx.Component:
    T = TwoFactorState
    return rx.vstack(
        rx.badge(t("profile.totp_status_off"), color_scheme="gray", id="totp-status"),
        rx.cond(
            T.staff,
            rx.callout(
                t("profile.totp_staff_needed"),
                icon="shield-alert",
                color_scheme="amber",
                id="totp-staff-needed",
            ),
        ),
        field_error(T.errors, "totp_code"),
        icon_button("shield-check", "profile.totp_start", on_click=T.start_setup, id="totp-start"),
        spacing="3",
    )


def _two_factor_card() -> rx.Component:
    T = TwoFactorState
    return section(
        "profile.totp_title",
        rx.text(t("profile.totp_text"), size="2"),
        notice(T.message, "totp-message"),
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
                inline(
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
                small_button(
                    t("profile.end_session"),
                    SessionsState.end_session(s["id"]),
                    color_scheme="red",
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
        notice(S.message, "sessions-message"),
        rx.vstack(rx.foreach(S.sessions, _session_item), spacing="2", width="100%", id="sessions"),
        icon_button(
            "log-out",
            "profile.end_others",
            on_click=S.end_other_sessions,
            variant="soft",
            color_scheme="red",
            disabled=S.sessions.length() <= 1,
            id="end-other-sessions",
        ),
    )


def _sign_ins_card() -> rx.Component:
    return table_section(
        "profile.sign_ins_title",
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
    )


def security_tab() -> rx.Component:
    return stack(
        _password_card(),
        _two_factor_card(),
        _sessions_card(),
        _sign_ins_card(),
        spacing="4",
    )
