"""Tables of rows held in state (always one page of them at most)."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.i18n import t


def data_table(
    rows: rx.Var,
    columns: list[tuple[str, str]],
    *,
    empty_key: str,
    table_id: str,
    link_prefix: str | None = None,
    action=None,
) -> rx.Component:
    """columns: (header i18n key, row key). Rows are dicts of text. `action(row)`: the
    row's button, in a last column."""

    def cell(row, key: str, first: bool):
        if first and link_prefix:
            return rx.table.row_header_cell(rx.link(row[key], href=link_prefix + row["id"]))
        return rx.table.cell(row[key])

    return rx.cond(
        rows.length() > 0,
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(t(h)) for h, _ in columns],
                        *([rx.table.column_header_cell(t("col.actions"))] if action else []),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        rows,
                        lambda row: rx.table.row(
                            *[cell(row, key, i == 0) for i, (_, key) in enumerate(columns)],
                            *([rx.table.cell(action(row))] if action else []),
                        ),
                    )
                ),
                variant="surface",
                width="100%",
                id=table_id,
            ),
            class_name="o2-table-wrap",
        ),
        rx.text(t(empty_key), color_scheme="gray"),
    )


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    return rx.badge(
        label,
        color_scheme=rx.match(
            status,
            ("active", "green"),
            ("expiring", "orange"),
            ("expired", "red"),
            ("suspended", "red"),
            "gray",
        ),
    )


def section(title_key: str, *children) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(t(title_key), size="4", as_="h2"), *children, spacing="3"),
        width="100%",
    )


def pdf_link(href) -> rx.Component:
    """A download served by the guarded file route (never a static asset)."""
    # rx.el.a is React Router's Link: reload_document leaves the click to the browser.
    return rx.el.a(
        rx.icon("file-down", size=16),
        t("invoices.pdf"),
        href=href,
        download="",
        reload_document=True,
        class_name="o2-pdf-link",
    )


def table_header(*keys: str) -> rx.Component:
    """A table's header row: one translated column title per key."""
    return rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(k)) for k in keys]))
