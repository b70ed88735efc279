"""Staff page: the audit log, one sentence per event with the object acted on linked."""

from __future__ import annotations

import reflex as rx

from o2portal.reporting.audit_log import GROUPS
from o2portal.web.components.filters import filter_bar, filter_select, text_filter
from o2portal.web.components.forms import labelled, native_select
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import pager, rows_table, text_cells
from o2portal.web.pages import ADMINS_ONLY, staff_page
from o2portal.web.staff.audit.state import AdminAuditState as A


def _day_filter(name: str, key: str, value, on_change) -> rx.Component:
    return labelled(
        name, key, rx.input(id=name, type="date", value=value, on_change=on_change, width="11em")
    )


def _sentence(r) -> rx.Component:
    return rx.table.cell(
        rx.text(
            r["before"],
            rx.cond(r["href"] != "", rx.link(r["target"], href=r["href"]), r["target"]),
            r["after"],
            size="2",
        ),
        rx.cond(
            r["details"] != "",
            rx.text(r["details"], size="1", color_scheme="gray", class_name="o2-audit-details"),
        ),
    )


@staff_page("/admin/audit", roles=ADMINS_ONLY, title_key="admin.nav_audit", on_load=A.load)
def audit_page() -> rx.Component:
    return rx.fragment(
        filter_bar(
            filter_select(
                "audit-group",
                "audit.filter_group",
                A.group,
                A.set_group,
                [("", t("audit.group_all"))] + [(g, t(f"audit.group.{g}")) for g in GROUPS],
                min_width=None,
            ),
            labelled(
                "audit-staff",
                "audit.filter_staff",
                native_select(
                    "audit-staff",
                    rx.el.option(t("audit.staff_all"), value=""),
                    rx.foreach(A.staff, lambda p: rx.el.option(p["name"], value=p["id"])),
                    value=A.staff_id,
                    on_change=A.set_staff_id,
                ),
            ),
            _day_filter("audit-since", "audit.filter_since", A.since, A.set_since),
            _day_filter("audit-until", "audit.filter_until", A.until, A.set_until),
            text_filter("audit-customer", "audit.filter_customer", A.customer, A.set_customer),
            rx.button(t("admin.search"), on_click=A.search, id="audit-search", align_self="end"),
        ),
        rx.text(A.total, " ", t("admin.events"), size="2", color_scheme="gray"),
        rows_table(
            "audit-table",
            ["col.date", "audit.event", "audit.concerns", "admin.ip"],
            A.rows,
            lambda r: rx.table.row(
                rx.table.cell(r["when"], white_space="nowrap"),
                _sentence(r),
                rx.table.cell(
                    rx.cond(
                        r["customer"] != "",
                        rx.link(r["customer"], href="/admin/customers/" + r["customer_id"]),
                    )
                ),
                *text_cells(r, "ip"),
            ),
            empty_key="admin.none",
        ),
        pager(A),
    )
