"""/services: the customer's products, filtered and sorted, one page of rows at a time."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.filters import filter_bar, filter_select, translated_options
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import page_title
from o2portal.web.components.tables import (
    page_buttons,
    pager,
    product_row,
    rows_table,
    section,
    text_cells,
)
from o2portal.web.customer.services.state import ServicesState
from o2portal.web.pages import customer_page


@customer_page("/services", on_load=ServicesState.load)
def services_page() -> rx.Component:
    S = ServicesState
    return rx.fragment(
        page_title("nav.services"),
        filter_bar(
            filter_select(
                "filter-kind",
                "services.filter_kind",
                S.kind,
                S.set_kind,
                translated_options(
                    ("", "services.all"),
                    ("hosting", "kind.hosting"),
                    ("domain", "kind.domain"),
                    ("server", "kind.server"),
                    ("ssl", "kind.ssl"),
                ),
            ),
            filter_select(
                "filter-status",
                "services.filter_status",
                S.status,
                S.set_status,
                translated_options(
                    ("", "services.all"),
                    ("active", "status.active"),
                    ("expiring", "status.expiring"),
                    ("expired", "status.expired"),
                    ("suspended", "status.suspended"),
                    ("terminated", "status.terminated"),
                ),
            ),
            filter_select(
                "sort",
                "services.sort",
                S.sort,
                S.set_sort,
                translated_options(
                    ("expiry_asc", "services.sort_expiry_asc"),
                    ("expiry_desc", "services.sort_expiry_desc"),
                    ("name", "services.sort_name"),
                ),
            ),
            width="100%",
        ),
        rx.text(
            S.total, " ", t("services.count"), size="2", color_scheme="gray", id="services-total"
        ),
        rows_table(
            "services-table",
            [
                "col.name",
                "col.kind",
                "col.offer",
                "col.status",
                "col.expiry",
                "col.days_left",
                "col.auto_renew",
                "col.actions",
            ],
            S.rows,
            lambda p: product_row(
                p,
                ("kind", "offer"),
                *text_cells(p, "expiry", "days_left", "auto_renew"),
                rx.table.cell(
                    rx.cond(
                        p["renewable"] != "",
                        rx.link(
                            rx.button(t("dash.renew"), size="1"),
                            href="/services/" + p["id"] + "#renew",
                            id="renew-" + p["id"],
                        ),
                    )
                ),
                class_name=rx.cond(p["soon"] != "", "o2-soon", ""),
            ),
            empty_key="services.none",
        ),
        pager(S, id_prefix="page-"),
        rx.cond(S.managed.length() > 0, _managed()),
    )


def _managed() -> rx.Component:
    """Gérés pour d'autres: the products whose holder made me their contact."""
    S = ServicesState
    return section(
        "services.managed",
        rows_table(
            "services-managed",
            [
                "col.name",
                "col.kind",
                "contacts.holder",
                "contacts.role",
                "col.status",
                "col.expiry",
                "col.actions",
            ],
            S.managed,
            lambda p: product_row(
                p,
                ("kind", "holder", "role"),
                *text_cells(p, "expiry"),
                rx.table.cell(
                    rx.cond(
                        p["renew"] != "",
                        rx.link(
                            t("services.renew_for"),
                            href="/services/" + p["id"] + "#renew",
                            id="managed-renew-" + p["id"],
                        ),
                    )
                ),
            ),
        ),
        page_buttons(
            S.managed_page, S.managed_pages, S.managed_previous, S.managed_next, "managed-"
        ),
    )
