"""Layout blocks shared by the pages: full-width stacks and cards, columns that fold on a
phone."""

from __future__ import annotations

import reflex as rx


def columns(
    *children: rx.Component, n: str = "2", at: str = "md", spacing: str = "3", **props
) -> rx.Component:
    """Pieces one under the other on a phone, `n` side by side from the breakpoint `at`
    on, across the width; `props` go to the grid."""
    return rx.grid(
        *children,
        columns=rx.breakpoints(initial="1", **{at: n}),
        spacing=spacing,
        width="100%",
        **props,
    )


def stack(*children: rx.Component, spacing: str = "3", **props) -> rx.Component:
    """Pieces one under the other, across the width; `props` go to the stack."""
    return rx.vstack(*children, spacing=spacing, width="100%", **props)


def stacked_card(*children: rx.Component, spacing: str = "3", **props) -> rx.Component:
    """A full-width card whose pieces stand one under the other across its width;
    `props` go to the card."""
    return rx.card(stack(*children, spacing=spacing), **({"width": "100%"} | props))
