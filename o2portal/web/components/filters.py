"""The filter bars of the list pages: a labelled native select whose value is in the
state, and a search box with its button."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.forms import label


def filter_select(name: str, key: str, value, on_change, options) -> rx.Component:
    """options: (value, text shown) pairs; the text may be a translated Var."""
    return rx.box(
        label(name, key),
        rx.el.select(
            *[rx.el.option(text, value=code) for code, text in options],
            id=name,
            value=value,
            on_change=on_change,
            class_name="o2-select",
        ),
        min_width="12em",
    )
