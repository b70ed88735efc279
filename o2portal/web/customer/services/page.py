"""/services: the customer's products, filtered and sorted, one page of rows at a time."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.i18n import t
from o2portal.web.components.tables import status_badge
from o2portal.web.customer.services.state import ServicesState
from o2portal.web.pages import customer_page


def _title(key: str) -> rx.Component:
    return rx.heading(t(key), size="7", as_="h1")


def _filter(name: str, key: str, value, on_change, options) -> rx.Component:
    return rx.box(
        rx.el.label(t(key), html_for=name, class_name="o2-label"),
        rx.el.select(
            *[rx.el.option(t(label_key), value=code) for code, label_key in options],
            id=name,
            value=value,
            on_change=on_change,
            class_name="o2-select",
        ),
        min_width="12em",
    )


@customer_page("/services", on_load=ServicesState.load)
def services_page() -> rx.Component:
    S = ServicesState
    return rx.fragment(
        _title("nav.services"),
        rx.flex(
            _filter(
                "filter-kind",
                "services.filter_kind",
                S.kind,
                S.set_kind,
                [
                    ("", "services.all"),
                    ("hosting", "kind.hosting"),
                    ("domain", "kind.domain"),
                    ("server", "kind.server"),
                ],
            ),
            _filter(
                "filter-status",
                "services.filter_status",
                S.status,
                S.set_status,
                [
                    ("", "services.all"),
                    ("active", "status.active"),
                    ("expiring", "status.expiring"),
                    ("expired", "status.expired"),
                    ("suspended", "status.suspended"),
                    ("terminated", "status.terminated"),
                ],
            ),
            _filter(
                "sort",
                "services.sort",
                S.sort,
                S.set_sort,
                [
                    ("expiry_asc", "services.sort_expiry_asc"),
                    ("expiry_desc", "services.sort_expiry_desc"),
                    ("name", "services.sort_name"),
                ],
            ),
            gap="3",
            wrap="wrap",
            width="100%",
        ),
        rx.text(
            S.total, " ", t("services.count"), size="2", color_scheme="gray", id="services-total"
        ),
        rx.cond(
            S.rows.length() > 0,
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(t(k))
                                for k in (
                                    "col.name",
                                    "col.kind",
                                    "col.offer",
                                    "col.status",
                                    "col.expiry",
                                    "col.days_left",
                                    "col.auto_renew",
                                )
                            ]
                        )
                    ),
                    rx.table.body(
                        rx.foreach(
                            S.rows,
                            lambda p: rx.table.row(
                                rx.table.row_header_cell(
                                    rx.link(p["name"], href="/services/" + p["id"])
                                ),
                                rx.table.cell(p["kind"]),
                                rx.table.cell(p["offer"]),
                                rx.table.cell(status_badge(p["status"], p["status_label"])),
                                rx.table.cell(p["expiry"]),
                                rx.table.cell(p["days_left"]),
                                rx.table.cell(p["auto_renew"]),
                                class_name=rx.cond(p["soon"] != "", "o2-soon", ""),
                            ),
                        )
                    ),
                    variant="surface",
                    width="100%",
                    id="services-table",
                ),
                class_name="o2-table-wrap",
            ),
            rx.text(t("services.none"), color_scheme="gray"),
        ),
        rx.hstack(
            rx.button(
                t("page.previous"),
                on_click=S.previous_page,
                disabled=S.page <= 1,
                variant="soft",
                id="page-previous",
            ),
            rx.text(S.page, " ", t("page.of"), " ", S.pages, id="page-indicator"),
            rx.button(
                t("page.next"),
                on_click=S.next_page,
                disabled=S.page >= S.pages,
                variant="soft",
                id="page-next",
            ),
            align="center",
        ),
    )
