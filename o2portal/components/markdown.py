"""Markdown shown to people: never as raw HTML (react-markdown also drops javascript: links)."""

from __future__ import annotations

import reflex as rx


def safe_markdown(text: rx.Var | str, **props) -> rx.Component:
    return rx.markdown(text, use_raw=False, **props)
