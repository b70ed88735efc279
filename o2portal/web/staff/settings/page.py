"""Staff page (admin): the portal's settings, one form per subject, each error by its field."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import columns, stack
from o2portal.web.components.forms import field_error, label, text_field
from o2portal.web.components.i18n import t
from o2portal.web.pages import ADMINS_ONLY, staff_page
from o2portal.web.staff.settings.state import AdminSettingsState as S

SELLER_FIELDS = [
    ("seller_name", "settings.seller_name", 200),
    ("seller_siret", "settings.seller_siret", 20),
    ("seller_vat_number", "settings.seller_vat_number", 20),
    ("seller_legal_form", "settings.seller_legal_form", 200),
    ("seller_rcs", "settings.seller_rcs", 200),
]


def _saved(message) -> rx.Component:
    return rx.cond(
        message != "",
        rx.text(message, color_scheme="green", size="2", role="status", class_name="o2-saved"),
    )


def _section(title_key: str, *children, element_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(t(title_key), size="4", as_="h2"), *children, spacing="3"),
        width="100%",
        max_width="48em",
        id=element_id,
    )


def _settings_form(on_submit, button_id: str, message, *fields, spacing="2"):
    """One subject's form: its fields, its save button, what saving did."""
    return rx.form(
        rx.vstack(
            *fields,
            rx.button(t("settings.save"), type="submit", id=button_id, align_self="start"),
            _saved(message),
            spacing=spacing,
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        no_validate=True,
        width="100%",
    )


def _schedule_form() -> rx.Component:
    return _section(
        "settings.schedule_title",
        _settings_form(
            S.save_schedule,
            "save-schedule",
            S.schedule_message,
            text_field(
                "reminder_schedule",
                "settings.schedule_label",
                S.errors,
                hint="settings.schedule_hint",
                max_length=500,
                default_value=S.schedule,
                key=S.schedule,
            ),
        ),
        element_id="settings-schedule",
    )


def _address_field(name: str, key: str, value) -> rx.Component:
    return rx.box(
        label(name, key),
        rx.text_area(
            name=name,
            id=name,
            default_value=value,
            key=value,
            max_length=800,
            rows="4",
            width="100%",
            size="3",
        ),
        field_error(S.errors, name),
        width="100%",
        class_name="o2-field",
    )


def _stored_fields(fields: list[tuple[str, str, int]], values) -> list[rx.Component]:
    """The text fields of a stored setting (name, label, length), showing `values`."""
    return [
        text_field(
            name,
            key,
            S.errors,
            max_length=limit,
            default_value=values[name],
            key=values[name],
        )
        for name, key, limit in fields
    ]


def _seller_form() -> rx.Component:
    fields = _stored_fields(SELLER_FIELDS, S.seller)
    return _section(
        "settings.seller_title",
        rx.text(t("settings.seller_hint"), size="2", color_scheme="gray"),
        rx.cond(
            ~S.seller_saved,
            rx.text(t("settings.seller_from_env"), size="2", color_scheme="amber", id="seller-env"),
        ),
        _settings_form(
            S.save_seller,
            "save-seller",
            S.seller_message,
            fields[0],
            _address_field("seller_address", "settings.seller_address", S.seller["seller_address"]),
            columns(*fields[1:]),
            spacing="3",
        ),
        element_id="settings-seller",
    )


PAYMENT_FIELDS = [
    ("payment_holder", "settings.payment_holder", 200),
    ("payment_bank", "settings.payment_bank", 200),
    # 34 characters at most, typed in groups of four: 42 with the spaces.
    ("payment_iban", "settings.payment_iban", 50),
    ("payment_bic", "settings.payment_bic", 11),
    ("payment_cheque_payee", "settings.payment_cheque_payee", 200),
]


def _payment_form() -> rx.Component:
    """How customers pay an order form by transfer or cheque."""
    fields = _stored_fields(PAYMENT_FIELDS, S.payment)
    return _section(
        "settings.payment_title",
        rx.text(t("settings.payment_hint"), size="2", color_scheme="gray"),
        _settings_form(
            S.save_payment,
            "save-payment",
            S.payment_message,
            columns(*fields[:2]),
            # The IBAN wide enough to show whole, the BIC (11 characters) beside it.
            columns(*fields[2:4], n="minmax(0, 3fr) minmax(0, 1fr)"),
            fields[4],
            _address_field(
                "payment_cheque_address",
                "settings.payment_cheque_address",
                S.payment["payment_cheque_address"],
            ),
            spacing="3",
        ),
        element_id="settings-payment",
    )


def _number_form(topic: str, name: str, words: str, value, highest: int):
    """A setting that is one whole number from 1 to `highest`: its own form and message.
    `topic`: its handler and message (save_<topic>, <topic>_message); `words`: the i18n
    prefix of its label and hint."""
    return _settings_form(
        getattr(S, f"save_{topic}"),
        "save-" + topic.replace("_", "-"),
        getattr(S, f"{topic}_message"),
        text_field(
            name,
            f"settings.{words}_label",
            S.errors,
            hint=f"settings.{words}_hint",
            type="number",
            max_length=len(str(highest)),
            min=1,
            max=highest,
            default_value=value,
            key=value,
        ),
    )


def _tickets_form() -> rx.Component:
    return _section(
        "settings.tickets_title",
        _number_form("autoclose", "ticket_autoclose_days", "autoclose", S.autoclose_days, 365),
        element_id="settings-tickets",
    )


def _mass_mail_form() -> rx.Component:
    return _section(
        "settings.mass_mail_title",
        _number_form(
            "mass_mail", "mass_mail_per_minute", "mass_mail", S.mass_mail_per_minute, 10000
        ),
        element_id="settings-mass-mail",
    )


@staff_page("/admin/settings", roles=ADMINS_ONLY, title_key="admin.nav_settings", on_load=S.load)
def settings_page() -> rx.Component:
    return rx.fragment(
        rx.cond(
            S.loaded,
            stack(
                rx.text(t("settings.intro"), size="2", color_scheme="gray"),
                _schedule_form(),
                _seller_form(),
                _payment_form(),
                _tickets_form(),
                _mass_mail_form(),
                spacing="4",
            ),
            rx.fragment(),  # a support agent gets the refusal from load()
        ),
    )
