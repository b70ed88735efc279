"""The audit log in a real browser: an admin's action on a product reads as a sentence
naming the product, linked to its page, with the reason; the filters narrow by kind of
action, staff member, customer and date."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from tests.e2e.conftest import customer_with_domain, log_in


def test_an_admins_action_reads_as_a_sentence_and_the_filters_narrow_it(page: Page):
    email, _customer_id, product_id = customer_with_domain("audit-phrase", days_left=40)
    log_in(page, "admin@o2portal.example", next_path=f"/admin/products/{product_id}")
    page.locator("#product-terminate").click()
    page.locator("#terminate-reason").fill("Demande du client par téléphone")
    page.locator("#terminate-confirm").click()
    expect(page.locator("#product-again")).to_be_visible()

    page.goto("/admin/audit")
    page.locator("#audit-group").select_option("products")
    row = page.locator("#audit-table tr", has_text="Demande du client par téléphone").first
    expect(row).to_contain_text("(admin) a résilié le domaine ")
    expect(row).not_to_contain_text("staff.product_terminate")
    expect(row.get_by_role("link").first).to_have_attribute("href", f"/admin/products/{product_id}")

    page.locator("#audit-customer").fill(email)
    page.locator("#audit-search").click()
    expect(page.locator("#audit-table tbody tr")).to_have_count(1)
    page.locator("#audit-group").select_option("support")
    expect(page.get_by_text("Rien à afficher")).to_be_visible()
    page.locator("#audit-group").select_option("")
    expect(page.locator("#audit-table")).to_contain_text("Demande du client par téléphone")
    page.locator("#audit-since").fill(date(2001, 1, 1).isoformat())
    page.locator("#audit-until").fill(date(2001, 1, 2).isoformat())
    expect(page.get_by_text("Rien à afficher")).to_be_visible()
