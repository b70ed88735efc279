"""The staff area's frame: the customer shell plus the staff navigation, or a refusal."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import stack
from o2portal.web.components.forms import titled_callout
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import customer_layout, page_title
from o2portal.web.session import SessionState

ADMIN_NAV = [
    ("admin.nav_dashboard", "/admin"),
    ("admin.nav_customers", "/admin/customers"),
    ("admin.nav_products", "/admin/products"),
    ("admin.nav_invoices", "/admin/invoices"),
    ("admin.nav_tickets", "/admin/tickets"),
    ("admin.nav_catalogue", "/admin/catalogue"),
    ("admin.nav_content", "/admin/content"),
    ("admin.nav_emails", "/admin/emails"),
    ("admin.nav_jobs", "/admin/jobs"),
    ("admin.nav_tasks", "/admin/tasks"),
    ("admin.nav_audit", "/admin/audit"),
    ("admin.nav_settings", "/admin/settings"),
]


def denied() -> rx.Component:
    return titled_callout(
        "shield-x",
        "denied.title",
        "denied.text",
        rx.link(t("denied.back"), href="/"),
        "red",
        "access-denied",
    )


def admin_nav() -> rx.Component:
    return rx.flex(
        *[
            rx.link(t(key), href=href, size="2", class_name="o2-admin-link")
            for key, href in ADMIN_NAV
        ],
        wrap="wrap",
        gap="3",
        class_name="o2-admin-nav",
        as_="nav",
        aria_label="Administration",
    )


def admin_layout(title_key: str, *content: rx.Component) -> rx.Component:
    return customer_layout(
        rx.cond(
            SessionState.is_staff,
            stack(
                admin_nav(),
                page_title(title_key),
                *content,
                spacing="4",
            ),
            denied(),
        )
    )


def kpi(key: str, value, element_id: str = "") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(t(key), size="2", color_scheme="gray"),
            rx.heading(value, size="7", id=element_id or None),
        ),
    )


def admin_message(message: rx.Var) -> rx.Component:
    """What a staff action did, while there is something to say."""
    return rx.cond(message != "", rx.callout(message, color_scheme="green", id="admin-message"))
