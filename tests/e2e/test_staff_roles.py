"""The staff frame by role, in a real browser: support is never shown an action it
cannot take (no admin-only link, button or form), an admins' page tells support so
instead of showing a blank page, and the navigation marks the page one is on."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import log_in

ADMINS_PAGES = ["/admin/catalogue", "/admin/emails", "/admin/audit", "/admin/settings"]
# What only an admin may do on the pages support shares (the buttons' texts or ids).
ADMIN_CONTROLS = {
    "/admin/invoices": ["[id^=paid-transfer-]", "[id^=paid-cheque-]", "[id^=cancel-order-]"],
}


def _nav_links(page: Page) -> list[str]:
    nav = page.locator("#admin-nav")
    expect(nav).to_be_visible()
    return [a.get_attribute("href") for a in nav.locator("a").all()]


def test_support_sees_only_what_support_may_do(page: Page):
    log_in(page, "support@o2portal.example", next_path="/admin")
    links = _nav_links(page)
    assert "/admin/tickets" in links and "/admin/customers" in links
    for route in ADMINS_PAGES:
        assert route not in links, route
    # The staff frame, not the customer's: no customer navigation beside it.
    assert "/services" not in links and "/order" not in links

    for route in ADMINS_PAGES:
        page.goto(route)
        expect(page.locator("#admins-only")).to_be_visible()
        expect(page.locator("#admins-only")).to_contain_text("Réservé aux administrateurs")

    page.goto("/admin/invoices")
    expect(page.locator("#admin-orders")).to_be_visible()
    expect(page.locator("#admin-orders tbody tr").first).to_be_visible()
    for selector in ADMIN_CONTROLS["/admin/invoices"]:
        expect(page.locator(selector)).to_have_count(0)
    expect(page.get_by_role("button", name="Avoir")).to_have_count(0)

    page.goto("/admin/products")
    expect(page.locator("#admin-products tbody tr").first).to_be_visible()
    page.locator("#admin-products tbody a[id^=product-]").first.click()
    expect(page.locator("#product-name")).to_be_visible()
    for control in ("#product-renew", "#product-status", "#product-terminate"):
        expect(page.locator(control)).to_have_count(0)


def test_the_admin_sees_every_page_and_action(page: Page):
    log_in(page, "admin@o2portal.example", next_path="/admin/invoices")
    links = _nav_links(page)
    for route in ADMINS_PAGES:
        assert route in links, route
    expect(page.locator("#admin-orders tbody tr").first).to_be_visible()
    for selector in ADMIN_CONTROLS["/admin/invoices"]:
        expect(page.locator(selector).first).to_be_visible()
    expect(page.get_by_role("button", name="Avoir").first).to_be_visible()
    # A product's changes are on its own page, for admins.
    page.goto("/admin/products")
    page.locator("#admin-products tbody a[id^=product-]").first.click()
    expect(page.locator("#product-renew")).to_be_visible()


@pytest.mark.parametrize("route", ["/admin/tickets", "/admin/customers", "/admin"])
def test_the_nav_marks_the_page_one_is_on(page: Page, route):
    log_in(page, "support@o2portal.example", next_path=route)
    current = page.locator("#admin-nav a[aria-current=page]")
    expect(current).to_have_count(1)
    assert current.get_attribute("href") == route
