"""Tables of rows held in state (always one page of them at most)."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.i18n import t


def rows_table(
    table_id: str,
    headers: list[str],
    rows: rx.Var,
    row,
    *,
    empty_key: str | None = None,
    variant: str | None = "surface",
    **props,
) -> rx.Component:
    """A table of rows held in state: `headers` are i18n keys, `row(r)` makes the table
    row of one of them. With `empty_key`, a grey line says so when there is no row."""
    table = rx.box(
        rx.table.root(
            table_header(*headers),
            rx.table.body(rx.foreach(rows, row)),
            variant=variant,
            width="100%",
            id=table_id,
            **props,
        ),
        class_name="o2-table-wrap",
    )
    if empty_key is None:
        return table
    return rx.cond(rows.length() > 0, table, rx.text(t(empty_key), color_scheme="gray"))


def text_cells(r, *keys: str) -> list[rx.Component]:
    """The cells of a row that show its values as they are."""
    return [rx.table.cell(r[key]) for key in keys]


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

    return rows_table(
        table_id,
        [h for h, _ in columns] + (["col.actions"] if action else []),
        rows,
        lambda row: rx.table.row(
            *[cell(row, key, i == 0) for i, (_, key) in enumerate(columns)],
            *([rx.table.cell(action(row))] if action else []),
        ),
        empty_key=empty_key,
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


def pager(S, id_prefix: str | None = None) -> rx.Component:
    """Previous / page x of y / next, for a state with page, pages, previous_page and
    next_page. `id_prefix`: ids for the two buttons and the indicator."""
    return page_buttons(S.page, S.pages, S.previous_page, S.next_page, id_prefix)


def page_buttons(page, pages, previous, following, id_prefix: str | None = None):
    def element_id(name: str) -> str | None:
        return f"{id_prefix}{name}" if id_prefix else None

    return rx.hstack(
        rx.button(
            t("page.previous"),
            on_click=previous,
            disabled=page <= 1,
            variant="soft",
            id=element_id("previous"),
        ),
        rx.text(page, " ", t("page.of"), " ", pages, id=element_id("indicator")),
        rx.button(
            t("page.next"),
            on_click=following,
            disabled=page >= pages,
            variant="soft",
            id=element_id("next"),
        ),
        align="center",
    )
