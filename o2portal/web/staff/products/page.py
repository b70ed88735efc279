"""/admin/products: products by expiry window and status, and changes by hand with a reason."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.admin import pager
from o2portal.web.components.filters import filter_select
from o2portal.web.components.forms import field_error, label
from o2portal.web.components.i18n import t
from o2portal.web.components.payment import hidden
from o2portal.web.components.tables import table_header
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.products.state import AdminProductsState as P


def _change_form() -> rx.Component:
    return rx.card(
        rx.form(
            hidden("pay_key", P.change_key),
            hidden("seen_product", P.selected),
            hidden("seen_expiry", P.seen_expiry),
            rx.vstack(
                rx.heading(t("admin.change_product"), " ", P.selected_name, size="3"),
                rx.box(
                    label("product-action", "admin.action"),
                    rx.el.select(
                        rx.el.option(t("admin.action_renew"), value="renew"),
                        rx.el.option(t("admin.action_suspend"), value="suspend"),
                        rx.el.option(t("admin.action_unsuspend"), value="unsuspend"),
                        rx.el.option(t("admin.action_terminate"), value="terminate"),
                        name="action",
                        id="product-action",
                        class_name="o2-select",
                    ),
                    field_error(P.errors, "action"),
                ),
                rx.box(
                    label("product-years", "renew.years"),
                    rx.el.select(
                        *[rx.el.option(str(n), value=str(n)) for n in (1, 2, 3)],
                        name="years",
                        id="product-years",
                        class_name="o2-select",
                    ),
                    field_error(P.errors, "years"),
                ),
                rx.box(
                    label("product-reason", "admin.reason"),
                    rx.input(name="reason", id="product-reason", max_length=300, width="100%"),
                    field_error(P.errors, "reason"),
                    width="100%",
                ),
                rx.button(
                    rx.cond(P.change_done, t("admin.done_button"), t("admin.apply")),
                    type="submit",
                    loading=P.applying,
                    disabled=P.change_done,
                    id="product-apply",
                ),
                spacing="2",
                width="100%",
            ),
            on_submit=P.apply,
            reset_on_submit=False,
            no_validate=True,
        ),
        max_width="30em",
        width="100%",
    )


@staff_page(
    "/admin/products",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.nav_products",
    on_load=P.load,
    admin=[P.apply, P.select],
)
def products_page() -> rx.Component:
    return rx.fragment(
        rx.flex(
            filter_select(
                "product-window",
                "admin.window",
                P.window,
                P.set_window,
                [
                    ("", t("services.all")),
                    ("7", "≤ 7 j"),
                    ("30", "≤ 30 j"),
                    ("60", "≤ 60 j"),
                    ("90", "≤ 90 j"),
                    ("expired", t("status.expired")),
                ],
            ),
            filter_select(
                "product-status",
                "col.status",
                P.status,
                P.set_status,
                [
                    ("", t("services.all")),
                    ("active", t("status.active")),
                    ("suspended", t("status.suspended")),
                    ("expired", t("status.expired")),
                    ("terminated", t("status.terminated")),
                    ("released", t("status.released")),
                ],
            ),
            rx.box(
                label("product-search", "col.name"),
                rx.hstack(
                    rx.input(
                        id="product-search", value=P.query, on_change=P.set_query, max_length=100
                    ),
                    rx.button(t("order.search_button"), on_click=P.search),
                ),
            ),
            gap="3",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(P.message != "", rx.callout(P.message, color_scheme="green", id="admin-message")),
        rx.cond(P.selected != "", _change_form()),
        rx.box(
            rx.table.root(
                table_header(
                    "col.name",
                    "col.kind",
                    "admin.customer",
                    "col.status",
                    "col.expiry",
                    "col.actions",
                ),
                rx.table.body(
                    rx.foreach(
                        P.rows,
                        lambda r: rx.table.row(
                            rx.table.cell(r["name"]),
                            rx.table.cell(r["kind"]),
                            rx.table.cell(
                                rx.link(r["customer"], href="/admin/customers/" + r["customer_id"])
                            ),
                            rx.table.cell(r["status"]),
                            rx.table.cell(r["expiry"]),
                            rx.table.cell(
                                rx.button(
                                    t("admin.change"),
                                    size="1",
                                    variant="soft",
                                    on_click=P.select(r["id"]),
                                )
                            ),
                        ),
                    )
                ),
                variant="surface",
                width="100%",
                id="admin-products",
            ),
            class_name="o2-table-wrap",
        ),
        pager(P),
    )
