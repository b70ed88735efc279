"""Staff page: the audit log."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.filters import filter_bar, text_filter
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import pager, rows_table, text_cells
from o2portal.web.pages import ADMINS_ONLY, staff_page
from o2portal.web.staff.audit.state import AdminAuditState as A


@staff_page("/admin/audit", roles=ADMINS_ONLY, title_key="admin.nav_audit", on_load=A.load)
def audit_page() -> rx.Component:
    return rx.fragment(
        filter_bar(
            text_filter("audit-action", "admin.audit_action", A.action, A.set_action),
            text_filter("audit-actor", "admin.audit_actor", A.actor, A.set_actor),
            text_filter("audit-customer", "admin.audit_customer", A.customer, A.set_customer),
            rx.button(t("admin.search"), on_click=A.search, id="audit-search", align_self="end"),
        ),
        rx.text(A.total, " ", t("admin.events"), size="2", color_scheme="gray"),
        rows_table(
            "audit-table",
            [
                "col.date",
                "admin.audit_actor",
                "admin.audit_action",
                "admin.audit_customer",
                "admin.ip",
                "admin.details",
            ],
            A.rows,
            lambda r: rx.table.row(
                *text_cells(r, "when", "who", "action", "customer", "ip"),
                rx.table.cell(rx.code(r["details"], size="1")),
            ),
        ),
        pager(A),
    )
