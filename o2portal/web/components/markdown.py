"""Markdown shown to people: never as raw HTML (react-markdown also drops javascript: links).

Fenced code blocks are highlighted by their language (```php, ```python, …) and carry a
copy button: what a customer pastes in a ticket reads like code, not like prose."""

from __future__ import annotations

import reflex as rx
from reflex_components_code.code import CodeBlock

from o2portal.web.components.i18n import t


def _code_block(value, **props) -> rx.Component:
    return CodeBlock.create(value, margin_y="0.75em", wrap_long_lines=True, can_copy=True, **props)


def safe_markdown(text: rx.Var | str, **props) -> rx.Component:
    component_map = {"pre": _code_block, **props.pop("component_map", {})}
    return rx.markdown(text, use_raw=False, component_map=component_map, **props)


def write_and_preview(
    textarea: rx.Component,
    text: rx.Var,
    *,
    tab: rx.Var,
    on_tab,
    id_prefix: str,
    preview_id: str,
    words: str,
    hint: rx.Component | None = None,
    **props,
) -> rx.Component:
    """Write / Preview tabs around an uncontrolled textarea (what the person types is never
    overwritten by the server; the state keeps a copy of `text` for the preview). `words`:
    the i18n prefix of the tabs' labels ("tickets", "content")."""
    return rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger(t(f"{words}.write"), value="write", id=f"{id_prefix}-write"),
            rx.tabs.trigger(t(f"{words}.preview"), value="preview", id=f"{id_prefix}-preview"),
        ),
        rx.tabs.content(
            textarea,
            *([hint] if hint is not None else []),
            value="write",
            padding_top="0.5em",
            force_mount=True,
            class_name="o2-tab-kept",
        ),
        rx.tabs.content(
            rx.box(
                rx.cond(
                    text.strip() != "",
                    safe_markdown(text),
                    rx.text(t(f"{words}.preview_empty"), color_scheme="gray"),
                ),
                class_name="o2-message-body o2-preview",
                id=preview_id,
            ),
            value="preview",
            padding_top="0.5em",
        ),
        value=tab,
        on_change=on_tab,
        **props,
    )
