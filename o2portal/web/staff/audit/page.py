"""Staff page: the audit log."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.admin import pager
from o2portal.web.components.forms import label
from o2portal.web.components.i18n import t
from o2portal.web.pages import ADMINS_ONLY, staff_page
from o2portal.web.staff.audit.state import AdminAuditState as A


def _filter(name: str, key: str, value, on_change) -> rx.Component:
    return rx.box(
        label(name, key), rx.input(id=name, value=value, on_change=on_change, max_length=100)
    )


@staff_page(
    "/admin/audit",
    roles=ADMINS_ONLY,
    title_key="admin.nav_audit",
    on_load=A.load,
)
def audit_page() -> rx.Component:
    return rx.fragment(
        rx.flex(
            _filter("audit-action", "admin.audit_action", A.action, A.set_action),
            _filter("audit-actor", "admin.audit_actor", A.actor, A.set_actor),
            _filter("audit-customer", "admin.audit_customer", A.customer, A.set_customer),
            rx.button(
                t("order.search_button"), on_click=A.search, id="audit-search", align_self="end"
            ),
            gap="3",
            wrap="wrap",
        ),
        rx.text(A.total, " ", t("admin.events"), size="2", color_scheme="gray"),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(t(k))
                            for k in (
                                "col.date",
                                "admin.audit_actor",
                                "admin.audit_action",
                                "admin.audit_customer",
                                "admin.ip",
                                "admin.details",
                            )
                        ]
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        A.rows,
                        lambda r: rx.table.row(
                            rx.table.cell(r["when"]),
                            rx.table.cell(r["who"]),
                            rx.table.cell(r["action"]),
                            rx.table.cell(r["customer"]),
                            rx.table.cell(r["ip"]),
                            rx.table.cell(rx.code(r["details"], size="1")),
                        ),
                    )
                ),
                variant="surface",
                width="100%",
                id="audit-table",
            ),
            class_name="o2-table-wrap",
        ),
        pager(A),
    )
