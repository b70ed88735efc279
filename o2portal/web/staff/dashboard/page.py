"""The staff area's front page: KPIs and charts."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.admin import kpi
from o2portal.web.components.blocks import columns
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import rows_table, section, text_cells
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.dashboard.state import AdminDashboardState as S


def _chart(
    title_key: str, data, x_key: str, y_key: str, color: str, chart_id: str, series_key: str
):
    """A bar chart; `series_key`: the words the tooltip gives its values (with a unit)."""
    return section(
        title_key,
        rx.box(
            rx.recharts.bar_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
                rx.recharts.x_axis(data_key=x_key),
                rx.recharts.y_axis(allow_decimals=False),
                rx.recharts.tooltip(),
                rx.recharts.bar(
                    data_key=y_key, name=t(series_key), fill=color, is_animation_active=False
                ),
                data=data,
                width="100%",
                height=240,
            ),
            id=chart_id,
            width="100%",
        ),
    )


@staff_page("/admin", roles=SUPPORT_AND_ADMIN, title_key="admin.title", on_load=S.load)
def admin_dashboard_page() -> rx.Component:
    return rx.fragment(
        rx.grid(
            kpi("admin.customers", S.customers, "kpi-customers"),
            kpi("admin.active_products", S.active_products, "kpi-products"),
            kpi("admin.unpaid", S.unpaid_orders, "kpi-unpaid"),
            kpi("admin.open_tickets", S.open_tickets, "kpi-tickets"),
            columns=rx.breakpoints(initial="2", md="4"),
            spacing="3",
            width="100%",
        ),
        columns(
            _chart(
                "admin.chart_revenue",
                S.revenue,
                "month",
                "revenue",
                "#12a594",
                "chart-revenue",
                "admin.series_revenue",
            ),
            _chart(
                "admin.chart_expiries",
                S.expiries,
                "week",
                "expiries",
                "#e5484d",
                "chart-expiries",
                "admin.series_expiries",
            ),
            _chart(
                "admin.chart_customers",
                S.new_customers,
                "month",
                "customers",
                "#3e63dd",
                "chart-customers",
                "admin.series_customers",
            ),
            _chart(
                "admin.chart_tickets",
                S.tickets_by_department,
                "department",
                "tickets",
                "#f76b15",
                "chart-tickets",
                "admin.series_tickets",
            ),
            at="lg",
            spacing="4",
        ),
        section(
            "admin.failing",
            rx.cond(
                S.failing.length() > 0,
                rx.vstack(
                    rx.foreach(
                        S.failing,
                        lambda c: rx.hstack(
                            rx.link(c["name"], href="/admin/customers/" + c["id"], weight="bold"),
                            rx.text(c["email"]),
                            rx.text(c["since"], color_scheme="gray"),
                            rx.text(c["reason"], size="1", color_scheme="red"),
                            wrap="wrap",
                            spacing="3",
                        ),
                    ),
                    id="failing-addresses",
                ),
                rx.text(t("admin.failing_none"), color_scheme="gray"),
            ),
        ),
        section(
            "admin.outbox",
            rows_table(
                "outbox-table",
                ["col.date", "admin.mail_to", "admin.mail_subject", "admin.mail_status"],
                S.mail,
                lambda m: rx.table.row(*text_cells(m, "created", "to", "subject", "status")),
                variant=None,
            ),
        ),
    )
