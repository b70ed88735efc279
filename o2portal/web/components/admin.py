"""The staff area's frame: its own header and navigation (the entries of the caller's
role, the current page marked), the page's heading and content, or a refusal."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import stack
from o2portal.web.components.forms import titled_callout
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import brand as customer_brand
from o2portal.web.components.layout import (
    logout_button,
    menu_link,
    mobile_menu,
    page_title,
    signed_in_shell,
)
from o2portal.web.session import SessionState

# (title, route, icon, admins only): tests/unit/test_staff_nav.py checks the last against
# the pages' own roles.
ADMIN_NAV = [
    ("admin.nav_dashboard", "/admin", "layout-dashboard", False),
    ("admin.nav_customers", "/admin/customers", "users", False),
    ("admin.nav_products", "/admin/products", "server", False),
    ("admin.nav_trades", "/admin/trades", "arrow-left-right", False),
    ("admin.nav_invoices", "/admin/invoices", "receipt", False),
    ("admin.nav_tickets", "/admin/tickets", "life-buoy", False),
    ("admin.nav_support", "/admin/support", "message-square-text", True),
    ("admin.nav_content", "/admin/content", "newspaper", False),
    ("admin.nav_tasks", "/admin/tasks", "list-checks", False),
    ("admin.nav_jobs", "/admin/jobs", "timer", False),
    ("admin.nav_catalogue", "/admin/catalogue", "tags", True),
    ("admin.nav_emails", "/admin/emails", "mail", True),
    ("admin.nav_vat_report", "/admin/reports/vat", "landmark", True),
    ("admin.nav_aging", "/admin/reports/aging", "hourglass", True),
    ("admin.nav_audit", "/admin/audit", "scroll-text", True),
    ("admin.nav_staff", "/admin/staff", "user-cog", True),
    ("admin.nav_settings", "/admin/settings", "settings", True),
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


def admins_only_notice() -> rx.Component:
    """What support sees on an admins' page (its load is refused on the server too)."""
    return titled_callout(
        "shield-alert",
        "admin.only_title",
        "admin.only_text",
        rx.link(t("admin.only_back"), href="/admin"),
        "amber",
        "admins-only",
    )


def admin_only(*children: rx.Component) -> rx.Component:
    """Controls for admins: support never sees them (their handlers refuse support too)."""
    return rx.cond(SessionState.is_admin, rx.fragment(*children))


def _active(route: str, href: str) -> bool:
    return route == href or (href != "/admin" and route.startswith(href + "/"))


def _for_role(admins: bool, component: rx.Component) -> rx.Component:
    return admin_only(component) if admins else component


def _nav(route: str) -> rx.Component:
    links = [
        _for_role(
            admins,
            rx.link(
                rx.hstack(rx.icon(icon, size=18), rx.text(t(key)), align="center", spacing="2"),
                href=href,
                underline="none",
                class_name="o2-nav-link o2-nav-active" if _active(route, href) else "o2-nav-link",
                aria_current="page" if _active(route, href) else None,
            ),
        )
        for key, href, icon, admins in ADMIN_NAV
    ]
    return rx.vstack(
        *links,
        rx.divider(),
        rx.link(
            rx.hstack(rx.icon("arrow-left-right", size=18), rx.text(t("admin.to_customer_area"))),
            href="/",
            underline="none",
            class_name="o2-nav-link",
            id="to-customer-area",
        ),
        logout_button(),
        spacing="1",
        align="stretch",
        class_name="o2-sidebar",
        as_="nav",
        aria_label="Administration",
        id="admin-nav",
    )


def _mobile_nav() -> rx.Component:
    return mobile_menu(
        *[_for_role(admins, menu_link(key, href)) for key, href, _, admins in ADMIN_NAV],
        after=(menu_link("admin.to_customer_area", "/"),),
    )


def _brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("shield", size=24, color=rx.color("accent", 9)),
            rx.text("o2portal", size="5", weight="bold"),
            rx.badge(t("admin.tagline"), color_scheme="gray", variant="soft"),
            align="center",
            spacing="2",
        ),
        href="/admin",
        underline="none",
        color="inherit",
    )


def _search_box() -> rx.Component:
    """One box for anything staff look for; its results at /admin/search."""
    from o2portal.web.staff.search.state import AdminSearchState

    return rx.form(
        rx.input(
            name="q",
            id="staff-search",
            placeholder=t("search.box"),
            aria_label=t("search.title"),
            max_length=100,
            width="100%",
            type="search",
        ),
        on_submit=AdminSearchState.go,
        reset_on_submit=False,
        # Wide enough for its placeholder, beside the name in the header (a form is as
        # wide as its line otherwise, and went under the brand).
        width="36em",
        max_width="40vw",
        class_name="o2-desktop-only",
        role="search",
    )


def admin_layout(
    title_key: str, *content: rx.Component, route: str = "/admin", admins: bool = False
) -> rx.Component:
    """A staff page: the staff header and navigation, then the page under its heading.
    `admins`: an admins' page, which support sees as a notice instead."""
    body = stack(page_title(title_key), *content, spacing="4")
    return signed_in_shell(
        rx.cond(
            SessionState.is_staff,
            rx.cond(SessionState.is_admin, body, admins_only_notice()) if admins else body,
            denied(),
        ),
        # Someone who is not staff gets the customer's brand beside the refusal.
        brand=rx.cond(SessionState.is_staff, _brand(), customer_brand()),
        header=(rx.cond(SessionState.is_staff, _search_box()),),
        menu=rx.cond(SessionState.is_staff, _mobile_nav()),
        sidebar=rx.cond(SessionState.is_staff, rx.box(_nav(route), class_name="o2-desktop-only")),
        class_name="o2-page o2-staff-page",
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
