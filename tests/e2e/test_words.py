"""Words, not codes, in a real browser: the offer's name, the time left, a hosting account
told from its domain of the same name, and the new ticket's form."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.products.models import Product
from tests.e2e.conftest import FRESH_PASSWORD, customer_with_domain, log_in, wait_signed_in


def test_services_dashboard_and_ticket_form_speak_in_words(page: Page):
    # A domain expired 10 days ago, and the hosting account of the same name.
    email, customer_id, domain_id = customer_with_domain("mots", -10)
    name = f"mots-{customer_id}.fr"
    with transaction() as session:
        hosting = Product(
            customer_id=customer_id,
            kind="hosting",
            name=name,
            offer_code="grow",
            start_date=clock.today() - timedelta(days=300),
            expiry_date=clock.today() + timedelta(days=65),
        )
        session.add(hosting)
        session.flush()
        hosting_id = hosting.id
    log_in(page, email, FRESH_PASSWORD, next_path="/services")
    wait_signed_in(page)

    table = page.locator("#services-table")
    domain_row = table.locator("tr", has=page.locator(f"a[href='/services/{domain_id}']"))
    hosting_row = table.locator("tr", has=page.locator(f"a[href='/services/{hosting_id}']"))
    expect(domain_row.locator(".o2-twin")).to_have_text("Nom de domaine")
    expect(domain_row).to_contain_text(".fr")
    expect(domain_row).to_contain_text("expiré depuis 10 jours")
    expect(domain_row).not_to_contain_text("-10")
    expect(hosting_row.locator(".o2-twin")).to_have_text("Hébergement")
    expect(hosting_row).to_contain_text("Hébergement Grow")
    expect(hosting_row).to_contain_text("dans 65 jours")

    page.goto("/")
    expiring = page.locator("#expiring-table")
    expect(expiring).to_contain_text("expiré depuis 10 jours")
    expect(expiring).not_to_contain_text("Hébergement Grow")  # not within 30 days

    page.goto(f"/services/{hosting_id}")
    expect(page.locator("#product-days-left")).to_have_text("(dans 65 jours)")
    expect(page.get_by_text("Hébergement Grow", exact=True)).to_be_visible()

    page.goto("/tickets/new")
    expect(page.get_by_label("Département")).to_be_visible()
    products = page.get_by_label("Produit concerné")
    expect(products).to_be_visible()
    expect(products.locator("option")).to_contain_text(
        ["Aucun en particulier", f"{name} (nom de domaine)", f"{name} (hébergement)"]
    )
