"""The filter bars of the list pages: labelled native selects and text boxes whose value
is in the state, and a search box with its button."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.forms import labelled, native_select, option_list
from o2portal.web.components.i18n import t


def translated_options(*pairs: tuple[str, str]) -> list[tuple[str, rx.Var]]:
    """(value, i18n key) pairs as (value, text shown)."""
    return [(code, t(key)) for code, key in pairs]


def filter_select(name: str, key: str, value, on_change, options, **props) -> rx.Component:
    """options: (value, text shown) pairs; the text may be a translated Var. `props` go
    to the box around the label and the select (its width)."""
    return labelled(
        name,
        key,
        native_select(name, *option_list(options), value=value, on_change=on_change),
        **({"min_width": "12em"} | props),
    )


def filter_bar(*filters: rx.Component, **props) -> rx.Component:
    """Filters side by side, wrapping on a narrow screen."""
    return rx.flex(*filters, gap="3", wrap="wrap", **props)


def text_filter(
    name: str, key: str, value, on_change, max_length: int = 100, min_width=None, **props
) -> rx.Component:
    """A labelled text box whose value is in the state (applied by a search button);
    `props` go to the text box."""
    return labelled(
        name,
        key,
        rx.input(id=name, value=value, on_change=on_change, max_length=max_length, **props),
        min_width=min_width,
    )


def search_box(name: str, key: str, value, on_change, on_search) -> rx.Component:
    """A labelled text box and its search button, side by side."""
    return labelled(
        name,
        key,
        rx.hstack(
            rx.input(id=name, value=value, on_change=on_change, max_length=100),
            rx.button(t("admin.search"), on_click=on_search, id=f"{name}-go"),
        ),
    )
