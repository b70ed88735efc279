"""The staff product page in a real browser: everything about one product, reached from
the products list, and (admins) its changes by hand in place — each named, answered with
its own message, terminating confirmed first; support sees the page without them."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.core import formatting
from o2portal.core.db import read_session, transaction
from o2portal.core.models import AuditEvent
from o2portal.products.expiry import add_years
from o2portal.products.models import Product
from tests.e2e.conftest import customer_with_domain, log_in


def _product(product_id: int) -> Product:
    with read_session() as session:
        return session.get(Product, product_id)


def test_an_admin_works_on_one_product_in_place(page: Page):
    email, customer_id, product_id = customer_with_domain("fiche-produit", 40)
    with transaction() as session:
        product = session.get(Product, product_id)
        product.nameservers_json = '["ns1.o2switch.net","ns2.o2switch.net"]'
        product.auth_code = "CODE-TRANSFERT-42"
        session.add(product)
    before = _product(product_id).expiry_date
    log_in(page, "admin@o2portal.example", next_path="/admin/products")
    page.locator("#product-search").fill(f"fiche-produit-{customer_id}")
    page.locator("#product-search-go").click()
    page.locator(f"#product-{product_id}").click()
    page.wait_for_url(re.compile(rf"/admin/products/{product_id}/?$"))
    expect(page.locator("#product-name")).to_have_text(f"fiche-produit-{customer_id}.fr")
    expect(page.locator("#product-customer")).to_contain_text(email)
    expect(page.locator("#product-expiry")).to_have_text(formatting.day(before))
    expect(page.locator("#product-nameservers")).to_contain_text("ns2.o2switch.net")
    expect(page.locator("#product-price")).to_contain_text("€")
    # The nav marks Produits on a product's page.
    expect(page.locator("#admin-nav a[aria-current=page]")).to_have_attribute(
        "href", "/admin/products"
    )

    page.locator("#show-auth-code").click()
    expect(page.locator("#product-auth-code")).to_have_text("CODE-TRANSFERT-42")

    # A renewal without a reason: refused, nothing moved.
    page.locator("#product-renew").click()
    expect(page.locator("#renew-reason-error")).to_be_visible()
    assert _product(product_id).expiry_date == before
    page.locator("#renew-reason").fill("Panne de 3 jours en novembre")
    page.locator("#product-renew").click()
    new = add_years(before, 1)
    expect(page.locator("#admin-message")).to_have_text(
        f"fiche-produit-{customer_id}.fr renouvelé jusqu'au {formatting.day(new)}."
    )
    assert _product(product_id).expiry_date == new
    expect(page.locator("#product-expiry")).to_have_text(formatting.day(new))
    expect(page.locator("#product-history")).to_contain_text("Renouvelé à la main")
    expect(page.locator("#product-history")).to_contain_text("Panne de 3 jours en novembre")
    # Done: the buttons wait for «Nouvelle modification» (no second change by a 2nd click).
    expect(page.locator("#product-renew")).to_be_disabled()
    page.locator("#product-again").click()

    page.locator("#status-reason").fill("Impayé")
    page.locator("#product-status").click()
    expect(page.locator("#admin-message")).to_contain_text("suspendu")
    assert _product(product_id).status == "suspended"
    page.locator("#product-again").click()
    page.locator("#status-reason").fill("Réglé")
    page.locator("#product-status").click()
    expect(page.locator("#admin-message")).to_contain_text("réactivé")
    assert _product(product_id).status == "active"
    page.locator("#product-again").click()

    # Terminating asks first; leaving the dialog changes nothing.
    page.locator("#product-terminate").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("ne peut pas être annulée")
    page.get_by_role("button", name="Le garder").click()
    assert _product(product_id).status == "active"
    page.locator("#product-terminate").click()
    page.locator("#terminate-reason").fill("Demande du client")
    page.locator("#terminate-confirm").click()
    expect(page.locator("#admin-message")).to_contain_text("résilié")
    assert _product(product_id).status == "terminated"
    expect(page.locator("#product-terminate")).to_have_count(0)
    with read_session() as session:
        actions = {
            e.action
            for e in session.exec(
                select(AuditEvent).where(
                    AuditEvent.target_type == "product", AuditEvent.target_id == product_id
                )
            ).all()
        }
    assert {
        "staff.auth_code_shown",
        "staff.product_renewed",
        "staff.product_suspend",
        "staff.product_unsuspend",
        "staff.product_terminate",
    } <= actions


def test_support_sees_the_product_without_its_admin_actions(page: Page):
    email, customer_id, product_id = customer_with_domain("fiche-support", 40)
    log_in(page, "support@o2portal.example", next_path=f"/admin/products/{product_id}")
    expect(page.locator("#product-name")).to_have_text(f"fiche-support-{customer_id}.fr")
    expect(page.locator("#product-customer")).to_contain_text(email)
    for control in ("#product-renew", "#product-status", "#product-terminate", "#show-auth-code"):
        expect(page.locator(control)).to_have_count(0)


def test_an_unknown_product_says_so(page: Page):
    log_in(page, "support@o2portal.example", next_path="/admin/products/999999999")
    expect(page.locator("#product-not-found")).to_be_visible()
