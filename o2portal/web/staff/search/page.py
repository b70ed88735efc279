"""/admin/search?q=…: what the staff header's search box found, each row a link."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.i18n import t
from o2portal.web.components.tables import rows_table
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.search.state import AdminSearchState as S


@staff_page(
    "/admin/search",
    roles=SUPPORT_AND_ADMIN,
    title_key="search.title",
    on_load=S.load,
)
def search_page() -> rx.Component:
    return rx.fragment(
        rx.cond(
            S.searched,
            rx.text(t("search.for"), " « ", S.query, " »", size="2", color_scheme="gray"),
            rx.text(t("search.hint"), size="2", color_scheme="gray"),
        ),
        rx.cond(
            S.searched,
            rows_table(
                "search-results",
                ["search.what", "search.found"],
                S.results,
                lambda r: rx.table.row(
                    rx.table.cell(r["kind"]),
                    rx.table.cell(rx.link(r["label"], href=r["href"])),
                ),
                empty_key="search.none",
            ),
        ),
    )
