"""Form pieces: every field has a visible label and shows its error right below it."""

from __future__ import annotations

import reflex as rx

from o2portal.core.validation import COUNTRIES
from o2portal.web.components.i18n import t


def field_error(errors: rx.Var | None, name: str) -> rx.Component:
    if errors is None:
        return rx.fragment()
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], color_scheme="red", size="2", id=f"{name}-error", role="alert"),
    )


def label(name: str, key: str) -> rx.Component:
    return rx.el.label(t(key), html_for=name, class_name="o2-label")


def text_field(
    name: str,
    label_key: str,
    errors: rx.Var | None,
    *,
    type: str = "text",
    hint: str | None = None,
    autocomplete: str | None = None,
    max_length: int = 200,
    sent: bool = True,
    **props,
) -> rx.Component:
    """A labelled input with its error; `sent=False`: a field the form never submits
    (the card fields, which only the gateway's endpoint receives)."""
    return rx.box(
        label(name, label_key),
        rx.input(
            **({"name": name} if sent else {}),
            id=name,
            type=type,
            auto_complete=autocomplete,
            max_length=max_length,
            width="100%",
            size="3",
            **props,
        ),
        rx.text(t(hint), size="1", color_scheme="gray") if hint else rx.fragment(),
        field_error(errors, name),
        width="100%",
        class_name="o2-field",
    )


def option_list(pairs) -> list[rx.Component]:
    """(value, text shown) pairs as the options of a native select."""
    return [rx.el.option(text, value=code) for code, text in pairs]


def native_select(element_id: str, *options: rx.Component, **props) -> rx.Component:
    """A native select, keyboard friendly; `props`: its name, value, on_change…"""
    return rx.el.select(*options, id=element_id, class_name="o2-select", **props)


def renewal_years() -> list[tuple[str, rx.Var]]:
    """The lengths a product is ordered or renewed for, as select options."""
    return [(str(n), t(f"renew.year_{n}")) for n in (1, 2, 3)]


def labelled(
    element_id: str, key: str, control: rx.Component, *, errors=None, name: str = "", **props
) -> rx.Component:
    """A control under its label; with `errors`, the error of `name` (or of the element's
    id) right below it. `props` go to the box around them."""
    error = [field_error(errors, name or element_id)] if errors is not None else []
    return rx.box(label(element_id, key), control, *error, **props)


def form_select(
    element_id: str, key: str, name: str, options: list[rx.Component], errors=None
) -> rx.Component:
    """A labelled native select whose value goes with its form as `name` (not kept in the
    state); with `errors`, its error below it."""
    return labelled(
        element_id,
        key,
        native_select(element_id, *options, name=name),
        errors=errors,
        name=name,
    )


def reason_field(element_id: str, errors: rx.Var) -> rx.Component:
    """The reason staff give for a change, sent with its form as `reason`."""
    return labelled(
        element_id,
        "admin.reason",
        rx.input(name="reason", id=element_id, max_length=300, width="100%"),
        errors=errors,
        name="reason",
        width="100%",
    )


def select_field(
    name: str,
    key: str,
    errors: rx.Var,
    options: list[tuple[str, str]],
    *,
    value: rx.Var | str,
    on_change,
) -> rx.Component:
    """A native select: labelled, keyboard friendly, and its value is in the state."""
    return labelled(
        name,
        key,
        native_select(name, *option_list(options), name=name, value=value, on_change=on_change),
        errors=errors,
        width="100%",
        class_name="o2-field",
    )


def country_field(errors: rx.Var, value: rx.Var, on_change) -> rx.Component:
    """The country of a customer's address (sign-up and Ma fiche)."""
    return select_field(
        "country",
        "field.country",
        errors,
        list(COUNTRIES.items()),
        value=value,
        on_change=on_change,
    )


def checkbox_field(
    name: str, key: str, errors: rx.Var | None, *, element_id=None, error=None
) -> rx.Component:
    """A ticked box sent as `name`, with its error below: that of `errors`, or the
    component `error`. `element_id` (a Var in a list of rows): the box's id, else `name`."""
    element_id = name if element_id is None else element_id
    return rx.box(
        rx.el.label(
            rx.el.input(type="checkbox", name=name, id=element_id, class_name="o2-checkbox"),
            rx.el.span(t(key)),
            html_for=element_id,
            class_name="o2-check-label",
        ),
        field_error(errors, name) if error is None else error,
        class_name="o2-field",
    )


