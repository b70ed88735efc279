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
    row of one of them. With `empty_key`, a grey line says so when there is no row.

    On a phone (under 600 px, o2portal.css) the same rows show as cards: the first cell
    and the row's header cell (its name) across the card, the other values two by two
    under their column's title, the actions (column `col.actions`) across the bottom."""
    table = rx.box(
        rx.table.root(
            table_header(*headers),
            rx.table.body(rx.foreach(rows, lambda r: _titled_cells(row(r), headers))),
            variant=variant,
            width="100%",
            id=table_id,
            **props,
        ),
        class_name="o2-table-wrap o2-cards",
    )
    if empty_key is None:
        return table
    return rx.cond(rows.length() > 0, table, rx.text(t(empty_key), color_scheme="gray"))


# Columns of long text: on a card their value takes the card's width.
_WIDE_COLUMNS = {"col.description", "col.subject", "profile.col_device"}


def _titled_cells(row: rx.Component, headers: list[str]) -> rx.Component:
    """The row with each cell carrying its column's title (data-label), which a card
    shows above the value; an action cell carries none."""
    for cell, key in zip(row.children, headers, strict=False):
        if key != "col.actions":
            cell.custom_attrs["data-label"] = t(key)
        if key in _WIDE_COLUMNS:
            cell.custom_attrs["data-wide"] = "1"
    return row


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


def table_section(
    title_key: str, rows: rx.Var, columns: list[tuple[str, str]], **table
) -> rx.Component:
    """A titled card holding one data_table (`table`: its empty_key, table_id…)."""
    return section(title_key, data_table(rows, columns, **table))


def coloured_badge(status: rx.Var, label, colours: dict[str, str], **props) -> rx.Component:
    """A badge whose colour follows a status (`colours`: status -> colour; grey otherwise)."""
    return rx.badge(label, color_scheme=rx.match(status, *colours.items(), "gray"), **props)


_PRODUCT_COLOURS = {"active": "green", "expiring": "orange", "expired": "red", "suspended": "red"}


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    return coloured_badge(status, label, _PRODUCT_COLOURS)


def product_row(p, middle: tuple[str, ...], *after: rx.Component, **props) -> rx.Component:
    """A table row of one of the customer's products: its name (a link to its page, with
    its kind when another row has the same name), the `middle` values as they are, its
    status badge, then the cells `after`."""
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(p["name"], href="/services/" + p["id"]),
            rx.cond(
                p["twin"] != "",
                rx.badge(p["twin"], variant="outline", margin_left="0.5em", class_name="o2-twin"),
            ),
        ),
        *text_cells(p, *middle),
        rx.table.cell(status_badge(p["status"], p["status_label"])),
        *after,
        **props,
    )


def section(title_key: str, *children) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(t(title_key), size="4", as_="h2"), *children, spacing="3"),
        width="100%",
    )


def pdf_link(href) -> rx.Component:
    """An invoice's or a credit note's PDF."""
    return download_link("file-down", "invoices.pdf", href, class_name="o2-pdf-link")


def csv_link(key: str, href, element_id: str) -> rx.Component:
    """A staff list's or report's CSV export (web/routes.py export_file)."""
    return download_link("file-spreadsheet", key, href, id=element_id, class_name="o2-pdf-link")


def download_link(icon: str, key: str, href, **props) -> rx.Component:
    """A file served by a guarded route (never a static asset), downloaded by the browser."""
    # rx.el.a is React Router's Link: reload_document leaves the click to the browser.
    return rx.el.a(
        rx.icon(icon, size=16), t(key), href=href, download="", reload_document=True, **props
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
