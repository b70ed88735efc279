"""Markdown shown to people: never as raw HTML (react-markdown also drops javascript: links).

Fenced code blocks are highlighted by their language (```php, ```python, …) and carry a
copy button: what a customer pastes in a ticket reads like code, not like prose."""

from __future__ import annotations

import reflex as rx
from reflex_components_code.code import CodeBlock


def _code_block(value, **props) -> rx.Component:
    return CodeBlock.create(value, margin_y="0.75em", wrap_long_lines=True, can_copy=True, **props)


def safe_markdown(text: rx.Var | str, **props) -> rx.Component:
    component_map = {"pre": _code_block, **props.pop("component_map", {})}
    return rx.markdown(text, use_raw=False, component_map=component_map, **props)