def icon_button(icon: str, key: str, *, icon_size: int = 16, **props) -> rx.Component:
    """A button whose text (an i18n key) follows an icon; `props` go to the button."""
    return rx.button(rx.icon(icon, size=icon_size), t(key), **props)


def submit_button(key: str, busy: rx.Var | bool = False) -> rx.Component:
    return rx.button(t(key), type="submit", size="3", loading=busy, width="100%")


def form_card(title_key: str, *children, max_width: str = "28em") -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(t(title_key), size="6", as_="h1"), *children, spacing="4"),
        width="100%",
        max_width=max_width,
        size="3",
    )


# The props of every form of Ma fiche: kept as typed, checked on the server only.
FORM_PROPS = {"reset_on_submit": False, "no_validate": True, "width": "100%"}


def notice(
    message: rx.Var, element_id: str, color: str = "green", icon: str = "info", **props
) -> rx.Component:
    """A message of the server's, shown while it is not empty; `props` go to the callout."""
    return rx.cond(
        message != "",
        rx.callout(message, icon=icon, color_scheme=color, width="100%", id=element_id, **props),
    )


def titled_callout(
    icon: str, title_key: str, text_key: str, link: rx.Component, color: str, element_id: str
) -> rx.Component:
    """A notice with an icon: its title in bold, a sentence, and where to go next."""
    return rx.callout.root(
        rx.callout.icon(rx.icon(icon)),
        rx.callout.text(rx.text(t(title_key), weight="bold"), rx.text(t(text_key)), link),
        color_scheme=color,
        id=element_id,
    )


def inline(*children, **props) -> rx.Component:
    """Pieces side by side, wrapping on a narrow screen."""
    return rx.flex(*children, spacing="3", wrap="wrap", align="center", **props)


def new_password_fields(errors, label_key: str) -> list[rx.Component]:
    """A new password and its confirmation (sign-up, reset, and the change in Ma fiche)."""
    common = {"type": "password", "autocomplete": "new-password", "max_length": 128}
    return [
        text_field("password", label_key, errors, hint="hint.password", **common),
        text_field("password_confirm", "field.password_confirm", errors, **common),
    ]


def current_password_field(name: str, errors: rx.Var) -> rx.Component:
    """The current password, asked again before a change to how the account is secured."""
    return text_field(
        name,
        "profile.current_password",
        errors,
        type="password",
        autocomplete="current-password",
        max_length=128,
    )


def submit(key: str, busy: rx.Var, element_id: str, *icon: rx.Component, **props):
    """A form's submit button, busy while its handler runs."""
    return rx.button(*icon, t(key), type="submit", loading=busy, id=element_id, **props)


def checked_form(
    form_id: str, on_submit, *children: rx.Component, spacing="3", max_width="30em"
) -> rx.Component:
    """A form of Ma fiche (most of them confirmed by the current password), as typed,
    checked on the server only."""
    return rx.form(
        rx.vstack(*children, spacing=spacing, width="100%", max_width=max_width),
        on_submit=on_submit,
        id=form_id,
        **FORM_PROPS,
    )


def close_button(text, on_click, element_id: str | None = None, **props) -> rx.Component:
    """Close or cancel without saving: a soft grey button that submits nothing."""
    return rx.button(
        text,
        type="button",
        variant="soft",
        color_scheme="gray",
        on_click=on_click,
        id=element_id,
        **props,
    )


def cancel_button(on_click, element_id: str) -> rx.Component:
    """Leave a form of Ma fiche without saving."""
    return close_button(t("profile.cancel"), on_click, element_id, size="3")


def small_button(text, on_click, element_id=None, **props) -> rx.Component:
    """A small soft button of a table row or a notice (edit, cancel, deactivate…);
    `props` may change its colour or variant."""
    return rx.button(
        text, on_click=on_click, id=element_id, **({"size": "1", "variant": "soft"} | props)
    )


def card_form(
    on_submit,
    *children: rx.Component,
    hidden: tuple[rx.Component, ...] = (),
    reset_on_submit: bool = False,
    spacing: str = "2",
    max_width: str | None = "30em",
    **card_props,
) -> rx.Component:
    """A form in a card: `hidden` inputs, then its pieces one under the other; checked on
    the server only."""
    return rx.card(
        rx.form(
            *hidden,
            rx.vstack(*children, spacing=spacing, width="100%"),
            on_submit=on_submit,
            reset_on_submit=reset_on_submit,
            no_validate=True,
        ),
        max_width=max_width,
        width="100%",
        **card_props,
    )
